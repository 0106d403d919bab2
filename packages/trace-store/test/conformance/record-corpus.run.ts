import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { it } from 'vitest';
import { decodeJsonTraces } from '../../src/otlp/decode-json.js';
import { decodeProtobufTraces } from '../../src/otlp/decode-protobuf.js';
import type { ResourceSpans } from '../../src/otlp/model.js';
import { ExportTraceServiceResponse } from '../../src/otlp/proto.js';
import { APP_DAY_NS, CORPUS_DIR, corpusFiles } from './corpus.js';
import { toOtlpJson } from './otlp-writer.js';

/**
 * `npm run conformance:record-corpus` (at the root: builds the apps first):
 * runs the real apps (the NestJS data-processor, the Next.js web app and its
 * browser tier in Chromium) against a capture server that keeps every OTLP
 * trace export they send, drives them (page load, "Process alice", the
 * error path "charlie_error", each scenario) and writes the exports as
 * corpus/app-*.json, replacing the previous recording.
 *
 * Exports are decoded with the collector's decoders and written back as
 * OTLP/JSON (otlp-writer.ts), every timestamp moved so the first span
 * starts at 2024-01-02T00:00:00Z: re-recording keeps the app's day, and
 * the queries' windows, where they were. Ids are the app's, so a
 * re-recording needs `npm run jaeger:record` after it.
 *
 * The apps are found through the workspace (they are not dependencies of the
 * collector: its tests must not wait for `next build`).
 */

const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');
const workspace = createRequire(path.join(REPO_ROOT, 'package.json'));
const appDir = (pkg: string) => path.dirname(workspace.resolve(`${pkg}/package.json`));
// eslint-disable-next-line tracelens/no-process-env -- a recording script's browser, as e2e/env.mjs reads it
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Capture {
  url: string;
  exports: ResourceSpans[][];
  /** Milliseconds since the last trace export arrived. */
  quietFor(): number;
  close(): Promise<void>;
}

/** An OTLP/HTTP endpoint that keeps every trace export (either encoding) and answers as a collector does. */
async function startCapture(): Promise<Capture> {
  const exports: ResourceSpans[][] = [];
  let last = Date.now();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const protobuf = (req.headers['content-type'] ?? '').includes('protobuf');
      if (req.url === '/v1/traces' && body.length > 0) {
        exports.push(protobuf ? decodeProtobufTraces(body) : decodeJsonTraces(body.toString('utf8')));
        last = Date.now();
      }
      if (protobuf) res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end(ExportTraceServiceResponse.encode({}).finish());
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"partialSuccess":{}}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    quietFor: () => Date.now() - last,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface App {
  stop(): Promise<void>;
  logFile: string;
}

function startApp(name: string, args: string[], cwd: string, env: Record<string, string>, logDir: string): App {
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.openSync(logFile, 'w');
  // eslint-disable-next-line tracelens/no-process-env -- the child gets this test run's environment as it is
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM'); // the SDKs flush their last spans on the way out
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.closeSync(log);
    },
  };
}

