/**
 * `ingest`: how fast the collector takes OTLP/HTTP exports, protobuf and JSON.
 *
 * The collector runs as its own process (the CLI, on a SQLite file in a temp
 * directory); the load generator runs in another (collector/sender.ts): 4
 * concurrent closed-loop senders on keep-alive connections POST 512-span
 * requests of 10-span traces in 3 services with realistic attributes, every
 * request with new ids. Protobuf and JSON rounds alternate (P J, J P, ...) so
 * drift in the machine's load hits both alike. Afterwards the collector is
 * stopped and the store reopened: it must hold exactly the acknowledged spans.
 * A last, unmeasured pair of rounds runs under --cpu-prof to say where the
 * collector's time goes.
 */
import path from 'node:path';
import { startCollector } from '@tracelens/trace-store';
import { percentile, type Benchmark, type BenchmarkContext, type Figure } from '../harness.js';
import { newNonce, SPANS_PER_TRACE, traceIdOf, type Encoding } from '../collector/otlp-template.js';
import { cpuSecondsOf, sampleRss, spawnCollector, tempDir } from '../collector/process.js';
import { formatSummary, summarizeProfiles } from '../collector/profile.js';
import { OtlpSenders, type SendResult } from '../collector/senders.js';

interface Parameters {
  senders: number;
  spansPerRequest: number;
  warmupMs: number;
  roundMs: number;
  /** Rounds per encoding. */
  rounds: number;
  /** Length of each of the two profiled rounds; 0 skips profiling. */
  profileMs: number;
  /** Acknowledged traces read back through /api/traces/{id}. */
  verifyTraces: number;
}

const FULL: Parameters = { senders: 4, spansPerRequest: 512, warmupMs: 3_000, roundMs: 5_000, rounds: 4, profileMs: 4_000, verifyTraces: 200 };
const SMOKE: Parameters = { senders: 2, spansPerRequest: 64, warmupMs: 200, roundMs: 400, rounds: 1, profileMs: 0, verifyTraces: 5 };

const TARGET_SPANS_PER_S: Record<Encoding, number> = { protobuf: 100_000, json: 60_000 };

interface Tally {
  spans: number;
  ms: number;
  latencies: number[];
  cpuSeconds: number;
  senderCpuSeconds: number;
  perRound: number[];
}

