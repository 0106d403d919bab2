import { z } from 'zod';

/**
 * Jaeger's api_v3 over HTTP (cmd/query/app/apiv3/http_gateway.go), as Jaeger
 * 2.12 and the embedded store answer it (and, for trace summaries, as Jaeger
 * 2.20 does). Traces are OTLP/JSON as the OpenTelemetry collector's pdata
 * marshaller writes it: a field at its default value is left out, int64
 * values and timestamps are decimal strings, ids are hex, non-finite doubles
 * are "NaN", "Infinity" and "-Infinity". Timestamps are nanoseconds since the
 * Unix epoch. Answers go out as text/plain (the gateway sets no type).
 *
 * Unknown keys are dropped rather than refused, as in v1.ts.
 */

const decimal = z.string().regex(/^-?\d+$/, 'a decimal integer as a string');
const hex = (digits: number) => z.string().regex(new RegExp(`^[0-9a-f]{${digits}}$`), `${digits} lower-case hex digits`);

/** One OTLP value: exactly one of the fields, or none (`{}`) for an empty value. */
export type OtlpAnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  /** int64 as a decimal string. */
  intValue?: string;
  doubleValue?: number | 'NaN' | 'Infinity' | '-Infinity';
  /** Standard base64. */
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
};
export type OtlpKeyValue = { key: string; value: OtlpAnyValue };

export const v3AnyValueSchema: z.ZodType<OtlpAnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: decimal.optional(),
    doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
    bytesValue: z.string().optional(),
    arrayValue: z.object({ values: z.array(v3AnyValueSchema).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(v3KeyValueSchema).optional() }).optional(),
  }),
);

export const v3KeyValueSchema: z.ZodType<OtlpKeyValue> = z.lazy(() => z.object({ key: z.string(), value: v3AnyValueSchema }));

const attributes = z.array(v3KeyValueSchema).optional();
const count = z.number().int().optional();

export const v3EventSchema = z.object({
  timeUnixNano: decimal.optional(),
  name: z.string().optional(),
  attributes,
  droppedAttributesCount: count,
});

export const v3LinkSchema = z.object({
  traceId: hex(32).optional(),
  spanId: hex(16).optional(),
  traceState: z.string().optional(),
  attributes,
  droppedAttributesCount: count,
  flags: count,
});

/** OTLP's span: `kind` 0 unspecified ... 5 consumer; `status.code` 0 unset, 1 ok, 2 error. */
export const v3SpanSchema = z.object({
  traceId: hex(32),
  spanId: hex(16),
  traceState: z.string().optional(),
  parentSpanId: hex(16).optional(),
  flags: count,
  name: z.string().optional(),
  kind: z.number().int().min(0).max(5).optional(),
  startTimeUnixNano: decimal.optional(),
  endTimeUnixNano: decimal.optional(),
  attributes,
  droppedAttributesCount: count,
  events: z.array(v3EventSchema).optional(),
  droppedEventsCount: count,
  links: z.array(v3LinkSchema).optional(),
  droppedLinksCount: count,
  // Always written, `{}` when unset.
  status: z.object({ message: z.string().optional(), code: z.number().int().min(0).max(2).optional() }),
});

export const v3ScopeSpansSchema = z.object({
  scope: z.object({ name: z.string().optional(), version: z.string().optional(), attributes, droppedAttributesCount: count }),
  spans: z.array(v3SpanSchema).optional(),
});

export const v3ResourceSpansSchema = z.object({
  resource: z.object({ attributes, droppedAttributesCount: count }),
  scopeSpans: z.array(v3ScopeSpansSchema).optional(),
});

/** OTLP's TracesData: the traces one after the other. */
export const v3TracesDataSchema = z.object({ resourceSpans: z.array(v3ResourceSpansSchema) });

/** `GET /api/v3/traces/{id}` and `GET /api/v3/traces?query.*`: none found is a 404, never an empty result. */
export const v3TracesAnswer = z.object({ result: v3TracesDataSchema });

/** `GET /api/v3/services`: the list is left out when there are none. */
export const v3ServicesAnswer = z.object({ services: z.array(z.string()).optional() });

/** `GET /api/v3/operations?service=&spanKind=`: written even when empty; `spanKind` left out when unspecified. */
export const v3OperationsAnswer = z.object({
  operations: z.array(z.object({ name: z.string(), spanKind: z.string().optional() })),
});

/**
 * Proto3 JSON leaves a number at 0 out, and may write an int64 as a decimal
 * string: read either way, missing as 0.
 */
const summaryCount = z
  .union([z.number().int(), decimal])
  .optional()
  .transform((value) => Number(value ?? 0));

/**
 * One trace of `GET /api/v3/trace-summaries` (Jaeger 2.20; 2.12 has no such
 * endpoint): the root is the earliest span without a parent (none: empty
 * names), an orphan a span whose parent is not in the trace.
 */
export const v3TraceSummarySchema = z.object({
  traceId: hex(32),
  rootServiceName: z.string().optional().transform((value) => value ?? ''),
  rootOperationName: z.string().optional().transform((value) => value ?? ''),
  minStartTimeUnixNano: decimal.optional(),
  maxEndTimeUnixNano: decimal.optional(),
  spanCount: summaryCount,
  errorSpanCount: summaryCount,
  orphanSpanCount: summaryCount,
  services: z
    .array(z.object({ name: z.string(), spanCount: summaryCount, errorSpanCount: summaryCount }))
    .optional()
    .transform((value) => value ?? []),
});

export const v3TraceSummariesAnswer = z.object({
  summaries: z
    .array(v3TraceSummarySchema)
    .optional()
    .transform((value) => value ?? []),
});

/** Every failed api_v3 request: the gateway's error object (the gRPC-gateway shape), as text/plain. */
export const v3ErrorAnswer = z.object({
  error: z.object({ httpCode: z.number().int(), message: z.string() }),
});

export type OtlpTracesData = z.infer<typeof v3TracesDataSchema>;
export type OtlpResourceSpans = z.infer<typeof v3ResourceSpansSchema>;
export type OtlpSpan = z.infer<typeof v3SpanSchema>;
export type JaegerTraceSummary = z.output<typeof v3TraceSummarySchema>;
export type JaegerOperation = z.infer<typeof v3OperationsAnswer>['operations'][number];
