'use client';

import Link from 'next/link';
import type { TraceAnalysis } from '@/lib/shared/trace-model/analyze';
import type { TraceLog } from '@tracelens/jaeger-query/model';
import type { TraceLogsState } from '@/lib/shared/trace-model/logs';
import { EXCEPTION_EVENT } from '@/lib/shared/trace-model/error-origin';
import { queuedInterval } from '@/lib/shared/trace-model/queued';
import type { SpanNode } from '@/lib/shared/trace-model/tree';
import type { Attribute, SpanEvent } from '@tracelens/jaeger-query/model';
import { tracePath } from '@/lib/shared/routes';
import { colorOf } from '@/lib/shared/display/colors';
import { formatDuration, formatOffset } from '@/lib/shared/display/format';
import { ServiceChip } from '@/app/_components/service-chip';
import { SpanBadges } from '@/app/_components/span-badges';
import { SpanLogs } from './log-list';
import styles from './trace-page.module.css';

interface SpanDetailsProps {
  readonly node: SpanNode;
  readonly analysis: TraceAnalysis;
  readonly colors: ReadonlyMap<string, string>;
  /** Whether the store keeps logs at all, and could be read. */
  readonly logsState: TraceLogsState;
  /** This span's log records, in time order. */
  readonly logs: readonly TraceLog[];
  readonly onSelect: (key: string) => void;
}

/**
 * Everything about one span. All of it is span data from the store, so all
 * of it goes into React text nodes: markup in a name or value shows as text.
 */
