import { tracePath } from '@/lib/shared/routes';
import type { TraceSummary } from '@/lib/shared/trace-model/summary';
import { colorOf } from '@/lib/shared/display/colors';
import { formatDuration, formatUtc, formatUtcClock } from '@/lib/shared/display/format';
import { niceTicks } from '@/lib/shared/display/ticks';
import styles from './traces.module.css';

const WIDTH = 800;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 64 } as const;

/**
 * Duration over start time of the search results, in plain SVG; each point
 * is a link to its trace. Red rings mark traces with errors. Times in UTC.
 */
export function ScatterPlot({ traces, colors }: { readonly traces: readonly TraceSummary[]; readonly colors: ReadonlyMap<string, string> }) {
  if (traces.length === 0) return null;
  const starts = traces.map((trace) => trace.startUs);
  let minX = Math.min(...starts);
  let maxX = Math.max(...starts);
  if (maxX - minX < 1_000_000) {
    // One moment (or one trace): give the axis a second either side.
    minX -= 1_000_000;
    maxX += 1_000_000;
  }
  const maxY = Math.max(...traces.map((trace) => trace.durationUs), 1) * 1.1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (us: number) => MARGIN.left + ((us - minX) / (maxX - minX)) * plotWidth;
  const y = (us: number) => MARGIN.top + plotHeight - (us / maxY) * plotHeight;
  const yTicks = niceTicks(maxY, 4).filter((tick) => tick <= maxY);
  const xTicks = niceTicks(maxX - minX, 5);

  return (
    <figure className={styles.scatter}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label="Trace duration over start time">
        {yTicks.map((tick) => (
          <g key={`y${tick}`} aria-hidden="true">
            <line className={styles.gridLine} x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y(tick)} y2={y(tick)} />
            <text className={styles.axisLabel} x={MARGIN.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
              {tick === 0 ? '0' : formatDuration(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={`x${tick}`} aria-hidden="true" className={styles.axisLabel} x={x(minX + tick)} y={HEIGHT - 8} textAnchor="middle">
            {formatUtcClock(minX + tick, (xTicks[1] ?? 1_000_000) < 1_000_000)}
          </text>
        ))}
        {traces.map((trace) => {
          const label = `${trace.rootService ?? 'no root'}: ${trace.rootName ?? ''}, ${formatDuration(trace.durationUs)}, started ${formatUtc(trace.startUs)}${trace.errorCount > 0 ? `, ${trace.errorCount} errors` : ''}`;
          return (
            <a key={trace.traceId} href={tracePath(trace.traceId)} aria-label={label} className={styles.point}>
              <title>{label}</title>
              <circle
                cx={x(trace.startUs)}
                cy={y(trace.durationUs)}
                r={6}
                fill={colorOf(colors, trace.rootService ?? '')}
                stroke={trace.errorCount > 0 ? 'var(--error)' : 'var(--surface)'}
                strokeWidth={trace.errorCount > 0 ? 3 : 1.5}
              />
            </a>
          );
        })}
      </svg>
      <figcaption className={styles.caption}>Duration over start time (UTC). Select a point to open its trace; a red ring means errors.</figcaption>
    </figure>
  );
}
