import { z } from 'zod';
import { jaegerErrorSchema, jaegerTagSchema } from './jaeger-schema';

/**
 * The embedded store's `GET /api/traces/{traceID}/logs` answer, validated
 * where it enters the app: Jaeger's envelope around the trace's OTLP log
 * records, sorted by time. Not part of Jaeger's API (a real Jaeger answers
 * 404 there). Timestamps are microseconds since the Unix epoch, as in the
 * rest of the query API. Strict about what the views key on (the ids) and
 * the time; lenient where a missing value has an obvious meaning.
 */

const HEX_TRACE_ID = /^[0-9a-f]{32}$/i;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/i;

export const traceLogSchema = z.object({
  traceID: z.string().regex(HEX_TRACE_ID, 'a trace id of 32 hex digits'),
  /** Empty for a record emitted outside any span. */
  spanID: z.union([z.literal(''), z.string().regex(HEX_SPAN_ID, 'a span id of 16 hex digits')]).nullish(),
  timestamp: z.number().nonnegative(),
  severityNumber: z.number().int().min(0).max(24).nullish(),
  severityText: z.string().nullish(),
  // OTLP bodies can be any value; the store sends them as strings.
  body: z.string().nullish(),
  serviceName: z.string().nullish(),
  attributes: z
    .array(jaegerTagSchema)
    .nullish()
    .transform((value) => value ?? []),
});

/** Jaeger's envelope; `data` is always a list here (null or missing: none), so that only a 404 means "no logs kept". */
export const traceLogsEnvelope = z.object({
  data: z
    .array(traceLogSchema)
    .nullish()
    .transform((value) => value ?? []),
  errors: z
    .array(jaegerErrorSchema)
    .nullish()
    .transform((value) => value ?? []),
});

export type TraceLogRecord = z.infer<typeof traceLogSchema>;
