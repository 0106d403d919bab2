import path from 'node:path';
import type { NextConfig } from 'next';

// The monorepo root: npm hoists dependencies there, so file tracing (for the
// standalone output) and Turbopack must look from it, not from apps/web.
const repoRoot = path.join(__dirname, '..', '..');

/**
 * Build-time switch for browser tracing: `TRACELENS_BROWSER_TRACING=off next
 * build` leaves the OpenTelemetry web SDK out of the client bundle (clicks
 * still work, untraced; the server is traced either way). Default `on`. The
 * browser benchmark builds both to measure what the SDK adds. Read here rather
 * than in env.ts because it decides what is built, not how the server runs;
 * Next.js inlines the value into the client code, where instrumentation-client.ts
 * tests it and the bundler drops the dead branch with its imports.
 */
function browserTracing(): 'on' | 'off' {
  const raw = process.env.TRACELENS_BROWSER_TRACING?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'on') return 'on';
  if (raw === 'off') return 'off';
  throw new Error(`TRACELENS_BROWSER_TRACING must be "on" or "off", got ${JSON.stringify(process.env.TRACELENS_BROWSER_TRACING)}`);
}

/**
 * Build-time switch for the Docker image: `TRACELENS_NEXT_OUTPUT=standalone
 * next build` makes the self-contained server the Dockerfile copies. Off
 * otherwise, because `next start` (npm start, the tests) then warns on
 * every start that it "does not work with output: standalone".
 */
function standaloneOutput(): { output?: 'standalone' } {
  const raw = process.env.TRACELENS_NEXT_OUTPUT?.trim().toLowerCase();
  if (raw === undefined || raw === '') return {};
  if (raw === 'standalone') return { output: 'standalone' };
  throw new Error(`TRACELENS_NEXT_OUTPUT must be "standalone" or unset, got ${JSON.stringify(process.env.TRACELENS_NEXT_OUTPUT)}`);
}

const nextConfig: NextConfig = {
  ...standaloneOutput(),
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  poweredByHeader: false,
  reactStrictMode: true,
  env: { TRACELENS_BROWSER_TRACING: browserTracing() },
};

export default nextConfig;
