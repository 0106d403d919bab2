/**
 * Separate builds of the web app for A/B benchmarks, without touching the
 * workspace's own `apps/web/.next` (which `npm start`, the e2e suite and other
 * people's work use): the sources are copied once per variant to
 * `bench/.web-<variant>/` and built there with `next build`.
 *
 * Why a copy rather than another `distDir`: `next build` rewrites
 * tsconfig.json and next-env.d.ts to point at its distDir, which would change
 * shared files; and copies made at the same moment build both variants from
 * the same sources even while someone edits apps/web. The copies sit two
 * levels below the repository root, like apps/web, so next.config.ts finds the
 * root (hoisted node_modules, Turbopack root) exactly as it does for apps/web.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appDir, nextBin } from './stack.js';
import { inheritedEnv } from './env.js';

const BENCH_DIR = path.resolve(import.meta.dirname, '..');

/** What a copy leaves out: build output, caches and dependencies (hoisted to the root anyway). */
const SKIPPED = new Set(['.next', 'node_modules', '.turbo', 'test-results', 'playwright-report']);

/** Copies apps/web's sources to bench/.web-<variant>/ (replacing an older copy) and returns that directory. */
export function copyWebSources(variant: string): string {
  const source = appDir('@tracelens/web');
  const dest = path.join(BENCH_DIR, `.web-${variant}`);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.cpSync(source, dest, {
    recursive: true,
    filter: (src) => !SKIPPED.has(path.basename(src)) && !src.endsWith('.tsbuildinfo'),
  });
  return dest;
}

export function removeWebCopy(dir: string): void {
  if (!path.basename(dir).startsWith('.web-') || path.dirname(dir) !== BENCH_DIR) {
    throw new Error(`refusing to remove ${dir}: not a bench copy of the web app`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `next build` in `dir` with `env` added; resolves with the build time in milliseconds, rejects with the log tail. */
export function nextBuild(dir: string, env: Record<string, string>, logFile: string): Promise<number> {
  const started = Date.now();
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [nextBin(dir), 'build'], {
    cwd: dir,
    env: { ...inheritedEnv(), NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(Date.now() - started);
      else {
        const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
        reject(new Error(`next build in ${dir} failed (${signal ?? `exit ${code}`}); last lines of ${logFile}:\n${tail}`));
      }
    });
  });
}
