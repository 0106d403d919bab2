import { z } from 'zod';

/**
 * Jaeger's v1 query API (the "UI JSON" of cmd/query/app/http_handler.go), as
 * Jaeger 2.12 and the embedded store answer it, field for field: every
 * answer is the `{ data, total, limit, offset, errors }` envelope; `data` is
 * `null` where Jaeger has no list (an unknown service's operations, no
 * services, every error), `errors` is `null` unless something failed.
 * Timestamps and durations are microseconds since the Unix epoch.
 *
 * Unknown keys are dropped rather than refused, so a Jaeger that adds a
 * field still reads; a field that goes missing or changes type fails.
 */

/** Hex ids as Jaeger writes them: lower case, 16 digits for a 64-bit trace id, 32 for a 128-bit one. */
const traceIdHex = z.string().regex(/^[0-9a-f]{16}([0-9a-f]{16})?$/, 'a trace id of 16 or 32 lower-case hex digits');
const spanIdHex = z.string().regex(/^[0-9a-f]{16}$/, 'a span id of 16 lower-case hex digits');

/**
 * A typed key-value (span tag, log field, process tag). int64 values past
 * 2^53 come as decimal strings, so that no digit is lost; binary is standard
 * base64, `null` for empty bytes (Go's nil slice).
 */
export const v1TagSchema = z.discriminatedUnion('type', [
  z.object({ key: z.string(), type: z.literal('string'), value: z.string() }),
  z.object({ key: z.string(), type: z.literal('bool'), value: z.boolean() }),
  z.object({ key: z.string(), type: z.literal('int64'), value: z.union([z.number().int(), z.string().regex(/^-?\d+$/)]) }),
  // NaN and the infinities as text: the embedded store's answer where Jaeger fails the whole request (500).
  z.object({ key: z.string(), type: z.literal('float64'), value: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]) }),
  z.object({ key: z.string(), type: z.literal('binary'), value: z.string().nullable() }),
]);

/** `CHILD_OF` is the OTel parent (and a link marked `opentracing.ref_type=child_of`); `FOLLOWS_FROM` is any other link. */
export const v1ReferenceSchema = z.object({
  refType: z.enum(['CHILD_OF', 'FOLLOWS_FROM']),
  traceID: traceIdHex,
  spanID: spanIdHex,
});

/** A span event: its name is the `event` field. */
export const v1LogSchema = z.object({
  timestamp: z.number().int(),
  fields: z.array(v1TagSchema),
});

export const v1SpanSchema = z.object({
  traceID: traceIdHex,
  spanID: spanIdHex,
  operationName: z.string(),
  references: z.array(v1ReferenceSchema),
  startTime: z.number().int(),
  duration: z.number().int(),
  tags: z.array(v1TagSchema),
  logs: z.array(v1LogSchema),
  /** A key of the trace's `processes`. */
  processID: z.string(),
  /** What an adjuster or the store had to say (clock skew, a missing parent), null when nothing. */
  warnings: z.array(z.string()).nullable(),
});

/** A resource: `service.name` lifted out, the other attributes as tags. */
export const v1ProcessSchema = z.object({
  serviceName: z.string(),
  tags: z.array(v1TagSchema),
});

export const v1TraceSchema = z.object({
  traceID: traceIdHex,
  spans: z.array(v1SpanSchema),
  processes: z.record(z.string(), v1ProcessSchema),
  warnings: z.array(z.string()).nullable(),
});

/**
 * One entry of `errors`. `code` is the HTTP status of a failed request;
 * `/api/traces?traceID=` lists each id it does not have as
 * `{ msg: "trace not found", traceID }`, without a code, beside the traces it found.
 */
export const v1ErrorSchema = z.object({
  code: z.number().int().optional(),
  msg: z.string(),
  traceID: z.string().optional(),
});

/** Jaeger's envelope around `data`. `total` is set where Jaeger sets it, else 0; `limit` and `offset` are always 0. */
export const v1Envelope = <T extends z.ZodType>(data: T) =>
  z.object({
    data: data.nullable(),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    errors: z.array(v1ErrorSchema).nullable(),
  });

/** `GET /api/services`: the names, null when there are none. */
export const v1ServicesAnswer = v1Envelope(z.array(z.string()));

/** `GET /api/services/{service}/operations` (what Jaeger UI asks): distinct names of every kind, null for an unknown service. */
export const v1LegacyOperationsAnswer = v1Envelope(z.array(z.string()));

/** `GET /api/operations?service=&spanKind=`: each name with its span kind ('' when unspecified). */
export const v1OperationsAnswer = v1Envelope(z.array(z.object({ name: z.string(), spanKind: z.string() })));

/** `GET /api/traces` (a search or `?traceID=`), `GET /api/traces/{id}`, `POST /api/transform`. */
export const v1TracesAnswer = v1Envelope(z.array(v1TraceSchema));

/** `GET /api/dependencies?endTs=&lookback=`: calls between services. */
export const v1DependenciesAnswer = v1Envelope(
  z.array(z.object({ parent: z.string(), child: z.string(), callCount: z.number().int() })),
);

/**
 * Any failed request (400, 404, 500): no data and one error naming the
 * status. Jaeger writes it with Go's http.Error, as text/plain.
 */
export const v1ErrorAnswer = z.object({
  data: z.null(),
  total: z.literal(0),
  limit: z.literal(0),
  offset: z.literal(0),
  errors: z.array(v1ErrorSchema.extend({ code: z.number().int() })).min(1),
});

export type JaegerTag = z.infer<typeof v1TagSchema>;
export type JaegerReference = z.infer<typeof v1ReferenceSchema>;
export type JaegerLog = z.infer<typeof v1LogSchema>;
export type JaegerSpan = z.infer<typeof v1SpanSchema>;
export type JaegerProcess = z.infer<typeof v1ProcessSchema>;
export type JaegerTrace = z.infer<typeof v1TraceSchema>;
export type JaegerError = z.infer<typeof v1ErrorSchema>;
export type JaegerDependency = NonNullable<z.infer<typeof v1DependenciesAnswer>['data']>[number];
