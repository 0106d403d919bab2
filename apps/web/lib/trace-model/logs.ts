import type { TraceLogRecord } from '../trace-query/logs-schema';
import type { Attribute } from './types';
import { attributeValue } from './from-jaeger';

/**
 * The log records of one trace, as the trace page shows them: each under the
 * span it was emitted in, the rest (no span id, or a span the store does not
 * have) on their own. Times are microseconds since the Unix epoch.
 */
export interface TraceLog {
  readonly traceId: string;
  /** null when the record names no span. */
  readonly spanId: string | null;
  readonly timeUs: number;
  /** OTLP severity number (1-24), 0 when unset. */
  readonly severityNumber: number;
  /** The record's severity text, else one derived from the number ("INFO", "WARN2", …), else "UNSPECIFIED". */
  readonly severity: string;
  readonly body: string;
  readonly service: string;
  readonly attributes: readonly Attribute[];
}

/** What the trace page knows about a trace's logs. Plain data: it crosses from the server page to the client view. */
export type TraceLogsState =
  | { readonly kind: 'ok'; readonly logs: readonly TraceLog[] }
  /** The store has no logs endpoint (404): it keeps no logs, which is not an error. */
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'error'; readonly message: string };

/** OTLP's severity ranges: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL; the 2nd to 4th of a range get a digit. */
const SEVERITY_RANGES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export function severityName(severityNumber: number): string {
  if (!Number.isInteger(severityNumber) || severityNumber < 1 || severityNumber > 24) return 'UNSPECIFIED';
  const range = SEVERITY_RANGES[Math.floor((severityNumber - 1) / 4)] ?? 'UNSPECIFIED';
  const step = (severityNumber - 1) % 4;
  return step === 0 ? range : `${range}${step + 1}`;
}

export function fromLogRecord(record: TraceLogRecord): TraceLog {
  const severityNumber = record.severityNumber ?? 0;
  const text = record.severityText?.trim() ?? '';
  return {
    traceId: record.traceID.toLowerCase(),
    spanId: record.spanID ? record.spanID.toLowerCase() : null,
    timeUs: record.timestamp,
    severityNumber,
    severity: text === '' ? severityName(severityNumber) : text,
    body: record.body ?? '',
    service: record.serviceName ?? '',
    attributes: record.attributes.map((tag) => ({ key: tag.key, value: attributeValue(tag.value) })),
  };
}

export interface LogsBySpan {
  /** By span id, each list in time order. */
  readonly bySpanId: ReadonlyMap<string, readonly TraceLog[]>;
  /** Records with no span id or one that is not in the trace, in time order. */
  readonly traceLogs: readonly TraceLog[];
}

/**
 * Puts each record under its span when `spanIds` has it. Sorted by time here
 * as well, whatever order the store sent (ties keep that order), since the
 * offsets are read top to bottom.
 */
export function groupLogsBySpan(logs: readonly TraceLog[], spanIds: Iterable<string>): LogsBySpan {
  const known = new Set(spanIds);
  const sorted = logs.map((log, index) => ({ log, index })).sort((a, b) => a.log.timeUs - b.log.timeUs || a.index - b.index);
  const bySpanId = new Map<string, TraceLog[]>();
  const traceLogs: TraceLog[] = [];
  for (const { log } of sorted) {
    if (log.spanId !== null && known.has(log.spanId)) {
      const list = bySpanId.get(log.spanId);
      if (list === undefined) bySpanId.set(log.spanId, [log]);
      else list.push(log);
    } else {
      traceLogs.push(log);
    }
  }
  return { bySpanId, traceLogs };
}
