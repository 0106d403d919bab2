import { describe, expect, it } from 'vitest';
import { parseV3Get, parseV3Operations, parseV3Search } from './v3-params.js';

const params = (qs: string) => new URLSearchParams(qs);
const WINDOW = 'query.startTimeMin=2024-01-01T00:00:00Z&query.startTimeMax=2024-01-01T00:00:01.5Z';

describe('api_v3 parameters: camelCase (Jaeger 2.20), snake_case as aliases', () => {
  it('reads every search parameter the UI sends', () => {
    expect(
      parseV3Search(params(`query.serviceName=web&query.operationName=GET&${WINDOW}&query.durationMin=5ms&query.durationMax=1s&query.searchDepth=20&query.attributes={"a":"b"}&query.rawTraces=true`)),
    ).toEqual({
      query: {
        service: 'web',
        operation: 'GET',
        tags: { a: 'b' },
        startMinNs: 1_704_067_200_000_000_000n,
        startMaxNs: 1_704_067_201_500_000_000n,
        durationMinNs: 5_000_000n,
        durationMaxNs: 1_000_000_000n,
        limit: 20,
      },
      raw: true,
    });
  });

  it('takes the snake_case names, num_traces included; the camelCase one wins when both are there', () => {
    const snake = 'query.service_name=old&query.start_time_min=2024-01-01T00:00:00Z&query.start_time_max=2024-01-01T00:00:01Z&query.num_traces=3';
    expect(parseV3Search(params(snake)).query).toMatchObject({ service: 'old', limit: 3 });
    expect(parseV3Search(params(`${snake}&query.serviceName=new&query.searchDepth=4`)).query).toMatchObject({ service: 'new', limit: 4 });
  });

  it('searches 100 traces deep by default, and any service when none is named', () => {
    const { query } = parseV3Search(params(WINDOW));
    expect(query.limit).toBe(100);
    expect(query.service).toBeUndefined();
  });

  it.each([
    ['query.serviceName=web', 'query.startTimeMin and query.startTimeMax are required'],
    ['query.service_name=web', 'query.start_time_min and query.start_time_max are required'],
    ['', 'query.start_time_min and query.start_time_max are required'],
    [`${WINDOW}&query.searchDepth=many`, 'malformed parameter query.searchDepth: strconv.Atoi: parsing "many": invalid syntax'],
    [`${WINDOW}&query.num_traces=many`, 'malformed parameter query.num_traces: strconv.Atoi: parsing "many": invalid syntax'],
    [`${WINDOW}&query.duration_min=5 ms`, 'malformed parameter query.duration_min: time: unknown unit " ms" in duration "5 ms"'],
    [`${WINDOW}&query.searchDepth=0`, "'query.searchDepth' must be from 1 to 100000, got 0"],
    [`${WINDOW}&query.num_traces=-1`, "'query.num_traces' must be from 1 to 100000, got -1"],
    [`${WINDOW}&query.durationMin=-5ms`, `'query.durationMin' must not be negative, got "-5ms"`],
  ])('refuses %j', (qs, message) => {
    expect(() => parseV3Search(params(qs))).toThrow(message);
  });

  it('reads a trace id in hex or base64, and names the time parameter as spelled', () => {
    expect(parseV3Get('AAAAAAAAAAAAAAAAAAAAAQ==', params('rawTraces=true'))).toEqual({ traceId: `${'0'.repeat(31)}1`, raw: true });
    expect(() => parseV3Get('1', params('start_time=2024'))).toThrow(/^malformed parameter start_time: parsing time "2024"/);
    expect(() => parseV3Get('1', params('startTime=2024'))).toThrow(/^malformed parameter startTime: parsing time "2024"/);
  });

  it('reads spanKind, or span_kind', () => {
    expect(parseV3Operations(params('service=s&spanKind=server'))).toEqual({ service: 's', spanKind: 'server' });
    expect(parseV3Operations(params('service=s&span_kind=client'))).toEqual({ service: 's', spanKind: 'client' });
  });
});