export function SpanDetails({ node, analysis, colors, logsState, logs, onSelect }: SpanDetailsProps) {
  const { span } = node;
  const { tree } = analysis;
  const skew = analysis.clockSkew.get(node.key);
  const skewSource = skew === undefined ? undefined : tree.byKey.get(skew.sourceKey);
  const selfTime = analysis.selfTimes.byKey.get(node.key) ?? 0;
  const queued = queuedInterval(span);
  const isOrigin = analysis.errorOrigin?.node.key === node.key;

  const notes: string[] = [];
  if (skew !== undefined) {
    notes.push(
      skew.sourceKey === node.key
        ? `Clock skew: recorded on another clock than its parent and shifted by ${signed(skew.deltaUs)} to fit inside it (as Jaeger adjusts).`
        : `Clock skew: shifted by ${signed(skew.deltaUs)} together with ${skewSource === undefined ? 'an ancestor' : `${skewSource.span.service}: ${skewSource.span.name}`}, recorded on the same clock.`,
    );
  }
  if (node.orphan === 'missing-parent') notes.push(`Its parent span ${span.parentSpanId ?? ''} never arrived, so it is shown at the top level.`);
  if (node.orphan === 'cycle') notes.push('Its parent links loop back to itself; it is shown at the top level.');
  if (node.duplicateId) notes.push(`Another span in this trace also has the id ${span.spanId}.`);
  notes.push(...span.warnings);

  return (
    <article className={styles.details} aria-labelledby="span-title">
      <h2 id="span-title" className={styles.detailsTitle}>
        {span.name}
      </h2>
      <div className={styles.detailsBadges}>
        <ServiceChip service={span.service} color={colorOf(colors, span.service)} />
        <SpanBadges
          marks={{
            error: span.error,
            errorOrigin: isOrigin,
            missingParent: node.orphan === 'missing-parent',
            cycle: node.orphan === 'cycle',
            clockSkewed: skew !== undefined,
            duplicateId: node.duplicateId,
          }}
        />
      </div>

      <dl className={styles.fields}>
        <dt>Service</dt>
        <dd>{span.service}</dd>
        <dt>Kind</dt>
        <dd>{span.kind}</dd>
        <dt>Start</dt>
        <dd>{formatOffset(span.startUs - tree.startUs)} from the trace start</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(span.durationUs)}</dd>
        <dt>Self time</dt>
        <dd>{formatDuration(selfTime)}</dd>
        {queued !== null && (
          <>
            <dt>Queued</dt>
            <dd>
              {formatDuration(queued.endUs - queued.startUs)} in the browser before the request was sent, waiting for a connection
              (Chromium opens at most 6 per origin over HTTP/1.1); not counted as self time
            </dd>
          </>
        )}
        <dt>Critical path</dt>
        <dd>{analysis.criticalPath?.keys.has(node.key) ? 'on it' : 'not on it'}</dd>
        <dt>Status</dt>
        <dd>{span.error ? `ERROR${isOrigin ? ' (where the first error started)' : ''}` : 'not an error'}</dd>
        <dt>Span ID</dt>
        <dd>
          <code>{span.spanId}</code>
        </dd>
        <dt>Parent</dt>
        <dd>
          {node.parent !== null ? (
            <button type="button" className={styles.spanLink} onClick={() => onSelect((node.parent as SpanNode).key)}>
              {node.parent.span.service}: {node.parent.span.name}
            </button>
          ) : span.parentSpanId !== null ? (
            <>
              <code>{span.parentSpanId}</code> (missing)
            </>
          ) : (
            'none (a root span)'
          )}
        </dd>
      </dl>

      {notes.length > 0 && (
        <ul className={styles.spanNotes} aria-label="Warnings">
          {notes.map((note, index) => (
            <li key={index}>{note}</li>
          ))}
        </ul>
      )}

      <AttributeSection title="Attributes" attributes={span.attributes} />
      <AttributeSection title="Resource attributes" attributes={span.resource} />

      <h3 className={styles.detailsHeading}>Events</h3>
      {span.events.length === 0 ? (
        <p className={styles.none}>None.</p>
      ) : (
        <ol className={styles.events} aria-label="Events">
          {span.events.map((event, index) => (
            <EventItem key={index} event={event} offsetUs={event.timeUs - span.startUs} />
          ))}
        </ol>
      )}

      <SpanLogs state={logsState} logs={logs} traceStartUs={tree.startUs} />

      <h3 className={styles.detailsHeading}>Links (references)</h3>
      {span.references.length === 0 ? (
        <p className={styles.none}>None.</p>
      ) : (
        <ul className={styles.references}>
          {span.references.map((reference, index) => {
            const inTrace = reference.traceId === span.traceId ? tree.nodes.find((n) => n.span.spanId === reference.spanId) : undefined;
            const isParent = reference.type === 'CHILD_OF' && reference.traceId === span.traceId && reference.spanId === span.parentSpanId;
            return (
              <li key={index}>
                <span className={styles.refType}>{isParent ? 'parent' : reference.type === 'FOLLOWS_FROM' ? 'link' : 'child of'}</span>{' '}
                {inTrace !== undefined ? (
                  <button type="button" className={styles.spanLink} onClick={() => onSelect(inTrace.key)}>
                    {inTrace.span.service}: {inTrace.span.name}
                  </button>
                ) : reference.traceId === span.traceId ? (
                  <>
                    span <code>{reference.spanId}</code> (not in this trace)
                  </>
                ) : (
                  <Link href={tracePath(reference.traceId, reference.spanId)} prefetch={false}>
                    span <code>{reference.spanId}</code> of trace <code>{reference.traceId}</code>
                  </Link>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </article>
  );
}

function signed(us: number): string {
  return us >= 0 ? `+${formatDuration(us)}` : formatDuration(us);
}

function AttributeSection({ title, attributes }: { readonly title: string; readonly attributes: readonly Attribute[] }) {
  return (
    <>
      <h3 className={styles.detailsHeading}>{title}</h3>
      {attributes.length === 0 ? (
        <p className={styles.none}>None.</p>
      ) : (
        <AttributeTable attributes={attributes} label={title} />
      )}
    </>
  );
}

/** Key and value per row, every value shown as text. */
function AttributeTable({ attributes, label }: { readonly attributes: readonly Attribute[]; readonly label: string }) {
  return (
    <table className={styles.attributes} aria-label={label}>
      <tbody>
        {attributes.map((attribute, index) => (
          <tr key={`${attribute.key}#${index}`}>
            <th scope="row">{attribute.key}</th>
            <td>
              <AttributeValue value={attribute.value} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AttributeValue({ value }: { readonly value: Attribute['value'] }) {
  if (typeof value === 'string') {
    // Multi-line values (stack traces, JSON) keep their lines.
    return value.includes('\n') ? <pre className={styles.multiline}>{value}</pre> : <span className={styles.value}>{value}</span>;
  }
  return <span className={styles.valueTyped}>{String(value)}</span>;
}

function EventItem({ event, offsetUs }: { readonly event: SpanEvent; readonly offsetUs: number }) {
  const isException = event.name === EXCEPTION_EVENT;
  const value = (key: string) => event.attributes.find((attribute) => attribute.key === key)?.value;
  const type = value('exception.type');
  const message = value('exception.message');
  const stack = value('exception.stacktrace');
  const shown = new Set(isException ? ['exception.type', 'exception.message', 'exception.stacktrace'] : []);
  const rest = event.attributes.filter((attribute) => !shown.has(attribute.key));
  return (
    <li className={isException ? `${styles.event} ${styles.exception}` : styles.event}>
      <p className={styles.eventHead}>
        <span className={styles.eventName}>{event.name}</span> <span className={styles.eventTime}>{formatOffset(offsetUs)} into the span</span>
      </p>
      {isException && (type !== undefined || message !== undefined) && (
        <p className={styles.exceptionMessage}>
          {type !== undefined && <strong>{String(type)}: </strong>}
          {message !== undefined && String(message)}
        </p>
      )}
      {isException && stack !== undefined && <pre className={styles.stack}>{String(stack)}</pre>}
      {rest.length > 0 && (
        <AttributeTable attributes={rest} label={`${event.name} attributes`} />
      )}
    </li>
  );
}
