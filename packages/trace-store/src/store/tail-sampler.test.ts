import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { committedTraces } from '../ingest/ingest.js';
import { prepareSpans } from '../ingest/prepare.js';
import { quietLog } from '../log.js';
import { StoreReader } from './reader.js';
import { ratioKeeps, TailSampler } from './tail-sampler.js';
import { StoreWriter } from './writer.js';

const traceId = (n: number) => n.toString(16).padStart(32, 'c');

/** One 1 ms span per trace, in one export request. */
function request(traceIds: string[]) {
  const spans = traceIds.map((t) => ({
    traceId: t,
    spanId: '00000000000000a1',
    name: 'op',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000001000000',
  }));
  const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] }, scopeSpans: [{ spans }] }] });
  return prepareSpans(Buffer.from(body), 'json');
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A writer (the sampler's deletes go to it, as to the writer thread) and a reader on a fresh file. */
function setup(maxPending = 100) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracelens-sampler-'));
  dirs.push(dir);
  const writer = new StoreWriter(path.join(dir, 'traces.db'), { temporary: true });
  const store = new StoreReader(path.join(dir, 'traces.db'));
  let now = 0;
  const deleter = { deleteTraces: async (traceIds: string[]) => writer.deleteTraces(traceIds) };
  const sampler = new TailSampler(deleter, { waitUs: 1000, latencyUs: 1e6, ratio: 0, maxPending, maxDecisions: 100 }, () => now, quietLog);
  const ingest = (traceIds: string[]) => {
    const prepared = request(traceIds);
    const traces = committedTraces(prepared);
    writer.write({ spans: [prepared], logs: [] }, now);
    sampler.observe(traces, now);
  };
  const close = () => {
    store.close();
    writer.close();
  };
  return { store, sampler, ingest, advance: (us: number) => (now += us), close };
}

const spansOf = (trace: ReturnType<StoreReader['getTrace']>) => trace?.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)) ?? [];

describe('the tail sampler', () => {
  it('decides a trace only once it has been quiet for the whole wait', async () => {
    const { store, sampler, ingest, advance, close } = setup();
    ingest([traceId(1)]);
    advance(600);
    ingest([traceId(1)]); // a second span restarts the wait
    advance(600);
    sampler.tick();
    expect(sampler.stats().pending).toBe(1);
    advance(400);
    sampler.tick(); // due now: 1000 µs after the last span
    await sampler.close(); // finishes the deletes under way
    expect(sampler.stats()).toMatchObject({ pending: 0, dropped: 1, droppedSpans: 2 });
    expect(store.spanCount()).toBe(0);
    close();
  });

  it('decides the least recently updated trace early when the pending cap is hit, and counts it', async () => {
    const { store, sampler, ingest, close } = setup(2);
    ingest([traceId(1), traceId(2)]);
    ingest([traceId(1)]); // trace 2 is now the least recently updated
    ingest([traceId(3)]);
    expect(sampler.stats()).toMatchObject({ pending: 2, decidedEarly: 1, dropped: 1 });
    sampler.tick(); // deletes what was dropped; nothing else is due
    expect(await sampler.close()).toMatchObject({ pending: 2, droppedSpans: 1 });
    expect(store.getTrace(traceId(2))).toBeUndefined();
    expect(spansOf(store.getTrace(traceId(1)))).toHaveLength(2);
    close();
  });

  it('keeps by ratio deterministically on the trace id’s random bits, monotone in the ratio', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `${'ab'.repeat(9)}${(i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0')}${'00'.repeat(3)}`);
    const kept = (ratio: number) => ids.filter((t) => ratioKeeps(t, ratio));
    expect(kept(0)).toEqual([]);
    expect(kept(1)).toHaveLength(ids.length);
    expect(kept(0.25).length / ids.length).toBeGreaterThan(0.2);
    expect(kept(0.25).length / ids.length).toBeLessThan(0.3);
    expect(kept(0.5)).toEqual(expect.arrayContaining(kept(0.25)));
    expect(ratioKeeps('4bf92f3577b34da6a3ce929d0e0e4736', 0.1)).toBe(ratioKeeps('4bf92f3577b34da6a3ce929d0e0e4736', 0.1));
    // Only the rightmost 56 bits count: the high half does not change the decision.
    expect(ratioKeeps(`0000000000000000${'00'}${'ff'.repeat(7)}`, 0.999)).toBe(false);
    expect(ratioKeeps(`ffffffffffffffff${'ff'}${'00'.repeat(7)}`, 0.001)).toBe(true);
  });
});
