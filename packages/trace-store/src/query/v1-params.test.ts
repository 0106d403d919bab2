import { describe, expect, it } from 'vitest';
import { parseV1Dependencies, parseV1Search, wantsPrettyPrint } from './v1-params.js';

const NOW_NS = 1_700_000_000_000_000_000n;
const DAY_NS = 24n * 3600n * 1_000_000_000n;
const params = (qs: string) => new URLSearchParams(qs);

describe('v1 search parameters, as Jaeger 2.12 reads them', () => {
  it('reads everything Jaeger UI sends; times are microseconds, durations Go durations', () => {
    const { query, traceIds, raw } = parseV1Search(
      params('service=web&operation=GET%20%2F&tags=%7B%22http.status_code%22%3A%22500%22%7D&tag=user.name:alice&start=1&end=2&minDuration=1ms&maxDuration=2s&limit=20&lookback=1h'),
      NOW_NS,
    );
    expect(query).toEqual({
      service: 'web',
      operation: 'GET /',
      tags: { 'http.status_code': '500', 'user.name': 'alice' },
      startMinNs: 1000n,
      startMaxNs: 2000n,
      durationMinNs: 1_000_000n,
      durationMaxNs: 2_000_000_000n,
      limit: 20,
    });
    expect([traceIds, raw]).toEqual([[], false]);
  });

  it('searches the last two days by default, 100 traces, and ignores lookback', () => {
    const { query } = parseV1Search(params('service=web&lookback=2h'), NOW_NS);
    expect([query.startMinNs, query.startMaxNs, query.limit]).toEqual([NOW_NS - 2n * DAY_NS, NOW_NS, 100]);
  });

  it('lets tags (JSON) override tag=k:v, and keeps a value containing colons whole', () => {
    expect(parseV1Search(params('service=s&tag=a:1:2&tag=b:x&tags={"b":"y"}'), NOW_NS).query.tags).toEqual({ a: '1:2', b: 'y' });
  });

  it('needs no service when trace ids are given; reads them as Jaeger does', () => {
    expect(parseV1Search(params('traceID=abc&traceID=ABCDEF0123456789ABCDEF0123456789&raw=1'), NOW_NS)).toMatchObject({
      traceIds: ['00000000000000000000000000000abc', 'abcdef0123456789abcdef0123456789'],
      raw: true,
    });
  });

  it.each([
    ['', "parameter 'service' is required"],
    ['service=s&start=soon', "unable to parse param 'start': strconv.ParseInt: parsing \"soon\": invalid syntax"],
    ['service=s&limit=ten', 'strconv.ParseInt: parsing "ten": invalid syntax'],
    ['service=s&minDuration=100', "unable to parse param 'minDuration': time: missing unit in duration \"100\""],
    ['service=s&minDuration=1s&maxDuration=10ms', "'maxDuration' should be greater than 'minDuration'"],
    ['service=s&tag=user.id', "malformed 'tag' parameter, expecting key:value, received: user.id"],
    ['service=s&tags={"a":1}', "malformed 'tags' parameter, cannot unmarshal JSON: json: cannot unmarshal number into Go value of type string"],
    ['traceID=zz', 'cannot parse traceID param: strconv.ParseUint: parsing "zz": invalid syntax'],
    ['service=s&raw=yes', "unable to parse param 'raw': strconv.ParseBool: parsing \"yes\": invalid syntax"],
  ])('refuses %j with Jaeger\'s message', (qs, message) => {
    expect(() => parseV1Search(params(qs), NOW_NS)).toThrow(message);
  });
});

describe('v1 dependency parameters', () => {
  it('reads milliseconds, a day back from now by default', () => {
    expect(parseV1Dependencies(params(''), NOW_NS)).toEqual({ startNs: NOW_NS - DAY_NS, endNs: NOW_NS, service: '' });
    expect(parseV1Dependencies(params('endTs=2000&lookback=1000&service=a'), NOW_NS)).toEqual({ startNs: 1_000_000_000n, endNs: 2_000_000_000n, service: 'a' });
    expect(() => parseV1Dependencies(params('lookback=1h'), NOW_NS)).toThrow("unable to parse param 'lookback': strconv.ParseInt: parsing \"1h\": invalid syntax");
    expect(() => parseV1Dependencies(params('lookback=-5'), NOW_NS)).toThrow(`'lookback' must not be negative, got "-5"`);
  });
});

it('indents for any prettyPrint but "" and "false"', () => {
  expect(['prettyPrint=true', 'prettyPrint=1', 'prettyPrint=false', 'prettyPrint=', ''].map((qs) => wantsPrettyPrint(params(qs)))).toEqual([true, true, false, false, false]);
});
