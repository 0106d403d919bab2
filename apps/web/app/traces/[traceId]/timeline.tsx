'use client';

import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import type { TraceAnalysis } from '@/lib/shared/trace-model/analyze';
import type { CriticalSection } from '@/lib/shared/trace-model/critical-path';
import { queuedInterval } from '@/lib/shared/trace-model/queued';
import type { SpanNode } from '@/lib/shared/trace-model/tree';
import { endOf } from '@tracelens/jaeger-query/model';
import { colorOf } from '@/lib/shared/display/colors';
import { formatDuration, formatOffset } from '@/lib/shared/display/format';
import { niceTicks } from '@/lib/shared/display/ticks';
import { SpanBadges } from '@/app/_components/span-badges';
import chips from '@/app/_components/trace-ui.module.css';
import styles from './trace-page.module.css';

/** Fixed row height in pixels: what makes the windowing arithmetic exact. */
const ROW_HEIGHT = 28;
/** Height of the sticky header row (the time axis), in pixels. */
const HEADER_HEIGHT = 30;
/** Rows rendered above and below the viewport, so fast scrolling does not flash blanks. */
const OVERSCAN = 12;
/** Viewport height assumed before the browser has measured it (server render). */
const INITIAL_VIEWPORT = 600;
/** Deeper levels are not indented further, so a 5,000-level chain stays readable. */
const MAX_INDENT_LEVELS = 24;
/** The name column's width, in percent of the grid: default, bounds, and one arrow key's step. */
const NAME_COLUMN = { initial: 45, min: 15, max: 85, step: 5 } as const;

interface TimelineProps {
  readonly analysis: TraceAnalysis;
  /** The visible rows, in display order (collapsed subtrees left out). */
  readonly rows: readonly SpanNode[];
  readonly colors: ReadonlyMap<string, string>;
  readonly collapsed: ReadonlySet<string>;
  readonly selectedKey: string | null;
  readonly criticalByKey: ReadonlyMap<string, readonly CriticalSection[]>;
  /** Log records by span id; a row shows how many its span has. */
  readonly logsBySpanId: ReadonlyMap<string, readonly unknown[]>;
  readonly onSelect: (key: string) => void;
  readonly onExpand: (key: string, expanded: boolean) => void;
}

/**
 * The span timeline: a WAI-ARIA tree grid (one row per span, nested by
 * parent, collapsible) with bars on a shared time axis. Only the rows in view
 * (plus a margin) are in the DOM, each absolutely placed at `index × 28 px`,
 * so a 5,000-span trace costs as much as a 60-span one after the first
 * layout. Focus is a roving tabindex over rows, moved by the arrow keys.
 */
