import type { AnyValue } from '../otlp/model.js';
import { valueText } from '../otlp/values.js';
import type { StoredLog } from '../store/reader.js';
import { jaegerTag, type JaegerTag } from './v1-model.js';

/**
 * A log record as `GET /api/traces/{traceID}/logs` answers it: our extension
 * of Jaeger's v1 API (Jaeger has no logs endpoint), in the v1 style: the
 * `{data,total,limit,offset,errors}` envelope, timestamps in microseconds,
 * attributes as Jaeger KeyValues typed like span tags. The web UI is built
 * against exactly this shape.
 */
export interface JaegerLogRecord {
  traceID: string;
  /** '' when the record was not emitted inside a span. */
  spanID: string;
  /** Microseconds since the epoch: the event time, else the observed time, else when it was received. */
  timestamp: number;
  /** OTLP SeverityNumber (1-24), 0 when unspecified. */
  severityNumber: number;
  severityText: string;
  body: string;
  serviceName: string;
  attributes: JaegerTag[];
}

/** A body as text: strings as they are, other values as JSON text, no body as ''. */
export function bodyText(body: AnyValue): string {
  if ('stringValue' in body) return body.stringValue;
  if (Object.keys(body).length === 0) return '';
  return valueText(body);
}

export function toJaegerLogRecord(log: StoredLog): JaegerLogRecord {
  const r = log.record;
  return {
    traceID: r.traceId,
    spanID: r.spanId,
    timestamp: log.timeUs,
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: bodyText(r.body),
    serviceName: log.service,
    attributes: r.attributes.map((kv) => jaegerTag(kv.key, kv.value)),
  };
}
