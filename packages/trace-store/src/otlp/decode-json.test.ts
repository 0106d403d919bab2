import { describe, expect, it } from 'vitest';
import { decodeJsonTraces } from './decode-json.js';

const wrap = (span: Record<string, unknown>) =>
  JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });

describe('OTLP/JSON decoding', () => {
  it('accepts int64 as strings or numbers, enum names, and uppercase hex ids', () => {
    const [rs] = decodeJsonTraces(
      wrap({
        traceId: '5B8EFFF798038103D269B633813FC60C',
        spanId: 'EEE19B7EC3C1B174',
        kind: 'SPAN_KIND_CLIENT',
        startTimeUnixNano: 1700000000000000,
        endTimeUnixNano: '18446744073709551615',
        attributes: [
          { key: 'big', value: { intValue: '-9223372036854775808' } },
          { key: 'small', value: { intValue: 42 } },
          { key: 'nan', value: { doubleValue: 'NaN' } },
          { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } } },
          { key: 'empty', value: {} },
        ],
        status: { code: 'STATUS_CODE_ERROR' },
        unknownField: 'ignored',
      }),
    );
    const span = rs?.scopeSpans[0]?.spans[0];
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: '',
      kind: 3,
      startTimeUnixNano: '1700000000000000',
      endTimeUnixNano: '18446744073709551615',
      status: { code: 2, message: '' },
    });
    expect(span?.attributes.map((a) => a.value)).toEqual([
      { intValue: '-9223372036854775808' },
      { intValue: '42' },
      { doubleValue: NaN },
      { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } },
      {},
    ]);
  });

  it.each([
    [{ startTimeUnixNano: '18446744073709551616' }, /startTimeUnixNano: expected an unsigned 64-bit integer/],
    [{ startTimeUnixNano: -1 }, /startTimeUnixNano: expected an unsigned 64-bit integer/],
    [{ kind: 'SERVER' }, /kind: expected an enum integer or one of SPAN_KIND_UNSPECIFIED/],
    [{ attributes: {} }, /attributes: expected an array, got \{\}/],
    [{ attributes: [{ key: 'k', value: { intValue: 1.5 } }] }, /attributes\[0\]\.value\.intValue: expected a 64-bit integer/],
    [{ name: 7 }, /spans\[0\]\.name: expected a string, got 7/],
  ])('names the path of %j', (span, message) => {
    expect(() => decodeJsonTraces(wrap(span))).toThrow(message);
  });

  it('treats an empty request as no spans', () => {
    expect(decodeJsonTraces('{}')).toEqual([]);
  });
});
