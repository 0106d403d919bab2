/**
 * The Go standard library parsers Jaeger's query service reads its
 * parameters with (strconv, time.ParseDuration, time.Parse with RFC 3339,
 * encoding/json into map[string]string), reimplemented with the same
 * accepted inputs and the same error texts, so a bad parameter gets the
 * answer Jaeger gives. Each throws GoParseError; callers wrap its message the
 * way Jaeger's handlers do.
 */

export class GoParseError extends Error {
  override readonly name = 'GoParseError';
}

/** Go's strconv.Quote, for the printable-ASCII-and-Unicode inputs query strings carry. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if ((c >= 0x80 && c < 0xa0) || c === 0xfffd || (c >= 0xd800 && c <= 0xdfff)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const syntax = (fn: string, s: string) => new GoParseError(`strconv.${fn}: parsing ${goQuote(s)}: invalid syntax`);
const range = (fn: string, s: string) => new GoParseError(`strconv.${fn}: parsing ${goQuote(s)}: value out of range`);

/** strconv.ParseInt(s, 10, bits). Returns a bigint: int64 does not fit a number. */
export function parseGoInt(s: string, bits: 32 | 64, fn = 'ParseInt'): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw syntax(fn, s);
  const n = BigInt(s);
  const limit = 1n << BigInt(bits - 1);
  if (n < -limit || n >= limit) throw range(fn, s);
  return n;
}

/** strconv.Atoi (int is 64 bits where Jaeger runs). */
export function parseGoAtoi(s: string): number {
  return Number(parseGoInt(s, 64, 'Atoi'));
}

/** strconv.ParseUint(s, 16, 64): hex digits only, no sign, no 0x. */
export function parseGoHexUint64(s: string): bigint {
  if (!/^[0-9a-fA-F]+$/.test(s)) throw syntax('ParseUint', s);
  const n = BigInt(`0x${s}`);
  if (n >= 1n << 64n) throw range('ParseUint', s);
  return n;
}

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw syntax('ParseBool', s);
}

/** The quote() of Go's time package: non-ASCII and control bytes as \x escapes. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0x80 || c < 0x20) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return `${out}"`;
}

const DURATION_UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5 micro sign
  'μs': 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = (1n << 63n) - 1n;

/** time.ParseDuration: a Go duration ("1.5h", "300ms", "-2h45m") in nanoseconds. */
export function parseGoDuration(input: string): bigint {
  const invalid = () => new GoParseError(`time: invalid duration ${timeQuote(input)}`);
  let s = input;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0] !== undefined && s[0] >= '0' && s[0] <= '9'))) throw invalid();
    const whole = /^[0-9]*/.exec(s)?.[0] ?? '';
    s = s.slice(whole.length);
    const pre = whole !== '';
    let v = pre ? BigInt(whole) : 0n;
    if (v > MAX_INT64) throw invalid();
    let frac = '';
    let post = false;
    if (s[0] === '.') {
      s = s.slice(1);
      frac = /^[0-9]*/.exec(s)?.[0] ?? '';
      s = s.slice(frac.length);
      post = frac !== '';
    }
    if (!pre && !post) throw invalid();
    let i = 0;
    while (i < s.length && s[i] !== '.' && !(s[i] !== undefined && (s[i] as string) >= '0' && (s[i] as string) <= '9')) i++;
    if (i === 0) throw new GoParseError(`time: missing unit in duration ${timeQuote(input)}`);
    const unitText = s.slice(0, i);
    s = s.slice(i);
    const unit = DURATION_UNIT_NS[unitText];
    if (unit === undefined) throw new GoParseError(`time: unknown unit ${timeQuote(unitText)} in duration ${timeQuote(input)}`);
    if (v > MAX_INT64 / unit) throw invalid();
    v *= unit;
    if (frac !== '') {
      // Go scales the fraction digit by digit (dropping digits past int64's
      // precision); for units of at most an hour this is exact truncation.
      let scale = 1n;
      let f = 0n;
      for (const d of frac) {
        if (f > MAX_INT64 / 10n) break;
        f = f * 10n + BigInt(d);
        scale *= 10n;
      }
      v += (f * unit) / scale;
      if (v > MAX_INT64) throw invalid();
    }
    total += v;
    if (total > MAX_INT64) throw invalid();
  }
  return neg ? -total : total;
}

