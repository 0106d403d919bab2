import * as z from 'zod/mini';

/**
 * The frontend-api's contract: what each route answers, as zod schemas that
 * the route handlers (lib/server/handlers) answer with (`satisfies` the
 * types) and the browser parses what it receives with. One declaration per
 * shape, so the two sides cannot drift apart. zod/mini, since the browser's
 * first load carries it. Times are milliseconds, trace ids 32 lower-case hex
 * digits (null when tracing is off).
 */

const traceId = z.nullable(z.string());

/** Every failed answer (4xx, 5xx): why, and the trace once a span existed. */
export const failureAnswer = z.object({ error: z.string(), traceId: z.optional(traceId) });

/**
 * `GET /api/process/{name}` and the contention, flaky and timeout scenarios:
 * the name, the data-processor's JSON answer passed through, the trace.
 */
export const resultAnswer = z.object({ name: z.string(), result: z.unknown(), traceId });

/** One name of a fan-out batch. */
export const fanoutItem = z.discriminatedUnion('ok', [
  z.object({ name: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ name: z.string(), ok: z.literal(false), error: z.string() }),
]);

/** `GET /api/scenarios/fanout?names=`: one item per name, in order; 502 with `error` as well when every item failed. */
export const fanoutAnswer = z.object({ results: z.array(fanoutItem), traceId, error: z.optional(z.string()) });

/** `GET /api/operations?service=`: the service's operation names, sorted. */
export const operationsAnswer = z.object({ operations: z.array(z.string()) });

/** `GET /api/health`. */
export const healthAnswer = z.object({ status: z.literal('ok') });

/** One row of the compact waterfall. Offsets from the trace start, microseconds. */
export const liveRow = z.object({
  key: z.string(),
  depth: z.number(),
  service: z.string(),
  name: z.string(),
  offsetUs: z.number(),
  durationUs: z.number(),
  error: z.boolean(),
  errorOrigin: z.boolean(),
  missingParent: z.boolean(),
  /** Shifted for clock skew against its parent (its same-clock subtree moved with it, unmarked). */
  clockSkewed: z.boolean(),
  /** How long its request was queued in the browser, from the row's start (0: not a browser fetch, or not queued). */
  queuedUs: z.number(),
});

/** What keeps a trace from being complete, in one sentence. */
export const shortfall = z.object({
  /** For the status line, e.g. "The data-processor never received the request: connection refused (…)". */
  explanation: z.string(),
  /**
   * The spans prove that nothing more can come: a call failed before it
   * reached the service that is missing (connection refused, host not found).
   * Otherwise the rest may still be on its way, or may never come.
   */
  certain: z.boolean(),
});

/** What the compact waterfall shows at one moment (lib/shared/trace-model/live-snapshot.ts). */
export const liveSnapshot = z.object({
  traceId: z.string(),
  spanCount: z.number(),
  /** In display order. */
  services: z.array(z.string()),
  /** Expected services with no span yet. */
  missingServices: z.array(z.string()),
  /** Spans whose parent has not arrived (yet). */
  orphanCount: z.number(),
  /**
   * Every expected service is present and no span waits for its parent:
   * a browser batch can bring a click's `process click` span a second
   * before the fetch span that parents the server side.
   */
  complete: z.boolean(),
  /**
   * A span with no parent is in: the click itself. Spans are stored once
   * they end, so the work the user waited for is over; what is still
   * missing can only be late exports, or spans that will never come.
   */
  rootArrived: z.boolean(),
  /** Why the trace is not complete, as far as its spans tell; null when complete or empty. */
  shortfall: z.nullable(shortfall),
  durationUs: z.number(),
  errorCount: z.number(),
  /** The first rows in display order. */
  rows: z.array(liveRow),
  /** Spans left out of `rows`. */
  hiddenCount: z.number(),
});

/**
 * `GET /api/traces/{traceId}/live`: server-sent events, each `event: <type>`
 * with this JSON as its data. `links` first (where the full trace can be
 * opened), then `snapshot` and `problem` as things change, `end` last:
 * `complete` (every expected service is in), `settled` (incomplete, but it
 * will not grow; the last snapshot's `shortfall` says why) or `timeout`.
 */
export const liveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('links'), jaegerUrl: z.nullable(z.string()) }),
  z.object({ type: z.literal('snapshot'), snapshot: liveSnapshot }),
  z.object({ type: z.literal('problem'), message: z.string() }),
  z.object({ type: z.literal('end'), reason: z.enum(['complete', 'settled', 'timeout']) }),
]);

export type FailureAnswer = z.infer<typeof failureAnswer>;
export type ResultAnswer = z.infer<typeof resultAnswer>;
export type FanoutItem = z.infer<typeof fanoutItem>;
export type FanoutAnswer = z.infer<typeof fanoutAnswer>;
export type OperationsAnswer = z.infer<typeof operationsAnswer>;
export type HealthAnswer = z.infer<typeof healthAnswer>;
export type LiveRow = z.infer<typeof liveRow>;
export type Shortfall = z.infer<typeof shortfall>;
export type LiveSnapshot = z.infer<typeof liveSnapshot>;
export type LiveEvent = z.infer<typeof liveEvent>;
