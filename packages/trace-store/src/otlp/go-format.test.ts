import { describe, expect, it } from 'vitest';
import { goAsString, goDurationString, goJsonFloat, goJsonString, goTimeString } from './go-format.js';

describe('Go formatting of values, as Jaeger writes them', () => {
  it('escapes strings as encoding/json does', () => {
    expect(goJsonString('<i>&</i>')).toBe('"\\u003ci\\u003e\\u0026\\u003c/i\\u003e"');
    expect(goJsonString('a\u2028b\tc\u0001')).toBe('"a\\u2028b\\tc\\u0001"');
  });

  it('writes floats in the shortest form, exponents from 1e21 and below 1e-6', () => {
    expect([1.5, 2, 1e21, 1e-7, 0.000001].map(goJsonFloat)).toEqual(['1.5', '2', '1e+21', '1e-7', '0.000001']);
    expect(() => goJsonFloat(Number.NaN)).toThrow('json: unsupported value: NaN');
  });

  it('renders any value as pcommon AsString does: maps sorted, empty bytes null, integers exact', () => {
    expect(
      goAsString({
        kvlistValue: { values: [{ key: 'z', value: { intValue: '9223372036854775807' } }, { key: 'a', value: { bytesValue: '' } }, { key: 'm', value: {} }] },
      }),
    ).toBe('{"a":null,"m":null,"z":9223372036854775807}');
    expect(goAsString({ arrayValue: { values: [{ stringValue: 'x' }, { doubleValue: 0.5 }, { boolValue: true }] } })).toBe('["x",0.5,true]');
    expect(goAsString({ arrayValue: { values: [{ doubleValue: Number.NaN }] } })).toBe('');
    expect(goAsString({ bytesValue: 'AAEC_f7_' })).toBe('AAEC/f7/');
    expect(goAsString({ doubleValue: 1e21 })).toBe('1e+21');
    expect(goAsString({})).toBe('');
  });

  it('writes durations as time.Duration.String', () => {
    const cases: [bigint, string][] = [
      [0n, '0s'],
      [500n, '500ns'],
      [1500n, '1.5µs'],
      [45_000_000n, '45ms'],
      [-45_500_250n, '-45.50025ms'],
      [1_500_000_000n, '1.5s'],
      [123_500_000_000n, '2m3.5s'],
      [3_600_000_000_000n, '1h0m0s'],
    ];
    expect(cases.map(([ns]) => goDurationString(ns))).toEqual(cases.map(([, text]) => text));
  });

  it('writes times as time.Time.String in UTC', () => {
    expect(goTimeString(1_704_068_160_001_000_000n)).toBe('2024-01-01 00:16:00.001 +0000 UTC');
    expect(goTimeString(1_704_068_160_001_000_001n)).toBe('2024-01-01 00:16:00.001000001 +0000 UTC');
    expect(goTimeString(0n)).toBe('1970-01-01 00:00:00 +0000 UTC');
  });
});
