import { goTimeString } from './go-format.js';
import type { KeyValue, ResourceSpans, Span } from './model.js';

/**
 * What Jaeger's storage exporter does to every export before it stores it
 * (its "sanitizers"), so the store keeps what Jaeger keeps:
 *
 * - a resource without a usable `service.name` gets a placeholder:
 *   `missing-service-name` (absent), `service-name-wrong-type` (not a
 *   string), `empty-service-name` ("");
 * - a span that does not end after it starts ends 1 ns after its start, with
 *   a warning naming both end times.
 *
 * Warnings travel as Jaeger stores them, in the `@jaeger@warnings` span
 * attribute (an array of strings); the v1 API lifts them into `warnings`.
 * Mutates and returns its argument.
 */

/** The span attribute Jaeger keeps a span's warnings in. */
export const WARNINGS_ATTRIBUTE = '@jaeger@warnings';

export const MISSING_SERVICE_NAME = 'missing-service-name';
export const SERVICE_NAME_WRONG_TYPE = 'service-name-wrong-type';
export const EMPTY_SERVICE_NAME = 'empty-service-name';

/** Appends warnings to the span's `@jaeger@warnings` attribute, adding it (last) when absent. */
export function addWarnings(attributes: KeyValue[], ...warnings: string[]): void {
  const existing = attributes.find((kv) => kv.key === WARNINGS_ATTRIBUTE);
  const values = warnings.map((w) => ({ stringValue: w }));
  if (!existing) attributes.push({ key: WARNINGS_ATTRIBUTE, value: { arrayValue: { values } } });
  else if ('arrayValue' in existing.value) existing.value.arrayValue.values.push(...values);
}

function sanitizeServiceName(attributes: KeyValue[]): void {
  const name = attributes.find((kv) => kv.key === 'service.name');
  if (!name) attributes.push({ key: 'service.name', value: { stringValue: MISSING_SERVICE_NAME } });
  else if (!('stringValue' in name.value)) name.value = { stringValue: SERVICE_NAME_WRONG_TYPE };
  else if (name.value.stringValue === '') name.value = { stringValue: EMPTY_SERVICE_NAME };
}

function sanitizeDuration(span: Span): void {
  const start = BigInt(span.startTimeUnixNano);
  const end = BigInt(span.endTimeUnixNano);
  if (start < end) return;
  const adjusted = start + 1n;
  addWarnings(
    span.attributes,
    `Negative duration detected, sanitizing end timestamp. Original end timestamp: ${goTimeString(end)}, adjusted to: ${goTimeString(adjusted)}`,
  );
  span.endTimeUnixNano = adjusted.toString();
}

export function sanitizeTraces(resourceSpans: ResourceSpans[]): ResourceSpans[] {
  for (const rs of resourceSpans) {
    sanitizeServiceName(rs.resource.attributes);
    for (const ss of rs.scopeSpans) for (const span of ss.spans) sanitizeDuration(span);
  }
  return resourceSpans;
}
