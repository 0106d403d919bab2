#!/usr/bin/env node
// `npm start` / `npm run dev`: runs the collector, the data-processor and the
// web app together through turbo (which builds first when needed), wires
// their URLs from the four ports, prints where everything is once it
// answers, and stops all of them on Ctrl-C.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] === 'dev' ? 'dev' : 'start';

function port(name, fallback) {
  const raw = process.env[name] ?? String(fallback);
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
    console.error(`tracelens: ${name} must be a port number from 1 to 65535, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const ports = {
  WEB_PORT: port('WEB_PORT', 3000),
  DATA_PROCESSOR_PORT: port('DATA_PROCESSOR_PORT', 3001),
  COLLECTOR_OTLP_PORT: port('COLLECTOR_OTLP_PORT', 4318),
  COLLECTOR_QUERY_PORT: port('COLLECTOR_QUERY_PORT', 16686),
};

const local = (p) => `http://127.0.0.1:${p}`;
const env = {
  ...process.env,
  ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  DATA_PROCESSOR_URL: process.env.DATA_PROCESSOR_URL ?? local(ports.DATA_PROCESSOR_PORT),
  OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? local(ports.COLLECTOR_OTLP_PORT),
  TRACE_QUERY_URL: process.env.TRACE_QUERY_URL ?? local(ports.COLLECTOR_QUERY_PORT),
  // Locally, a trace should be visible within a second of the click, not
  // after the SDK's default 5 s batch delay.
  OTEL_BSP_SCHEDULE_DELAY: process.env.OTEL_BSP_SCHEDULE_DELAY ?? '500',
  TURBO_TELEMETRY_DISABLED: '1',
  NEXT_TELEMETRY_DISABLED: '1',
};

/** Fails early, naming the variable to change, when a port is taken (other programs may hold 3000 or 4318). */
function ensureFree(name, p) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => {
      console.error(`tracelens: port ${p} is already in use; choose another with ${name}=<port> npm ${mode === 'dev' ? 'run dev' : 'start'}`);
      process.exit(1);
    });
    server.listen(p, '127.0.0.1', () => server.close(resolve));
  });
}
for (const [name, p] of Object.entries(ports)) await ensureFree(name, p);

const turbo = spawn(path.join(root, 'node_modules', '.bin', 'turbo'), ['run', mode, '--ui=stream'], {
  cwd: root,
  env,
  stdio: 'inherit',
});

const checks = [
  ['app', `${local(ports.WEB_PORT)}/api/health`],
  ['data-processor', `${local(ports.DATA_PROCESSOR_PORT)}/health`],
  ['OTLP receiver', `${local(ports.COLLECTOR_OTLP_PORT)}/health`],
  ['query API', `${local(ports.COLLECTOR_QUERY_PORT)}/health`],
];
let stopped = false;

async function announceWhenUp() {
  const deadline = Date.now() + 10 * 60_000; // a first build can take minutes
  for (const [, url] of checks) {
    while (!stopped && !(await fetch(url).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  if (stopped) return;
  console.log(
    [
      '',
      `Tracelens is running (${mode === 'dev' ? 'development' : 'production'} mode):`,
      `  app              http://localhost:${ports.WEB_PORT}`,
      `  traces (Jaeger)  ${local(ports.COLLECTOR_QUERY_PORT)}/api/traces?service=frontend-api&lookback=1h`,
      `  OTLP receiver    ${local(ports.COLLECTOR_OTLP_PORT)}/v1/traces`,
      `  data-processor   ${local(ports.DATA_PROCESSOR_PORT)}/data/alice`,
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}
void announceWhenUp();

// Ctrl-C reaches turbo too (same process group) and it stops every task;
// a SIGTERM sent to this script alone is passed on.
process.on('SIGINT', () => {
  stopped = true;
});
process.on('SIGTERM', () => {
  stopped = true;
  turbo.kill('SIGTERM');
});
turbo.on('exit', (code, signal) => {
  stopped = true;
  process.exit(code ?? (signal ? 130 : 1));
});
