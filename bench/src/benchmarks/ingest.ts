/**
 * `ingest`: how fast a trace store takes OTLP/HTTP exports, protobuf and
 * JSON: the embedded store side by side with the pinned real Jaeger (memory
 * storage, and Badger for a persistent peer), the same input to each.
 *
 * Each store runs as its own process (the store as the `tracelens-collector`
 * CLI on a SQLite file in a temp directory); the load generator runs in
 * another (collector/sender.ts): 4 concurrent closed-loop senders on
 * keep-alive connections POST 512-span requests of 10-span traces in 3
 * services with realistic attributes and random-looking ids, every request
 * with new ids. Rounds rotate over stores and alternate encodings, so drift
 * in the machine's load hits all alike. Afterwards the store is stopped and
 * reopened: it must hold exactly the acknowledged spans; the Jaeger peers
 * must answer for a sample of what they acknowledged. A last, unmeasured
 * pair of rounds runs the store under --cpu-prof to say where its time goes.
 */
import path from 'node:path';
import { startCollector } from '@tracelens/trace-store';
import { BACKENDS, percentile, type Benchmark, type BenchmarkContext, type Figure } from '../harness.js';
import { BACKEND_LABEL, jaegerBinary, startBackend, type Backend, type BackendKind } from '../collector/backends.js';
import { describeLoad, watchMachineLoad } from '../collector/machine-load.js';
import { newNonce, SPANS_PER_TRACE, traceIdOf, type Encoding } from '../collector/otlp-template.js';
import { sampleRss, spawnCollector, tempDir } from '../collector/process.js';
import { formatSummary, summarizeProfiles } from '../collector/profile.js';
import { OtlpSenders, type SendResult } from '../collector/senders.js';

interface Parameters {
  senders: number;
  spansPerRequest: number;
  warmupMs: number;
  roundMs: number;
  /** Rounds per store and encoding. */
  rounds: number;
  /** Length of each of the two profiled rounds; 0 skips profiling. */
  profileMs: number;
  /** Acknowledged traces read back through /api/traces/{id}. */
  verifyTraces: number;
}

const FULL: Parameters = { senders: 4, spansPerRequest: 512, warmupMs: 3_000, roundMs: 5_000, rounds: 3, profileMs: 4_000, verifyTraces: 200 };
const SMOKE: Parameters = { senders: 2, spansPerRequest: 64, warmupMs: 200, roundMs: 400, rounds: 1, profileMs: 0, verifyTraces: 5 };

const TARGET_SPANS_PER_S: Record<Encoding, number> = { protobuf: 100_000, json: 60_000 };
const ENCODINGS: Encoding[] = ['protobuf', 'json'];

