/**
 * The trace search form: its fields as they appear in the `/traces` URL, and
 * their translation into a Jaeger v1 `/api/traces` query. Pure, so the page,
 * the tests and any other caller agree on one reading.
 */
import type { TraceSearch } from '@tracelens/jaeger-query';

/** Lookback choices, as Jaeger UI offers them, in microseconds. */
export const LOOKBACKS = [
  { value: '5m', label: 'Last 5 minutes', us: 5 * 60e6 },
  { value: '15m', label: 'Last 15 minutes', us: 15 * 60e6 },
  { value: '1h', label: 'Last hour', us: 3_600e6 },
  { value: '2h', label: 'Last 2 hours', us: 2 * 3_600e6 },
  { value: '6h', label: 'Last 6 hours', us: 6 * 3_600e6 },
  { value: '12h', label: 'Last 12 hours', us: 12 * 3_600e6 },
  { value: '24h', label: 'Last 24 hours', us: 24 * 3_600e6 },
  { value: '2d', label: 'Last 2 days', us: 48 * 3_600e6 },
  { value: '7d', label: 'Last 7 days', us: 7 * 24 * 3_600e6 },
] as const;

export const DEFAULT_LOOKBACK = '1h';
export const DEFAULT_LIMIT = 20;
/** Jaeger's own ceiling on `limit` in the embedded store; real Jaeger accepts more, but the page gets slow. */
export const MAX_LIMIT = 1000;

/** The form as typed, for redisplay. */
export interface SearchForm {
  readonly service: string;
  readonly operation: string;
  readonly tags: string;
  readonly minDuration: string;
  readonly maxDuration: string;
  readonly lookback: string;
  readonly limit: string;
}

export type SearchParams = Readonly<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined): string => (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();

/** The form fields from the page's search params (absent ones get their defaults). */
export function readSearchForm(params: SearchParams): SearchForm {
  return {
    service: first(params.service),
    operation: first(params.operation),
    tags: first(params.tags),
    minDuration: first(params.minDuration),
    maxDuration: first(params.maxDuration),
    lookback: first(params.lookback) || DEFAULT_LOOKBACK,
    limit: first(params.limit) || String(DEFAULT_LIMIT),
  };
}

export type TagsResult = { readonly ok: true; readonly tags: Record<string, string> } | { readonly ok: false; readonly error: string };

/**
 * `key=value` pairs separated by spaces (Jaeger UI's logfmt): a value with
 * spaces goes in double quotes (`error.message="not found"`, `\"` for a quote).
 * A key given twice keeps the last value, as Jaeger's JSON `tags` object would.
 */
export function parseTags(input: string): TagsResult {
  const tags: Record<string, string> = {};
  const text = input.trim();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i += 1;
    if (i >= text.length) break;
    const keyStart = i;
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i] as string)) i += 1;
    const key = text.slice(keyStart, i);
    if (text[i] !== '=' || key === '') {
      return { ok: false, error: `Tags must be key=value pairs separated by spaces; "${key || text.slice(keyStart, keyStart + 20)}" is not.` };
    }
    i += 1;
    let value = '';
    if (text[i] === '"') {
      i += 1;
      let closed = false;
      while (i < text.length) {
        const ch = text[i] as string;
        if (ch === '\\' && i + 1 < text.length) {
          value += text[i + 1];
          i += 2;
        } else if (ch === '"') {
          closed = true;
          i += 1;
          break;
        } else {
          value += ch;
          i += 1;
        }
      }
      if (!closed) return { ok: false, error: `The quoted value of tag "${key}" has no closing quote.` };
    } else {
      const valueStart = i;
      while (i < text.length && !/\s/.test(text[i] as string)) i += 1;
      value = text.slice(valueStart, i);
    }
    tags[key] = value;
  }
  return { ok: true, tags };
}

const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

export type SearchResult =
  | { readonly ok: true; readonly search: TraceSearch }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Validates the form; every problem is reported at once. */
export function toTraceSearch(form: SearchForm): SearchResult {
  const errors: string[] = [];
  if (form.service === '') errors.push('Choose a service.');
  const tags = parseTags(form.tags);
  if (!tags.ok) errors.push(tags.error);
  for (const [label, value] of [
    ['Min duration', form.minDuration],
    ['Max duration', form.maxDuration],
  ] as const) {
    if (value !== '' && !GO_DURATION.test(value)) errors.push(`${label} must be a duration such as 250ms, 1.5s or 2m (got "${value}").`);
  }
  const lookback = LOOKBACKS.find((choice) => choice.value === form.lookback);
  if (lookback === undefined) errors.push(`Lookback must be one of ${LOOKBACKS.map((choice) => choice.value).join(', ')}.`);
  const limit = Number(form.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) errors.push(`Limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  if (errors.length > 0 || !tags.ok || lookback === undefined) return { ok: false, errors };
  return {
    ok: true,
    search: {
      service: form.service,
      ...(form.operation === '' ? {} : { operation: form.operation }),
      tags: tags.tags,
      ...(form.minDuration === '' ? {} : { minDuration: form.minDuration }),
      ...(form.maxDuration === '' ? {} : { maxDuration: form.maxDuration }),
      lookbackUs: lookback.us,
      limit,
    },
  };
}
