'use client';

import type { TraceLog } from '@tracelens/jaeger-query/model';
import type { TraceLogsState } from '@/lib/shared/trace-model/logs';
import { formatDuration, formatOffset } from '@/lib/shared/display/format';
import styles from './trace-page.module.css';

/**
 * Log records, one list item each: offset from the trace start, severity,
 * body and attributes. Everything comes from the store (and the body from
 * whatever the service logged), so all of it goes into React text nodes:
 * markup shows as text.
 */
export function LogList({ logs, traceStartUs, label }: { readonly logs: readonly TraceLog[]; readonly traceStartUs: number; readonly label: string }) {
  return (
    <ol className={styles.logs} aria-label={label}>
      {logs.map((log, index) => (
        <li key={index} className={styles.log} data-severity={severityClass(log.severityNumber)}>
          <div className={styles.logHead}>
            <span className={styles.logTime}>{offsetText(log.timeUs - traceStartUs)}</span>{' '}
            <span className={styles.logSeverity}>{log.severity}</span>{' '}
            {log.body.includes('\n') ? <pre className={styles.multiline}>{log.body}</pre> : <span className={styles.logBody}>{log.body}</span>}
          </div>
          {log.attributes.length > 0 && (
            <dl className={styles.logAttributes}>
              {log.attributes.map((attribute, i) => (
                <div key={`${attribute.key}#${i}`}>
                  <dt>{attribute.key}</dt>
                  <dd>{String(attribute.value)}</dd>
                </div>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ol>
  );
}

/** The logs part of a span's details. */
export function SpanLogs({ state, logs, traceStartUs }: { readonly state: TraceLogsState; readonly logs: readonly TraceLog[]; readonly traceStartUs: number }) {
  return (
    <>
      <h3 className={styles.detailsHeading}>Logs</h3>
      {state.kind === 'unsupported' ? (
        <p className={styles.none}>The trace store keeps no logs.</p>
      ) : state.kind === 'error' ? (
        <p className={styles.none}>Could not read the logs: {state.message}.</p>
      ) : logs.length === 0 ? (
        <p className={styles.none}>None.</p>
      ) : (
        <LogList logs={logs} traceStartUs={traceStartUs} label="Logs of this span" />
      )}
    </>
  );
}

/** Records with no span, or a span not in the trace; and what the page knows when there are no logs to show. */
export function TraceLogs({ state, logs, traceStartUs }: { readonly state: TraceLogsState; readonly logs: readonly TraceLog[]; readonly traceStartUs: number }) {
  return (
    <section className={styles.traceLogs} aria-labelledby="trace-logs-title">
      <h2 id="trace-logs-title" className={styles.cardTitle}>
        Trace logs
      </h2>
      {state.kind === 'unsupported' ? (
        <p className={styles.none}>This trace store keeps no logs (it has no logs endpoint), so only spans are shown.</p>
      ) : state.kind === 'error' ? (
        <p className={styles.none}>Could not read the logs: {state.message}.</p>
      ) : logs.length === 0 ? (
        <p className={styles.none}>
          {state.logs.length === 0 ? 'No logs in this trace.' : 'Every log of this trace belongs to one of its spans: select a span to see its logs.'}
        </p>
      ) : (
        <>
          <p className={styles.cardText}>Logs with no span, or whose span is not in this trace:</p>
          <LogList logs={logs} traceStartUs={traceStartUs} label="Logs without a span in this trace" />
        </>
      )}
    </section>
  );
}

/** A record can predate the trace's first span (another clock, or logged before the span started): "-3 ms", not "+-3 ms". */
function offsetText(us: number): string {
  return us < 0 ? formatDuration(us) : formatOffset(us);
}

/** Coarse severity for styling: OTLP's ranges, 13 and up being warnings and errors. */
function severityClass(severityNumber: number): 'error' | 'warn' | 'info' {
  if (severityNumber >= 17) return 'error';
  if (severityNumber >= 13) return 'warn';
  return 'info';
}
