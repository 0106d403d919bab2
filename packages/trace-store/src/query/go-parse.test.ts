import { describe, expect, it } from 'vitest';
import {
  GoParseError,
  goJsonSyntaxError,
  parseGoAtoi,
  parseGoBool,
  parseGoDuration,
  parseGoHexUint64,
  parseGoInt,
  parseGoJsonStringMap,
  parseGoRfc3339,
} from './go-parse.js';

// Expected texts are Go 1.26's, as the real Jaeger 2.12 answers them (see
// the conformance suite's goldens for the ones it checks end to end).

describe('strconv', () => {
  it('parses integers with their bit size and Go error texts', () => {
    expect(parseGoInt('-42', 64)).toBe(-42n);
    expect(parseGoInt('+7', 32)).toBe(7n);
    expect(() => parseGoInt('ten', 32)).toThrow('strconv.ParseInt: parsing "ten": invalid syntax');
    expect(() => parseGoInt('99999999999', 32)).toThrow('strconv.ParseInt: parsing "99999999999": value out of range');
    expect(() => parseGoInt('', 64)).toThrow('strconv.ParseInt: parsing "": invalid syntax');
    expect(() => parseGoAtoi('many')).toThrow('strconv.Atoi: parsing "many": invalid syntax');
    expect(parseGoHexUint64('00ff')).toBe(255n);
    expect(() => parseGoHexUint64('0xff')).toThrow('strconv.ParseUint: parsing "0xff": invalid syntax');
  });

  it('reads booleans as ParseBool does', () => {
    expect(['1', 't', 'T', 'TRUE', 'true', 'True'].map(parseGoBool)).toEqual(Array(6).fill(true));
    expect(['0', 'f', 'F', 'FALSE', 'false', 'False'].map(parseGoBool)).toEqual(Array(6).fill(false));
    expect(() => parseGoBool('yes')).toThrow('strconv.ParseBool: parsing "yes": invalid syntax');
  });
});

describe('time.ParseDuration', () => {
  it.each([
    ['300ms', 300_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['2h45m', 9_900_000_000_000n],
    ['10us', 10_000n],
    ['10µs', 10_000n],
    ['250.5us', 250_500n],
    ['1500ns', 1500n],
    ['.5s', 500_000_000n],
    ['0', 0n],
    ['-1s', -1_000_000_000n],
  ])('%s is %d ns', (raw, ns) => {
    expect(parseGoDuration(raw)).toBe(ns);
  });

  it.each([
    ['fast', 'time: invalid duration "fast"'],
    ['', 'time: invalid duration ""'],
    ['100', 'time: missing unit in duration "100"'],
    ['3d', 'time: unknown unit "d" in duration "3d"'],
    ['5 ms', 'time: unknown unit " ms" in duration "5 ms"'],
    ['1h 2m', 'time: unknown unit "h " in duration "1h 2m"'],
  ])('rejects %j as Go does', (raw, message) => {
    expect(() => parseGoDuration(raw)).toThrow(new GoParseError(message));
  });
});

describe('time.Parse(time.RFC3339Nano)', () => {
  it('keeps nanoseconds and applies offsets', () => {
    expect(parseGoRfc3339('2024-01-01T02:00:00Z')).toBe(1_704_074_400_000_000_000n);
    expect(parseGoRfc3339('2024-01-01T02:00:00.000000500Z')).toBe(1_704_074_400_000_000_500n);
    expect(parseGoRfc3339('2024-01-01T04:00:00+02:00')).toBe(1_704_074_400_000_000_000n);
    expect(parseGoRfc3339('2024-01-01T02:00:00.5Z')).toBe(1_704_074_400_500_000_000n);
  });

  const layout = '"2006-01-02T15:04:05.999999999Z07:00"';
  it.each([
    ['tomorrow', `parsing time "tomorrow" as ${layout}: cannot parse "tomorrow" as "2006"`],
    ['2024-01-01', `parsing time "2024-01-01" as ${layout}: cannot parse "" as "T"`],
    ['2024-01-01 02:00:00', `parsing time "2024-01-01 02:00:00" as ${layout}: cannot parse " 02:00:00" as "T"`],
    ['2024-13-01T00:00:00Z', 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ['2024-02-30T00:00:00Z', 'parsing time "2024-02-30T00:00:00Z": day out of range'],
    ['2024-01-01T00:00:00', `parsing time "2024-01-01T00:00:00" as ${layout}: cannot parse "" as "Z07:00"`],
    ['2024-01-01T00:00:00Zjunk', 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'],
  ])('rejects %j as Go does', (raw, message) => {
    expect(() => parseGoRfc3339(raw)).toThrow(new GoParseError(message));
  });
});

describe('encoding/json into map[string]string', () => {
  it('reads an object of strings; null values read as ""', () => {
    expect(parseGoJsonStringMap('{"a":"1","b":null}')).toEqual({ a: '1', b: '' });
    expect(parseGoJsonStringMap('null')).toEqual({});
  });

  it.each([
    ['{"user.id":', 'unexpected end of JSON input'],
    ['{user}', "invalid character 'u' looking for beginning of object key string"],
    ['{"a" "b"}', "invalid character '\"' after object key"],
    ['{"a":"b" "c"}', "invalid character '\"' after object key:value pair"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{} x', "invalid character 'x' after top-level value"],
  ])('reports the syntax error of %j in Go words', (text, message) => {
    expect(goJsonSyntaxError(text)).toBe(message);
  });

  it('reports values that are not strings as Go does', () => {
    expect(() => parseGoJsonStringMap('{"http.status_code":500}')).toThrow('json: cannot unmarshal number into Go value of type string');
    expect(() => parseGoJsonStringMap('["a"]')).toThrow('json: cannot unmarshal array into Go value of type map[string]string');
  });
});
