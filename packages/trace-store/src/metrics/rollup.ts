import { addHistogram, bucketOf, encodeHistogram, type Histogram } from './histogram.js';

/**
 * RED rollups: per period of span start, per service, operation and span
 * kind, the calls, the errors (status ERROR, as Jaeger's span metrics count
 * them) and a histogram of the durations. Built at ingest, on the decoding
 * threads, from the spans of one export; the writer adds them to the
 * `rollups` table in the export's transaction and subtracts them again when
 * the tail sampler drops a trace. The metrics API (red-metrics.ts) reads only
 * these rows, never the spans.
 *
 * Rows of two period lengths, 10 s and a minute (the minute rows summed
 * from the 10 s ones at build). Ten seconds because the load CLI's runs last
 * seconds, and a chart of a 10 s run at one point per minute shows a sixth
 * of its rate; a minute because a query reads a row per period and series,
 * and an hour per operation at 10 s is six times the rows (measured at 1M
 * spans: 43 ms p50 for the hour, most of it reading rows). A query reads the
 * longest period no longer than its points' spacing and windows.
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
  /** By series, then by start of the finest period; the longer periods are summed from these in build(). */
  private readonly rows = new Map<number, Map<number, Building>>();

  add(series: number, startNs: number, durationNs: number, error: boolean): void {
    const startS = Math.floor(startNs / 1e9 / FINEST_PERIOD_S) * FINEST_PERIOD_S;
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
    for (const [series, finest] of this.rows) {
      for (const periodS of ROLLUP_PERIODS_S) {
        for (const [startS, row] of periodS === FINEST_PERIOD_S ? finest : summed(finest, periodS)) {
          out.push({ periodS, startS, series, calls: row.calls, errors: row.errors, durations: encodeHistogram(row.durations) });
        }
      }
    }
    return out;
  }
}

/** The rows of the finest periods summed into periods of `periodS`, by period start. */
function summed(finest: Map<number, Building>, periodS: RollupPeriod): Map<number, Building> {
  const out = new Map<number, Building>();
  for (const [startS, row] of finest) {
    const start = Math.floor(startS / periodS) * periodS;
    const sum = out.get(start);
    if (!sum) {
      out.set(start, { calls: row.calls, errors: row.errors, durations: new Map(row.durations) });
      continue;
    }
    sum.calls += row.calls;
    sum.errors += row.errors;
    addHistogram(sum.durations, row.durations);
  }
  return out;
}
