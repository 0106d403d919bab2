import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, readGolden } from '../test/golden.js';
import { fromJaegerTrace, fromLogRecord, fromOtlpTraces, isErrorStatus, severityName, spanAttribute, UNKNOWN_SERVICE, type TraceSpan } from './model.js';
import { v1TraceSchema, v1TracesAnswer } from './v1.js';
import { v3TracesAnswer } from './v3.js';

// Jaeger's own v1 UI JSON fixture (see test/golden/README.md for origin and licence).
const ui01 = v1TraceSchema.parse(JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, 'jaeger-ui_01.json'), 'utf8')));

const v1Trace = (name: string) => fromJaegerTrace(v1TracesAnswer.parse(readGolden(`${name}.json`).body).data?.[0] ?? fail(name));
const v3Trace = (name: string) => fromOtlpTraces(v3TracesAnswer.parse(readGolden(`${name}.json`).body).result)[0] ?? fail(name);
function fail(name: string): never {
  throw new Error(`no trace in ${name}`);
}

describe('fromJaegerTrace', () => {
  it("reads Jaeger's fixture: services from processes, typed tag values, logs as events", () => {
    const trace = fromJaegerTrace(ui01);
    expect(trace.traceId).toBe('0000000000000001');
    expect(trace.warnings).toEqual(['some trace warning']);
    const [first, second] = trace.spans;
    expect(first?.service).toBe('service-x');
    expect(first?.events).toEqual([
      { timeUs: 1485467191639875, name: 'some-event', attributes: [] },
      { timeUs: 1485467191639875, name: 'log', attributes: [{ key: 'x', value: 'y' }] },
    ]);
    expect(second?.error).toBe(true);
    expect(second?.attributes).toContainEqual({ key: 'temperature', value: 72.5 });
    // int64 beyond 2^53 stays the exact text Jaeger sent.
    expect(spanAttribute(second as TraceSpan, 'javascript_limit')).toBe('9223372036854775222');
    expect(trace.spans[2]?.resource).toEqual([{ key: 'service.name', value: 'service-y' }]);
    // The fixture repeats a span id: both spans are kept.
    expect(trace.spans.filter((span) => span.spanId === '0000000000000002')).toHaveLength(2);
  });

  it('takes the first CHILD_OF reference into the same trace as the parent and keeps every reference', () => {
    const reference = fromJaegerTrace(ui01).spans[3];
    expect(reference?.parentSpanId).toBe('0000000000000002');
    expect(reference?.references.map((r) => r.type)).toEqual(['CHILD_OF', 'CHILD_OF', 'FOLLOWS_FROM']);
    expect(reference?.warnings).toEqual(['some span warning']);
  });

  it('derives kind and ERROR from the tags Jaeger adds, and survives a missing process', () => {
    const trace = fromJaegerTrace(
      v1TraceSchema.parse({
        traceID: 'abcdef0123456789abcdef0123456789',
        spans: [
          {
            traceID: 'abcdef0123456789abcdef0123456789',
            spanID: 'aaaaaaaaaaaaaaaa',
            operationName: 'GET /data/:name',
            references: [],
            startTime: 10,
            duration: -5,
            tags: [
              { key: 'span.kind', type: 'string', value: 'server' },
              { key: 'otel.status_code', type: 'string', value: 'ERROR' },
            ],
            logs: [],
            processID: 'p9',
            warnings: null,
          },
        ],
        processes: {},
        warnings: null,
      }),
    );
    expect(trace.spans[0]).toMatchObject({ parentSpanId: null, service: UNKNOWN_SERVICE, kind: 'server', error: true, durationUs: 0, events: [], warnings: [] });
  });

  it("reads the app's click as Jaeger stored it: one tree over three services", () => {
    const trace = v1Trace('v1-app-trace-click');
    expect(new Set(trace.spans.map((span) => span.service))).toEqual(new Set(['web-ui', 'frontend-api', 'data-processor']));
    expect(trace.spans.filter((span) => span.parentSpanId === null).map((span) => span.name)).toEqual(['process click']);
    expect(trace.spans.some((span) => span.error)).toBe(false);
  });
});

