import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JAEGER_VERSION, JaegerUnavailableError, ensureJaegerBinary } from '@tracelens/jaeger';
import { inheritedEnv, LauncherConfigError, readLauncherEnv, type LauncherSettings } from './env.js';
import { PortError } from './ports.js';
import { packageDir, type Mode } from './services.js';
import { PORT_VARIABLES, resolvePorts, startStack, type Backend, type RunningStack, type StackPorts } from './stack.js';
import { ServiceStartError, formatMs } from './supervisor.js';

const USAGE = `Usage: tracelens-stack <start|dev> [--no-build]

  start       build what is needed (turbo, cached), then run the stack on the production builds
  dev         build the Node services and what the web app imports, then run the stack with next dev
  --no-build  skip the build (it was just built)

Runs the backend (TRACELENS_BACKEND: embedded, jaeger or external), the data-processor and
the web app, on loopback, restarting any that exits; Ctrl-C stops everything.
Settings: the README's Configuration section.`;

const log = (line: string) => console.log(`tracelens: ${line}`);

/** Workspaces each mode needs built; `dev` leaves `next build` out (next dev compiles on request). */
const BUILD_FILTERS: Record<Mode, string[]> = {
  start: ['@tracelens/collector', '@tracelens/data-processor', '@tracelens/web'],
  dev: ['@tracelens/collector', '@tracelens/data-processor', '@tracelens/web^...'],
};

class BuildError extends Error {
  override readonly name = 'BuildError';
}

