import { describe, expect, it } from 'vitest';
import { parseHexTraceId, parseV3TraceId } from './trace-id.js';

describe('trace ids in URLs', () => {
  it('reads up to 32 hex digits as Jaeger does, the last 16 the low half', () => {
    expect(parseHexTraceId('abc123')).toBe('00000000000000000000000000abc123');
    expect(parseHexTraceId('ABCDEF0123456789ABCDEF0123456789')).toBe('abcdef0123456789abcdef0123456789');
    expect(parseHexTraceId('1234567890abcdef1')).toBe('0000000000000001234567890abcdef1');
    expect(() => parseHexTraceId('not-hex')).toThrow('strconv.ParseUint: parsing "not-hex": invalid syntax');
    expect(() => parseHexTraceId('zz0123456789abcdef')).toThrow('strconv.ParseUint: parsing "zz": invalid syntax');
    expect(() => parseHexTraceId('a'.repeat(33))).toThrow(`TraceID cannot be longer than 32 hex characters: ${'a'.repeat(33)}`);
    expect(() => parseHexTraceId('')).toThrow('strconv.ParseUint: parsing "": invalid syntax');
  });

  it('also reads base64 in api_v3 (Jaeger 2.20): standard or URL alphabet, padded or not', () => {
    const id = '123456789abcdef0fedcba9876543210';
    expect(parseV3TraceId('EjRWeJq83vD+3LqYdlQyEA==')).toBe(id);
    expect(parseV3TraceId('EjRWeJq83vD-3LqYdlQyEA')).toBe(id);
    expect(parseV3TraceId('AAAAAAAAAP///////////w==')).toBe('00000000000000ffffffffffffffffff');
    expect(parseV3TraceId(id)).toBe(id);
    expect(() => parseV3TraceId('not-a-valid-id!')).toThrow('strconv.ParseUint: parsing "not-a-valid-id!": invalid syntax');
  });
});
