/** A trace assertion that failed; the message includes what the trace did contain. */
export class TraceAssertionError extends Error {
  override readonly name = 'TraceAssertionError';
}
