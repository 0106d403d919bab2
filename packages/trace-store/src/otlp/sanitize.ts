import { goTimeString } from './go-format.js';
import type { KeyValue } from './model.js';
import { compareU64, toLong, u64, type PbKeyValue, type PbResourceSpans, type PbSpan } from './pb.js';

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
 * Works on export requests as protobufjs decodes them (pb.ts), before the
 * store keeps them; mutates and returns its argument.
 */

/** The span attribute Jaeger keeps a span's warnings in. */
export const WARNINGS_ATTRIBUTE = '@jaeger@warnings';

export const MISSING_SERVICE_NAME = 'missing-service-name';
export const SERVICE_NAME_WRONG_TYPE = 'service-name-wrong-type';
export const EMPTY_SERVICE_NAME = 'empty-service-name';

/** Appends warnings to the span's `@jaeger@warnings` attribute, adding it (last) when absent; for the read-time adjusters' model. */
export function addWarnings(attributes: KeyValue[], ...warnings: string[]): void {
  const existing = attributes.find((kv) => kv.key === WARNINGS_ATTRIBUTE);
  const values = warnings.map((w) => ({ stringValue: w }));
  if (!existing) attributes.push({ key: WARNINGS_ATTRIBUTE, value: { arrayValue: { values } } });
  else if ('arrayValue' in existing.value) existing.value.arrayValue.values.push(...values);
}

const pbString = (stringValue: string) => ({ value: 'stringValue' as const, stringValue });

/** addWarnings for a span as decoded (pb.ts), before it is stored. */
function addPbWarnings(attributes: PbKeyValue[], ...warnings: string[]): void {
  const existing = attributes.find((kv) => kv.key === WARNINGS_ATTRIBUTE);
  const values = warnings.map(pbString);
  if (!existing) attributes.push({ key: WARNINGS_ATTRIBUTE, value: { value: 'arrayValue', arrayValue: { values } } });
  else if (existing.value?.value === 'arrayValue' && existing.value.arrayValue) existing.value.arrayValue.values.push(...values);
}

function sanitizeServiceName(rs: PbResourceSpans): void {
  rs.resource ??= { attributes: [], droppedAttributesCount: 0 };
  // A decoded message shares its default (empty) attribute list through the prototype: give it its own before adding.
  if (!Object.prototype.hasOwnProperty.call(rs.resource, 'attributes')) rs.resource.attributes = [];
  const attributes = rs.resource.attributes;
  const name = attributes.find((kv) => kv.key === 'service.name');
  if (!name) attributes.push({ key: 'service.name', value: pbString(MISSING_SERVICE_NAME) });
  else if (name.value?.value !== 'stringValue') name.value = pbString(SERVICE_NAME_WRONG_TYPE);
  else if (!name.value.stringValue) name.value = pbString(EMPTY_SERVICE_NAME);
}

function sanitizeDuration(span: PbSpan, changed: Set<PbSpan> | undefined): void {
  if (compareU64(span.startTimeUnixNano, span.endTimeUnixNano) < 0) return;
  changed?.add(span);
  const end = u64(span.endTimeUnixNano);
  const adjusted = u64(span.startTimeUnixNano) + 1n;
  if (!Object.prototype.hasOwnProperty.call(span, 'attributes')) span.attributes = [];
  addPbWarnings(
    span.attributes,
    `Negative duration detected, sanitizing end timestamp. Original end timestamp: ${goTimeString(end)}, adjusted to: ${goTimeString(adjusted)}`,
  );
  span.endTimeUnixNano = toLong(adjusted);
}

/** Sanitises every resource and span; spans it rewrites are added to `changed` (their bytes as sent no longer hold them). */
export function sanitizeSpans(resourceSpans: PbResourceSpans[], changed?: Set<PbSpan>): PbResourceSpans[] {
  for (const rs of resourceSpans) {
    sanitizeServiceName(rs);
    for (const ss of rs.scopeSpans) for (const span of ss.spans) sanitizeDuration(span, changed);
  }
  return resourceSpans;
}
