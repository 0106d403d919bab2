import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * vitest global setup: compiles the package first. The store runs decoding
 * and writing on worker threads, and a worker thread runs compiled
 * JavaScript, so tests that start a store from src/ use dist/'s workers
 * (threads/store-threads.ts); compiling here keeps those never older than
 * the source under test.
 */
export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: path.resolve(import.meta.dirname, '..'), stdio: 'inherit' });
}
