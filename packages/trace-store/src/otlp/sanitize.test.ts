import { describe, expect, it } from 'vitest';
import { toLong, u64, type PbKeyValue, type PbResourceSpans, type PbSpan } from './pb.js';
import { WARNINGS_ATTRIBUTE, sanitizeSpans } from './sanitize.js';

const span = (start: bigint, end: bigint): PbSpan => ({
  traceId: Buffer.alloc(16, 1),
  spanId: Buffer.alloc(8, 2),
  parentSpanId: [],
  traceState: '',
  flags: 0,
  name: 'op',
  kind: 1,
  startTimeUnixNano: toLong(start),
  endTimeUnixNano: toLong(end),
  attributes: [],
  droppedAttributesCount: 0,
  events: [],
  droppedEventsCount: 0,
  links: [],
  droppedLinksCount: 0,
  status: null,
});

const resourceSpans = (attributes: PbKeyValue[], spans: PbSpan[] = []): PbResourceSpans => ({
  resource: { attributes, droppedAttributesCount: 0 },
  schemaUrl: '',
  scopeSpans: [{ scope: null, schemaUrl: '', spans }],
});

const str = (stringValue: string) => ({ value: 'stringValue' as const, stringValue });

describe("Jaeger's storage sanitizers", () => {
  it('gives a resource without a usable service.name the placeholder Jaeger stores', () => {
    const noResource: PbResourceSpans = { resource: null, schemaUrl: '', scopeSpans: [] };
    const [missing, wrongType, empty, fine, none] = sanitizeSpans([
      resourceSpans([{ key: 'host.name', value: str('h') }]),
      resourceSpans([{ key: 'service.name', value: { value: 'intValue', intValue: toLong(42n, true) } }]),
      resourceSpans([{ key: 'service.name', value: str('') }]),
      resourceSpans([{ key: 'service.name', value: str('shop') }]),
      noResource,
    ]);
    expect(missing?.resource?.attributes).toEqual([
      { key: 'host.name', value: str('h') },
      { key: 'service.name', value: str('missing-service-name') },
    ]);
    expect(wrongType?.resource?.attributes).toEqual([{ key: 'service.name', value: str('service-name-wrong-type') }]);
    expect(empty?.resource?.attributes).toEqual([{ key: 'service.name', value: str('empty-service-name') }]);
    expect(fine?.resource?.attributes).toEqual([{ key: 'service.name', value: str('shop') }]);
    expect(none?.resource?.attributes).toEqual([{ key: 'service.name', value: str('missing-service-name') }]);
  });

  it('ends a span that does not end after its start 1 ns after it, with the warning Jaeger stores', () => {
    const zero = span(1704068160001000000n, 1704068160001000000n);
    const normal = span(1n, 2n);
    sanitizeSpans([resourceSpans([{ key: 'service.name', value: str('s') }], [zero, normal])]);
    expect(u64(zero.endTimeUnixNano)).toBe(1704068160001000001n);
    expect(zero.attributes).toEqual([
      {
        key: WARNINGS_ATTRIBUTE,
        value: {
          value: 'arrayValue',
          arrayValue: {
            values: [
              str(
                'Negative duration detected, sanitizing end timestamp. Original end timestamp: 2024-01-01 00:16:00.001 +0000 UTC, adjusted to: 2024-01-01 00:16:00.001000001 +0000 UTC',
              ),
            ],
          },
        },
      },
    ]);
    expect(normal.attributes).toEqual([]);
  });
});
