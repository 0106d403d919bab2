import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { inheritedEnv, readJaegerToolEnv } from './env.js';

/** The Jaeger release this project runs and tests against (docker-compose pins the same image). */
export const JAEGER_VERSION = '2.12.0';
/** The Go module that holds it: Jaeger v2's `cmd/jaeger` ships in the v1.x module line. */
export const JAEGER_MODULE = 'github.com/jaegertracing/jaeger';
const JAEGER_PACKAGE = `${JAEGER_MODULE}/cmd/jaeger`;
/** Oldest Go the pinned module builds with (its go.mod says go 1.24). */
const MIN_GO = [1, 24] as const;

/** This package's folder, which holds go.mod, go.sum and config.yaml (dist/ is one level down). */
export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Where the build goes: TRACELENS_JAEGER_CACHE_DIR, else `.cache/` in this
 * package (gitignored). The variable lets CI keep the binary elsewhere and
 * lets a test see what a machine without a build does.
 */
const defaultCacheDir = () => readJaegerToolEnv().cacheDir ?? path.join(PACKAGE_DIR, '.cache');

/** The real Jaeger cannot run here; `reason` says why and what to do instead. */
export class JaegerUnavailableError extends Error {
  override readonly name = 'JaegerUnavailableError';
}

export interface EnsureJaegerOptions {
  /** Progress lines for a build, which takes minutes the first time. Default: none. */
  log?: (line: string) => void;
  /** How often a running build reports progress, in milliseconds. Default 15000. */
  progressEveryMs?: number;
  /** Where the binary and its stamp go. Default TRACELENS_JAEGER_CACHE_DIR, else `.cache/` in this package (gitignored). */
  cacheDir?: string;
  /** The Go command. Default `go` from PATH. */
  goCommand?: string;
}

/** The version the pinned module's go.mod requires, read from go.mod so the two cannot disagree. */
export function pinnedModuleVersion(): string {
  const goMod = fs.readFileSync(path.join(PACKAGE_DIR, 'go.mod'), 'utf8');
  const m = new RegExp(`^\\s*${JAEGER_MODULE.replaceAll('.', '\\.')} (v\\S+)`, 'm').exec(goMod);
  if (!m?.[1]) throw new Error(`go.mod in ${PACKAGE_DIR} does not require ${JAEGER_MODULE}`);
  return m[1];
}

function sourceStamp(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(fs.readFileSync(path.join(PACKAGE_DIR, file)));
  hash.update(`${process.platform}-${process.arch}`);
  return hash.digest('hex');
}

/**
 * The path of the pinned Jaeger binary, built from source first when it is
 * missing or was built from another go.mod/go.sum. Idempotent: once built,
 * this returns in milliseconds. Throws JaegerUnavailableError when it cannot
 * be built here (no Go, too old a Go, a failed build).
 */
export async function ensureJaegerBinary(options: EnsureJaegerOptions = {}): Promise<string> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const binary = path.join(cacheDir, 'jaeger');
  // Holds the hash of the go.mod and go.sum the binary was built from.
  const stampFile = path.join(cacheDir, 'jaeger.stamp');
  const stamp = sourceStamp();
  if (fs.existsSync(binary) && readIfExists(stampFile) === stamp) return binary;
  const log = options.log ?? (() => {});
  const go = goRunner(options.goCommand ?? 'go');
  const goVersion = await requireGo(go);
  const started = Date.now();
  log(
    `building Jaeger ${JAEGER_VERSION} (${JAEGER_MODULE} ${pinnedModuleVersion()}) with ${goVersion}; ` +
      'the first build downloads its modules and compiles for several minutes, later ones take seconds',
  );
  fs.mkdirSync(cacheDir, { recursive: true });
  log('resolving packages (downloads the Go modules the first time)');
  const packages = (await go(['list', '-deps', JAEGER_PACKAGE])).split('\n').filter(Boolean).length;
  // Built under a name of its own and renamed, so a build that is stopped or
  // runs beside another one never leaves a half-written binary behind.
  const partial = `${binary}.${process.pid}.partial`;
  let compiled = 0;
  const timer = setInterval(
    () => log(`compiled ${compiled} of at most ${packages} packages (${elapsed(started)})`),
    options.progressEveryMs ?? 15_000,
  );
  try {
    await go(['build', '-v', '-o', partial, JAEGER_PACKAGE], () => compiled++);
  } finally {
    clearInterval(timer);
  }
  fs.renameSync(partial, binary);
  fs.writeFileSync(stampFile, stamp);
  log(`built ${binary} in ${elapsed(started)}`);
  return binary;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function elapsed(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
}

const NEEDS_GO = `needs Go >= ${MIN_GO.join('.')}; or use docker compose (see the README)`;

/** The Go toolchain's version (`go1.26.8`), or JaegerUnavailableError when there is none new enough. */
async function requireGo(go: GoRunner): Promise<string> {
  let version: string;
  try {
    version = (await go(['env', 'GOVERSION'])).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new JaegerUnavailableError(`the real Jaeger is built from source, and Go is not installed: ${NEEDS_GO}`);
    }
    throw e;
  }
  const m = /^go(\d+)\.(\d+)/.exec(version);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new JaegerUnavailableError(`the real Jaeger is built from source, and this Go is ${version || 'unknown'}: ${NEEDS_GO}`);
  }
  return version;
}

type GoRunner = (args: string[], onLine?: (line: string) => void) => Promise<string>;

/**
 * Runs `go` in this package's module and resolves with its stdout. Each
 * stderr line goes to `onLine` (`go build -v` names each package it
 * compiles there); a failure rejects with the last lines of stderr.
 */
const goRunner = (command: string): GoRunner => (args, onLine) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PACKAGE_DIR,
      // Local toolchain only (no toolchain download), and go.sum as committed.
      env: { ...inheritedEnv(), GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const tail: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      onLine?.(line);
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new JaegerUnavailableError(`go ${args.join(' ')} failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
