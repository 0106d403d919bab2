import { inheritedEnv } from './env.js';
import { connectHost, ensureFree, freePorts, refuseDuplicates } from './ports.js';
import { collectorService, dataProcessorService, jaegerService, typescriptWatch, webService, type Mode } from './services.js';
import { SupervisedService, type Backoff, type OutputTarget, type ServiceDefinition } from './supervisor.js';
import { reloadOnChange } from './watch.js';

/**
 * Where traces go:
 * - `embedded`: the embedded trace store (apps/collector) on the OTLP and query ports;
 * - `jaeger`: the pinned real Jaeger (tools/jaeger), its OTLP/HTTP receiver and
 *   query API on those same ports, so every other URL stays the same;
 * - `external`: a backend someone else runs (any Jaeger); nothing is started for it.
 */
export type Backend =
  | { kind: 'embedded'; /** SQLite file; default the collector's own. */ db?: string }
  | { kind: 'jaeger'; /** From ensureJaegerBinary(). */ binary: string }
  | { kind: 'external'; /** OTLP/HTTP base URL (exporters add /v1/traces). */ otlpUrl: string; /** Jaeger query API base URL. */ queryUrl: string };

export type BackendKind = Backend['kind'];

/** Every port of the stack; 0 picks a free one. */
export interface StackPorts {
  /** The Next.js app. */
  web: number;
  /** The NestJS data-processor. */
  dataProcessor: number;
  /** The backend's OTLP/HTTP receiver. */
  otlp: number;
  /** The backend's Jaeger query API. */
  query: number;
  /** The real Jaeger's OTLP/gRPC receiver (jaeger backend only). */
  jaegerOtlpGrpc: number;
  /** The real Jaeger's query API over gRPC (jaeger backend only). */
  jaegerQueryGrpc: number;
  /** The real Jaeger's health check, GET /status (jaeger backend only). */
  jaegerHealth: number;
}

/** The environment variable that sets each port, for messages. */
export const PORT_VARIABLES: Readonly<Record<keyof StackPorts, string>> = {
  web: 'WEB_PORT',
  dataProcessor: 'DATA_PROCESSOR_PORT',
  otlp: 'COLLECTOR_OTLP_PORT',
  query: 'COLLECTOR_QUERY_PORT',
  jaegerOtlpGrpc: 'JAEGER_OTLP_GRPC_PORT',
  jaegerQueryGrpc: 'JAEGER_QUERY_GRPC_PORT',
  jaegerHealth: 'JAEGER_HEALTH_PORT',
};

/** Interfaces the listeners bind to. Loopback unless chosen otherwise: nothing else on the network reads traces or writes spans. */
export interface StackHosts {
  /** Default 127.0.0.1 (WEB_HOST). */
  web: string;
  /** Default 127.0.0.1 (DATA_PROCESSOR_HOST). */
  dataProcessor: string;
  /** The embedded store's or Jaeger's listeners. Default 127.0.0.1 (COLLECTOR_HOST). */
  backend: string;
}

export interface StackOptions {
  /** `start` serves the production builds, `dev` runs `next dev`. Default `start`. */
  mode?: Mode;
  backend: Backend;
  /** Default: every port 0, i.e. free ones (tests, bench). */
  ports?: Partial<StackPorts>;
  hosts?: Partial<StackHosts>;
  /** What every service inherits. Default: this process's environment (env.ts, `inheritedEnv`). */
  baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Added to both apps' environment last, e.g. a sampler or `OTEL_SDK_DISABLED`. */
  appEnv?: Readonly<Record<string, string>>;
  /** A built copy of apps/web to serve, and extra node flags for it (the bench's variants and profiles). */
  web?: { dir?: string; nodeArgs?: readonly string[] };
  dataProcessor?: { nodeArgs?: readonly string[] };
  output: OutputTarget;
  /** The launcher's messages (exits, restarts). Default: none. */
  log?: (line: string) => void;
  backoff?: Partial<Backoff>;
  /** How long each service may take to stop after SIGTERM, in milliseconds. Default 10000. */
  stopTimeoutMs?: number;
  /** Aborting it while the stack starts stops what has started (Ctrl-C during a start). */
  signal?: AbortSignal;
}

export interface StackUrls {
  web: string;
  dataProcessor: string;
  /** OTLP/HTTP base URL (exporters add /v1/traces). */
  otlp: string;
  /** Jaeger query API base URL (clients add /api/...). */
  query: string;
}

