/**
 * The apps for the benchmarks that need the real request path (overhead,
 * browser, trace-page): a thin layer on the launcher (@tracelens/stack),
 * which starts, wires, health-checks and stops them as it does for
 * `npm start` and the e2e suite. The benchmark runs the collector in its own
 * process (it reads the store directly), so the stack's backend is
 * `external`; what benchmarks add is a label per pair, another build
 * directory of the web app, extra Node flags and each process's CPU time.
 */
import { isolatedEnv, startStack, type SupervisedService } from '@tracelens/stack';
import { stopOnInterrupt } from './interrupt.js';

export { nextBin, packageDir as appDir } from '@tracelens/stack';

export interface AppsOptions {
  /** Names the log files, e.g. `traced`. */
  label: string;
  /** Collector base URL (exporters append /v1/traces). */
  otlpUrl: string;
  /** Its Jaeger query API, which the trace pages read. */
  queryUrl: string;
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
  /** `cpuMs()`: user + system CPU time of the process so far, from /proc. */
  readonly web: SupervisedService;
  readonly dataProcessor: SupervisedService;
  stop(): Promise<void>;
}

/**
 * Export delay of both servers, as `npm start` sets it: spans reach the
 * store within a second.
 */
export const SERVER_BSP_SCHEDULE_DELAY_MS = 500;

/** Starts the data-processor and `next start` on free ports, in production mode. */
export async function startApps(options: AppsOptions): Promise<Apps> {
  const stack = await startStack({
    backend: { kind: 'external', otlpUrl: options.otlpUrl, queryUrl: options.queryUrl },
    // Nothing from the caller's shell: a stray OTEL_SDK_DISABLED would
    // silently turn the traced side off.
    baseEnv: isolatedEnv(),
    appEnv: { OTEL_BSP_SCHEDULE_DELAY: String(SERVER_BSP_SCHEDULE_DELAY_MS), ...options.env },
    web: { ...(options.webDir ? { dir: options.webDir } : {}), ...(options.webNodeArgs ? { nodeArgs: options.webNodeArgs } : {}) },
    output: { kind: 'files', dir: options.logDir, prefix: `${options.label}-` },
    // A restart would skew what is measured: say so where the run's log is read.
    log: (line) => console.error(`bench (${options.label}): ${line}`),
  });
  const forget = stopOnInterrupt(() => stack.stop());
  return {
    webUrl: stack.urls.web,
    dataProcessorUrl: stack.urls.dataProcessor,
    web: stack.service('web'),
    dataProcessor: stack.service('data-processor'),
    stop: async () => {
      forget();
      await stack.stop();
    },
  };
}
