// Functions passed to page.evaluate / addInitScript run in the page.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * `browser`: what browser tracing costs the page, and how soon a click's
 * trace is complete in the store.
 *
 * - Bytes: the web app is built twice from one copy of its sources, with and
 *   without browser tracing (`TRACELENS_BROWSER_TRACING=off`, see
 *   apps/web/README.md), and `/` is loaded in Chromium from each; every script
 *   response of the first load (until the network is idle and, when traced,
 *   the SDK has registered) is summed as transferred (gzip from `next start`),
 *   split into scripts the HTML names (hydration needs them) and scripts loaded
 *   later. Loads alternate between the builds, each in a fresh context.
 * - Clicks: "Process alice" is clicked N times in the traced build; each click
 *   is timed from the click event in the page until the store's Jaeger API
 *   returns its trace with the whole chain (browser → Next.js → NestJS).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startCollector } from '@tracelens/trace-store';
import { JaegerQueryClient } from '@tracelens/jaeger-query';
import { waitForTrace } from '@tracelens/jaeger-query/wait';
import { describeTrace, hasChain, type ChainStep } from '@tracelens/trace-testing';
import { percentile, type Benchmark, type BenchmarkContext, type Figure } from '../harness.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../chromium.js';
import { appDir, SERVER_BSP_SCHEDULE_DELAY_MS, startApps, type Apps } from '../stack.js';
import { copyWebSources, nextBuild, removeWebCopy } from '../web-build.js';


/** The chain of one click, as e2e/tests/trace-linkage.spec.ts asserts it. */
const CLICK_CHAIN: ChainStep[] = [
  { service: 'web-ui', name: 'process click' },
  { service: 'web-ui', name: /^(HTTP )?GET$/, kind: 'client' },
  { service: 'frontend-api', name: /^GET \/api\/process\/\[name\]/, kind: 'server' },
  { service: 'frontend-api', name: 'process-data-logic', descendant: true },
  { service: 'frontend-api', name: /^fetch GET .*\/data\//, kind: 'client' },
  { service: 'data-processor', name: 'GET /data/:name', kind: 'server' },
  { service: 'data-processor', name: 'process-data-internal', descendant: true },
];
const SERVICES = ['web-ui', 'frontend-api', 'data-processor'] as const;

/** How long after a click its trace may take to be complete in the store before it counts as incomplete, in milliseconds. */
const COMPLETE_DEADLINE_MS = 15_000;

/** How often the store is asked for the trace while a click's trace fills up, in milliseconds. */
const POLL_MS = 20;

interface Parameters {
  /** Page loads per build, alternating between the builds. */
  loads: number;
  clicks: number;
}
const FULL: Parameters = { loads: 5, clicks: 20 };
const SMOKE: Parameters = { loads: 1, clicks: 2 };

/**
 * Runs in the page before any of its scripts: notes, on every animation
 * frame, when the "Process alice" button is hydrated (React has put its props
 * on the element) and when an OpenTelemetry tracer provider is registered
 * globally; and the time of every click, before React sees it.
 */
function pageProbe(): void {
  const marks: { hydratedMs?: number; tracingReadyMs?: number; lastClickEpochMs?: number } = {};
  (window as unknown as { __benchMarks: typeof marks }).__benchMarks = marks;
  const otelGlobal = Symbol.for('opentelemetry.js.api.1');
  const poll = () => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Process alice');
    if (marks.hydratedMs === undefined && button && Object.keys(button).some((k) => k.startsWith('__reactProps$'))) {
      marks.hydratedMs = performance.now();
    }
    const api = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[otelGlobal];
    if (marks.tracingReadyMs === undefined && api?.trace !== undefined) marks.tracingReadyMs = performance.now();
    if (marks.hydratedMs === undefined || marks.tracingReadyMs === undefined) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
  document.addEventListener('click', () => (marks.lastClickEpochMs = performance.timeOrigin + performance.now()), true);
}

interface PageMarks {
  hydratedMs?: number;
  tracingReadyMs?: number;
  lastClickEpochMs?: number;
}
const marksOf = (page: Page) => page.evaluate(() => (window as unknown as { __benchMarks: PageMarks }).__benchMarks);

interface ScriptLoad {
  path: string;
  /** Named in the HTML (directly or in the inline RSC payload): needed before hydration. */
  critical: boolean;
  /** Response body as transferred (content-encoding applied), in bytes. */
  transferredBytes: number;
  contentEncoding: string;
  /** Decoded body, and its gzip at zlib's default level, in bytes. */
  bytes: number;
  gzipBytes: number;
  /** Request start, in milliseconds since navigation start. */
  startMs: number;
}

interface FirstLoad {
  scripts: ScriptLoad[];
  hydratedMs?: number;
  tracingReadyMs?: number;
}

/** Loads `/` in a fresh context and lists every script it fetched, until the network is idle (and tracing, if any, is up). */
async function firstLoad(browser: Browser, webUrl: string, expectTracing: boolean): Promise<FirstLoad> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(pageProbe);
    const responses: Promise<ScriptLoad | undefined>[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      responses.push(
        (async () => {
          const [sizes, body] = await Promise.all([response.request().sizes(), response.body()]);
          const url = new URL(response.url());
          return {
            path: url.pathname,
            critical: false,
            transferredBytes: sizes.responseBodySize,
            contentEncoding: (await response.headerValue('content-encoding')) ?? 'identity',
            bytes: body.length,
            gzipBytes: gzipSync(body).length,
            startMs: response.request().timing().startTime,
          };
        })().catch(() => undefined),
      );
    });
    const document = await page.goto(webUrl, { waitUntil: 'load' });
    const html = (await document?.text()) ?? '';
    await page.waitForLoadState('networkidle');
    if (expectTracing) {
      await page.waitForFunction(() => (window as unknown as { __benchMarks: PageMarks }).__benchMarks.tracingReadyMs !== undefined, null, {
        timeout: 15_000,
      });
      await page.waitForLoadState('networkidle');
    }
    const marks = await marksOf(page);
    const navigationStart = await page.evaluate(() => performance.timeOrigin);
    const scripts = (await Promise.all(responses)).filter((s): s is ScriptLoad => s !== undefined);
    for (const s of scripts) {
      s.critical = html.includes(s.path);
      // Playwright's startTime is epoch milliseconds; make it relative like the marks.
      s.startMs = Math.round(s.startMs - navigationStart);
    }
    return { scripts, hydratedMs: marks.hydratedMs, tracingReadyMs: marks.tracingReadyMs };
  } finally {
    await context.close();
  }
}