async function run(ctx: BenchmarkContext) {
  const p = ctx.smoke ? SMOKE : FULL;
  const tmp = tempDir('tracelens-bench-ingest-');
  const db = path.join(tmp.dir, 'traces.db');
  const nonce = newNonce();
  const baseNs = BigInt(Date.now() - 3_600_000) * 1_000_000n;
  const collector = await spawnCollector(['--db', db, '--max-spans', '0']);
  const senders = new OtlpSenders();
  const notes: string[] = [];
  try {
    let nextRequest = 0;
    const acked: number[] = [];
    const unanswered: number[] = [];
    let refused = 0;
    const send = async (label: string, encoding: Encoding, durationMs: number): Promise<SendResult> => {
      const result = await senders.run({
        label,
        url: `${collector.otlpUrl}/v1/traces`,
        encoding,
        spansPerRequest: p.spansPerRequest,
        nonce: nonce.toString('hex'),
        baseNs: baseNs.toString(),
        senders: p.senders,
        firstRequest: nextRequest,
        maxRequests: 2 ** 31,
        durationMs,
        pauseAfterRefusalMs: 100,
      });
      nextRequest = result.nextRequest;
      acked.push(...result.acked);
      unanswered.push(...result.unanswered);
      refused += result.refused;
      const other = Object.entries(result.otherStatuses);
      if (other.length > 0 || result.failed > 0) {
        throw new Error(`${label}: unexpected answers ${JSON.stringify(result.otherStatuses)}, ${result.failed} failed requests`);
      }
      return result;
    };

    ctx.log(`warm-up ${p.warmupMs} ms each`);
    await send('warm-up protobuf', 'protobuf', p.warmupMs);
    await send('warm-up json', 'json', p.warmupMs);

    const tally: Record<Encoding, Tally> = {
      protobuf: { spans: 0, ms: 0, latencies: [], cpuSeconds: 0, senderCpuSeconds: 0, perRound: [] },
      json: { spans: 0, ms: 0, latencies: [], cpuSeconds: 0, senderCpuSeconds: 0, perRound: [] },
    };
    const rss = sampleRss(collector, 250);
    for (let round = 0; round < p.rounds; round++) {
      const order: Encoding[] = round % 2 === 0 ? ['protobuf', 'json'] : ['json', 'protobuf'];
      for (const encoding of order) {
        const cpu0 = collector.cpuSeconds();
        const senderCpu0 = cpuSecondsOf(senders.pid);
        const r = await send(`${encoding} #${round + 1}`, encoding, p.roundMs);
        const t = tally[encoding];
        const spans = r.acked.length * p.spansPerRequest;
        t.spans += spans;
        t.ms += r.elapsedMs;
        t.latencies.push(...r.latenciesMs);
        t.cpuSeconds += collector.cpuSeconds() - cpu0;
        t.senderCpuSeconds += cpuSecondsOf(senders.pid) - senderCpu0;
        t.perRound.push(spans / (r.elapsedMs / 1000));
        ctx.log(
          `${encoding} #${round + 1}: ${Math.round(spans / (r.elapsedMs / 1000)).toLocaleString('en-US')} spans/s, ` +
            `p50 ${percentile(r.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(r.latenciesMs, 99).toFixed(1)} ms, ${r.refused} refused`,
        );
      }
    }
    const rssSamples = rss.stop();
    await collector.stop();

    // Reopen the file: exactly the acknowledged spans, every acknowledged trace whole.
    const reopened = await startCollector({ otlpPort: 0, queryPort: 0, db, maxSpans: 0 });
    let stored: number;
    const incomplete: string[] = [];
    try {
      stored = reopened.store.spanCount();
      const fullTraces = Math.floor(p.spansPerRequest / SPANS_PER_TRACE);
      for (let i = 0; i < p.verifyTraces && acked.length > 0; i++) {
        const request = acked[Math.floor(Math.random() * acked.length)] as number;
        const id = traceIdOf(nonce, request, Math.floor(Math.random() * fullTraces));
        const res = await fetch(`${reopened.queryUrl}/api/traces/${id}`);
        const body = (await res.json()) as { data?: { spans: unknown[] }[] };
        if (res.status !== 200 || body.data?.[0]?.spans.length !== SPANS_PER_TRACE) incomplete.push(id);
      }
    } finally {
      await reopened.close();
    }
    const ackedSpans = acked.length * p.spansPerRequest;
    const lost = Math.max(0, ackedSpans - stored);
    // Requests that failed without an answer may have been committed; none are expected.
    const unexpected = stored - ackedSpans;
    if (incomplete.length > 0) notes.push(`acknowledged traces missing or incomplete: ${incomplete.slice(0, 5).join(', ')}`);
    if (unexpected > 0) notes.push(`${unexpected} stored spans were never acknowledged (${unanswered.length} requests went unanswered)`);
    if (refused > 0) notes.push(`${refused} requests were refused (503/429) and not counted; the queue bound was reached`);

    if (p.profileMs > 0) {
      const profileDir = path.join(tmp.dir, 'profile');
      const profiled = await spawnCollector(['--db', path.join(tmp.dir, 'profiled.db'), '--max-spans', '0'], ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
      try {
        for (const encoding of ['protobuf', 'json'] as const) {
          const r = await senders.run({
            label: `profiled ${encoding}`,
            url: `${profiled.otlpUrl}/v1/traces`,
            encoding,
            spansPerRequest: p.spansPerRequest,
            nonce: nonce.toString('hex'),
            baseNs: baseNs.toString(),
            senders: p.senders,
            firstRequest: 0,
            maxRequests: 2 ** 31,
            durationMs: p.profileMs,
            pauseAfterRefusalMs: 100,
          });
          ctx.log(`profiled ${encoding}: ${Math.round((r.acked.length * p.spansPerRequest) / (r.elapsedMs / 1000)).toLocaleString('en-US')} spans/s (under --cpu-prof)`);
        }
      } finally {
        await profiled.stop();
      }
      const summary = summarizeProfiles(profileDir);
      notes.push(...formatSummary(summary).map((line) => `collector CPU profile (${p.profileMs / 1000} s protobuf + ${p.profileMs / 1000} s JSON, all threads), ${line}`));
    }

    const figures: Figure[] = [];
    for (const encoding of ['protobuf', 'json'] as const) {
      const t = tally[encoding];
      const rate = t.spans / (t.ms / 1000);
      figures.push(
        { label: `${encoding}: spans/s acknowledged`, value: Math.round(rate), unit: 'spans/s', target: { op: '>=', value: TARGET_SPANS_PER_S[encoding] } },
        { label: `${encoding}: request latency p50`, value: round1(percentile(t.latencies, 50)), unit: 'ms' },
        { label: `${encoding}: request latency p99`, value: round1(percentile(t.latencies, 99)), unit: 'ms' },
        { label: `${encoding}: collector CPU per span`, value: round1((t.cpuSeconds * 1e6) / t.spans), unit: 'µs' },
      );
      notes.push(
        `${encoding}: rounds ${t.perRound.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')} spans/s; ` +
          `collector used ${(t.cpuSeconds / (t.ms / 1000)).toFixed(2)} cores, the sender process ${(t.senderCpuSeconds / (t.ms / 1000)).toFixed(2)}`,
      );
    }
    const json = tally.json.spans / tally.json.ms;
    const pb = tally.protobuf.spans / tally.protobuf.ms;
    figures.push(
      { label: 'JSON / protobuf throughput', value: Math.round((json / pb) * 100) / 100, unit: '×' },
      { label: 'collector RSS, peak', value: Math.round(Math.max(...rssSamples) / 2 ** 20), unit: 'MB' },
      { label: 'acknowledged spans missing from the store', value: lost + incomplete.length, unit: 'spans', target: { op: '<=', value: 0 }, invariant: true },
    );
    notes.unshift(`store holds ${stored.toLocaleString('en-US')} spans, ${ackedSpans.toLocaleString('en-US')} acknowledged (warm-up included)`);
    return {
      measured:
        'OTLP/HTTP exports into the collector CLI (own process, SQLite file, WAL, synchronous=FULL) from a separate load-generator process: ' +
        `${p.senders} concurrent closed-loop senders of ${p.spansPerRequest}-span requests, protobuf and JSON rounds alternating; ` +
        'spans/s acknowledged with 200, request latency to the end of the answer, collector CPU time from /proc, then the store reopened and counted.',
      parameters: { ...p, spansPerTrace: SPANS_PER_TRACE, services: 3, collectorArgs: ['--max-spans', '0'] },
      figures,
      notes,
    };
  } finally {
    senders.close();
    await collector.stop().catch(() => {});
    tmp.remove();
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

const ingest: Benchmark = { name: 'ingest', run };
export default ingest;
