import { z } from 'zod';

/**
 * Jaeger v1 query API JSON, validated where it enters the app. Lenient where
 * real Jaeger and the embedded store differ harmlessly (`null` for empty
 * lists, missing `type`), strict about what the views rely on (ids, times).
 * Timestamps and durations are microseconds.
 */

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

export const jaegerTagSchema = z.object({
  key: z.string(),
  type: z.string().optional(),
  // Jaeger sends int64 values past 2^53 as strings and binary as base64.
  value: z.unknown(),
});

export const jaegerReferenceSchema = z.object({
  refType: z.string(),
  traceID: z.string(),
  spanID: z.string(),
});

export const jaegerLogSchema = z.object({
  timestamp: z.number(),
  fields: list(jaegerTagSchema),
});

export const jaegerSpanSchema = z.object({
  traceID: z.string(),
  spanID: z.string(),
  operationName: z.string(),
  references: list(jaegerReferenceSchema),
  startTime: z.number(),
  duration: z.number(),
  tags: list(jaegerTagSchema),
  logs: list(jaegerLogSchema),
  processID: z.string().optional(),
  warnings: list(z.string()),
});

export const jaegerProcessSchema = z.object({
  serviceName: z.string(),
  tags: list(jaegerTagSchema),
});

export const jaegerTraceSchema = z.object({
  traceID: z.string(),
  spans: list(jaegerSpanSchema),
  processes: z
    .record(z.string(), jaegerProcessSchema)
    .nullish()
    .transform((value) => value ?? {}),
  warnings: list(z.string()),
});

export const jaegerErrorSchema = z.object({ code: z.number().optional(), msg: z.string() });

/** Jaeger's `{ data, total, limit, offset, errors }` envelope around `data`. */
export const envelope = <T extends z.ZodType>(data: T) =>
  z.object({
    data: data.nullish(),
    errors: list(jaegerErrorSchema),
  });

export type JaegerTag = z.infer<typeof jaegerTagSchema>;
export type JaegerSpan = z.infer<typeof jaegerSpanSchema>;
export type JaegerProcess = z.infer<typeof jaegerProcessSchema>;
export type JaegerTrace = z.infer<typeof jaegerTraceSchema>;
