import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { jaegerCommand } from '@tracelens/jaeger';
import { connectHost } from './ports.js';
import type { ServiceDefinition } from './supervisor.js';

/*
 * What each service of the stack runs, written once: the command, its
 * arguments, its environment and the URL that says it serves, for `start`
 * (the production builds) and `dev` (next dev).
 */

const require = createRequire(import.meta.url);

/**
 * Directory of a workspace package, e.g. `@tracelens/web` (a peer dependency
 * of this one), found the way Node looks up packages; not through
 * `require.resolve('<name>/package.json')`, which a package's `exports` may
 * not allow.
 */
export function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
  }
  throw new Error(`${name} is not installed: run npm ci at the repository root`);
}

/** The `next` CLI that a copy of the web app in `webDir` is built and served with. */
export function nextBin(webDir: string): string {
  return require.resolve('next/dist/bin/next', { paths: [webDir] });
}

export type Mode = 'start' | 'dev';

type Env = Readonly<Record<string, string>>;

const url = (host: string, port: number) => `http://${connectHost(host)}:${port}`;

export interface CollectorSpec {
  host: string;
  otlpPort: number;
  queryPort: number;
  /** SQLite file; default: the collector's own (`.tracelens/traces.db` in apps/collector, or COLLECTOR_DB). */
  db?: string;
  env: Env;
}

/** The embedded trace store, `tracelens-collector`. Flags name the ports so an inherited COLLECTOR_* cannot move them. */
export function collectorService(spec: CollectorSpec): ServiceDefinition {
  const dir = packageDir('@tracelens/collector');
  return {
    name: 'collector',
    command: process.execPath,
    args: [
      path.join(dir, 'bin', 'tracelens-collector.js'),
      '--host',
      spec.host,
      '--otlp-port',
      String(spec.otlpPort),
      '--query-port',
      String(spec.queryPort),
      ...(spec.db === undefined ? [] : ['--db', spec.db]),
    ],
    cwd: dir,
    env: spec.env,
    healthUrl: `${url(spec.host, spec.queryPort)}/health`,
    startTimeoutMs: 30_000,
  };
}

export interface JaegerSpec {
  binary: string;
  host: string;
  ports: { otlpHttp: number; otlpGrpc: number; queryHttp: number; queryGrpc: number; health: number };
  env: Env;
}

/** The real Jaeger with the one configuration of tools/jaeger. */
export function jaegerService(spec: JaegerSpec): ServiceDefinition {
  const { command, args, env } = jaegerCommand(spec.binary, spec.ports, spec.host);
  return {
    name: 'jaeger',
    command,
    args,
    env: { ...spec.env, ...env },
    healthUrl: `${url(spec.host, spec.ports.health)}/status`,
    startTimeoutMs: 30_000,
  };
}

export interface DataProcessorSpec {
  host: string;
  port: number;
  env: Env;
  /** Extra flags for node, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
}

/** The NestJS data-processor, through its bin (which loads tracing first). */
export function dataProcessorService(spec: DataProcessorSpec): ServiceDefinition {
  const dir = packageDir('@tracelens/data-processor');
  return {
    name: 'data-processor',
    command: process.execPath,
    args: [...(spec.nodeArgs ?? []), path.join(dir, 'bin', 'tracelens-data-processor.js')],
    cwd: dir,
    env: { ...spec.env, DATA_PROCESSOR_HOST: spec.host, DATA_PROCESSOR_PORT: String(spec.port) },
    healthUrl: `${url(spec.host, spec.port)}/health`,
    startTimeoutMs: 30_000,
  };
}

export interface WebSpec {
  mode: Mode;
  host: string;
  port: number;
  env: Env;
  /** A built copy of apps/web to serve (the bench's variants); default the workspace's own. */
  dir?: string;
  nodeArgs?: readonly string[];
}

/**
 * The Next.js app: `next start` on the production build, or `next dev`.
 * `--hostname` always: without it Next.js listens on every interface.
 */
export function webService(spec: WebSpec): ServiceDefinition {
  const dir = spec.dir ?? packageDir('@tracelens/web');
  const { NODE_ENV: _inherited, ...env } = spec.env;
  return {
    name: 'web',
    command: process.execPath,
    args: [...(spec.nodeArgs ?? []), nextBin(dir), spec.mode, '--port', String(spec.port), '--hostname', spec.host],
    cwd: dir,
    // next dev sets NODE_ENV itself and warns about any other value.
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1', ...(spec.mode === 'start' ? { NODE_ENV: 'production' } : {}) },
    healthUrl: `${url(spec.host, spec.port)}/api/health`,
    // A first `next dev` request compiles the route.
    startTimeoutMs: spec.mode === 'dev' ? 120_000 : 60_000,
  };
}

/**
 * `npm run dev` for a Node service: `tsc --watch` on its sources, so that an
 * edit rewrites `dist/` (and the launcher then reloads the service).
 */
export function typescriptWatch(service: string, packageName: string, env: Env): ServiceDefinition & { distDir: string } {
  const dir = packageDir(packageName);
  return {
    name: `${service} tsc`,
    command: process.execPath,
    args: [path.join(packageDir('typescript'), 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
    cwd: dir,
    env,
    startTimeoutMs: 10_000,
    distDir: path.join(dir, 'dist'),
  };
}
