/**
 * `memory`: the collector's resident memory while it holds 1,000,000 spans,
 * and while more exports arrive than it can write.
 *
 * The collector runs as its own process (the CLI with its default limits,
 * SQLite file in a temp directory) and is filled through its OTLP receiver.
 * Its RSS (VmRSS from /proc) is read after the fill, and every 100 ms
 * through an overload: many concurrent senders in three other processes,
 * with no pause between requests, of protobuf and JSON exports of 512 spans
 * and large protobuf exports of 8,192 spans. It must refuse what it cannot
 * take with 503 (or 429) and Retry-After instead of growing, and afterwards
 * the store must hold exactly the spans it acknowledged: none of a refused
 * export's.
 */
import path from 'node:path';
import { startCollector } from '@tracelens/trace-store';
import { percentile, type Benchmark, type BenchmarkContext, type Figure } from '../harness.js';
import { fillStore } from '../collector/fill.js';
import { newNonce, SPANS_PER_TRACE, traceIdOf } from '../collector/otlp-template.js';
import { sampleRss, spawnCollector, tempDir } from '../collector/process.js';
import { OtlpSenders, type SendJob, type SendResult } from '../collector/senders.js';

/** One flood of the overload: `senders` closed-loop senders of `spans`-span exports, no pause between requests. */
interface Flood {
  label: string;
  encoding: 'protobuf' | 'json';
  senders: number;
  spans: number;
}

interface Parameters {
  spans: number;
  /** Collector flags beyond --db and --max-spans 0 (the smoke run shrinks the bounds to reach them quickly). */
  collectorArgs: string[];
  overloadMs: number;
  /** Each from a sender process of its own. */
  floods: Flood[];
  /** Acknowledged and refused traces read back through /api/traces/{id}. */
  verifyTraces: number;
}

const FULL: Parameters = {
  spans: 1_000_000,
  collectorArgs: [],
  overloadMs: 15_000,
  floods: [
    { label: 'protobuf, 512 spans', encoding: 'protobuf', senders: 64, spans: 512 },
    { label: 'JSON, 512 spans', encoding: 'json', senders: 32, spans: 512 },
    { label: 'protobuf, 8,192 spans (1.6 MB)', encoding: 'protobuf', senders: 16, spans: 8_192 },
  ],
  verifyTraces: 200,
};
const SMOKE: Parameters = {
  spans: 10_000,
  collectorArgs: ['--max-queue', '2000'],
  overloadMs: 1_000,
  floods: [
    { label: 'protobuf, 512 spans', encoding: 'protobuf', senders: 8, spans: 512 },
    { label: 'JSON, 512 spans', encoding: 'json', senders: 4, spans: 512 },
    { label: 'protobuf, 2,048 spans', encoding: 'protobuf', senders: 4, spans: 2_048 },
  ],
  verifyTraces: 10,
};

const TARGET_MB = 300;
const HOUR_NS = 3_600_000_000_000n;

