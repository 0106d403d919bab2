import path from 'node:path';
import type { NextConfig } from 'next';

// The monorepo root: npm hoists dependencies there, so file tracing (for the
// standalone output) and Turbopack must look from it, not from apps/web.
const repoRoot = path.join(__dirname, '..', '..');

const nextConfig: NextConfig = {
  // A self-contained server for the Docker image (see Dockerfile); `next start`
  // keeps working on the same build, with a warning that it is not the
  // standalone server.
  output: 'standalone',
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