export interface RunningStack {
  readonly mode: Mode;
  readonly backend: BackendKind;
  readonly ports: Readonly<StackPorts>;
  readonly hosts: Readonly<StackHosts>;
  readonly urls: Readonly<StackUrls>;
  /** The supervised processes, in start order: the backend (unless external), data-processor, web, and in dev the `tsc --watch` compilers. */
  readonly services: readonly SupervisedService[];
  service(name: string): SupervisedService;
  /** Stops the backend alone (no restart), e.g. to show the apps keep serving without it. No-op for `external`. */
  stopBackend(): Promise<void>;
  /** Starts it again on the same ports (and, for the embedded store, the same database); resolves once healthy. */
  startBackend(): Promise<void>;
  /** Stops everything: the apps first, so their last spans reach the backend, then the backend. */
  stop(): Promise<void>;
}

/** Fills the ports left at 0 with distinct free ones; checks the others are distinct and free. */
export async function resolvePorts(
  requested: Partial<StackPorts>,
  backend: BackendKind,
  hosts: StackHosts,
  hint = '',
): Promise<StackPorts> {
  const used: (keyof StackPorts)[] = ['web', 'dataProcessor'];
  if (backend !== 'external') used.push('otlp', 'query');
  if (backend === 'jaeger') used.push('jaegerOtlpGrpc', 'jaegerQueryGrpc', 'jaegerHealth');
  const hostOf = (key: keyof StackPorts) => (key === 'web' ? hosts.web : key === 'dataProcessor' ? hosts.dataProcessor : hosts.backend);
  refuseDuplicates(Object.fromEntries(used.map((key) => [PORT_VARIABLES[key], requested[key] ?? 0])));
  await ensureFree(Object.fromEntries(used.map((key) => [PORT_VARIABLES[key], { port: requested[key] ?? 0, host: hostOf(key) }])), hint);
  const unset = used.filter((key) => !requested[key]);
  const picked = await freePorts(unset.length);
  const ports: StackPorts = { web: 0, dataProcessor: 0, otlp: 0, query: 0, jaegerOtlpGrpc: 0, jaegerQueryGrpc: 0, jaegerHealth: 0, ...requested };
  unset.forEach((key, i) => (ports[key] = picked[i] as number));
  // A picked port could equal one that was asked for.
  refuseDuplicates(Object.fromEntries(used.map((key) => [PORT_VARIABLES[key], ports[key]])));
  return ports;
}

/**
 * Variables of the caller's environment that would rewire or retune the
 * stack: OpenTelemetry's (a stray OTEL_SDK_DISABLED would turn tracing off),
 * the launcher's own and the apps' wiring.
 */
const STACK_SETTING = /^(OTEL_|TRACELENS_|COLLECTOR_|JAEGER_|DATA_PROCESSOR_|WEB_(PORT|HOST)$|TRACE_QUERY_URL$)/;

/** `env` without those: what tests and benchmarks hand the services, so the shell they run in cannot change what they measure. */
export function isolatedEnv(env: Readonly<Record<string, string | undefined>> = inheritedEnv()): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !STACK_SETTING.test(e[0])));
}

/** Strings only: `spawn` wants a plain record. */
function definedEntries(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/**
 * What both apps get: `base`, the backend's OTLP URL, and the defaults the
 * launcher adds unless `base` sets them; `extra` last.
 */
export function appEnvironment(
  base: Readonly<Record<string, string>>,
  backend: BackendKind,
  otlpUrl: string,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...base,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
    // Locally a trace should show within a second of the click, not after
    // the SDK's default 5 s batch delay.
    OTEL_BSP_SCHEDULE_DELAY: base.OTEL_BSP_SCHEDULE_DELAY ?? '500',
    // Jaeger stores traces only: log records stay on the console unless asked for.
    ...(backend === 'jaeger' ? { OTEL_LOGS_EXPORTER: base.OTEL_LOGS_EXPORTER ?? 'none' } : {}),
    ...extra,
  };
}

