/**
 * Trace ids as Jaeger's query API takes them: 1 to 32 hex digits, either
 * case (it reads an id without its leading zeros, and a 64-bit id as 16
 * digits). What it answers is lower case.
 */
export const TRACE_ID_PATTERN = /^[0-9a-f]{1,32}$/i;

/** Whether the query API would take `value` as a trace id. */
export function isTraceId(value: string): boolean {
  return TRACE_ID_PATTERN.test(value);
}

/**
 * The id as the API spells it in answers: lower case (not padded: a 64-bit
 * trace keeps its 16 digits). Throws for what is not a trace id.
 */
export function normalizeTraceId(value: string): string {
  if (!isTraceId(value)) throw new RangeError(`${JSON.stringify(value)} is not a trace id (1 to 32 hex digits)`);
  return value.toLowerCase();
}