async function run(ctx: BenchmarkContext) {
  const p = ctx.smoke ? SMOKE : FULL;
  const tmp = tempDir('tracelens-bench-memory-');
  const db = path.join(tmp.dir, 'traces.db');
  const nonce = newNonce();
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  // Retention off, so "exactly what was acknowledged" can be counted; every other option at its default.
  const collector = await spawnCollector(['--db', db, '--max-spans', '0', ...p.collectorArgs]);
  const senders = p.floods.map(() => new OtlpSenders());
  try {
    ctx.log(`filling the store with ${p.spans.toLocaleString('en-US')} spans`);
    const filled = await fillStore(senders[0] as OtlpSenders, {
      otlpUrl: collector.otlpUrl,
      spans: p.spans,
      spansPerRequest: 500,
      senders: 4,
      nonce,
      baseNs: nowNs - HOUR_NS,
      stepNs: HOUR_NS / BigInt(p.spans / 500),
    });
    await new Promise((r) => setTimeout(r, ctx.smoke ? 200 : 5_000));
    const holdingMB = collector.rssBytes() / 2 ** 20;
    ctx.log(`holding ${p.spans.toLocaleString('en-US')} spans: RSS ${Math.round(holdingMB)} MB`);

    // The overload: flood i numbers its requests from (i + 1) * 10,000,000, so they never meet the fill's or each other's.
    const job = (f: Flood, i: number): SendJob => ({
      label: `overload ${f.label}`,
      url: `${collector.otlpUrl}/v1/traces`,
      encoding: f.encoding,
      spansPerRequest: f.spans,
      nonce: nonce.toString('hex'),
      baseNs: nowNs.toString(),
      senders: f.senders,
      firstRequest: (i + 1) * 10_000_000,
      maxRequests: 5_000_000,
      durationMs: p.overloadMs,
      pauseAfterRefusalMs: 0,
      idsOnly: true,
    });
    ctx.log(`overload for ${p.overloadMs / 1000} s: ${p.floods.map((f) => `${f.senders} senders of ${f.label}`).join(', ')}`);
    const rss = sampleRss(collector, 100);
    const floods = await Promise.all(p.floods.map((f, i) => (senders[i] as OtlpSenders).run(job(f, i))));
    const rssSamples = rss.stop();
    await collector.stop();

    const results: [SendResult, number][] = floods.map((r, i) => [r, (p.floods[i] as Flood).spans]);
    let ackedSpans = p.spans;
    let accepted = 0;
    let refused = 0;
    let withoutRetryAfter = 0;
    let failed = 0;
    let other = 0;
    for (const [r, size] of results) {
      ackedSpans += r.acked.length * size;
      accepted += r.acked.length;
      refused += r.refused;
      withoutRetryAfter += r.refused - r.refusedWithRetryAfter;
      failed += r.failed;
      other += Object.values(r.otherStatuses).reduce((a, b) => a + b, 0);
    }
    const answered = accepted + refused;

    // Reopen: exactly the acknowledged spans; acknowledged traces whole, refused ones absent.
    const reopened = await startCollector({ otlpPort: 0, queryPort: 0, db, maxSpans: 0 });
    let stored: number;
    let missing = 0;
    let present = 0;
    try {
      stored = reopened.store.spanCount();
      const status = async (id: string) => (await fetch(`${reopened.queryUrl}/api/traces/${id}`)).status;
      for (const [r, size] of results) {
        const traces = Math.floor(size / SPANS_PER_TRACE);
        for (let i = 0; i < p.verifyTraces / results.length; i++) {
          if (r.acked.length > 0) {
            const request = r.acked[Math.floor(Math.random() * r.acked.length)] as number;
            if ((await status(traceIdOf(nonce, request, Math.floor(Math.random() * traces)))) !== 200) missing++;
          }
          if (r.refusedRequests.length > 0) {
            const request = r.refusedRequests[Math.floor(Math.random() * r.refusedRequests.length)] as number;
            if ((await status(traceIdOf(nonce, request, Math.floor(Math.random() * traces)))) !== 404) present++;
          }
        }
      }
    } finally {
      await reopened.close();
    }

    const peakMB = Math.max(...rssSamples) / 2 ** 20;
    const figures: Figure[] = [
      { label: `RSS holding ${p.spans.toLocaleString('en-US')} spans`, value: Math.round(holdingMB), unit: 'MB', target: { op: '<=', value: TARGET_MB } },
      { label: 'RSS under overload, peak', value: Math.round(peakMB), unit: 'MB', target: { op: '<=', value: TARGET_MB } },
      { label: 'RSS under overload, p50', value: Math.round(percentile(rssSamples, 50) / 2 ** 20), unit: 'MB' },
      { label: 'exports refused (503/429)', value: Math.round((refused / Math.max(1, answered)) * 1000) / 10, unit: '%' },
      { label: 'refusals without Retry-After', value: withoutRetryAfter, unit: 'answers', target: { op: '<=', value: 0 }, invariant: true },
      { label: 'acknowledged spans missing from the store', value: Math.max(0, ackedSpans - stored) + missing, unit: 'spans', target: { op: '<=', value: 0 }, invariant: true },
      { label: 'stored spans never acknowledged', value: Math.max(0, stored - ackedSpans) + present, unit: 'spans', target: { op: '<=', value: 0 }, invariant: true },
      { label: 'spans acknowledged under overload', value: Math.round((ackedSpans - p.spans) / (p.overloadMs / 1000)), unit: 'spans/s' },
    ];
    const notes = [
      `overload answers: ${accepted} accepted, ${refused} refused, ${other} other, ${failed} without answer; ` +
        results.map(([r], i) => `${(p.floods[i] as Flood).label}: ${r.acked.length} accepted (p50/p99 ${percentile(r.latenciesMs, 50).toFixed(0)}/${percentile(r.latenciesMs, 99).toFixed(0)} ms), ${r.refused} refused`).join('; '),
      `store holds ${stored.toLocaleString('en-US')} spans, ${ackedSpans.toLocaleString('en-US')} acknowledged; the fill took ${(filled.elapsedMs / 1000).toFixed(1)} s`,
    ];
    if (failed > 0 || other > 0) notes.push('requests that failed without an answer or got another status were not counted as acknowledged');
    return {
      measured:
        `RSS (VmRSS) of the collector CLI (own process, ${p.collectorArgs.length > 0 ? p.collectorArgs.join(' ') : 'default limits: --max-queue 20000 spans'}; retention off) holding ${p.spans.toLocaleString('en-US')} spans filled through OTLP, ` +
        `then every 100 ms during ${p.overloadMs / 1000} s of overload from ${p.floods.length} sender processes (${p.floods.map((f) => `${f.senders} senders of ${f.label}`).join(', ')}; ` +
        'closed loop, no pause between requests, not even after a refusal); then the store reopened and counted.',
      parameters: { ...p },
      figures,
      notes,
    };
  } finally {
    for (const s of senders) s.close();
    await collector.stop().catch(() => {});
    tmp.remove();
  }
}

const memory: Benchmark = { name: 'memory', run };
export default memory;
