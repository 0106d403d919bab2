import { describe, expect, it } from 'vitest';
import type { TraceLog } from '@tracelens/jaeger-query/model';
import { groupLogsBySpan } from './logs';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const log = (timeUs: number, spanId: string | null, body: string): TraceLog => ({
  traceId: TRACE_ID,
  spanId,
  timeUs,
  severityNumber: 9,
  severity: 'INFO',
  body,
  service: 'data-processor',
  attributes: [],
});

describe('groupLogsBySpan', () => {
  it('puts each record under its span, in time order, and the rest in the trace logs', () => {
    const logs = [
      log(30, 'aaaaaaaaaaaaaaaa', 'a late'),
      log(10, 'aaaaaaaaaaaaaaaa', 'a early'),
      log(20, 'bbbbbbbbbbbbbbbb', 'b'),
      log(5, null, 'no span'),
      log(15, 'cccccccccccccccc', 'unknown span'),
    ];
    const { bySpanId, traceLogs } = groupLogsBySpan(logs, ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'dddddddddddddddd']);
    expect(bySpanId.get('aaaaaaaaaaaaaaaa')?.map((l) => l.body)).toEqual(['a early', 'a late']);
    expect(bySpanId.get('bbbbbbbbbbbbbbbb')?.map((l) => l.body)).toEqual(['b']);
    expect(bySpanId.has('dddddddddddddddd')).toBe(false);
    expect(traceLogs.map((l) => l.body)).toEqual(['no span', 'unknown span']);
  });

  it('keeps the store order for records at the same time', () => {
    const { bySpanId } = groupLogsBySpan([log(1, 'aaaaaaaaaaaaaaaa', 'first'), log(1, 'aaaaaaaaaaaaaaaa', 'second')], ['aaaaaaaaaaaaaaaa']);
    expect(bySpanId.get('aaaaaaaaaaaaaaaa')?.map((l) => l.body)).toEqual(['first', 'second']);
  });

  it('has nothing to group for no records', () => {
    const { bySpanId, traceLogs } = groupLogsBySpan([], ['aaaaaaaaaaaaaaaa']);
    expect(bySpanId.size).toBe(0);
    expect(traceLogs).toEqual([]);
  });
});
