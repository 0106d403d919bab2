/**
 * `trace-page`: how long /traces/{traceId} takes to show a large trace.
 *
 * One synthetic trace of N spans (4 services, each span under one of the 200
 * before it, so the tree is both wide and deep) is posted to the collector;
 * the page is then loaded in Chromium, each time in a fresh context, and
 * timed from navigation start until the timeline holds every row
 * (`aria-rowcount`) and shows the first ones. The server part (Jaeger API
 * read, tree, critical path and self time in the server component) is the
 * time to the first byte of the HTML; the rest is transfer, hydration and
 * the first render of the virtualised rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser } from '@playwright/test';
import { startCollector } from '@tracelens/trace-store';
import { percentile, type Benchmark, type BenchmarkContext } from '../harness.js';
import { startApps, type Apps } from '../stack.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.js';

interface Parameters {
  spans: number;
  loads: number;
}
const FULL: Parameters = { spans: 5_000, loads: 10 };
const SMOKE: Parameters = { spans: 200, loads: 1 };

const SERVICES = ['gateway', 'orders', 'inventory', 'billing'];

/** The trace as one OTLP/JSON export: a root, then each span under one of the 200 spans before it. */
function syntheticTrace(traceId: string, spans: number, startMs: number): unknown {
  const nanos = (ms: number) => (BigInt(Math.round((startMs + ms) * 1000)) * 1000n).toString();
  const windows: { start: number; duration: number }[] = [];
  const byService = SERVICES.map(() => [] as unknown[]);
  for (let i = 0; i < spans; i++) {
    const parent = i === 0 ? undefined : i - 1 - ((i * 7919) % Math.min(i, 200));
    const outer = parent === undefined ? { start: 0, duration: 10_000 } : (windows[parent] as { start: number; duration: number });
    const window =
      parent === undefined ? outer : { start: outer.start + outer.duration * 0.1 * ((i % 7) / 7), duration: outer.duration * 0.9 };
    windows.push(window);
    (byService[i % SERVICES.length] as unknown[]).push({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      ...(parent === undefined ? {} : { parentSpanId: (parent + 1).toString(16).padStart(16, '0') }),
      name: `span-${i}`,
      kind: 1,
      startTimeUnixNano: nanos(window.start),
      endTimeUnixNano: nanos(window.start + Math.max(window.duration, 0.001)),
      attributes: [{ key: 'synthetic.index', value: { intValue: String(i) } }],
    });
  }
  return {
    resourceSpans: SERVICES.map((service, s) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'tracelens-bench' }, spans: byService[s] }],
    })),
  };
}

async function run(ctx: BenchmarkContext) {
  const p = ctx.smoke ? SMOKE : FULL;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-bench-trace-page-'));
  const logDir = path.join(workDir, 'logs');
  const collector = await startCollector({ otlpPort: 0, queryPort: 0, db: path.join(workDir, 'traces.db') });
  let apps: Apps | undefined;
  let browser: Browser | undefined;
  let failed = true;
  try {
    apps = await startApps({ label: 'trace-page', otlpUrl: collector.otlpUrl, queryUrl: collector.queryUrl, logDir });
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(`${collector.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(syntheticTrace(traceId, p.spans, Date.now() - 60_000)),
    });
    if (!response.ok) throw new Error(`the collector refused the trace: ${response.status} ${await response.text()}`);
    ctx.log(`posted a trace of ${p.spans.toLocaleString('en-US')} spans; loading its page ${p.loads} times`);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const url = `${apps.webUrl}/traces/${traceId}`;
    // One untimed load first: Next.js compiles nothing in production, but the
    // first request of a route still loads its module.
    const loads: { firstByteMs: number; rowsMs: number; rendered: number }[] = [];
    for (let i = 0; i <= p.loads; i++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'commit' });
        const timeline = page.getByRole('treegrid', { name: 'Spans on a shared time axis' });
        await timeline.and(page.locator(`[aria-rowcount="${p.spans + 1}"]`)).waitFor({ timeout: 30_000 });
        await timeline.getByRole('row', { name: /span-0/ }).first().waitFor({ timeout: 30_000 });
        const sample = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          return {
            firstByteMs: nav.responseStart,
            rowsMs: performance.now(),
            rendered: document.querySelectorAll('[role="treegrid"] [role="row"]').length,
          };
        });
        if (i > 0) loads.push(sample);
      } finally {
        await context.close();
      }
    }
    const rows = loads.map((l) => l.rowsMs);
    const firstByte = loads.map((l) => l.firstByteMs);
    ctx.log(
      `rows on screen p50 ${percentile(rows, 50).toFixed(0)} ms (first byte ${percentile(firstByte, 50).toFixed(0)} ms); ${loads[0]?.rendered ?? 0} rows in the DOM`,
    );
    failed = false;
    return {
      measured: `Time from navigation start until /traces/{traceId} shows a ${p.spans.toLocaleString('en-US')}-span trace in Chromium (the timeline holds every row and shows the first ones), fresh browser context per load, next start in production mode reading the embedded store (SQLite file) through its Jaeger API.`,
      parameters: { ...p, services: SERVICES.length, chromium: `${CHROMIUM} ${browser.version()}` },
      figures: [
        { label: `${p.spans.toLocaleString('en-US')}-span trace: rows on screen p50`, value: Math.round(percentile(rows, 50)), unit: 'ms' },
        { label: `${p.spans.toLocaleString('en-US')}-span trace: rows on screen p90`, value: Math.round(percentile(rows, 90)), unit: 'ms' },
        { label: 'of which until the HTML\'s first byte p50', value: Math.round(percentile(firstByte, 50)), unit: 'ms' },
        { label: 'rows in the DOM (virtualised)', value: loads[0]?.rendered ?? 0, unit: 'rows' },
      ],
      notes: [
        'The first byte comes after the server component has read the trace through the Jaeger API and built the tree, critical path and self times; the rest is the transfer of the page (the spans travel in the RSC payload), hydration and the first render of the rows in view.',
      ],
    };
  } finally {
    await browser?.close();
    await apps?.stop();
    await collector.close();
    if (failed) ctx.log(`kept the logs in ${logDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = { name: 'trace-page', run };
export default benchmark;