export function Timeline({ analysis, rows, colors, collapsed, selectedKey, criticalByKey, logsBySpanId, onSelect, onExpand }: TimelineProps) {
  const { tree } = analysis;
  const traceStart = tree.startUs;
  const traceDuration = Math.max(tree.endUs - tree.startUs, 1);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(INITIAL_VIEWPORT);
  const [focusKey, setFocusKey] = useState<string | null>(selectedKey ?? rows[0]?.key ?? null);
  const [nameColumn, setNameColumn] = useState<number>(NAME_COLUMN.initial);
  /** Set by keyboard moves: the next render moves DOM focus to `focusKey`. */
  const focusPending = useRef(false);

  const indexByKey = useMemo(() => new Map(rows.map((node, index) => [node.key, index])), [rows]);
  const siblingPosition = useMemo(() => {
    const positions = new Map<string, { position: number; size: number }>();
    const place = (siblings: readonly SpanNode[]) =>
      siblings.forEach((node, i) => positions.set(node.key, { position: i + 1, size: siblings.length }));
    place(tree.roots);
    for (const node of tree.nodes) place(node.children);
    return positions;
  }, [tree]);
  const ticks = useMemo(() => niceTicks(traceDuration, 6), [traceDuration]);

  // The focused row may have been hidden by a collapse: fall back to the nearest row.
  const focusIndex = focusKey === null ? 0 : (indexByKey.get(focusKey) ?? 0);
  const focusedKey = rows[focusIndex]?.key ?? null;

  useEffect(() => {
    const element = scroller.current;
    if (element === null) return undefined;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    setViewport(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const scrollToIndex = (index: number) => {
    const element = scroller.current;
    if (element === null) return;
    const top = index * ROW_HEIGHT;
    const visibleRows = element.clientHeight - HEADER_HEIGHT;
    let next = element.scrollTop;
    if (top < element.scrollTop) next = top;
    else if (top + ROW_HEIGHT > element.scrollTop + visibleRows) next = top + ROW_HEIGHT - visibleRows;
    if (next !== element.scrollTop) {
      element.scrollTop = next;
      setScrollTop(next);
    }
  };

  // A span selected from elsewhere (the summary, a link, ?span=) is brought into view.
  useEffect(() => {
    if (selectedKey === null) return;
    const index = indexByKey.get(selectedKey);
    if (index === undefined) return;
    // The focus follows a selection made outside the timeline, and the
    // scroll (the DOM, outside React) goes with it, so both live in the effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setFocusKey(selectedKey);
    scrollToIndex(index);
    // Only when the selection changes, not on every collapse or scroll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedKey]);

  useLayoutEffect(() => {
    if (!focusPending.current || focusedKey === null) return;
    focusPending.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus({ preventScroll: true });
  });

  const activate = useCallback(
    (key: string) => {
      setFocusKey(key);
      onSelect(key);
    },
    [onSelect],
  );

  const moveFocus = (index: number) => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    const node = rows[clamped];
    if (node === undefined) return;
    focusPending.current = true;
    setFocusKey(node.key);
    scrollToIndex(clamped);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const node = rows[focusIndex];
    if (node === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    const hasChildren = node.children.length > 0;
    const isCollapsed = collapsed.has(node.key);
    const page = Math.max(1, Math.floor((viewport - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    switch (event.key) {
      case 'ArrowDown':
        moveFocus(focusIndex + 1);
        break;
      case 'ArrowUp':
        moveFocus(focusIndex - 1);
        break;
      case 'PageDown':
        moveFocus(focusIndex + page);
        break;
      case 'PageUp':
        moveFocus(focusIndex - page);
        break;
      case 'Home':
        moveFocus(0);
        break;
      case 'End':
        moveFocus(rows.length - 1);
        break;
      case 'ArrowRight':
        if (hasChildren && isCollapsed) onExpand(node.key, true);
        else if (hasChildren) moveFocus(focusIndex + 1);
        break;
      case 'ArrowLeft':
        if (hasChildren && !isCollapsed) onExpand(node.key, false);
        else if (node.parent !== null) moveFocus(indexByKey.get(node.parent.key) ?? focusIndex);
        break;
      case 'Enter':
        onSelect(node.key);
        break;
      case ' ':
        if (hasChildren) onExpand(node.key, isCollapsed);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const bodyTop = Math.max(0, scrollTop - HEADER_HEIGHT);
  const first = Math.max(0, Math.floor(bodyTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((bodyTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const percent = (us: number) => `${((us - traceStart) / traceDuration) * 100}%`;
  const originKey = analysis.errorOrigin?.node.key;

  return (
    <div
      ref={scroller}
      className={styles.grid}
      role="treegrid"
      aria-label="Spans on a shared time axis"
      aria-rowcount={rows.length + 1}
      aria-colcount={2}
      aria-multiselectable={false}
      style={{ height: `min(72vh, ${rows.length * ROW_HEIGHT + HEADER_HEIGHT + 2}px)`, '--name-col': `${nameColumn}%` } as CSSProperties}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className={styles.gridHead}>
        <div role="row" aria-rowindex={1} className={styles.headRow} style={{ height: HEADER_HEIGHT }}>
          <div role="columnheader" className={styles.nameHead}>
            Service and operation
            <ColumnResizer grid={scroller} width={nameColumn} onWidth={setNameColumn} />
          </div>
          <div role="columnheader" className={styles.axisHead}>
            <span className="visually-hidden">Time from the start of the trace</span>
            {ticks.map((tick) => (
              <span key={tick} className={styles.tick} style={{ left: percent(traceStart + tick) }} aria-hidden="true">
                {tick === 0 ? '0' : formatDuration(tick)}
              </span>
            ))}
          </div>
        </div>
      </div>
      <div role="rowgroup" className={styles.gridBody} style={{ height: rows.length * ROW_HEIGHT }}>
        <div className={styles.gridLines} aria-hidden="true">
          {ticks.map((tick) => (
            <span key={tick} className={styles.gridLine} style={{ left: percent(traceStart + tick) }} />
          ))}
        </div>
        {rows.slice(first, last).map((node, offset) => (
          <TimelineRow
            key={node.key}
            node={node}
            index={first + offset}
            traceStart={traceStart}
            traceDuration={traceDuration}
            color={colorOf(colors, node.span.service)}
            isCollapsed={collapsed.has(node.key)}
            isSelected={node.key === selectedKey}
            isFocused={node.key === focusedKey}
            position={siblingPosition.get(node.key)}
            critical={criticalByKey.get(node.key)}
            logCount={logsBySpanId.get(node.span.spanId)?.length ?? 0}
            isErrorOrigin={node.key === originKey}
            // Marked where the shift was decided; the subtree that moved with it is told in the details.
            isSkewSource={analysis.clockSkew.get(node.key)?.sourceKey === node.key}
            onActivate={activate}
            onExpand={onExpand}
          />
        ))}
      </div>
    </div>
  );
}

/**
 * The handle between the name column and the time axis (WAI-ARIA window
 * splitter): drag it, or focus it and use ← → (5% a step), Home and End.
 * Long names and deep nesting otherwise leave a service or operation cut
 * to a letter or two.
 */
function ColumnResizer({
  grid,
  width,
  onWidth,
}: {
  readonly grid: RefObject<HTMLDivElement | null>;
  readonly width: number;
  readonly onWidth: (width: number) => void;
}) {
  const clamp = (value: number) => Math.round(Math.max(NAME_COLUMN.min, Math.min(NAME_COLUMN.max, value)));
  const fromPointer = (clientX: number) => {
    const box = grid.current?.getBoundingClientRect();
    if (box !== undefined && box.width > 0) onWidth(clamp(((clientX - box.left) / box.width) * 100));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next =
      event.key === 'ArrowLeft'
        ? width - NAME_COLUMN.step
        : event.key === 'ArrowRight'
          ? width + NAME_COLUMN.step
          : event.key === 'Home'
            ? NAME_COLUMN.min
            : event.key === 'End'
              ? NAME_COLUMN.max
              : null;
    if (next === null) return;
    // Not the tree grid's: its arrow keys move between rows.
    event.stopPropagation();
    event.preventDefault();
    onWidth(clamp(next));
  };
  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label="Width of the name column"
      aria-valuemin={NAME_COLUMN.min}
      aria-valuemax={NAME_COLUMN.max}
      aria-valuenow={width}
      aria-valuetext={`${width}% of the timeline`}
      tabIndex={0}
      className={styles.resizer}
      onKeyDown={onKeyDown}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        event.preventDefault();
      }}
      onPointerMove={(event) => {
        if (event.currentTarget.hasPointerCapture(event.pointerId)) fromPointer(event.clientX);
      }}
      onPointerUp={(event) => event.currentTarget.releasePointerCapture(event.pointerId)}
    />
  );
}

interface TimelineRowProps {
  readonly node: SpanNode;
  /** Position among the visible rows. */
  readonly index: number;
  readonly traceStart: number;
  readonly traceDuration: number;
  readonly color: string;
  readonly isCollapsed: boolean;
  readonly isSelected: boolean;
  readonly isFocused: boolean;
  readonly position: { readonly position: number; readonly size: number } | undefined;
  readonly critical: readonly CriticalSection[] | undefined;
  /** Log records of the span; 0 shows nothing. */
  readonly logCount: number;
  readonly isErrorOrigin: boolean;
  readonly isSkewSource: boolean;
  readonly onActivate: (key: string) => void;
  readonly onExpand: (key: string, expanded: boolean) => void;
}

/**
 * One span row. Memoised: while scrolling, rows that stay in view keep
 * their props (their place is their index, not the scroll offset), so only
 * the rows coming into view render.
 */
const TimelineRow = memo(function TimelineRow({
  node,
  index,
  traceStart,
  traceDuration,
  color,
  isCollapsed,
  isSelected,
  isFocused,
  position,
  critical,
  logCount,
  isErrorOrigin,
  isSkewSource,
  onActivate,
  onExpand,
}: TimelineRowProps) {
  const { span } = node;
  const hasChildren = node.children.length > 0;
  const share = (us: number) => (us - traceStart) / traceDuration;
  const percent = (us: number) => `${share(us) * 100}%`;
  const startShare = share(span.startUs);
  const endShare = share(endOf(span));
  const queued = queuedInterval(span);
  // The duration goes after the bar, else before it, else inside it.
  const labelPlace = endShare < 0.8 ? 'after' : startShare > 0.2 ? 'before' : 'inside';
  return (
    <div
      role="row"
      data-key={node.key}
      aria-rowindex={index + 2}
      aria-level={node.depth + 1}
      aria-setsize={position?.size}
      aria-posinset={position?.position}
      aria-expanded={hasChildren ? !isCollapsed : undefined}
      aria-selected={isSelected}
      tabIndex={isFocused ? 0 : -1}
      className={styles.row}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}
      onClick={() => onActivate(node.key)}
    >
      <div
        role="gridcell"
        className={styles.nameCell}
        style={{ '--indent': Math.min(node.depth, MAX_INDENT_LEVELS) } as CSSProperties}
        title={`${span.service}: ${span.name}`}
      >
        {hasChildren ? (
          <span
            className={styles.toggle}
            aria-hidden="true"
            onClick={(event) => {
              event.stopPropagation();
              onExpand(node.key, isCollapsed);
            }}
          >
            {isCollapsed ? '▸' : '▾'}
          </span>
        ) : (
          <span className={styles.toggle} aria-hidden="true" />
        )}
        <span className={chips.swatch} style={{ background: color }} aria-hidden="true" />
        <span className={styles.rowService}>{span.service}</span>
        <span className={styles.rowName}>{span.name}</span>
        <SpanBadges
          compact
          marks={{
            error: span.error,
            errorOrigin: isErrorOrigin,
            missingParent: node.orphan === 'missing-parent',
            cycle: node.orphan === 'cycle',
            clockSkewed: isSkewSource,
            duplicateId: node.duplicateId,
          }}
        />
        {logCount > 0 && (
          <span className={styles.logCount} title="Log records emitted in this span: select it to read them">
            {logCount} {logCount === 1 ? 'log' : 'logs'}
          </span>
        )}
        {node.depth > MAX_INDENT_LEVELS && <span className={styles.depth}>level {node.depth + 1}</span>}
        {hasChildren && isCollapsed && <span className={styles.hiddenCount}>+{node.descendantCount}</span>}
      </div>
      <div role="gridcell" className={styles.barCell}>
        <span className="visually-hidden">
          {`starts ${formatOffset(span.startUs - traceStart)}, lasts ${formatDuration(span.durationUs)}`}
          {queued === null ? '' : `, of which ${formatDuration(queued.endUs - queued.startUs)} queued in the browser before it was sent`}
          {critical === undefined ? '' : ', on the critical path'}
        </span>
        <span
          className={span.error ? `${styles.bar} ${styles.barError}` : styles.bar}
          style={{ left: percent(span.startUs), width: `max(2px, ${(span.durationUs / traceDuration) * 100}%)`, background: color }}
          aria-hidden="true"
        />
        {queued !== null && (
          <span
            className={`${chips.queued} ${styles.queuedSegment}`}
            style={{ left: percent(queued.startUs), width: `${((queued.endUs - queued.startUs) / traceDuration) * 100}%` }}
            title={`Queued in the browser for ${formatDuration(queued.endUs - queued.startUs)} before the request was sent (Chromium opens at most 6 connections per origin over HTTP/1.1)`}
            aria-hidden="true"
          >
            <span className={chips.queuedLabel}>queued in the browser</span>
          </span>
        )}
        {(critical ?? []).map((section) => (
          <span
            key={section.startUs}
            className={section.queued ? `${styles.critical} ${styles.criticalQueued}` : styles.critical}
            style={{ left: percent(section.startUs), width: `${((section.endUs - section.startUs) / traceDuration) * 100}%` }}
            aria-hidden="true"
          />
        ))}
        <span
          className={labelPlace === 'inside' ? `${styles.barLabel} ${styles.barLabelInside}` : styles.barLabel}
          style={
            labelPlace === 'after'
              ? { left: `calc(${endShare * 100}% + 6px)` }
              : labelPlace === 'before'
                ? { right: `calc(${(1 - startShare) * 100}% + 6px)` }
                : { right: `calc(${(1 - endShare) * 100}% + 6px)` }
          }
          aria-hidden="true"
        >
          {formatDuration(span.durationUs)}
        </span>
      </div>
    </div>
  );
});
