import type { AnyValue } from './model.js';

/** The plain JavaScript form of an AnyValue: what a JSON-encoded array or map holds. */
export function plainValue(v: AnyValue): unknown {
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : v.intValue;
  }
  if ('doubleValue' in v) return v.doubleValue;
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) return v.arrayValue.values.map(plainValue);
  if ('kvlistValue' in v) return Object.fromEntries(v.kvlistValue.values.map((kv) => [kv.key, plainValue(kv.value)]));
  return null;
}

/**
 * An attribute value as text: how tag searches compare it (`tag=http.status_code:200`
 * matches the integer 200) and how Jaeger shows arrays and maps (as JSON).
 */
export function valueText(v: AnyValue): string {
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return String(v.boolValue);
  if ('intValue' in v) return v.intValue;
  if ('doubleValue' in v) return String(v.doubleValue);
  if ('bytesValue' in v) return v.bytesValue;
  return JSON.stringify(plainValue(v));
}
