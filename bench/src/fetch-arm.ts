/**
 * One arm of the `fetch` benchmark, in a process of its own (each arm patches
 * or leaves alone the process-wide `fetch`): sets up tracing the arm's way,
 * then calls `process.argv[3]` with `fetch` in a closed loop and reports, over
 * IPC, its own CPU time per call and the client spans it ended.
 *
 * Every traced arm calls inside a recorded parent span, as the frontend-api
 * does (`process-data-logic` around its fetch to the data-processor), and
 * hands finished spans to a processor that counts and drops them: the export
 * is the same for every arm and is measured by the `overhead` benchmark.
 */
import { context, propagation, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { registerOTel } from '@vercel/otel';
import type { FetchArm, FetchArmResult, FetchArmRun } from './benchmarks/fetch.js';

/** Counts the CLIENT spans that end, and keeps nothing. */
class CountingProcessor implements SpanProcessor {
  clientSpans = 0;
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if (span.kind === SpanKind.CLIENT) this.clientSpans++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Sets up the arm's tracing; returns how one call runs: its fetch, inside the arm's parent span. */
function setUp(arm: FetchArm, url: string, counter: CountingProcessor): () => Promise<unknown> {
  const fetchJson = async (headers?: Record<string, string>): Promise<unknown> => (await fetch(url, { headers })).json();
  if (arm === 'plain') return () => fetchJson();

  if (arm === 'vercel-otel') {
    // As apps/web/lib/server/tracing.ts configures it for the data-processor.
    registerOTel({ serviceName: 'bench-fetch', spanProcessors: [counter], instrumentationConfig: { fetch: { propagateContextUrls: [new URL('/', url).href] } } });
  } else {
    new NodeTracerProvider({ spanProcessors: [counter] }).register();
    // As apps/data-processor/src/telemetry/instrumentations.ts configures it.
    if (arm === 'undici') registerInstrumentations({ instrumentations: [new UndiciInstrumentation({ requireParentforSpans: true })] });
  }
  const tracer = trace.getTracer('bench-fetch');
  const inParent = <T>(work: () => Promise<T>) =>
    tracer.startActiveSpan('parent', async (parent) => {
      try {
        return await work();
      } finally {
        parent.end();
      }
    });
  return arm === 'by-hand' ? () => inParent(() => byHand(tracer, fetchJson)) : () => inParent(() => fetchJson());
}

/** The least a traced call needs: a client span, and `traceparent` from it. */
async function byHand(tracer: Tracer, fetchJson: (headers: Record<string, string>) => Promise<unknown>): Promise<unknown> {
  const span = tracer.startSpan('GET', { kind: SpanKind.CLIENT });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  try {
    return await fetchJson(headers);
  } finally {
    span.end();
  }
}

async function closedLoop(call: () => Promise<unknown>, calls: number, concurrency: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started++;
      await call();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function main(): Promise<void> {
  const [arm, url, runJson] = process.argv.slice(2) as [FetchArm, string, string];
  const run = JSON.parse(runJson) as FetchArmRun;
  const counter = new CountingProcessor();
  const call = setUp(arm, url, counter);
  await closedLoop(call, run.warmupCalls, run.concurrency);
  const spansBefore = counter.clientSpans;
  const before = process.cpuUsage();
  await closedLoop(call, run.calls, run.concurrency);
  const used = process.cpuUsage(before);
  const result: FetchArmResult = { arm, calls: run.calls, cpuUsPerCall: (used.user + used.system) / run.calls, clientSpans: counter.clientSpans - spansBefore };
  // exit: @vercel/otel leaves timers behind that would keep the process alive.
  process.send?.(result, undefined, {}, () => process.exit(0));
}

await main();