async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const tail = logFile && fs.existsSync(logFile) ? `\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')}` : '';
      throw new Error(`${what} did not happen within ${timeoutMs} ms${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const healthy = (url: string) => () => fetch(url).then((r) => r.ok, () => false);

/** Moves every timestamp of the exports by the same amount, so the earliest span starts at APP_DAY_NS. */
function moveToAppDay(exports: ResourceSpans[][]): void {
  const spans = exports.flat().flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const earliest = spans.reduce((min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min), BigInt(spans[0]?.startTimeUnixNano ?? 0));
  const shift = APP_DAY_NS - earliest;
  const move = (ns: string) => (ns === '0' ? ns : String(BigInt(ns) + shift));
  for (const s of spans) {
    s.startTimeUnixNano = move(s.startTimeUnixNano);
    s.endTimeUnixNano = move(s.endTimeUnixNano);
    for (const e of s.events) e.timeUnixNano = move(e.timeUnixNano);
  }
}

async function drive(page: Page, webUrl: string): Promise<void> {
  // The page load is a trace of its own (the browser's documentLoad).
  await page.goto(webUrl);
  for (const name of ['alice', 'charlie_error']) {
    const before = await page.getByTestId('trace-id').count();
    await page.getByRole('button', { name: `Process ${name}`, exact: true }).click();
    await waitUntil(`a result for Process ${name}`, async () => (await page.getByTestId('trace-id').count()) > before || (await page.getByRole('main').getByRole('alert').count()) > 0, 30_000);
    await page.waitForTimeout(1500); // let the live waterfall settle before the next click
  }
  for (const [id, label] of [
    ['contention', 'Run contention'],
    ['fanout', 'Run fan-out'],
    ['flaky', 'Run flaky'],
    ['timeout', 'Run timeout'],
  ] as const) {
    await page.getByRole('button', { name: label, exact: true }).click();
    const result = page.getByTestId(`scenario-${id}-result`).getByTestId('scenario-trace-id');
    await result.waitFor({ timeout: 30_000 });
  }
}

it('records the app corpus from the running apps', async () => {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-record-corpus-'));
  const capture = await startCapture();
  const [dataPort, webPort, nowherePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const common = { OTEL_EXPORTER_OTLP_ENDPOINT: capture.url, OTEL_BSP_SCHEDULE_DELAY: '200', NEXT_TELEMETRY_DISABLED: '1' };
  const dataProcessorUrl = `http://127.0.0.1:${dataPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const apps: App[] = [];
  try {
    const dataProcessor = startApp('data-processor', ['--import', './dist/tracing.js', 'dist/main.js'], appDir('@tracelens/data-processor'), { ...common, DATA_PROCESSOR_PORT: String(dataPort) }, logDir);
    apps.push(dataProcessor);
    const webDir = appDir('@tracelens/web');
    const web = startApp('web', [workspace.resolve('next/dist/bin/next', { paths: [webDir] }), 'start', '--port', String(webPort), '--hostname', '127.0.0.1'], webDir, {
      ...common,
      NODE_ENV: 'production',
      DATA_PROCESSOR_URL: dataProcessorUrl,
      // No trace store behind the web app: the live waterfall's reads fail fast instead of polling one.
      TRACE_QUERY_URL: `http://127.0.0.1:${nowherePort}`,
      OTEL_LOGS_EXPORTER: 'none',
    }, logDir);
    apps.push(web);
    await waitUntil('the data-processor answering /health', healthy(`${dataProcessorUrl}/health`), 30_000, dataProcessor.logFile);
    await waitUntil('the web app answering /api/health', healthy(`${webUrl}/api/health`), 60_000, web.logFile);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await drive(page, webUrl);
      // The browser batches its spans for a few seconds before it sends them through the web app.
      await waitUntil('the browser and the servers to go quiet', () => capture.quietFor() > 6000, 60_000);
    } finally {
      await browser.close();
    }
  } finally {
    for (const app of apps.reverse()) await app.stop();
    await capture.close();
  }
  if (capture.exports.length === 0) throw new Error(`nothing was exported; logs in ${logDir}`);
  moveToAppDay(capture.exports);
  for (const file of corpusFiles().filter((f) => f.startsWith('app-'))) fs.rmSync(path.join(CORPUS_DIR, file));
  capture.exports.forEach((resourceSpans, i) => {
    const service = resourceSpans[0]?.resource.attributes.find((kv) => kv.key === 'service.name')?.value;
    const name = service && 'stringValue' in service ? service.stringValue : 'unknown';
    fs.writeFileSync(path.join(CORPUS_DIR, `app-${String(i + 1).padStart(3, '0')}-${name}.json`), `${JSON.stringify(toOtlpJson(resourceSpans))}\n`);
  });
  const spans = capture.exports.flat().flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).length;
  console.log(`recorded ${capture.exports.length} exports, ${spans} spans, into ${CORPUS_DIR} (app logs: ${logDir})`);
}, 300_000);
