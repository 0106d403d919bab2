import { bucketOf, encodeHistogram, type Histogram } from './histogram.js';

/**
 * RED rollups: per ROLLUP_SECONDS of span start, per service, operation and
 * span kind, the calls, the errors (status ERROR, as Jaeger's span metrics
 * count them) and a histogram of the durations. Built at ingest, on the
 * decoding threads, from the spans of one export; the writer adds them to
 * the `rollups` table in the export's transaction and subtracts them again
 * when the tail sampler drops a trace. The metrics API (red-metrics.ts)
 * reads only these rows, never the spans.
 *
 * Ten seconds, not a minute: the load CLI's runs last seconds, and a chart
 * of a 10 s run at one point per minute shows a sixth of its rate.
 */
export const ROLLUP_SECONDS = 10;

/** One row of rollups in the making: a series (an operation of the export) in one period. */
export interface RollupRow {
  /** Start of the period, seconds since the epoch, a multiple of ROLLUP_SECONDS. */
  startS: number;
  /** Which operation: an index into the export's operations. */
  series: number;
  calls: number;
  errors: number;
  /** Encoded histogram of the durations (histogram.ts). */
  durations: Uint8Array;
}

interface Building {
  calls: number;
  errors: number;
  durations: Histogram;
}

/** Collects the rollups of a set of spans, span by span. */
export class RollupBuilder {
  /** By series, then by period start. */
  private readonly rows = new Map<number, Map<number, Building>>();

  add(series: number, startNs: number, durationNs: number, error: boolean): void {
    const startS = Math.floor(startNs / 1e9 / ROLLUP_SECONDS) * ROLLUP_SECONDS;
    let periods = this.rows.get(series);
    if (!periods) this.rows.set(series, (periods = new Map<number, Building>()));
    let row = periods.get(startS);
    if (!row) periods.set(startS, (row = { calls: 0, errors: 0, durations: new Map() }));
    row.calls++;
    if (error) row.errors++;
    const bucket = bucketOf(durationNs / 1000);
    row.durations.set(bucket, (row.durations.get(bucket) ?? 0) + 1);
  }

  build(): RollupRow[] {
    const out: RollupRow[] = [];
    for (const [series, periods] of this.rows) {
      for (const [startS, row] of periods) {
        out.push({ startS, series, calls: row.calls, errors: row.errors, durations: encodeHistogram(row.durations) });
      }
    }
    return out;
  }
}