/** `turbo run build` for the mode; its output shows only for tasks that are not cached. */
function build(mode: Mode, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  log(`building ${mode === 'dev' ? 'the collector, the data-processor and what the web app imports' : 'the collector, the data-processor and the web app'} with turbo (cached builds take seconds, a first one a minute or two)`);
  return new Promise((resolve, reject) => {
    // The repository's own turbo (a root devDependency), also outside npm scripts.
    const turbo = spawn(process.execPath, [path.join(packageDir('turbo'), 'bin', 'turbo'), 'run', 'build', ...BUILD_FILTERS[mode].map((f) => `--filter=${f}`), '--output-logs=new-only', '--ui=stream'], {
      // Any folder of the repository does; turbo finds the root.
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      stdio: 'inherit',
      signal,
      env: { ...inheritedEnv(), TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' },
    });
    turbo.once('error', reject);
    turbo.once('exit', (code, sig) => {
      if (code === 0) {
        log(`build done in ${formatMs(Date.now() - started)}`);
        resolve();
      } else reject(new BuildError(`the build failed (${sig ?? `exit ${code}`}); its output is above`));
    });
  });
}

function banner(stack: RunningStack, backend: Backend): string {
  const { urls, ports, hosts } = stack;
  const backendLine = {
    embedded: 'the embedded trace store (apps/collector, SQLite)',
    jaeger: `the real Jaeger ${JAEGER_VERSION} (tools/jaeger; memory storage, traces only, no log records)`,
    external: `the Jaeger you run, at ${urls.query} (not started here)`,
  }[backend.kind];
  const lines = [
    '',
    `Tracelens is running (${stack.mode === 'dev' ? 'development: next dev' : 'production builds'}); traces go to ${backendLine}:`,
    `  app              ${urls.web}`,
    `  Jaeger query API ${urls.query}/api/traces?service=frontend-api&lookback=1h`,
    `  OTLP receiver    ${urls.otlp}/v1/traces`,
    `  data-processor   ${urls.dataProcessor}/data/alice`,
  ];
  if (backend.kind === 'jaeger') {
    const b = hosts.backend;
    lines.push(
      `  Jaeger also listens on: OTLP/gRPC ${b}:${ports.jaegerOtlpGrpc}, query gRPC ${b}:${ports.jaegerQueryGrpc}, health http://${b}:${ports.jaegerHealth}/status`,
      `  (free ports unless set with ${PORT_VARIABLES.jaegerOtlpGrpc}, ${PORT_VARIABLES.jaegerQueryGrpc}, ${PORT_VARIABLES.jaegerHealth}; its / is a placeholder page, not the Jaeger UI)`,
    );
  }
  const exposed = Object.entries(hosts).filter(([, h]) => !/^127\.|^localhost$|^::1$|^\[::1\]$/.test(h));
  if (exposed.length > 0) lines.push(`  NOT loopback only: ${exposed.map(([k, h]) => `${k} on ${h}`).join(', ')}; other machines can reach these`);
  lines.push('A service that exits is restarted; Ctrl-C stops everything.', '');
  return lines.join('\n');
}

async function resolveBackend(settings: LauncherSettings): Promise<Backend> {
  if (settings.backend === 'embedded') return { kind: 'embedded' };
  if (settings.backend === 'external' && settings.external) return { kind: 'external', ...settings.external };
  const binary = await ensureJaegerBinary({ log: (line) => log(`jaeger: ${line}`) });
  return { kind: 'jaeger', binary };
}

async function main(): Promise<number> {
  let mode: Mode;
  let noBuild: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: { 'no-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1 || (positionals[0] !== 'start' && positionals[0] !== 'dev')) throw new Error(`expected start or dev, got ${JSON.stringify(positionals.join(' '))}`);
    mode = positionals[0];
    noBuild = values['no-build'] === true;
  } catch (e) {
    console.error(`tracelens-stack: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const command = mode === 'dev' ? 'npm run dev' : 'npm start';

  let settings: LauncherSettings;
  let ports: StackPorts;
  try {
    settings = readLauncherEnv();
    // Refused up front, before minutes of building: a port given twice or taken.
    ports = await resolvePorts(settings.ports, settings.backend, settings.hosts, ` ${command}`);
  } catch (e) {
    if (!(e instanceof LauncherConfigError || e instanceof PortError)) throw e;
    console.error(`tracelens: ${e.message}`);
    return 2;
  }

  // Ctrl-C reaches this process alone once the services run (each leads a
  // process group of its own): stop them in order, the apps first so their
  // last spans reach the backend. A second Ctrl-C kills at once.
  const aborter = new AbortController();
  let stack: RunningStack | undefined;
  // A start in progress, which an abort makes stop what it started.
  let starting: Promise<unknown> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // npm passes the terminal's Ctrl-C on as well, and `timeout` signals
      // twice: only a Ctrl-C pressed again, a moment later, means "now".
      if (signal !== 'SIGINT' || Date.now() - firstSignalAt < 1000) return;
      log(`${signal} again: killing every service now`);
      for (const s of stack?.services ?? []) s.killNow();
      process.exit(130);
    }
    firstSignalAt = Date.now();
    log(`${signal}: stopping every service (press Ctrl-C again to kill them at once)`);
    aborter.abort(new Error(`stopped by ${signal}`));
    stopping = (stack?.stop() ?? starting.then(() => {}, () => {})).then(() => {
      log('stopped');
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  try {
    if (!noBuild) await build(mode, aborter.signal);
    const backend = await resolveBackend(settings);
    const started = Date.now();
    log(`starting ${backend.kind === 'external' ? '' : `${backend.kind === 'jaeger' ? 'Jaeger' : 'the embedded store'}, `}the data-processor and the web app`);
    const pending = startStack({ mode, backend, ports, hosts: settings.hosts, output: { kind: 'console' }, log, signal: aborter.signal });
    starting = pending;
    stack = await pending;
    log(`every service is healthy, ${formatMs(Date.now() - started)} after the start`);
    console.log(banner(stack, backend));
    return await new Promise<number>(() => {}); // runs until a signal
  } catch (e) {
    if (aborter.signal.aborted) return new Promise<number>(() => {}); // the signal handler exits
    if (e instanceof JaegerUnavailableError) {
      console.error(`tracelens: TRACELENS_BACKEND=jaeger: ${e.message}`);
      return 1;
    }
    if (e instanceof ServiceStartError || e instanceof PortError || e instanceof BuildError) {
      console.error(`tracelens: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = await main();