const RFC3339_NANO_LAYOUT = '2006-01-02T15:04:05.999999999Z07:00';

class TimeError extends Error {}

/**
 * time.Parse(time.RFC3339Nano, s): nanoseconds since the epoch, or Go's
 * error ("parsing time "x" as "2006-01-02T15:04:05.999999999Z07:00": cannot
 * parse "x" as "2006"", "... month out of range", "... extra text: ...").
 */
export function parseGoRfc3339(value: string): bigint {
  const fail = (rest: string, element: string): never => {
    throw new TimeError(`parsing time ${timeQuote(value)} as ${timeQuote(RFC3339_NANO_LAYOUT)}: cannot parse ${timeQuote(rest)} as ${timeQuote(element)}`);
  };
  const outOfRange = (what: string): never => {
    throw new TimeError(`parsing time ${timeQuote(value)}: ${what} out of range`);
  };
  const isDigit = (s: string, i: number) => s[i] !== undefined && s[i] >= '0' && s[i] <= '9';
  // getnum: one or two digits; exactly two when `fixed`.
  const getnum = (s: string, fixed: boolean): [number, string] | undefined => {
    if (!isDigit(s, 0)) return undefined;
    if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
    return [Number(s.slice(0, 2)), s.slice(2)];
  };
  const skip = (s: string, prefix: string): string => {
    if (!s.startsWith(prefix)) fail(s, prefix);
    return s.slice(prefix.length);
  };
  try {
    let s = value;
    // 2006
    if (s.length < 4 || !isDigit(s, 0) || !/^[0-9]{4}/.test(s)) fail(s, '2006');
    const year = Number(s.slice(0, 4));
    s = s.slice(4);
    s = skip(s, '-');
    const month = getnum(s, true) ?? fail(s, '01');
    if (month[0] <= 0 || month[0] > 12) outOfRange('month');
    s = skip(month[1], '-');
    // Any two digits: the day is checked against the month once all is read.
    const day = getnum(s, true) ?? fail(s, '02');
    s = skip(day[1], 'T');
    const hour = getnum(s, false) ?? fail(s, '15');
    if (hour[0] < 0 || hour[0] >= 24) outOfRange('hour');
    s = skip(hour[1], ':');
    const minute = getnum(s, true) ?? fail(s, '04');
    if (minute[0] < 0 || minute[0] >= 60) outOfRange('minute');
    s = skip(minute[1], ':');
    const second = getnum(s, true) ?? fail(s, '05');
    if (second[0] < 0 || second[0] >= 60) outOfRange('second');
    s = second[1];
    let nanos = 0n;
    if (s.length >= 2 && (s[0] === '.' || s[0] === ',') && isDigit(s, 1)) {
      let i = 1;
      while (isDigit(s, i)) i++;
      nanos = BigInt(s.slice(1, Math.min(i, 10)).padEnd(9, '0'));
      s = s.slice(i);
    }
    let offsetSeconds = 0;
    if (s[0] === 'Z') {
      s = s.slice(1);
    } else {
      if (s.length < 6 || s[3] !== ':') fail(s, 'Z07:00');
      const sign = s[0];
      const hh = getnum(s.slice(1, 3), true);
      const mm = hh ? getnum(s.slice(4, 6), true) : undefined;
      // Go reports an out-of-range offset before a bad sign or digit.
      if ((hh?.[0] ?? 0) > 24) outOfRange('time zone offset hour');
      if ((mm?.[0] ?? 0) > 60) outOfRange('time zone offset minute');
      if (!hh || !mm || (sign !== '+' && sign !== '-')) fail(s, 'Z07:00');
      offsetSeconds = ((hh?.[0] ?? 0) * 3600 + (mm?.[0] ?? 0) * 60) * (sign === '-' ? -1 : 1);
      s = s.slice(6);
    }
    if (s !== '') throw new TimeError(`parsing time ${timeQuote(value)}: extra text: ${timeQuote(s)}`);
    const daysIn = new Date(Date.UTC(year, month[0], 0)).getUTCDate();
    if (day[0] < 1 || day[0] > daysIn) outOfRange('day');
    const ms = Date.UTC(year, month[0] - 1, day[0], hour[0], minute[0], second[0]);
    const utc = new Date(ms);
    utc.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
    return (BigInt(utc.getTime()) / 1000n - BigInt(offsetSeconds)) * 1_000_000_000n + nanos;
  } catch (e) {
    if (e instanceof TimeError) throw new GoParseError(e.message);
    throw e;
  }
}

