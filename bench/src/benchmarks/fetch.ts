/**
 * `fetch`: what tracing one server-side `fetch` costs the caller's CPU, by
 * the way it is traced. The frontend-api makes one such call per request (to
 * the data-processor), through @vercel/otel's fetch instrumentation; this
 * says how much of the web tier's tracing overhead (`overhead`) that one call
 * is, and what the alternatives would cost.
 *
 * Arms, each in a process of its own (fetch-arm.ts), calling a JSON server in
 * this process (its CPU is not counted) in a closed loop:
 *
 * - plain: no tracing at all;
 * - vercel-otel: `registerOTel` with the frontend-api's fetch settings;
 * - undici: @opentelemetry/instrumentation-undici, as the data-processor uses;
 * - by-hand: a client span started and `traceparent` injected in a few lines,
 *   the floor for the same linkage.
 *
 * The traced arms call inside a parent span, and every one of their calls
 * must carry a sampled `traceparent` and end one client span (invariants:
 * an arm that stopped linking would otherwise look cheap). Arms rotate over
 * cycles; the figure of an arm is its median over cycles.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { percentile, type Benchmark, type BenchmarkContext, type Figure } from '../harness.js';

export const FETCH_ARMS = ['plain', 'vercel-otel', 'undici', 'by-hand'] as const;
export type FetchArm = (typeof FETCH_ARMS)[number];

export interface FetchArmRun {
  warmupCalls: number;
  calls: number;
  /** Calls in flight at once. */
  concurrency: number;
}

export interface FetchArmResult {
  arm: FetchArm;
  calls: number;
  /** User + system CPU of this process per call, in microseconds. */
  cpuUsPerCall: number;
  /** CLIENT spans ended during the measured calls. */
  clientSpans: number;
}

interface Parameters extends FetchArmRun {
  cycles: number;
}

const FULL: Parameters = { warmupCalls: 1_000, calls: 4_000, concurrency: 4, cycles: 5 };
const SMOKE: Parameters = { warmupCalls: 20, calls: 100, concurrency: 4, cycles: 1 };

const ARM_LABEL: Record<FetchArm, string> = {
  plain: 'plain fetch, untraced',
  'vercel-otel': "@vercel/otel's fetch instrumentation",
  undici: '@opentelemetry/instrumentation-undici',
  'by-hand': 'client span and traceparent by hand',
};

/** A sampled W3C traceparent. */
const SAMPLED_TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

/** Answers what the data-processor answers for a name, about the same size; counts the requests that carried a sampled traceparent. */
async function startJsonServer(): Promise<{ url: string; linked: () => number; close: () => Promise<void> }> {
  let linked = 0;
  const body = JSON.stringify({ name: 'alice', processed: 'ALICE', length: 5, items: Array.from({ length: 8 }, (_, i) => ({ i, value: `item-${i}` })) });
  const server = http.createServer((request, response) => {
    if (SAMPLED_TRACEPARENT.test(String(request.headers.traceparent))) linked++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/data/alice`,
    linked: () => linked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function runArm(arm: FetchArm, url: string, run: FetchArmRun): Promise<FetchArmResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, '../fetch-arm.js'), [arm, url, JSON.stringify(run)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: FetchArmResult | undefined;
    child.once('message', (message: FetchArmResult) => (result = message));
    child.once('error', reject);
    child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`fetch arm ${arm} exited with code ${code} without a result`))));
  });
}

const round1 = (n: number) => Math.round(n * 10) / 10;

async function run(ctx: BenchmarkContext) {
  const p = ctx.smoke ? SMOKE : FULL;
  const server = await startJsonServer();
  const cpu: Record<FetchArm, number[]> = { plain: [], 'vercel-otel': [], undici: [], 'by-hand': [] };
  let unlinkedCalls = 0;
  let callsWithoutSpan = 0;
  try {
    for (let cycle = 0; cycle < p.cycles; cycle++) {
      // Rotate the order, so each arm runs first, second, ... equally often.
      const order = FETCH_ARMS.map((_, i) => FETCH_ARMS[(i + cycle) % FETCH_ARMS.length] as FetchArm);
      for (const arm of order) {
        const linkedBefore = server.linked();
        const r = await runArm(arm, server.url, p);
        const linked = server.linked() - linkedBefore;
        const total = p.warmupCalls + p.calls;
        if (arm === 'plain') {
          unlinkedCalls += linked;
        } else {
          unlinkedCalls += total - linked;
          callsWithoutSpan += Math.max(0, r.calls - r.clientSpans);
        }
        cpu[arm].push(r.cpuUsPerCall);
      }
      ctx.log(`cycle ${cycle + 1}/${p.cycles}: ${FETCH_ARMS.map((a) => `${a} ${Math.round(cpu[a][cycle] as number)} us`).join(', ')}`);
    }
  } finally {
    await server.close();
  }

  const median = (arm: FetchArm) => percentile(cpu[arm], 50);
  const added = (arm: FetchArm) => round1(median(arm) - median('plain'));
  const figures: Figure[] = [
    ...FETCH_ARMS.map((arm): Figure => ({ label: `CPU per call, ${ARM_LABEL[arm]}`, value: round1(median(arm)), unit: 'us' })),
    ...FETCH_ARMS.filter((arm) => arm !== 'plain').map((arm): Figure => ({ label: `added to a call by ${ARM_LABEL[arm]}`, value: added(arm), unit: 'us' })),
    // Plain calls must carry no traceparent, traced ones a sampled one each.
    { label: 'calls whose traceparent was wrong for the arm', value: unlinkedCalls, unit: 'calls', target: { op: '<=', value: 0 }, invariant: true },
    { label: 'traced calls that ended no client span', value: callsWithoutSpan, unit: 'calls', target: { op: '<=', value: 0 }, invariant: true },
  ];
  return {
    measured:
      'CPU time (user + system, process.cpuUsage) of a Node process per server-side fetch of a small JSON answer from a local HTTP server (not counted), closed loop, by the way the call is traced; each traced arm calls inside a parent span and drops its finished spans (export is measured by `overhead`).',
    parameters: { ...p, arms: FETCH_ARMS, cpuUsPerCall: Object.fromEntries(FETCH_ARMS.map((a) => [a, cpu[a].map(round1)])) },
    figures,
    notes: [
      `Tracing the call adds ${added('vercel-otel')} us with @vercel/otel's fetch instrumentation, ${added('undici')} us with @opentelemetry/instrumentation-undici and ${added('by-hand')} us by hand (each including one parent span), to ${round1(median('plain'))} us for the untraced call.`,
      "Why @vercel/otel's costs more (its dist/node/index.js, 2.1.3): for every call it builds a new Request from the arguments (and a Request argument is cloned first) to read the URL and headers, and for a recorded span whose answer has a body it clones the Response and reads the clone to the end to count the bytes (http.response_content_length): a tee of the body stream, read chunk by chunk in JavaScript. The undici instrumentation listens on Node's diagnostics channels instead and touches neither body.",
    ],
  };
}

const benchmark: Benchmark = { name: 'fetch', run };
export default benchmark;
