import type { AnyValue } from './model.js';

/**
 * How Jaeger's Go code writes values into its answers, where that differs
 * from JavaScript: encoding/json's string escaping and sorted map keys, the
 * OpenTelemetry collector's AnyValue.AsString, time.Duration.String and
 * time.Time.String. Used for v1 tags of arrays and maps, tag search text and
 * warning messages, so both read exactly as Jaeger's.
 */

/** A value encoding/json refuses (NaN, ±Inf): Go's Marshal fails on it. */
export class UnsupportedJsonValue extends Error {
  override readonly name = 'UnsupportedJsonValue';
}

const HEX = '0123456789abcdef';

/** A string as encoding/json writes it: HTML characters and U+2028/2029 escaped, short escapes for \b \f \n \r \t. */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&') out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u202${HEX[c & 15]}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'; // a lone surrogate is invalid UTF-8 to Go
    else out += ch;
  }
  return `${out}"`;
}

/**
 * A float64 as encoding/json writes it: the shortest text that reads back
 * the same, in ES6 style (exponent below 1e-6 and from 1e21), which is what
 * JavaScript's String() does too, except for -0.
 */
export function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new UnsupportedJsonValue(`json: unsupported value: ${goFormatFloatG(f)}`);
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

/** strconv.FormatFloat(f, 'g', -1, 64) for the values where it differs from JSON: NaN and the infinities. */
function goFormatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(f);
}

/** OTLP/JSON bytes (base64, standard or URL alphabet) as Go's base64.StdEncoding writes them. */
export function stdBase64(b64: string): string {
  return Buffer.from(b64, 'base64').toString('base64');
}

/** An AnyValue as Go's json.Marshal of its AsRaw() writes it: maps with sorted keys (the last of duplicates), empty bytes as null. */
function goJsonOfValue(v: AnyValue): string {
  if ('stringValue' in v) return goJsonString(v.stringValue);
  if ('boolValue' in v) return v.boolValue ? 'true' : 'false';
  if ('intValue' in v) return v.intValue;
  if ('doubleValue' in v) return goJsonFloat(v.doubleValue);
  if ('bytesValue' in v) return v.bytesValue === '' ? 'null' : goJsonString(stdBase64(v.bytesValue));
  if ('arrayValue' in v) return `[${v.arrayValue.values.map(goJsonOfValue).join(',')}]`;
  if ('kvlistValue' in v) {
    const entries = new Map<string, AnyValue>();
    for (const kv of v.kvlistValue.values) entries.set(kv.key, kv.value);
    const keys = [...entries.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${goJsonString(k)}:${goJsonOfValue(entries.get(k) ?? {})}`).join(',')}}`;
  }
  return 'null';
}

/**
 * pcommon.Value.AsString: how the OpenTelemetry collector (and so Jaeger)
 * turns any attribute value into text, for v1 tags of arrays and maps and
 * for tag search. A map or array holding NaN or ±Inf reads as "" (its JSON
 * encoding fails and the error is dropped).
 */
export function goAsString(v: AnyValue): string {
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue ? 'true' : 'false';
  if ('intValue' in v) return v.intValue;
  if ('doubleValue' in v) {
    return Number.isFinite(v.doubleValue) ? goJsonFloat(v.doubleValue) : `json: unsupported value: ${goFormatFloatG(v.doubleValue)}`;
  }
  if ('bytesValue' in v) return stdBase64(v.bytesValue);
  if ('arrayValue' in v || 'kvlistValue' in v) {
    try {
      return goJsonOfValue(v);
    } catch (e) {
      if (e instanceof UnsupportedJsonValue) return '';
      throw e;
    }
  }
  return '';
}

const NS_PER_US = 1000n;
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** The fraction of v below 10^prec as ".ddd" without trailing zeros (Go's fmtFrac), and the integer part. */
function fraction(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let printed = false;
  let rest = v;
  for (let i = 0; i < prec; i++) {
    const d = rest % 10n;
    printed ||= d !== 0n;
    if (printed) digits = `${d}${digits}`;
    rest /= 10n;
  }
  return [printed ? `.${digits}` : '', rest];
}

/** time.Duration.String: "45ms", "1.5s", "2m3.5s", "1h0m0s", "500ns", "1.5µs", "0s". */
export function goDurationString(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < NS_PER_S) {
    if (u === 0n) return '0s';
    let unit: string;
    let prec: number;
    if (u < NS_PER_US) [unit, prec] = ['ns', 0];
    else if (u < NS_PER_MS) [unit, prec] = ['µs', 3];
    else [unit, prec] = ['ms', 6];
    const [frac, whole] = fraction(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, seconds] = fraction(u, 9);
    u = seconds;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** time.Time.String() of a UTC time: "2024-01-01 00:16:00.001 +0000 UTC" (fraction without trailing zeros). */
export function goTimeString(unixNs: bigint): string {
  const seconds = unixNs >= 0n ? unixNs / NS_PER_S : (unixNs - NS_PER_S + 1n) / NS_PER_S;
  const nanos = unixNs - seconds * NS_PER_S;
  const date = new Date(Number(seconds) * 1000).toISOString();
  const frac = nanos === 0n ? '' : `.${nanos.toString().padStart(9, '0').replace(/0+$/, '')}`;
  return `${date.slice(0, 10)} ${date.slice(11, 19)}${frac} +0000 UTC`;
}
