import path from 'node:path';
import type { NextConfig } from 'next';
import { buildEnv } from './env';

// The monorepo root: npm hoists dependencies there, so file tracing (for the
// standalone output) and Turbopack must look from it, not from apps/web.
const repoRoot = path.join(__dirname, '..', '..');

/**
 * What the build is told by the environment (env.ts, `buildEnv`):
 * - `TRACELENS_BROWSER_TRACING=off next build` leaves the OpenTelemetry web
 *   SDK out of the client bundle (clicks still work, untraced; the server is
 *   traced either way). The browser benchmark builds both to measure what the
 *   SDK adds. It decides what is built, not how the server runs: Next.js
 *   inlines the value into the client code, where instrumentation-client.ts
 *   tests it and the bundler drops the dead branch with its imports.
 * - `TRACELENS_NEXT_OUTPUT=standalone next build` makes the self-contained
 *   server the Dockerfile copies. Off otherwise, because `next start` (npm
 *   start, the tests) then warns on every start that it "does not work with
 *   output: standalone".
 */
const build = buildEnv();

const nextConfig: NextConfig = {
  ...(build.output === undefined ? {} : { output: build.output }),
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  poweredByHeader: false,
  reactStrictMode: true,
  env: { TRACELENS_BROWSER_TRACING: build.browserTracing },
};

export default nextConfig;