/**
 * Starts the stack: the backend first (the apps export to it from their
 * first request), then the data-processor and the web app; resolves once
 * all answer their health checks, then supervises them. If any fails to
 * start, whatever did start is stopped again and the error names the
 * service, with its last output lines.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const mode = options.mode ?? 'start';
  const backend = options.backend;
  const hosts: StackHosts = { web: '127.0.0.1', dataProcessor: '127.0.0.1', backend: '127.0.0.1', ...options.hosts };
  const ports = await resolvePorts(options.ports ?? {}, backend.kind, hosts);
  const base = definedEntries(options.baseEnv ?? inheritedEnv());

  const urls: StackUrls = {
    web: `http://${connectHost(hosts.web)}:${ports.web}`,
    dataProcessor: `http://${connectHost(hosts.dataProcessor)}:${ports.dataProcessor}`,
    otlp: backend.kind === 'external' ? backend.otlpUrl.replace(/\/+$/, '') : `http://${connectHost(hosts.backend)}:${ports.otlp}`,
    query: backend.kind === 'external' ? backend.queryUrl.replace(/\/+$/, '') : `http://${connectHost(hosts.backend)}:${ports.query}`,
  };

  const appEnv = appEnvironment(base, backend.kind, urls.otlp, options.appEnv);

  const definitions: ServiceDefinition[] = [];
  if (backend.kind === 'embedded') {
    definitions.push(
      collectorService({ host: hosts.backend, otlpPort: ports.otlp, queryPort: ports.query, ...(backend.db === undefined ? {} : { db: backend.db }), env: base }),
    );
  } else if (backend.kind === 'jaeger') {
    definitions.push(
      jaegerService({
        binary: backend.binary,
        host: hosts.backend,
        ports: { otlpHttp: ports.otlp, otlpGrpc: ports.jaegerOtlpGrpc, queryHttp: ports.query, queryGrpc: ports.jaegerQueryGrpc, health: ports.jaegerHealth },
        env: base,
      }),
    );
  }
  definitions.push(
    dataProcessorService({
      host: hosts.dataProcessor,
      port: ports.dataProcessor,
      env: appEnv,
      ...(options.dataProcessor?.nodeArgs ? { nodeArgs: options.dataProcessor.nodeArgs } : {}),
    }),
    webService({
      mode,
      host: hosts.web,
      port: ports.web,
      env: { ...appEnv, DATA_PROCESSOR_URL: urls.dataProcessor, TRACE_QUERY_URL: urls.query, ...options.appEnv },
      ...(options.web?.dir ? { dir: options.web.dir } : {}),
      ...(options.web?.nodeArgs ? { nodeArgs: options.web.nodeArgs } : {}),
    }),
  );

  const log = options.log ?? (() => {});
  const width = Math.max(...definitions.map((d) => d.name.length));
  const output: OutputTarget = options.output.kind === 'console' ? { width, ...options.output } : options.output;
  const services = definitions.map(
    (d) =>
      new SupervisedService(d, {
        log,
        output,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.stopTimeoutMs ? { stopTimeoutMs: options.stopTimeoutMs } : {}),
      }),
  );
  const backendService = backend.kind === 'external' ? undefined : services[0];
  const apps = backendService ? services.slice(1) : services;

  // Dev: tsc --watch for the Node services, each reloaded when its dist/ changes.
  const compilers: SupervisedService[] = [];
  const unwatch: (() => void)[] = [];
  if (mode === 'dev') {
    const watched: [string, string][] = [['data-processor', '@tracelens/data-processor']];
    if (backend.kind === 'embedded') watched.push(['collector', '@tracelens/collector']);
    for (const [name, pkg] of watched) {
      const definition = typescriptWatch(name, pkg, base);
      compilers.push(new SupervisedService(definition, { log, output: options.output.kind === 'console' ? { width, ...options.output } : options.output }));
      const target = services.find((s) => s.name === name);
      if (target) unwatch.push(reloadOnChange(target, definition.distDir));
    }
  }

  // Each service leads a process group of its own (see SupervisedService),
  // so a terminal's Ctrl-C does not reach it: a host process that exits
  // without stopping the stack (an uncaught error, process.exit in a signal
  // handler) takes the services with it.
  const killAll = () => {
    for (const s of [...services, ...compilers]) s.killNow();
  };
  process.once('exit', killAll);

  const stopAll = async () => {
    process.off('exit', killAll);
    for (const stop of unwatch.splice(0)) stop();
    await Promise.all([...compilers, ...apps].map((s) => s.stop()));
    await backendService?.stop();
  };
  const onAbort = () => void stopAll();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    options.signal?.throwIfAborted();
    await backendService?.start();
    options.signal?.throwIfAborted();
    await Promise.all(apps.map((s) => s.start()));
    // After the first start: their initial compile rewrites dist/, and the
    // reloads it triggers are harmless but slow a start down.
    await Promise.all(compilers.map((s) => s.start()));
    options.signal?.throwIfAborted();
  } catch (e) {
    await stopAll();
    throw options.signal?.aborted ? options.signal.reason : e;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  return {
    mode,
    backend: backend.kind,
    ports,
    hosts,
    urls,
    services: [...services, ...compilers],
    service(name) {
      const found = services.find((s) => s.name === name);
      if (!found) throw new Error(`no service ${JSON.stringify(name)} in this stack (${services.map((s) => s.name).join(', ')})`);
      return found;
    },
    stopBackend: async () => backendService?.stop(),
    startBackend: async () => backendService?.start(),
    stop: stopAll,
  };
}
