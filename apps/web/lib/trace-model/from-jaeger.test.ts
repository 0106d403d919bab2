import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jaegerTraceSchema } from '../trace-query/jaeger-schema';
import { fromJaegerTrace, UNKNOWN_SERVICE } from './from-jaeger';
import { buildTree } from './tree';

// Jaeger's own v1 UI JSON fixture, copied into fixtures/ (see its README for origin and licence).
const ui01 = jaegerTraceSchema.parse(JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'jaeger-ui_01.json'), 'utf8')));

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
    expect(second?.attributes).toContainEqual({ key: 'javascript_limit', value: '9223372036854775222' });
    expect(trace.spans[2]?.resource).toEqual([{ key: 'service.name', value: 'service-y' }]);
  });

  it('takes the first CHILD_OF reference into the same trace as the parent and keeps every reference', () => {
    const reference = fromJaegerTrace(ui01).spans[3];
    expect(reference?.parentSpanId).toBe('0000000000000002');
    expect(reference?.references.map((r) => r.type)).toEqual(['CHILD_OF', 'CHILD_OF', 'FOLLOWS_FROM']);
    expect(reference?.warnings).toEqual(['some span warning']);
  });

  it("keeps the fixture's repeated span id as two spans", () => {
    const tree = buildTree(fromJaegerTrace(ui01).spans);
    expect(tree.nodes.map((n) => n.key)).toEqual([
      '0000000000000002',
      '0000000000000003',
      '0000000000000004',
      '0000000000000005',
      '0000000000000002~2',
    ]);
  });

  it('derives kind and ERROR from the OTel tags Jaeger adds, and survives a missing process', () => {
    const trace = fromJaegerTrace(
      jaegerTraceSchema.parse({
        traceID: 'ABCDEF0123456789ABCDEF0123456789',
        spans: [
          {
            traceID: 'ABCDEF0123456789ABCDEF0123456789',
            spanID: 'AAAAAAAAAAAAAAAA',
            operationName: 'GET /data/:name',
            references: null,
            startTime: 10,
            duration: -5,
            tags: [
              { key: 'span.kind', type: 'string', value: 'server' },
              { key: 'otel.status_code', type: 'string', value: 'ERROR' },
              { key: 'payload', value: { nested: true } },
            ],
            logs: null,
            processID: 'p9',
            warnings: null,
          },
        ],
        processes: {},
        warnings: null,
      }),
    );
    expect(trace.traceId).toBe('abcdef0123456789abcdef0123456789');
    expect(trace.spans[0]).toMatchObject({
      spanId: 'aaaaaaaaaaaaaaaa',
      parentSpanId: null,
      service: UNKNOWN_SERVICE,
      kind: 'server',
      error: true,
      durationUs: 0,
      events: [],
      warnings: [],
    });
    expect(trace.spans[0]?.attributes).toContainEqual({ key: 'payload', value: '{"nested":true}' });
  });
});
