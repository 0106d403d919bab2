'use client';

import Link from 'next/link';
import { useCallback, useMemo, useState } from 'react';
import { TRACES_PATH } from '@/lib/shared/routes';
import { analyzeTrace } from '@/lib/shared/trace-model/analyze';
import { groupLogsBySpan, type TraceLogsState } from '@/lib/shared/trace-model/logs';
import type { CriticalSection } from '@/lib/shared/trace-model/critical-path';
import { ancestorsOf, findNode, visibleNodes } from '@/lib/shared/trace-model/tree';
import type { Trace } from '@tracelens/jaeger-query/model';
import { serviceColors } from '@/lib/shared/display/colors';
import { formatDuration, formatUtc } from '@/lib/shared/display/format';
import { ServiceChips } from '@/app/_components/service-chip';
import { TraceLogs } from './log-list';
import { ServiceTimes } from './service-times';
import { SpanDetails } from './span-details';
import { Timeline } from './timeline';
import styles from './trace-page.module.css';

interface TraceExplorerProps {
  readonly trace: Trace;
  /** `?span=` of the URL: a span id (or a `{spanId}~{n}` key for a repeated id). */
  readonly initialSpan: string | null;
  /** The trace's log records, or why there are none to show. */
  readonly logs: TraceLogsState;
  /** The trace in a Jaeger UI, when JAEGER_UI_URL is set. */
  readonly jaegerUrl: string | null;
}