interface Tally {
  spans: number;
  ms: number;
  latencies: number[];
  cpuSeconds: number;
  perRound: number[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const thousands = (x: number) => Math.round(x).toLocaleString('en-US');

async function run(ctx: BenchmarkContext) {
  const p = ctx.smoke ? SMOKE : FULL;
  const tmp = tempDir('tracelens-bench-ingest-');
  const nonce = newNonce();
  const baseNs = BigInt(Date.now() - 3_600_000) * 1_000_000n;
  const notes: string[] = [];
  const wanted = ctx.options.backends ?? [...BACKENDS];
  const kinds: BackendKind[] = [];
  let binary: string | undefined;
  if (wanted.some((k) => k !== 'store')) {
    const jaeger = await jaegerBinary(ctx.log);
    if ('binary' in jaeger) binary = jaeger.binary;
    else notes.push(`Jaeger skipped: ${jaeger.unavailable}`);
  }
  for (const k of wanted) if (k === 'store' || binary) kinds.push(k);
  if (!kinds.includes('store')) kinds.unshift('store');

  const backends = new Map<BackendKind, Backend>();
  const senders = new OtlpSenders();
  try {
    for (const kind of kinds) {
      // Jaeger's memory storage must keep every trace of the run for the read-back to mean anything.
      backends.set(kind, await startBackend(kind, binary, { dir: path.join(tmp.dir, kind), maxTraces: 2_000_000 }));
    }
    let nextRequest = 0;
    const acked = new Map<BackendKind, number[]>(kinds.map((k) => [k, []]));
    let unanswered = 0;
    let refused = 0;
    const send = async (backend: Backend, label: string, encoding: Encoding, durationMs: number): Promise<SendResult> => {
      const result = await senders.run({
        label,
        url: `${backend.otlpUrl}/v1/traces`,
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
      acked.get(backend.kind)?.push(...result.acked);
      unanswered += result.unanswered.length;
      if (backend.kind === 'store') refused += result.refused;
      const other = Object.entries(result.otherStatuses);
      if (other.length > 0 || result.failed > 0) {
        throw new Error(`${label}: unexpected answers ${JSON.stringify(result.otherStatuses)}, ${result.failed} failed requests`);
      }
      return result;
    };

    ctx.log(`warm-up ${p.warmupMs} ms per store and encoding: ${kinds.map((k) => BACKEND_LABEL[k]).join(', ')}`);
    for (const backend of backends.values()) for (const encoding of ENCODINGS) await send(backend, `warm-up ${backend.label} ${encoding}`, encoding, p.warmupMs);

    const tally = new Map<string, Tally>();
    const key = (kind: BackendKind, encoding: Encoding) => `${kind}/${encoding}`;
    for (const kind of kinds) for (const e of ENCODINGS) tally.set(key(kind, e), { spans: 0, ms: 0, latencies: [], cpuSeconds: 0, perRound: [] });
    const rss = [...backends.values()].map((b) => ({ kind: b.kind, sampler: sampleRss(b, 250) }));
    const load = watchMachineLoad();
    for (let round = 0; round < p.rounds; round++) {
      // Rotate the stores and alternate the encodings from round to round.
      const order = kinds.map((_, i) => kinds[(i + round) % kinds.length] as BackendKind);
      for (const kind of order) {
        const backend = backends.get(kind) as Backend;
        for (const encoding of round % 2 === 0 ? ENCODINGS : [...ENCODINGS].reverse()) {
          const cpu0 = backend.cpuSeconds();
          const r = await send(backend, `${backend.label} ${encoding} #${round + 1}`, encoding, p.roundMs);
          const t = tally.get(key(kind, encoding)) as Tally;
          const spans = r.acked.length * p.spansPerRequest;
          t.spans += spans;
          t.ms += r.elapsedMs;
          t.latencies.push(...r.latenciesMs);
          t.cpuSeconds += backend.cpuSeconds() - cpu0;
          t.perRound.push(spans / (r.elapsedMs / 1000));
          ctx.log(
            `${backend.label} ${encoding} #${round + 1}: ${thousands(spans / (r.elapsedMs / 1000))} spans/s, ` +
              `p50 ${percentile(r.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(r.latenciesMs, 99).toFixed(1)} ms, ${r.refused} refused`,
          );
        }
      }
    }
    const machineLoad = load();
    const rssPeak = new Map(rss.map(({ kind, sampler }) => [kind, Math.max(...sampler.stop())]));

    // Jaeger's stores answer for a sample of what they acknowledged, before they stop (memory storage ends with the process).
    const verify = async (backend: Backend): Promise<string[]> => {
      const list = acked.get(backend.kind) ?? [];
      const incomplete: string[] = [];
      const fullTraces = Math.floor(p.spansPerRequest / SPANS_PER_TRACE);
      for (let i = 0; i < p.verifyTraces && list.length > 0; i++) {
        const request = list[Math.floor(Math.random() * list.length)] as number;
        const id = traceIdOf(nonce, request, Math.floor(Math.random() * fullTraces));
        const res = await fetch(`${backend.queryUrl}/api/traces/${id}`);
        const body = (await res.json()) as { data?: { spans: unknown[] }[] };
        if (res.status !== 200 || body.data?.[0]?.spans.length !== SPANS_PER_TRACE) incomplete.push(id);
      }
      return incomplete;
    };
    for (const backend of backends.values()) {
      if (backend.kind === 'store') continue;
      const incomplete = await verify(backend);
      if (incomplete.length > 0) notes.push(`${backend.label}: acknowledged traces missing or incomplete: ${incomplete.slice(0, 3).join(', ')}`);
    }
    for (const backend of backends.values()) await backend.stop();

    // Reopen the store's file: exactly the acknowledged spans, every acknowledged trace whole.
    const db = path.join(tmp.dir, 'store', 'store', 'traces.db');
    const reopened = await startCollector({ otlpPort: 0, queryPort: 0, db, maxSpans: 0, retentionMs: 0 });
    let stored: number;
    let incomplete: string[];
    try {
      stored = reopened.store.spanCount();
      incomplete = await verify({ kind: 'store', queryUrl: reopened.queryUrl } as Backend);
    } finally {
      await reopened.close();
    }
    const ackedSpans = (acked.get('store') ?? []).length * p.spansPerRequest;
    const lost = Math.max(0, ackedSpans - stored);
    const unexpected = stored - ackedSpans;
    if (incomplete.length > 0) notes.push(`store: acknowledged traces missing or incomplete: ${incomplete.slice(0, 5).join(', ')}`);
    if (unexpected > 0) notes.push(`${unexpected} stored spans were never acknowledged (${unanswered} requests went unanswered)`);
    if (refused > 0) notes.push(`${refused} requests were refused by the store (503/429) and not counted; the queue bound was reached`);

    if (p.profileMs > 0) {
      const profileDir = path.join(tmp.dir, 'profile');
      const profiled = await spawnCollector(['--db', path.join(tmp.dir, 'profiled.db'), '--max-spans', '0'], ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
      try {
        for (const encoding of ENCODINGS) {
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
          ctx.log(`profiled ${encoding}: ${thousands((r.acked.length * p.spansPerRequest) / (r.elapsedMs / 1000))} spans/s (under --cpu-prof)`);
        }
      } finally {
        await profiled.stop();
      }
      const summary = summarizeProfiles(profileDir);
      notes.push(...formatSummary(summary).map((line) => `store CPU profile (${p.profileMs / 1000} s protobuf + ${p.profileMs / 1000} s JSON, all threads), ${line}`));
    }

    const figures: Figure[] = [];
    const rate = (kind: BackendKind, e: Encoding) => {
      const t = tally.get(key(kind, e)) as Tally;
      return t.spans / (t.ms / 1000);
    };
    for (const encoding of ENCODINGS) {
      for (const kind of kinds) {
        const t = tally.get(key(kind, encoding)) as Tally;
        const label = BACKEND_LABEL[kind];
        figures.push(
          {
            label: `${encoding}: spans/s acknowledged, ${label}`,
            value: Math.round(rate(kind, encoding)),
            unit: 'spans/s',
            ...(kind === 'store' ? { target: { op: '>=' as const, value: TARGET_SPANS_PER_S[encoding] } } : {}),
          },
          { label: `${encoding}: request latency p50, ${label}`, value: round1(percentile(t.latencies, 50)), unit: 'ms' },
          { label: `${encoding}: request latency p99, ${label}`, value: round1(percentile(t.latencies, 99)), unit: 'ms' },
          { label: `${encoding}: CPU per span, ${label}`, value: round1((t.cpuSeconds * 1e6) / t.spans), unit: 'µs' },
        );
        notes.push(
          `${label} ${encoding}: rounds ${t.perRound.map(thousands).join(', ')} spans/s; it used ${(t.cpuSeconds / (t.ms / 1000)).toFixed(2)} cores`,
        );
      }
      for (const kind of kinds) {
        if (kind === 'store') continue;
        figures.push({ label: `${encoding}: store throughput ÷ ${BACKEND_LABEL[kind]}`, value: round2(rate('store', encoding) / rate(kind, encoding)), unit: '×' });
      }
    }
    for (const kind of kinds) figures.push({ label: `RSS peak, ${BACKEND_LABEL[kind]}`, value: Math.round((rssPeak.get(kind) ?? NaN) / 2 ** 20), unit: 'MB' });
    figures.push({ label: 'acknowledged spans missing from the store', value: lost + incomplete.length, unit: 'spans', target: { op: '<=', value: 0 }, invariant: true });
    notes.unshift(`store holds ${thousands(stored)} spans, ${thousands(ackedSpans)} acknowledged (warm-up included)`, describeLoad(machineLoad));
    return {
      measured:
        'OTLP/HTTP exports into each store (own process each: the collector CLI on a SQLite file, WAL, synchronous=FULL; the pinned Jaeger 2.12 with memory storage; ' +
        'the same Jaeger with Badger) from a separate load-generator process: ' +
        `${p.senders} concurrent closed-loop senders of ${p.spansPerRequest}-span requests, rounds rotating over stores, protobuf and JSON alternating; ` +
        'spans/s acknowledged with 200, request latency to the end of the answer, CPU time of each store from /proc, then the store reopened and counted.',
      parameters: { ...p, spansPerTrace: SPANS_PER_TRACE, services: 3, backends: kinds },
      figures,
      notes,
    };
  } finally {
    senders.close();
    for (const backend of backends.values()) await backend.stop().catch(() => {});
    tmp.remove();
  }
}

const ingest: Benchmark = { name: 'ingest', run };
export default ingest;
