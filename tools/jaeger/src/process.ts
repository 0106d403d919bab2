import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PACKAGE_DIR } from './binary.js';
import { inheritedEnv } from './env.js';

/** The one Jaeger configuration (also mounted by docker-compose.yml). */
export const CONFIG_FILE = path.join(PACKAGE_DIR, 'config.yaml');

/** Every port the configuration listens on. Jaeger's defaults in brackets. */
export interface JaegerPorts {
  /** OTLP/HTTP receiver (4318). */
  otlpHttp: number;
  /** OTLP/gRPC receiver (4317). */
  otlpGrpc: number;
  /** Query API and UI over HTTP (16686). */
  queryHttp: number;
  /** Query API over gRPC (16685). */
  queryGrpc: number;
  /** Health check, `GET /status` (13133). */
  health: number;
}

/**
 * How to run the binary with CONFIG_FILE (or another configuration that
 * reads the same port variables) on the given ports and address
 * (127.0.0.1 unless said otherwise).
 */
export function jaegerCommand(binary: string, ports: JaegerPorts, host = '127.0.0.1', configFile = CONFIG_FILE) {
  return {
    command: binary,
    args: ['--config', `file:${configFile}`],
    env: {
      JAEGER_LISTEN_HOST: host,
      JAEGER_OTLP_HTTP_PORT: String(ports.otlpHttp),
      JAEGER_OTLP_GRPC_PORT: String(ports.otlpGrpc),
      JAEGER_QUERY_HTTP_PORT: String(ports.queryHttp),
      JAEGER_QUERY_GRPC_PORT: String(ports.queryGrpc),
      JAEGER_HEALTH_PORT: String(ports.health),
    },
  };
}

/** A port nothing listens on right now on 127.0.0.1. */
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

export interface StartJaegerOptions {
  /** The binary, from ensureJaegerBinary(). */
  binary: string;
  /** OTLP/HTTP port; 0 (the default) picks a free one, as do the ports not named here. */
  otlpPort?: number;
  /** Query API port; 0 (the default) picks a free one. */
  queryPort?: number;
  /** Jaeger's own log goes here; default: discarded. */
  logFile?: string;
  /** How long to wait for the health check, in milliseconds. Default 30000. */
  startTimeoutMs?: number;
  /**
   * Another configuration, reading the port variables CONFIG_FILE reads
   * (the bench's Badger one, say). Default CONFIG_FILE.
   */
  configFile?: string;
  /** More environment for the process (e.g. JAEGER_MAX_TRACES). */
  env?: Record<string, string>;
}

export interface RunningJaeger {
  /** Base URL for OTLP exporters (they add /v1/traces). */
  otlpUrl: string;
  /** Base URL of the query API (clients add /api/...). */
  queryUrl: string;
  ports: JaegerPorts;
  /** The Jaeger process, for reading its CPU time and memory. */
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. Memory storage is lost. */
  close(): Promise<void>;
}

/** Starts the real Jaeger on loopback and resolves once its health check says it is ready. */
export async function startJaeger(options: StartJaegerOptions): Promise<RunningJaeger> {
  const pick = async (p: number | undefined) => (p ? p : freePort());
  const ports: JaegerPorts = {
    otlpHttp: await pick(options.otlpPort),
    otlpGrpc: await freePort(),
    queryHttp: await pick(options.queryPort),
    queryGrpc: await freePort(),
    health: await freePort(),
  };
  const { command, args, env } = jaegerCommand(options.binary, ports, '127.0.0.1', options.configFile);
  const log = options.logFile ? fs.openSync(options.logFile, 'w') : 'ignore';
  const child = spawn(command, args, { env: { ...inheritedEnv(), ...options.env, ...env }, stdio: ['ignore', log, log] });
  if (typeof log === 'number') fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let exitCode: string | undefined;
  child.once('exit', (code, signal) => (exitCode = signal ?? String(code)));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`Jaeger exited (${exitCode}) before it was ready${logTail(options.logFile)}`);
    }
    const ready = await fetch(`http://127.0.0.1:${ports.health}/status`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`Jaeger was not ready after ${options.startTimeoutMs ?? 30_000} ms${logTail(options.logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    otlpUrl: `http://127.0.0.1:${ports.otlpHttp}`,
    queryUrl: `http://127.0.0.1:${ports.queryHttp}`,
    ports,
    pid: child.pid as number,
    close,
  };
}

function logTail(file: string | undefined): string {
  if (!file || !fs.existsSync(file)) return '';
  return `; last lines of ${file}:\n${fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n')}`;
}
