import { z } from 'zod';
import { v1Envelope, v1TagSchema } from './v1.js';

/**
 * The embedded store's `GET /api/traces/{traceID}/logs`: its extension of
 * Jaeger's v1 API (a real Jaeger has no such endpoint and answers 404 in
 * plain text). In the v1 style: the envelope, with `data` always a list
 * (empty when the trace has no records), timestamps in microseconds since
 * the Unix epoch, attributes typed like span tags.
 */
export const traceLogRecordSchema = z.object({
  traceID: z.string().regex(/^[0-9a-f]{32}$/, 'a trace id of 32 lower-case hex digits'),
  /** '' for a record emitted outside any span. */
  spanID: z.union([z.literal(''), z.string().regex(/^[0-9a-f]{16}$/, 'a span id of 16 lower-case hex digits')]),
  /** The event time, else the observed time, else when the store received it. */
  timestamp: z.number().int().nonnegative(),
  /** OTLP SeverityNumber, 1-24; 0 when unspecified. */
  severityNumber: z.number().int().min(0).max(24),
  severityText: z.string(),
  /** Strings as they are, any other OTLP value as JSON text, '' for none. */
  body: z.string(),
  serviceName: z.string(),
  attributes: z.array(v1TagSchema),
});

export const traceLogsAnswer = v1Envelope(z.array(traceLogRecordSchema));

export type TraceLogRecord = z.infer<typeof traceLogRecordSchema>;
