/**
 * The OTLP load generator, run in its own process (forked by senders.ts) so
 * that its CPU use is its own and not the benchmark's. Each job: `senders`
 * concurrent closed-loop senders, each with its own keep-alive connection,
 * POST copies of one request template, every request with the next request
 * number; no retries. Answers with what each request got.
 */
import http from 'node:http';
import { makeTemplate, patch, type Encoding } from './otlp-template.js';

export interface SendJob {
  label: string;
  /** e.g. http://127.0.0.1:4318/v1/traces */
  url: string;
  encoding: Encoding;
  spansPerRequest: number;
  /** 8 hex digits. */
  nonce: string;
  /** Nanoseconds since the epoch of request 0, as a decimal string. */
  baseNs: string;
  /** Nanoseconds between consecutive requests' timestamps, as a decimal string; default 1 ms. */
  stepNs?: string;
  senders: number;
  /** Request numbers handed out in order, starting here. */
  firstRequest: number;
  /** Stop after this many requests in total, or when the time is up, whichever comes first. */
  maxRequests: number;
  durationMs: number;
  /** Milliseconds a sender waits after a refusal (503/429) before its next request. */
  pauseAfterRefusalMs: number;
  /** Rewrite only the ids per request (timestamps stay those of request 0): for floods, where sending must cost little. */
  idsOnly?: boolean;
}

export interface SendResult {
  label: string;
  /** Request numbers answered 200 (their spans must be in the store). */
  acked: number[];
  /** 503 or 429 answers, and how many of them carried Retry-After. */
  refused: number;
  refusedWithRetryAfter: number;
  /** The first 1,000 refused request numbers (their spans must not be in the store). */
  refusedRequests: number[];
  /** Other HTTP answers by status, and failed requests (connection errors). */
  otherStatuses: Record<string, number>;
  failed: number;
  /** Request numbers that failed without an answer: their spans may or may not be stored. */
  unanswered: number[];
  /** Latency of each 200, in milliseconds, from sending to the end of the answer. */
  latenciesMs: number[];
  elapsedMs: number;
  /** Request numbers used: firstRequest up to, not including, this. */
  nextRequest: number;
}

function post(agent: http.Agent, url: URL, contentType: string, body: Buffer): Promise<{ status: number; retryAfter: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': contentType, 'Content-Length': body.length }, timeout: 120_000 },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] !== undefined }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

async function run(job: SendJob): Promise<SendResult> {
  const template = makeTemplate(
    job.encoding,
    job.spansPerRequest,
    Buffer.from(job.nonce, 'hex'),
    BigInt(job.baseNs),
    job.stepNs === undefined ? undefined : BigInt(job.stepNs),
  );
  const url = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.senders });
  const result: SendResult = {
    label: job.label,
    acked: [],
    refused: 0,
    refusedWithRetryAfter: 0,
    refusedRequests: [],
    otherStatuses: {},
    failed: 0,
    unanswered: [],
    latenciesMs: [],
    elapsedMs: 0,
    nextRequest: job.firstRequest,
  };
  const lastRequest = job.firstRequest + job.maxRequests;
  const started = performance.now();
  const deadline = started + job.durationMs;
  const sender = async () => {
    const buf = Buffer.from(template.body);
    while (performance.now() < deadline && result.nextRequest < lastRequest) {
      const request = result.nextRequest++;
      patch(template, buf, request, job.idsOnly);
      const sent = performance.now();
      try {
        const { status, retryAfter } = await post(agent, url, template.contentType, buf);
        if (status === 200) {
          result.acked.push(request);
          result.latenciesMs.push(performance.now() - sent);
        } else if (status === 503 || status === 429) {
          result.refused++;
          if (retryAfter) result.refusedWithRetryAfter++;
          if (result.refusedRequests.length < 1000) result.refusedRequests.push(request);
          if (job.pauseAfterRefusalMs > 0) await new Promise((r) => setTimeout(r, job.pauseAfterRefusalMs));
        } else {
          result.otherStatuses[status] = (result.otherStatuses[status] ?? 0) + 1;
        }
      } catch {
        result.failed++;
        result.unanswered.push(request);
      }
    }
  };
  await Promise.all(Array.from({ length: job.senders }, sender));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  return result;
}

process.on('message', (job: SendJob) => {
  run(job).then(
    (result) => process.send?.(result),
    (e: unknown) => process.send?.({ label: job.label, error: String(e) }),
  );
});
