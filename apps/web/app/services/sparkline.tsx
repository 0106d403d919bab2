import type { Chart } from '@/lib/shared/service-health';
import styles from './services.module.css';

/**
 * A small chart of one figure over the window, drawn on the server as SVG:
 * a line through the steps that have a value, nothing where none (no
 * requests in that step). Scaled to its own maximum; the figure beside it
 * gives the magnitude.
 */
export function Sparkline({ chart, label }: { readonly chart: Chart; readonly label: string }) {
  const width = 96;
  const height = 24;
  const values = chart.values;
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  const x = (i: number) => (values.length <= 1 ? width : (i / (values.length - 1)) * width);
  const y = (v: number) => (max === 0 ? height - 1 : height - 1 - (v / max) * (height - 2));
  // One polyline per run of steps with values, so a gap shows as a gap.
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length > 0) runs.push(run.join(' '));
      run = [];
    } else run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length > 0) runs.push(run.join(' '));
  return (
    <svg className={styles.sparkline} viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      {runs.map((points, i) =>
        points.includes(' ') ? (
          <polyline key={i} points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
        ) : (
          <circle key={i} cx={points.split(',')[0]} cy={points.split(',')[1]} r="1.5" fill="currentColor" />
        ),
      )}
    </svg>
  );
}