describe('isErrorStatus: one rule for ERROR', () => {
  const tags = (...pairs: [string, unknown][]) => pairs.map(([key, value]) => ({ key, value }));

  it.each([
    ['OTel status ERROR, as Jaeger writes it (with error=true)', tags(['otel.status_code', 'ERROR'], ['error', true]), true],
    ['OTel status ERROR without the error tag', tags(['otel.status_code', 'ERROR']), true],
    ['an explicit OK, whatever an `error` attribute says', tags(['otel.status_code', 'OK'], ['error', true]), false],
    ['no OTel status, error=true (a Jaeger client)', tags(['error', true]), true],
    ['no OTel status, error="true" (Zipkin)', tags(['error', 'true']), true],
    ['no OTel status, error=false', tags(['error', false]), false],
    ['no status at all', tags(['http.response.status_code', 500]), false],
  ])('%s', (_case, given, expected) => {
    expect(isErrorStatus(given)).toBe(expected);
  });
});

describe('fromOtlpTraces', () => {
  it("reads api_v3's answer for the same traces as v1's: same spans, parents, services, kinds, errors and times", () => {
    for (const name of ['app-trace-click', 'app-trace-error']) {
      const key = (span: TraceSpan) => [span.spanId, span.parentSpanId, span.service, span.name, span.kind, span.error, span.startUs, span.durationUs];
      const byId = (a: TraceSpan, b: TraceSpan) => a.spanId.localeCompare(b.spanId);
      const v1 = v1Trace(`v1-${name}`);
      const v3 = v3Trace(`v3-${name}`);
      expect(v3.traceId).toBe(v1.traceId);
      expect([...v3.spans].sort(byId).map(key)).toEqual([...v1.spans].sort(byId).map(key));
      const events = (trace: typeof v1) => trace.spans.flatMap((span) => span.events.map((e) => `${span.spanId} ${e.name} ${e.timeUs}`)).sort();
      expect(events(v3)).toEqual(events(v1));
    }
  });

  it('reads every value type as v1 shows it, links as FOLLOWS_FROM references', () => {
    const span = v3Trace('v3-trace-attributes').spans[0] as TraceSpan;
    expect(spanAttribute(span, 'int.max')).toBe('9223372036854775807');
    expect(spanAttribute(span, 'int.negative')).toBe(-42);
    expect(spanAttribute(span, 'double.pi')).toBe(3.141592653589793);
    expect(spanAttribute(span, 'bool.false')).toBe(false);
    expect(spanAttribute(span, 'array.strings')).toBe('["a","b"]');
    expect(spanAttribute(span, 'empty.value')).toBe('');
    const linked = v3Trace('v3-trace-links').spans.find((s) => s.references.some((r) => r.type === 'FOLLOWS_FROM'));
    expect(linked?.references.filter((r) => r.type === 'FOLLOWS_FROM').length).toBeGreaterThan(0);
  });
});

describe('log records', () => {
  it.each([
    [1, 'TRACE'],
    [5, 'DEBUG'],
    [9, 'INFO'],
    [10, 'INFO2'],
    [13, 'WARN'],
    [17, 'ERROR'],
    [24, 'FATAL4'],
    [0, 'UNSPECIFIED'],
    [25, 'UNSPECIFIED'],
  ])('names severity %i %s', (number, name) => {
    expect(severityName(number)).toBe(name);
  });

  it('fills what the record leaves empty: the severity from its number, no span', () => {
    const traceID = '0af7651916cd43dd8448eb211c80319c';
    expect(fromLogRecord({ traceID, spanID: '', timestamp: 7, severityNumber: 17, severityText: ' ', body: '', serviceName: '', attributes: [] })).toEqual({
      traceId: traceID,
      spanId: null,
      timeUs: 7,
      severityNumber: 17,
      severity: 'ERROR',
      body: '',
      service: '',
      attributes: [],
    });
  });
});
