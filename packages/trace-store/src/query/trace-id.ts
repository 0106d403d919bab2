import { GoParseError, parseGoHexUint64 } from './go-parse.js';

/**
 * A trace id from a URL, read as Jaeger's TraceIDFromString reads it (up to
 * 32 hex digits, the last 16 the low half), as 32 lowercase hex digits.
 * Errors carry Go's text: `strconv.ParseUint: parsing "zz": invalid syntax`.
 */
export function parseHexTraceId(raw: string): string {
  if (raw.length > 32) throw new GoParseError(`TraceID cannot be longer than 32 hex characters: ${raw}`);
  const [high, low] = raw.length > 16 ? [raw.slice(0, raw.length - 16), raw.slice(-16)] : ['', raw];
  const hi = high === '' ? 0n : parseGoHexUint64(high);
  const lo = parseGoHexUint64(low);
  return hi.toString(16).padStart(16, '0') + lo.toString(16).padStart(16, '0');
}

/**
 * A trace id in api_v3's path, as Jaeger 2.20 reads it: hex as above, else
 * base64 (standard or URL alphabet, padded or not) of 16 bytes (or 8, the
 * low half). The error is the hex one, as the hex form is the documented one.
 */
export function parseV3TraceId(raw: string): string {
  try {
    return parseHexTraceId(raw);
  } catch (hexError) {
    if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) && raw.replace(/=+$/, '').length % 4 !== 1) {
      const bytes = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (bytes.length === 16) return bytes.toString('hex');
      if (bytes.length === 8) return `${'0'.repeat(16)}${bytes.toString('hex')}`;
    }
    throw hexError;
  }
}