interface ClickSample {
  traceId: string;
  /** From the click event to the answer on screen, in milliseconds. */
  resultMs: number;
  /** From the click event until the store returned the whole chain, in milliseconds; null when it never did (see `incomplete`). */
  completeMs: number | null;
  /** What was still missing at the deadline, with the spans that did arrive. */
  incomplete?: string;
  /** From the click event until the first span of each service was in the store, in milliseconds. */
  firstSpanMs: Partial<Record<(typeof SERVICES)[number], number>>;
}

async function clickAndWaitForTrace(page: Page, jaeger: JaegerQueryClient, previousTraceId: string | null): Promise<ClickSample> {
  await page.getByRole('button', { name: 'Process alice', exact: true }).click();
  const handle = await page.waitForFunction(
    (previous) => {
      const text = document.querySelector('[data-testid="trace-id"]')?.textContent ?? '';
      const id = /[0-9a-f]{32}/.exec(text)?.[0];
      return id !== undefined && id !== previous ? { id, atEpochMs: performance.timeOrigin + performance.now() } : false;
    },
    previousTraceId,
    { timeout: 15_000 },
  );
  const shown = (await handle.jsonValue()) as { id: string; atEpochMs: number };
  const clickedAt = (await marksOf(page)).lastClickEpochMs;
  if (clickedAt === undefined) throw new Error('the click was not seen by the page');
  const firstSpanMs: ClickSample['firstSpanMs'] = {};
  let completeAt = 0;
  const result = await waitForTrace((id) => jaeger.getTrace(id), shown.id, {
    until: hasChain(CLICK_CHAIN),
    timeoutMs: COMPLETE_DEADLINE_MS,
    intervalMs: POLL_MS,
    onChange: (trace) => {
      const now = Date.now();
      completeAt = now;
      for (const s of SERVICES) if (firstSpanMs[s] === undefined && trace?.spans.some((span) => span.service === s)) firstSpanMs[s] = now - clickedAt;
    },
  });
  if (result.complete) {
    // The read that completed the chain is the last one that changed the trace.
    return { traceId: shown.id, resultMs: shown.atEpochMs - clickedAt, completeMs: completeAt - clickedAt, firstSpanMs };
  }
  // Counted and reported rather than thrown: one lost export must not hide the other clicks' figures.
  return {
    traceId: shown.id,
    resultMs: shown.atEpochMs - clickedAt,
    completeMs: null,
    firstSpanMs,
    incomplete: `${result.missing}\n${result.trace ? describeTrace(result.trace) : '(no spans)'}`,
  };
}

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: readonly number[]) => percentile(xs, 50);

