import { bucketOf, encodeHistogram, type Histogram } from './histogram.js';

/**
 * RED rollups: per period of span start, per service, operation and span
 * kind, the calls, the errors (status ERROR, as Jaeger's span metrics count
 * them) and a histogram of the durations. Built at ingest, on the decoding
 * threads, from the spans of one export; the writer adds them to the
 * `rollups` table in the export's transaction and subtracts them again when
 * the tail sampler drops a trace. The metrics API (red-metrics.ts) reads only
 * these rows, never the spans.
 *
 * Every span is counted in two periods, 10 s and a minute long. Ten seconds
 * because the load CLI's runs last seconds, and a chart of a 10 s run at one
 * point per minute shows a sixth of its rate; a minute because a query reads
 * a row per period and series, and an hour per operation at 10 s is six
 * times the rows (measured at 1M spans: 43 ms p50 for the hour, most of it
 * reading rows). A query reads the longest period no longer than its points'
 * spacing and windows.
 */
export const ROLLUP_PERIODS_S = [10, 60] as const;
export type RollupPeriod = (typeof ROLLUP_PERIODS_S)[number];

/** The finest period: the smallest step worth asking for (/api/metrics/minstep). */
export const FINEST_PERIOD_S: RollupPeriod = ROLLUP_PERIODS_S[0];

/** One row of rollups in the making: a series (an operation of the export) in one period. */
export interface RollupRow {
  /** The period's length. */
  periodS: RollupPeriod;
  /** Start of the period, seconds since the epoch, a multiple of `periodS`. */
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
  /** By period length (an index into ROLLUP_PERIODS_S) and series, then by period start. */
  private readonly rows = new Map<number, Map<number, Building>>();

  add(series: number, startNs: number, durationNs: number, error: boolean): void {
    const bucket = bucketOf(durationNs / 1000);
    const startS = Math.floor(startNs / 1e9);
    for (let p = 0; p < ROLLUP_PERIODS_S.length; p++) {
      const periodS = ROLLUP_PERIODS_S[p] as RollupPeriod;
      const key = series * ROLLUP_PERIODS_S.length + p;
      let periods = this.rows.get(key);
      if (!periods) this.rows.set(key, (periods = new Map<number, Building>()));
      const periodStart = Math.floor(startS / periodS) * periodS;
      let row = periods.get(periodStart);
      if (!row) periods.set(periodStart, (row = { calls: 0, errors: 0, durations: new Map() }));
      row.calls++;
      if (error) row.errors++;
      row.durations.set(bucket, (row.durations.get(bucket) ?? 0) + 1);
    }
  }

  build(): RollupRow[] {
    const out: RollupRow[] = [];
    for (const [key, periods] of this.rows) {
      const series = Math.floor(key / ROLLUP_PERIODS_S.length);
      const periodS = ROLLUP_PERIODS_S[key % ROLLUP_PERIODS_S.length] as RollupPeriod;
      for (const [startS, row] of periods) {
        out.push({ periodS, startS, series, calls: row.calls, errors: row.errors, durations: encodeHistogram(row.durations) });
      }
    }
    return out;
  }
}