/** The whole trace page below the site header: summary, timeline and the selected span. */
export function TraceExplorer({ trace, initialSpan, logs, jaegerUrl }: TraceExplorerProps) {
  const analysis = useMemo(() => analyzeTrace(trace), [trace]);
  const { tree } = analysis;
  const logGroups = useMemo(
    () => groupLogsBySpan(logs.kind === 'ok' ? logs.logs : [], tree.nodes.map((node) => node.span.spanId)),
    [logs, tree],
  );
  const colors = useMemo(() => serviceColors(analysis.services), [analysis]);
  const criticalByKey = useMemo(() => {
    const byKey = new Map<string, CriticalSection[]>();
    for (const section of analysis.criticalPath?.sections ?? []) {
      byKey.set(section.key, [...(byKey.get(section.key) ?? []), section]);
    }
    return byKey;
  }, [analysis]);

  const initialNode = initialSpan === null ? undefined : findNode(tree, initialSpan);
  const [selectedKey, setSelectedKey] = useState<string | null>(initialNode?.key ?? null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => visibleNodes(tree, collapsed), [tree, collapsed]);

  const select = useCallback(
    (key: string) => {
      const node = tree.byKey.get(key);
      if (node === undefined) return;
      setSelectedKey(key);
      // A selected span is always visible: open whatever hides it.
      setCollapsed((previous) => {
        const hiding = ancestorsOf(node).filter((ancestor) => previous.has(ancestor.key));
        if (hiding.length === 0) return previous;
        const next = new Set(previous);
        for (const ancestor of hiding) next.delete(ancestor.key);
        return next;
      });
      // Deep link without a server round trip (Next.js keeps its router in sync).
      const url = new URL(window.location.href);
      url.searchParams.set('span', node.duplicateId ? node.key : node.span.spanId);
      window.history.replaceState(null, '', url);
    },
    [tree],
  );

  const setExpanded = useCallback((key: string, expanded: boolean) => {
    setCollapsed((previous) => {
      if (previous.has(key) !== expanded) return previous;
      const next = new Set(previous);
      if (expanded) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const collapseAll = () => setCollapsed(new Set(tree.nodes.filter((node) => node.children.length > 0).map((node) => node.key)));
  const expandAll = () => setCollapsed(new Set());

  const root = analysis.root;
  const selected = selectedKey === null ? undefined : tree.byKey.get(selectedKey);
  const orphanCount = tree.roots.filter((node) => node.orphan === 'missing-parent').length;
  const cycleCount = tree.roots.filter((node) => node.orphan === 'cycle').length;
  const duplicateCount = tree.nodes.filter((node) => node.duplicateId).length;
  const largest = analysis.selfTimes.largest;
  const origin = analysis.errorOrigin;
  const criticalCount = analysis.criticalPath?.keys.size ?? 0;
  const queuedOnPath = analysis.criticalPath?.queuedUs ?? 0;

  const notices: string[] = [];
  if (orphanCount > 0) {
    notices.push(`${orphanCount} span${orphanCount === 1 ? '' : 's'} arrived without ${orphanCount === 1 ? 'its parent' : 'their parents'}: shown at the top level and marked “missing parent”.`);
  }
  const skewSources = [...analysis.clockSkew].filter(([key, adjustment]) => adjustment.sourceKey === key).length;
  if (skewSources > 0) {
    notices.push(
      `${skewSources} span${skewSources === 1 ? '' : 's'} from another clock ${skewSources === 1 ? 'was' : 'were'} shifted, with ${skewSources === 1 ? 'its' : 'their'} same-clock children, to fit inside ${skewSources === 1 ? 'its parent' : 'their parents'} (clock skew, adjusted as Jaeger does): marked “clock skew”.`,
    );
  }
  if (duplicateCount > 0) notices.push(`${duplicateCount} span${duplicateCount === 1 ? ' repeats' : 's repeat'} a span id already used in this trace: marked “duplicate id”.`);
  if (cycleCount > 0) notices.push(`${cycleCount} span${cycleCount === 1 ? '' : 's'} had parent links that loop: shown at the top level.`);
  if (initialSpan !== null && initialNode === undefined) notices.push(`This trace has no span ${initialSpan}.`);
  notices.push(...analysis.warnings);

  return (
    <>
      <header className={styles.header}>
        <p className={styles.eyebrow}>
          Trace <code>{analysis.traceId}</code>
        </p>
        <h1 className={styles.title}>{root === null ? 'Empty trace' : `${root.span.service}: ${root.span.name}`}</h1>
        <dl className={styles.facts}>
          <div>
            <dt>Started</dt>
            <dd>{formatUtc(tree.startUs)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(analysis.durationUs)}</dd>
          </div>
          <div>
            <dt>Spans</dt>
            <dd>{tree.nodes.length}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd>{analysis.errorCount}</dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd>
              <ServiceChips services={analysis.services} colors={colors} label="Services in this trace" />
            </dd>
          </div>
        </dl>
        <p className={styles.links}>
          <Link href={TRACES_PATH} prefetch={false}>
            Search traces
          </Link>
          {jaegerUrl !== null && (
            <a href={jaegerUrl} target="_blank" rel="noreferrer">
              Open in Jaeger
            </a>
          )}
        </p>
      </header>

      {notices.length > 0 && (
        <ul className={styles.notices} aria-label="Notes on this trace">
          {notices.map((notice, index) => (
            <li key={index}>{notice}</li>
          ))}
        </ul>
      )}

      <section className={styles.summary} aria-label="Summary">
        <div className={styles.card}>
          <h2 className={styles.cardTitle}>Critical path</h2>
          <p className={styles.cardText}>
            {criticalCount} span{criticalCount === 1 ? '' : 's'} determined the {formatDuration(analysis.durationUs)} end to end; their
            share is the dark stripe under the bars.
            {queuedOnPath > 0 &&
              ` ${formatDuration(queuedOnPath)} of it was a request queued in the browser, waiting for a connection before it was sent (dashed): no span's work.`}
          </p>
        </div>
        <div className={styles.card} data-testid="largest-self-time">
          <h2 className={styles.cardTitle}>Largest self time</h2>
          {largest === null ? (
            <p className={styles.cardText}>No spans.</p>
          ) : (
            <p className={styles.cardText}>
              <button type="button" className={styles.spanLink} onClick={() => select(largest.key)}>
                {largest.span.service}: {largest.span.name}
              </button>{' '}
              spent {formatDuration(analysis.selfTimes.byKey.get(largest.key) ?? 0)} not waiting on a child.
            </p>
          )}
        </div>
        <div className={styles.card} data-testid="error-origin">
          <h2 className={styles.cardTitle}>Error origin</h2>
          {origin === null ? (
            <p className={styles.cardText}>No span has ERROR status.</p>
          ) : (
            <p className={styles.cardText}>
              The first error started in{' '}
              <button type="button" className={styles.spanLink} onClick={() => select(origin.node.key)}>
                {origin.node.span.service}: {origin.node.span.name}
              </button>
              {origin.message !== null && <span className={styles.originMessage}>{origin.message}</span>}
            </p>
          )}
        </div>
        <div className={styles.card}>
          <h2 className={styles.cardTitle}>Self time per service</h2>
          <ServiceTimes selfTimes={analysis.selfTimes} colors={colors} />
        </div>
      </section>

      <div className={styles.workspace}>
        <section className={styles.timelinePane} aria-label="Timeline">
          <div className={styles.toolbar}>
            <button type="button" className={styles.toolButton} onClick={expandAll}>
              Expand all
            </button>
            <button type="button" className={styles.toolButton} onClick={collapseAll}>
              Collapse all
            </button>
            <p className={styles.keys}>
              Arrow keys move and open rows, Enter shows a span, Space opens or closes it.
            </p>
          </div>
          <Timeline
            analysis={analysis}
            rows={rows}
            colors={colors}
            collapsed={collapsed}
            selectedKey={selectedKey}
            criticalByKey={criticalByKey}
            logsBySpanId={logGroups.bySpanId}
            onSelect={select}
            onExpand={setExpanded}
          />
        </section>
        <section className={styles.detailsPane} aria-label="Span details">
          {selected === undefined ? (
            <p className={styles.placeholder}>Select a span to see its attributes, events, logs and links.</p>
          ) : (
            <SpanDetails
              node={selected}
              analysis={analysis}
              colors={colors}
              logsState={logs}
              logs={logGroups.bySpanId.get(selected.span.spanId) ?? []}
              onSelect={select}
            />
          )}
        </section>
      </div>

      <TraceLogs state={logs} logs={logGroups.traceLogs} traceStartUs={tree.startUs} />
    </>
  );
}