interface BuildUnderTest {
  label: 'traced' | 'untraced';
  dir: string;
  apps?: Apps;
  loads: FirstLoad[];
}

async function run(ctx: BenchmarkContext) {
  const params = ctx.smoke ? SMOKE : FULL;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-bench-browser-'));
  const logDir = path.join(workDir, 'logs');
  const collector = await startCollector({ otlpPort: 0, queryPort: 0, db: path.join(workDir, 'traces.db') });
  const jaeger = new JaegerQueryClient({ baseUrl: collector.queryUrl });
  const builds: BuildUnderTest[] = [];
  const copies: string[] = [];
  const buildMs: Record<string, number> = {};
  let browser: Browser | undefined;
  let failed = true;
  try {
    if (ctx.smoke) {
      // Smoke: the workspace's own build only (turbo built it before `bench`):
      // the measuring code runs, but with no untraced build there is no difference to report.
      builds.push({ label: 'traced', dir: appDir('@tracelens/web'), loads: [] });
    } else {
      // Both copies first, so both builds see the same sources.
      const traced = copyWebSources('traced');
      const untraced = copyWebSources('untraced');
      copies.push(traced, untraced);
      for (const [label, dir, flag] of [
        ['traced', traced, 'on'],
        ['untraced', untraced, 'off'],
      ] as const) {
        ctx.log(`next build (${label}, TRACELENS_BROWSER_TRACING=${flag})`);
        buildMs[label] = await nextBuild(dir, { TRACELENS_BROWSER_TRACING: flag }, path.join(logDir, `build-${label}.log`));
        builds.push({ label, dir, loads: [] });
      }
    }
    for (const b of builds) {
      b.apps = await startApps({ label: b.label, otlpUrl: collector.otlpUrl, queryUrl: collector.queryUrl, logDir, webDir: b.dir });
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

    for (let i = 0; i < params.loads; i++) {
      for (const b of i % 2 === 0 ? builds : [...builds].reverse()) {
        b.loads.push(await firstLoad(browser, (b.apps as Apps).webUrl, b.label === 'traced'));
      }
    }
    const summary = (b: BuildUnderTest) => {
      const load = b.loads[0] as FirstLoad;
      const scripts = load.scripts;
      return {
        transferred: sum(scripts.map((s) => s.transferredBytes)),
        critical: sum(scripts.filter((s) => s.critical).map((s) => s.transferredBytes)),
        lazy: sum(scripts.filter((s) => !s.critical).map((s) => s.transferredBytes)),
        gzip: sum(scripts.map((s) => s.gzipBytes)),
        scripts,
        hydratedMs: median(b.loads.map((l) => l.hydratedMs ?? NaN)),
        tracingReadyMs: median(b.loads.map((l) => l.tracingReadyMs ?? NaN)),
      };
    };
    const traced = builds.find((b) => b.label === 'traced') as BuildUnderTest;
    const untraced = builds.find((b) => b.label === 'untraced');
    const T = summary(traced);
    const U = untraced ? summary(untraced) : undefined;
    for (const b of builds) {
      const s = summary(b);
      ctx.log(
        `${b.label}: ${s.scripts.length} scripts, ${kb(s.transferred)} KB transferred (${kb(s.critical)} KB named by the HTML, ${kb(s.lazy)} KB later); hydrated at ${s.hydratedMs.toFixed(0)} ms${Number.isNaN(s.tracingReadyMs) ? '' : `, tracing ready at ${s.tracingReadyMs.toFixed(0)} ms`} (medians of ${b.loads.length})`,
      );
    }
    const encodings = new Set(T.scripts.map((s) => s.contentEncoding));

    // The SDK: scripts the traced build loads later than the HTML's. Hydration
    // must not wait for them: in every traced load, are they requested after
    // the page was hydrated?
    const sdkScripts = T.scripts.filter((s) => !s.critical);
    const sdkAfterHydration = traced.loads.map((l) => {
      // No script loaded later would mean the SDK is among the HTML's: a failure, NaN.
      const starts = l.scripts.filter((s) => !s.critical).map((s) => s.startMs);
      const first = starts.length > 0 ? Math.min(...starts) : NaN;
      return { requestedMs: first, hydratedMs: Math.round(l.hydratedMs ?? NaN) };
    });

    // Clicks, in the traced build, once tracing is up.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(pageProbe);
    // Browser exports through the app's relay: a failed one loses spans.
    const relayAnswers: Record<string, number> = {};
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/otlp/v1/traces') relayAnswers[response.status()] = (relayAnswers[response.status()] ?? 0) + 1;
    });
    await page.goto((traced.apps as Apps).webUrl);
    await page.waitForFunction(() => (window as unknown as { __benchMarks: PageMarks }).__benchMarks.tracingReadyMs !== undefined);
    const clicks: ClickSample[] = [];
    let previous: string | null = null;
    for (let i = 0; i < params.clicks; i++) {
      const sample: ClickSample = await clickAndWaitForTrace(page, jaeger, previous).catch((error: unknown) => {
        throw new Error(`click ${i + 1}: ${(error as Error).message}\nrelay answers so far: ${JSON.stringify(relayAnswers)}`);
      });
      if (sample.incomplete !== undefined) {
        ctx.log(`click ${i + 1}: trace ${sample.traceId} not complete ${COMPLETE_DEADLINE_MS / 1000} s after the click (relay answers so far: ${JSON.stringify(relayAnswers)}): ${sample.incomplete}`);
      }
      previous = sample.traceId;
      clicks.push(sample);
    }
    await context.close();
    const complete = clicks.map((c) => c.completeMs).filter((ms): ms is number => ms !== null);
    const incomplete = clicks.filter((c) => c.completeMs === null);
    const firstSpan = (s: (typeof SERVICES)[number]) => median(clicks.map((c) => c.firstSpanMs[s] ?? NaN));
    ctx.log(
      `clicks: complete p50 ${median(complete).toFixed(0)} ms, p90 ${percentile(complete, 90).toFixed(0)} ms, max ${Math.max(...complete).toFixed(0)} ms; first span in the store (medians): ${SERVICES.map((s) => `${s} ${firstSpan(s).toFixed(0)} ms`).join(', ')}`,
    );

    const figures: Figure[] = [];
    if (U) {
      figures.push(
        { label: 'JS added by browser tracing, first load of /', value: kb(T.transferred - U.transferred), unit: 'KB gz', target: { op: '<=', value: 30 } },
        { label: 'of which in scripts hydration waits for (the loader)', value: kb(T.critical - U.critical), unit: 'KB gz' },
        { label: 'of which loaded after hydration', value: kb(T.lazy - U.lazy), unit: 'KB gz' },
        { label: 'JS on first load of /, untraced build', value: kb(U.transferred), unit: 'KB gz' },
        { label: 'hydrated, untraced build (median)', value: Math.round(U.hydratedMs), unit: 'ms' },
      );
    }
    figures.push(
      {
        label: 'traced loads that requested the SDK before hydration was done',
        value: sdkAfterHydration.filter((x) => !(x.requestedMs > x.hydratedMs)).length,
        unit: `of ${sdkAfterHydration.length}`,
        target: { op: '<=', value: 0 },
      },
      { label: 'JS on first load of /, traced build', value: kb(T.transferred), unit: 'KB gz' },
      { label: 'hydrated, traced build (median)', value: Math.round(T.hydratedMs), unit: 'ms' },
      { label: 'browser tracing ready (median)', value: Math.round(T.tracingReadyMs), unit: 'ms' },
      { label: 'click to complete trace p50', value: Math.round(median(complete)), unit: 'ms', target: { op: '<=', value: 1000 } },
      { label: `clicks whose trace was not complete after ${COMPLETE_DEADLINE_MS / 1000} s`, value: incomplete.length, unit: `of ${clicks.length}` },
      { label: 'click to complete trace p90', value: Math.round(percentile(complete, 90)), unit: 'ms' },
      { label: 'click to complete trace max', value: Math.round(Math.max(...complete)), unit: 'ms' },
      { label: 'click to answer on screen p50', value: Math.round(median(clicks.map((c) => c.resultMs))), unit: 'ms' },
    );
    for (const s of SERVICES) figures.push({ label: `click to first ${s} span in the store p50`, value: Math.round(firstSpan(s)), unit: 'ms' });

    const notes = [
      `Scripts were served ${[...encodings].join('/')} by next start; "KB gz" is the transferred body size from Chromium's network log (gzip of the same files at zlib's default level: traced ${kb(T.gzip)} KB${U ? `, untraced ${kb(U.gzip)} KB` : ''}).`,
      `Loaded after the HTML's scripts (the SDK, lib/browser-tracing.ts and its packages): ${sdkScripts.map((s) => `${s.path} ${kb(s.transferredBytes)} KB`).join(', ') || 'none'}. First SDK request vs hydration, per traced load: ${sdkAfterHydration.map((x) => `${x.requestedMs} ms vs ${x.hydratedMs} ms`).join('; ')}.`,
      U
        ? `Scripts the HTML names: traced ${T.scripts.filter((s) => s.critical).length} files ${kb(T.critical)} KB, untraced ${U.scripts.filter((s) => s.critical).length} files ${kb(U.critical)} KB; the difference is instrumentation-client.ts's loader (about 0.3 KB: schedule the import, the click's wait) and the bundler's stub for its dynamic import, plus lib/traced-process.ts and @opentelemetry/api moving from a page chunk into the main chunks because the loader imports traced-process, which compresses a little differently; none of it is SDK code. Hydration medians: traced ${Math.round(T.hydratedMs)} ms, untraced ${Math.round(U.hydratedMs)} ms.`
        : 'Smoke: the workspace build only, so there is no untraced build to compare with and no difference is reported.',
      `Where a click's time goes (medians): answer on screen ${Math.round(median(clicks.map((c) => c.resultMs)))} ms after the click (simulated work on, as npm start runs it: 50 ms in the frontend-api, 150 ms for "alice" in the data-processor); the browser's spans are in the store at ${Math.round(firstSpan('web-ui'))} ms (the fetch instrumentation ends its span 300 ms after the answer, waiting for the resource timing entry, and the batch is sent as soon as the click's last span ends, instead of after the 1 s batch delay); the servers' at ${Math.round(firstSpan('data-processor'))} / ${Math.round(firstSpan('frontend-api'))} ms (data-processor / frontend-api: their batch delay, OTEL_BSP_SCHEDULE_DELAY=${SERVER_BSP_SCHEDULE_DELAY_MS} as npm start sets it, counts from the first span of the request to end). So the server batch delay sets the pace now; the store is polled every ${POLL_MS} ms.`,
    ];
    failed = false;
    return {
      measured:
        'Gzipped JavaScript of the first load of / from Chromium\'s network log in builds with and without browser tracing (split into scripts the HTML names and scripts loaded later), and the time from clicking "Process alice" until the store\'s Jaeger API returns the click\'s trace with the whole browser → Next.js → NestJS chain.',
      parameters: {
        ...params,
        builds: ctx.smoke ? 'smoke: the workspace build only' : 'two, from copies of apps/web made at the same moment',
        simulatedWork: 'on (the app default, as npm start runs it)',
        chromium: `${CHROMIUM} ${browser.version()}`,
        serverBspScheduleDelayMs: SERVER_BSP_SCHEDULE_DELAY_MS,
        storePollMs: POLL_MS,
        buildMs,
        scriptsTraced: T.scripts.map(({ path: p, critical, transferredBytes, startMs }) => ({ path: p, critical, transferredBytes, startMs })),
        scriptsUntraced: U?.scripts.map(({ path: p, critical, transferredBytes, startMs }) => ({ path: p, critical, transferredBytes, startMs })),
        relayAnswers,
        clicks,
      },
      figures,
      notes,
    };
  } finally {
    await browser?.close();
    await Promise.all(builds.flatMap((b) => (b.apps ? [b.apps.stop()] : [])));
    await collector.close();
    for (const dir of copies) removeWebCopy(dir);
    if (failed) ctx.log(`kept the logs in ${logDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  }
}

const benchmark: Benchmark = { name: 'browser', run };
export default benchmark;
