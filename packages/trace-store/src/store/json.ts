/**
 * JSON for stored log records, which must keep NaN and the infinities of
 * double attributes (plain JSON turns them into null): they are written as
 * OTLP/JSON writes them, as strings, and read back as numbers.
 * `doubleValue` is only ever an AnyValue member in the stored model.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => (key === 'doubleValue' && typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (key, v: unknown) => (key === 'doubleValue' && typeof v === 'string' ? Number(v) : v)) as T;
}
