import { describe, expect, it } from 'vitest';
import { span, T0 } from '@/test/trace-builder';
import { ATTR_FETCH_QUEUED_MS } from '@/lib/shared/attributes';
import { analyzeTrace } from './analyze';
import { queuedInterval } from './queued';
import type { TraceSpan } from '@tracelens/jaeger-query/model';

describe('queuedInterval', () => {
  it('is the start of the span, as long as fetch.queued_ms says, clipped to the span', () => {
    expect(queuedInterval(span('get', { start: 100, duration: 5_000, attributes: { [ATTR_FETCH_QUEUED_MS]: 1.25 } }))).toEqual({
      startUs: T0 + 100,
      endUs: T0 + 1_350,
    });
    expect(queuedInterval(span('get', { start: 0, duration: 500, attributes: { [ATTR_FETCH_QUEUED_MS]: 2 } }))?.endUs).toBe(T0 + 500);
  });

  it('is null without the attribute, or for nothing queued', () => {
    expect(queuedInterval(span('get', { duration: 500 }))).toBeNull();
    expect(queuedInterval(span('get', { duration: 500, attributes: { [ATTR_FETCH_QUEUED_MS]: 0 } }))).toBeNull();
    expect(queuedInterval(span('get', { duration: 500, attributes: { [ATTR_FETCH_QUEUED_MS]: 'soon' } }))).toBeNull();
  });
});

/**
 * The slowest trace of a 50-request contention Load run, as Chromium and the
 * servers recorded it (offsets in ms from the click):
 *
 *   web-ui          scenario click                0 .. 5 204.4
 *   web-ui          └─ GET                        0 .. 5 205.0   requestStart at +4 595.7: fetch.queued_ms 4 595.5
 *   frontend-api       └─ GET /api/scenarios/…    4 599 .. 5 205.2
 *   data-processor        └─ GET /scenarios/…     4 604 .. 5 196
 *   data-processor           ├─ wait for connection   4 605 .. 5 091.1
 *   data-processor           └─ use connection        5 092 .. 5 192.6
 */
function loadRunTrace(queuedMs: number | null): TraceSpan[] {
  const ms = (value: number) => Math.round(value * 1_000);
  const host = { 'host.id': 'm1' };
  return [
    span('click', { service: 'web-ui', name: 'scenario click', duration: ms(5_204.4) }),
    span('get', {
      parent: 'click',
      service: 'web-ui',
      name: 'GET',
      kind: 'client',
      duration: ms(5_205),
      attributes: queuedMs === null ? {} : { [ATTR_FETCH_QUEUED_MS]: queuedMs },
    }),
    span('api', { parent: 'get', service: 'frontend-api', name: 'GET /api/scenarios/contention/[name]', kind: 'server', resource: host, start: ms(4_599), duration: ms(606.2) }),
    span('dp', { parent: 'api', service: 'data-processor', name: 'GET /scenarios/contention/:name', kind: 'server', resource: host, start: ms(4_604), duration: ms(592) }),
    span('wait', { parent: 'dp', service: 'data-processor', name: 'wait for connection', resource: host, start: ms(4_605), duration: ms(486.1) }),
    span('use', { parent: 'dp', service: 'data-processor', name: 'use connection', resource: host, start: ms(5_092), duration: ms(100.6) }),
  ];
}

describe('a request queued in the browser', () => {
  const analyze = (queuedMs: number | null) => analyzeTrace({ traceId: 't', warnings: [], spans: loadRunTrace(queuedMs) });

  it('used to be the largest self time of the trace, and dragged the server side seconds early', () => {
    const { selfTimes, tree } = analyze(null);
    expect(selfTimes.largest?.span.name).toBe('GET');
    expect(selfTimes.byKey.get('get')).toBeGreaterThan(4_500_000);
    // The frontend-api span ends 0.2 ms after the browser's (which ends on a
    // whole millisecond): another clock, so Jaeger's rule centres it in all of GET.
    expect((tree.byKey.get('api')?.span.startUs ?? 0) - T0).toBe(2_299_400);
  });

  it("is not the fetch span's self time: the wait for the connection pool is the largest", () => {
    const { selfTimes } = analyze(4_595.5);
    expect(selfTimes.largest?.span.name).toBe('wait for connection');
    // 5 205 ms, less 4 595.5 queued, less the 606.2 ms of the frontend-api's span under it.
    expect(selfTimes.byKey.get('get')).toBe(3_300);
    expect(selfTimes.queuedUs).toBe(4_595_500);
    expect(selfTimes.byService.find((s) => s.service === 'web-ui')?.selfTimeUs).toBe(3_300);
  });

  it('fits the server side into the part of the fetch span after the queue', () => {
    const { tree, clockSkew } = analyze(4_595.5);
    // Centred in 4 595.5 .. 5 205: 1.65 ms each way, so moved 1.85 ms earlier, not 2.3 s.
    expect((tree.byKey.get('api')?.span.startUs ?? 0) - T0).toBe(4_597_150);
    expect(clockSkew.get('api')?.deltaUs).toBe(-1_850);
  });

  it("is on the critical path as a queued section, not as the span's work", () => {
    const path = analyze(4_595.5).criticalPath;
    const onGet = path?.sections.filter((section) => section.key === 'get').map((s) => [s.startUs - T0, s.endUs - T0, s.queued]);
    expect(onGet).toEqual([
      [0, 4_595_500, true],
      [4_595_500, 4_597_150, false],
      [5_203_350, 5_204_400, false],
    ]);
    expect(path?.queuedUs).toBe(4_595_500);
    expect(path?.sections.filter((section) => section.queued && section.key !== 'get')).toEqual([]);
  });
});
