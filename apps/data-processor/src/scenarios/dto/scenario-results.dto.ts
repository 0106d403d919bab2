/** Body of `GET /scenarios/contention/:name`. */
export interface ContentionResultDto {
  /** The name as requested. */
  readonly name: string;
  /** The upper-cased name: what the work on the connection produced. */
  readonly result: string;
  /** Requests holding or waiting for a connection when this one arrived (`pool.requests_ahead`). */
  readonly requestsAhead: number;
  /** Milliseconds waited for the connection (`pool.wait_ms`). */
  readonly waitedMs: number;
  /** Milliseconds of work on the connection (CONTENTION_WORK_MS). */
  readonly workMs: number;
}

/** Body of `GET /scenarios/flaky/:name`. */
export interface FlakyResultDto {
  /** The name as requested. */
  readonly name: string;
  /** What the inventory answered. */
  readonly quantity: number;
  /** Attempts it took, the successful one included (`retry.attempts`). */
  readonly attempts: number;
  /** Milliseconds of backoff waited between the attempts, in total. */
  readonly backoffMs: number;
}

/** Body of `GET /scenarios/slow/:name`. */
export interface SlowResultDto {
  /** The name as requested. */
  readonly name: string;
  /** The upper-cased name. */
  readonly result: string;
  /** Milliseconds the work took (`slow.delay_ms`). */
  readonly delayMs: number;
}
