/**
 * Starting the apps for the benchmarks that need the real request path
 * (overhead, browser): the NestJS data-processor and the Next.js web app as
 * child processes on free ports, wired to each other and to a collector the
 * benchmark runs in its own process. Same shape as e2e/fixtures/stack.ts,
 * plus what benchmarks need: any build directory of the web app, extra Node
 * flags (--cpu-prof) and each process's CPU time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of an installed workspace package, e.g. `@tracelens/web`. */
export function appDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

/** The `next` CLI the web app is built and served with. */
export function nextBin(webDir: string): string {
  return require.resolve('next/dist/bin/next', { paths: [webDir] });
}

/** A port nothing listens on right now (other programs may hold 3000, 4318, 16686 ...). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const tail = (logFile: string, lines = 30): string =>
  fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';

/** Polls a URL until it answers 2xx; fails with the service's log tail if it never does. */
export async function waitUntilHealthy(url: string, timeoutMs: number, service: Service): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.exited()) break;
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const why = service.exited() ? 'the process exited' : `not healthy after ${timeoutMs} ms (${last})`;
  throw new Error(`${service.name}: ${url} ${why}. Last lines of ${service.logFile}:\n${tail(service.logFile)}`);
}

export interface Service {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number;
  exited(): boolean;
  /** User + system CPU time of the process so far, in milliseconds (Linux /proc; NaN elsewhere). */
  cpuMs(): number;
  /** SIGTERM, SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux we run on. */
const CLOCK_TICKS_PER_S = 100;

function procCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    return (ticks * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/**
 * Environment the apps get: ours, minus any OTEL_* from the caller's shell
 * (a stray OTEL_SDK_DISABLED would silently turn the traced side off).
 */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('OTEL_')),
  );
  return { ...base, NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

/** Starts a Node program with its output in a log file. */
export function startNode(name: string, args: string[], options: { cwd: string; env: Record<string, string>; logDir: string }): Service {
  fs.mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', log, log] });
  fs.closeSync(log); // the child holds its own descriptor
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  return {
    name,
    logFile,
    pid: child.pid ?? -1,
    exited: () => gone,
    cpuMs: () => (gone || child.pid === undefined ? NaN : procCpuMs(child.pid)),
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface AppsOptions {
  /** Names the log files and processes, e.g. `traced`. */
  label: string;
  /** Collector base URL (exporters append /v1/traces). */
  otlpUrl: string;
  logDir: string;
  /** A built copy of apps/web to serve (default: the workspace's own build). */
  webDir?: string;
  /** Added to both apps' environment, e.g. `{ OTEL_SDK_DISABLED: 'true' }`. */
  env?: Record<string, string>;
  /** Extra Node flags for the web server, e.g. `['--cpu-prof', '--cpu-prof-dir=…']`. */
  webNodeArgs?: string[];
}

/** A data-processor and a web app that calls it, both healthy. */
export interface Apps {
  readonly webUrl: string;
  readonly dataProcessorUrl: string;
  readonly web: Service;
  readonly dataProcessor: Service;
  stop(): Promise<void>;
}

/**
 * Export delay of both servers, as `npm start` sets it (scripts/stack.mjs):
 * spans reach the store within a second.
 */
export const SERVER_BSP_SCHEDULE_DELAY_MS = 500;

/** Starts the data-processor and `next start` on free ports, in production mode. */
export async function startApps(options: AppsOptions): Promise<Apps> {
  const [dataPort, webPort] = await Promise.all([freePort(), freePort()]);
  const common = {
    OTEL_BSP_SCHEDULE_DELAY: String(SERVER_BSP_SCHEDULE_DELAY_MS),
    OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpUrl,
    ...options.env,
  };
  const dataProcessorUrl = `http://127.0.0.1:${dataPort}`;
  const dataProcessor = startNode(`${options.label}-data-processor`, ['--import', './dist/tracing.js', 'dist/main.js'], {
    cwd: appDir('@tracelens/data-processor'),
    env: { ...common, DATA_PROCESSOR_PORT: String(dataPort) },
    logDir: options.logDir,
  });
  const webDir = options.webDir ?? appDir('@tracelens/web');
  const web = startNode(
    `${options.label}-web`,
    [...(options.webNodeArgs ?? []), nextBin(webDir), 'start', '--port', String(webPort), '--hostname', '127.0.0.1'],
    { cwd: webDir, env: { ...common, NODE_ENV: 'production', DATA_PROCESSOR_URL: dataProcessorUrl }, logDir: options.logDir },
  );
  const webUrl = `http://127.0.0.1:${webPort}`;
  const stop = async () => {
    await Promise.all([web.stop(), dataProcessor.stop()]);
  };
  try {
    await Promise.all([
      waitUntilHealthy(`${dataProcessorUrl}/health`, 30_000, dataProcessor),
      waitUntilHealthy(`${webUrl}/api/health`, 60_000, web),
    ]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { webUrl, dataProcessorUrl, web, dataProcessor, stop };
}
