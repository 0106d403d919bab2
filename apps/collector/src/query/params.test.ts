import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseRfc3339, parseTraceId, parseV1TraceSearch, parseV3TraceQuery } from './params.js';

describe('Go durations', () => {
  it.each([
    ['300ms', 300_000],
    ['1.5h', 5_400_000_000],
    ['2h45m', 9_900_000_000],
    ['10us', 10],
    ['10µs', 10],
    ['1500ns', 2],
    ['0', 0],
    ['-1s', -1_000_000],
  ])('%s is %d µs', (raw, us) => {
    expect(parseGoDuration(raw, 'd')).toBe(us);
  });

  it.each(['', '5', '1x', 'ms', '1h 2m'])('rejects %j', (raw) => {
    expect(() => parseGoDuration(raw, 'minDuration')).toThrow(/cannot parse minDuration/);
  });
});

describe('v1 trace search parameters', () => {
  const NOW = 1_700_000_000_000_000;
  const parse = (qs: string) => parseV1TraceSearch(new URLSearchParams(qs), NOW);

  it('reads everything Jaeger UI sends', () => {
    const { query } = parse(
      'service=web&operation=GET%20%2F&tags=%7B%22http.status_code%22%3A%22500%22%7D&tag=user.name:alice&start=1&end=2&minDuration=1ms&maxDuration=2s&limit=20&lookback=1h',
    );
    expect(query).toEqual({
      service: 'web',
      operation: 'GET /',
      tags: { 'http.status_code': '500', 'user.name': 'alice' },
      startMinUs: 1,
      startMaxUs: 2,
      durationMinUs: 1000,
      durationMaxUs: 2_000_000,
      limit: 20,
    });
  });

  it('takes the window from lookback when start is absent, and defaults end to now', () => {
    const { query } = parse('service=web&lookback=2h');
    expect(query.startMaxUs).toBe(NOW);
    expect(query.startMinUs).toBe(NOW - 7_200_000_000);
    expect(query.limit).toBe(100);
  });

  it('keeps a value containing colons whole', () => {
    expect(parse('service=web&tag=url.full:http://x:1/').query.tags).toEqual({ 'url.full': 'http://x:1/' });
  });

  it('looks up traces by id without a service', () => {
    expect(parse('traceID=abc&traceID=0123456789abcdef0123456789abcdef').traceIds).toEqual([
      '00000000000000000000000000000abc',
      '0123456789abcdef0123456789abcdef',
    ]);
  });

  it.each([
    ['', "parameter 'service' is required"],
    ['service=a&tags=nope', /malformed tags parameter/],
    ['service=a&tags=%7B%22k%22%3A%5B1%5D%7D', /the value of "k" must be a string/],
    ['service=a&tag=novalue', /malformed 'tag' parameter "novalue"/],
    ['service=a&start=10&end=5', 'start must not be after end'],
    ['service=a&minDuration=2s&maxDuration=1s', 'minDuration must not be greater than maxDuration'],
    ['service=a&limit=-1', 'limit must not be negative'],
    ['service=a&end=soon', /cannot parse end "soon"/],
  ])('rejects %j', (qs, message) => {
    expect(() => parse(qs)).toThrow(message);
  });
});

describe('api_v3 parameters', () => {
  it('reads RFC 3339 times with sub-second precision in microseconds', () => {
    expect(parseRfc3339('2024-01-31T12:00:00.123456789Z', 't')).toBe(Date.UTC(2024, 0, 31, 12) * 1000 + 123456);
    expect(parseRfc3339('2024-01-31T14:00:00+02:00', 't')).toBe(Date.UTC(2024, 0, 31, 12) * 1000);
    expect(() => parseRfc3339('2024-01-31', 'query.start_time_min')).toThrow(/expected an RFC 3339 time/);
  });

  it('reads a search', () => {
    const q = parseV3TraceQuery(
      new URLSearchParams(
        'query.service_name=web&query.operation_name=op&query.attributes=%7B%22a%22%3A%22b%22%7D&query.start_time_min=1970-01-01T00:00:01Z&query.start_time_max=1970-01-01T00:00:02Z&query.duration_min=1ms&query.search_depth=5',
      ),
      99,
    );
    expect(q).toEqual({
      service: 'web',
      operation: 'op',
      tags: { a: 'b' },
      startMinUs: 1_000_000,
      startMaxUs: 2_000_000,
      durationMinUs: 1000,
      durationMaxUs: undefined,
      limit: 5,
    });
  });
});

describe('trace ids', () => {
  it('rejects what is not hex', () => {
    expect(() => parseTraceId('xyz')).toThrow('malformed trace id "xyz": expected up to 32 hex digits');
    expect(parseTraceId('ABC')).toBe('00000000000000000000000000000abc');
  });
});
