import { describe, expect, it } from 'vitest';
import { span, TRACE_ID } from '../../test/trace-builder';
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
});