/**
 * encoding/json.Unmarshal into a map[string]string, which is how Jaeger
 * reads the `tags` parameter: an object of strings (null values read as "");
 * `null` is no tags. Syntax errors are reported first, with Go's texts.
 */
export function parseGoJsonStringMap(text: string): Record<string, string> {
  const syntaxError = goJsonSyntaxError(text);
  if (syntaxError) throw new GoParseError(syntaxError);
  const value: unknown = JSON.parse(text);
  if (value === null) return {};
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GoParseError(`json: cannot unmarshal ${kind(value)} into Go value of type map[string]string`);
  }
  const out: Record<string, string> = {};
  let typeError: string | undefined;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[key] = v;
    else if (v === null) out[key] = '';
    else typeError ??= `json: cannot unmarshal ${kind(v)} into Go value of type string`;
  }
  if (typeError) throw new GoParseError(typeError);
  return out;
}

/** Go's quoteChar for scanner errors: 'x', '\'', '"', or a Go-escaped rune. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const q = goQuote(c);
  return `'${q.slice(1, -1)}'`;
}

/** The first syntax error encoding/json's scanner reports for `text`, or undefined when it is valid JSON. */
export function goJsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const eof = () => i >= text.length;
  class Stop extends Error {}
  const err = (context: string): never => {
    if (eof()) throw new Stop('unexpected end of JSON input');
    throw new Stop(`invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(i) ?? 0))} ${context}`);
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (eof()) err('');
      if (text[i] !== word[k]) err(`in literal ${word} (expecting ${quoteChar(word[k] as string)})`);
    }
    i++;
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (eof()) err('');
      const c = text[i] as string;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (eof()) err('');
        const e = text[i] as string;
        if ('"\\/bfnrt'.includes(e)) i++;
        else if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (eof()) err('');
            if (!/[0-9a-fA-F]/.test(text[i] as string)) err('in \\u hexadecimal character escape');
            i++;
          }
        } else err('in string escape code');
        continue;
      }
      if (c < ' ') err('in string literal');
      i += c.length;
    }
  };
  const number = () => {
    if (text[i] === '-') {
      i++;
      if (eof()) err('');
      if (!/[0-9]/.test(text[i] as string)) err('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (!eof() && /[0-9]/.test(text[i] as string)) i++;
    if (text[i] === '.') {
      i++;
      if (eof()) err('');
      if (!/[0-9]/.test(text[i] as string)) err('after decimal point in numeric literal');
      while (!eof() && /[0-9]/.test(text[i] as string)) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (eof()) err('');
      if (!/[0-9]/.test(text[i] as string)) err('in exponent of numeric literal');
      while (!eof() && /[0-9]/.test(text[i] as string)) i++;
    }
  };
  const value = (): void => {
    ws();
    if (eof()) err('');
    const c = text[i] as string;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') err('looking for beginning of object key string');
        string();
        ws();
        if (text[i] !== ':') err('after object key');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        err('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        err('after array element');
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    err('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (!eof()) err('after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return e.message;
    throw e;
  }
}
