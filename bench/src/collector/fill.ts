import { SPANS_PER_TRACE } from './otlp-template.js';
import type { OtlpSenders } from './senders.js';

export interface FillOptions {
  /** e.g. http://127.0.0.1:4318 */
  otlpUrl: string;
  spans: number;
  /** A multiple of 10, so every trace is whole. */
  spansPerRequest: number;
  senders: number;
  nonce: Buffer;
  baseNs: bigint;
  stepNs: bigint;
}

export interface Filled {
  /** Request numbers acknowledged; trace i of request r has id traceIdOf(nonce, r, i). */
  acked: number[];
  traces: number;
  elapsedMs: number;
}

/**
 * Sends protobuf exports of whole 10-span traces until `spans` spans are
 * acknowledged (a refused request is sent again under a new number).
 */
export async function fillStore(senders: OtlpSenders, o: FillOptions): Promise<Filled> {
  if (o.spansPerRequest % SPANS_PER_TRACE !== 0 || o.spans % o.spansPerRequest !== 0) {
    throw new Error(`fill sizes must be whole traces and whole requests: ${o.spans} spans, ${o.spansPerRequest} per request`);
  }
  const wanted = o.spans / o.spansPerRequest;
  const acked: number[] = [];
  let next = 0;
  const started = performance.now();
  for (let attempt = 0; acked.length < wanted; attempt++) {
    if (attempt > 20) throw new Error(`could only store ${acked.length} of ${wanted} requests`);
    const r = await senders.run({
      label: `fill #${attempt + 1}`,
      url: `${o.otlpUrl}/v1/traces`,
      encoding: 'protobuf',
      spansPerRequest: o.spansPerRequest,
      nonce: o.nonce.toString('hex'),
      baseNs: o.baseNs.toString(),
      stepNs: o.stepNs.toString(),
      senders: o.senders,
      firstRequest: next,
      maxRequests: wanted - acked.length,
      durationMs: 3_600_000,
      pauseAfterRefusalMs: 200,
    });
    next = r.nextRequest;
    acked.push(...r.acked);
    if (r.failed > 0 || Object.keys(r.otherStatuses).length > 0) {
      throw new Error(`filling the store failed: ${r.failed} requests without answer, other answers ${JSON.stringify(r.otherStatuses)}`);
    }
  }
  return { acked, traces: (acked.length * o.spansPerRequest) / SPANS_PER_TRACE, elapsedMs: performance.now() - started };
}
