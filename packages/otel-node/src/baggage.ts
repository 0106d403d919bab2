import { ALLOW_ALL_BAGGAGE_KEYS, BaggageSpanProcessor } from '@opentelemetry/baggage-span-processor';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';

/**
 * Baggage entries copied onto spans, shared by every Node tier (the
 * data-processor through startNodeTracing, the Next.js frontend-api through
 * `@tracelens/otel-node/baggage`, which loads no SDK), so TRACELENS_BAGGAGE_KEYS
 * reads and behaves the same everywhere.
 */

/** Which baggage entries are copied onto spans: `'*'` (all), or a list of keys (empty: none). */
export type BaggageKeys = '*' | readonly string[];

/**
 * Baggage entries copied onto spans by default: the browser's per-tab
 * session and the user, so one session's traces can be searched for. Only an
 * allowlist: baggage comes from the caller, and anything in it would
 * otherwise land in the trace store.
 */
export const DEFAULT_BAGGAGE_KEYS: readonly string[] = ['session.id', 'user.id'];

/** A W3C baggage key is an RFC 7230 token. */
const BAGGAGE_KEY = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** TRACELENS_BAGGAGE_KEYS: `*` (all), `none`, or a comma-separated list of baggage keys. */
export const baggageKeysSchema = z.string().transform((value, ctx): BaggageKeys => {
  const keys = value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (keys.includes('*')) return '*';
  if (keys.length === 1 && keys[0]?.toLowerCase() === 'none') return [];
  const invalid = keys.filter((key) => !BAGGAGE_KEY.test(key));
  if (invalid.length > 0) {
    ctx.addIssue({ code: 'custom', message: `not baggage keys: ${invalid.join(', ')}` });
    return z.NEVER;
  }
  return keys;
});

/**
 * Copies allowlisted baggage entries of the parent context onto each span as
 * attributes when it starts (the contrib processor, with our allowlist), so a
 * trace can be found by `session.id` in every tier the baggage reached. No
 * processor at all for an empty list.
 */
export function baggageSpanProcessor(keys: BaggageKeys): SpanProcessor | undefined {
  if (keys === '*') return new BaggageSpanProcessor(ALLOW_ALL_BAGGAGE_KEYS);
  if (keys.length === 0) return undefined;
  const allowed = new Set(keys);
  return new BaggageSpanProcessor((key) => allowed.has(key));
}
