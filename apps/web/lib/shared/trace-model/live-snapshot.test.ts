import { describe, expect, it } from 'vitest';
import { span, TRACE_ID } from '@/test/trace-builder';
import type { TraceSpan } from '@tracelens/jaeger-query/model';
import { LIVE_MAX_ROWS, liveSnapshot } from './live-snapshot';

const EXPECTED = ['web-ui', 'frontend-api', 'data-processor'];

describe('liveSnapshot', () => {
  it('is empty and incomplete before any span arrived', () => {
    expect(liveSnapshot(TRACE_ID, null, EXPECTED)).toMatchObject({ spanCount: 0, complete: false, missingServices: EXPECTED, rows: [] });
  });

  it('names the services still missing, rows in parent order', () => {
    const snapshot = liveSnapshot(
      TRACE_ID,
      {
        traceId: TRACE_ID,
        warnings: [],
        spans: [
          span('api', { parent: 'click', service: 'frontend-api', start: 10, duration: 50 }),
          span('click', { service: 'web-ui', start: 0, duration: 100 }),
        ],
      },
      EXPECTED,
    );
    expect(snapshot).toMatchObject({ complete: false, missingServices: ['data-processor'], services: ['web-ui', 'frontend-api'] });
    expect(snapshot.rows.map((row) => [row.key, row.depth, row.offsetUs, row.durationUs])).toEqual([
      ['click', 0, 0, 100],
      ['api', 1, 10, 50],
    ]);
  });

  it('is not complete while a span waits for its parent, even with every service in', () => {
    const snapshot = liveSnapshot(
      TRACE_ID,
      {
        traceId: TRACE_ID,
        warnings: [],
        spans: [
          span('click', { service: 'web-ui', duration: 100 }),
          // Its parent, the browser's fetch span, comes in the next browser batch.
          span('api', { parent: 'fetch', service: 'frontend-api', start: 10, duration: 50 }),
          span('dp', { parent: 'api', service: 'data-processor', start: 20, duration: 10 }),
        ],
      },
      EXPECTED,
    );
    expect(snapshot).toMatchObject({ complete: false, missingServices: [], orphanCount: 1 });
  });

  it('is complete with every expected service and every parent, and marks errors and their origin', () => {
    const snapshot = liveSnapshot(
      TRACE_ID,
      {
        traceId: TRACE_ID,
        warnings: [],
        spans: [
          span('click', { service: 'web-ui', duration: 100, error: true }),
          span('api', { parent: 'click', service: 'frontend-api', start: 10, duration: 50, error: true }),
          span('dp', { parent: 'api', service: 'data-processor', start: 20, duration: 10, error: true }),
        ],
      },
      EXPECTED,
    );
    expect(snapshot).toMatchObject({ complete: true, missingServices: [], orphanCount: 0, errorCount: 3, spanCount: 3 });
    expect(snapshot.rows.filter((row) => row.errorOrigin).map((row) => row.key)).toEqual(['dp']);
  });

  it('marks the rows whose parent is missing', () => {
    const snapshot = liveSnapshot(
      TRACE_ID,
      { traceId: TRACE_ID, warnings: [], spans: [span('root', { duration: 10 }), span('late', { parent: 'gone', start: 5, duration: 1 })] },
      [],
    );
    expect(snapshot.rows.filter((row) => row.missingParent).map((row) => row.key)).toEqual(['late']);
  });

  it('keeps the first rows of a large trace and counts the rest', () => {
    const spans = [span('root', { duration: 1_000 }), ...Array.from({ length: 99 }, (_, i) => span(`c${i}`, { parent: 'root', start: i }))];
    const snapshot = liveSnapshot(TRACE_ID, { traceId: TRACE_ID, warnings: [], spans }, []);
    expect(snapshot.rows).toHaveLength(LIVE_MAX_ROWS);
    expect(snapshot.hiddenCount).toBe(100 - LIVE_MAX_ROWS);
  });

  it('carries how long a row\'s request was queued in the browser, for the waterfall to label', () => {
    const snapshot = liveSnapshot(
      TRACE_ID,
      {
        traceId: TRACE_ID,
        warnings: [],
        spans: [
          span('click', { service: 'web-ui', duration: 5_000 }),
          span('get', { parent: 'click', service: 'web-ui', kind: 'client', duration: 4_900, attributes: { 'fetch.queued_ms': 3.5 } }),
        ],
      },
      EXPECTED,
    );
    expect(snapshot.rows.map((row) => [row.key, row.queuedUs])).toEqual([
      ['click', 0],
      ['get', 3_500],
    ]);
  });

  describe('shortfall: why an incomplete trace is incomplete', () => {
    const snapshotOf = (...spans: TraceSpan[]) => liveSnapshot(TRACE_ID, { traceId: TRACE_ID, warnings: [], spans }, EXPECTED);

    it('is null for a complete trace and for an empty one', () => {
      expect(liveSnapshot(TRACE_ID, null, EXPECTED)).toMatchObject({ shortfall: null, rootArrived: false });
      const complete = snapshotOf(
        span('click', { service: 'web-ui', duration: 100 }),
        span('api', { parent: 'click', service: 'frontend-api', start: 10, duration: 50 }),
        span('dp', { parent: 'api', service: 'data-processor', start: 20, duration: 10 }),
      );
      expect(complete).toMatchObject({ complete: true, shortfall: null, rootArrived: true });
    });

    //   web-ui   process click   ERROR, error.type=TypeError, exception "Failed to fetch"
    //   web-ui   └─ GET          status 0 (the fetch instrumentation's "no answer"), no child
    it("names the browser's failed fetch, without claiming the server never got it", () => {
      const snapshot = snapshotOf(
        span('click', {
          service: 'web-ui',
          duration: 100,
          error: true,
          attributes: { 'error.type': 'TypeError' },
          events: [{ name: 'exception', at: 90, attributes: { 'exception.message': 'Failed to fetch' } }],
        }),
        span('get', { parent: 'click', service: 'web-ui', kind: 'client', name: 'GET', start: 5, duration: 80, attributes: { 'http.response.status_code': 0 } }),
      );
      expect(snapshot.rootArrived).toBe(true);
      expect(snapshot.shortfall).toEqual({
        explanation: 'No spans from frontend-api or data-processor: the call web-ui: GET failed (Failed to fetch) and nothing more arrived.',
        certain: false,
      });
    });

    it('says a timed-out call may still have reached the server', () => {
      const snapshot = snapshotOf(
        span('click', { service: 'web-ui', duration: 2_000 }),
        span('get', { parent: 'click', service: 'web-ui', kind: 'client', start: 5, duration: 1_900 }),
        span('api', { parent: 'get', service: 'frontend-api', kind: 'server', start: 10, duration: 1_800, error: true }),
        span('scenario', { parent: 'api', service: 'frontend-api', start: 20, duration: 1_500, error: true, attributes: { 'error.type': 'timeout' } }),
        span('fetch', { parent: 'scenario', service: 'frontend-api', kind: 'client', name: 'fetch GET /slow', start: 30, duration: 1_000, error: true }),
      );
      expect(snapshot.shortfall).toEqual({
        explanation: 'No spans from data-processor: the call frontend-api: fetch GET /slow failed (no answer in time) and nothing more arrived.',
        certain: false,
      });
    });

    it('names the services still missing when no call failed, and the parents that never came', () => {
      expect(snapshotOf(span('click', { service: 'web-ui', duration: 100 })).shortfall).toEqual({
        explanation: 'No spans from frontend-api or data-processor arrived.',
        certain: false,
      });
      const orphaned = snapshotOf(
        span('click', { service: 'web-ui', duration: 100 }),
        span('api', { parent: 'lost', service: 'frontend-api', start: 10, duration: 50 }),
        span('dp', { parent: 'api', service: 'data-processor', start: 20, duration: 10 }),
      );
      expect(orphaned.shortfall).toEqual({ explanation: 'The parent of 1 span never arrived.', certain: false });
      expect(orphaned.rootArrived).toBe(true);
      // Only orphans at the top: the root is not in.
      expect(snapshotOf(span('api', { parent: 'lost', service: 'frontend-api', duration: 50 })).rootArrived).toBe(false);
    });
  });
});
