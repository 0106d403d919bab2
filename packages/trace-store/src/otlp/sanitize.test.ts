import { describe, expect, it } from 'vitest';
import type { ResourceSpans, Span } from './model.js';
import { WARNINGS_ATTRIBUTE, sanitizeTraces } from './sanitize.js';

const span = (start: string, end: string): Span => ({
  traceId: '1'.repeat(32),
  spanId: '2'.repeat(16),
  parentSpanId: '',
  traceState: '',
  flags: 0,
  name: 'op',
  kind: 1,
  startTimeUnixNano: start,
  endTimeUnixNano: end,
  attributes: [],
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: { code: 0, message: '' },
});

const resourceSpans = (attributes: ResourceSpans['resource']['attributes'], spans: Span[] = []): ResourceSpans => ({
  resource: { attributes, droppedAttributesCount: 0 },
  schemaUrl: '',
  scopeSpans: [{ scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans }],
});

describe("Jaeger's storage sanitizers", () => {
  it('gives a resource without a usable service.name the placeholder Jaeger stores', () => {
    const [missing, wrongType, empty, fine] = sanitizeTraces([
      resourceSpans([{ key: 'host.name', value: { stringValue: 'h' } }]),
      resourceSpans([{ key: 'service.name', value: { intValue: '42' } }]),
      resourceSpans([{ key: 'service.name', value: { stringValue: '' } }]),
      resourceSpans([{ key: 'service.name', value: { stringValue: 'shop' } }]),
    ]);
    expect(missing?.resource.attributes).toEqual([
      { key: 'host.name', value: { stringValue: 'h' } },
      { key: 'service.name', value: { stringValue: 'missing-service-name' } },
    ]);
    expect(wrongType?.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'service-name-wrong-type' } }]);
    expect(empty?.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'empty-service-name' } }]);
    expect(fine?.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'shop' } }]);
  });

  it('ends a span that does not end after its start 1 ns after it, with the warning Jaeger stores', () => {
    const zero = span('1704068160001000000', '1704068160001000000');
    const normal = span('1', '2');
    sanitizeTraces([resourceSpans([{ key: 'service.name', value: { stringValue: 's' } }], [zero, normal])]);
    expect(zero.endTimeUnixNano).toBe('1704068160001000001');
    expect(zero.attributes).toEqual([
      {
        key: WARNINGS_ATTRIBUTE,
        value: {
          arrayValue: {
            values: [
              {
                stringValue:
                  'Negative duration detected, sanitizing end timestamp. Original end timestamp: 2024-01-01 00:16:00.001 +0000 UTC, adjusted to: 2024-01-01 00:16:00.001000001 +0000 UTC',
              },
            ],
          },
        },
      },
    ]);
    expect(normal.attributes).toEqual([]);
  });
});
