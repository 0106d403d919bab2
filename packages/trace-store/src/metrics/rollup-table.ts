import type Database from 'better-sqlite3';
import { addEncodedHistogram, addHistogram, encodeHistogram, type Histogram } from './histogram.js';
import { ROLLUP_PERIODS_S, type RollupPeriod, type RollupRow } from './rollup.js';

/** What a rollup row's series stands for. */
export interface Series {
  service: string;
  name: string;
  /** OTLP SpanKind. */
  kind: number;
}

/** The series of a batch of rollup rows, each once: a row refers to its series by index (RollupRow.series). */
export class SeriesList {
  readonly series: Series[] = [];
  private readonly ids = new Map<string, number>();

  idOf(service: string, name: string, kind: number): number {
    const key = `${service}\0${name}\0${kind}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.series.length));
      this.series.push({ service, name, kind });
    }
    return id;
  }
}

/** A row of the rollups table, as the metrics API reads it. */
export interface StoredRollup extends Series {
  startS: number;
  calls: number;
  errors: number;
  durations: Histogram;
}

interface RowColumns {
  calls: number;
  errors: number;
  durations: Buffer;
}

/**
 * The writer's side of the `rollups` table (schema.ts): adds an export's
 * rollups in the export's transaction, subtracts those of the spans the
 * tail sampler drops, and forgets periods older than every stored span.
 */
export class RollupWriter {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      get: db.prepare<[string, number, number, string, number], RowColumns>(
        'SELECT calls, errors, durations FROM rollups WHERE service = ? AND period_s = ? AND start_s = ? AND name = ? AND kind = ?',
      ),
      put: db.prepare(
        'INSERT OR REPLACE INTO rollups (service, period_s, start_s, name, kind, calls, errors, durations) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      delete: db.prepare('DELETE FROM rollups WHERE service = ? AND period_s = ? AND start_s = ? AND name = ? AND kind = ?'),
      pruneBefore: db.prepare('DELETE FROM rollups WHERE period_s = ? AND start_s < ?'),
      pruneAll: db.prepare('DELETE FROM rollups'),
    };
  }

  /** Adds (`sign` 1) or subtracts (-1) rollup rows whose series are indexes into `series`. */
  apply(rows: readonly RollupRow[], series: readonly Series[], sign: 1 | -1): void {
    const s = this.statements;
    for (const row of rows) {
      const { service, name, kind } = series[row.series] as Series;
      const key = [service, row.periodS, row.startS, name, kind] as const;
      const old = s.get.get(...key);
      const calls = (old?.calls ?? 0) + sign * row.calls;
      if (calls <= 0) {
        if (old) s.delete.run(...key);
        continue;
      }
      const durations: Histogram = new Map();
      if (old) addEncodedHistogram(durations, old.durations);
      const delta: Histogram = new Map();
      addEncodedHistogram(delta, row.durations);
      addHistogram(durations, delta, sign);
      s.put.run(...key, calls, Math.max(0, (old?.errors ?? 0) + sign * row.errors), encodeHistogram(durations));
    }
  }

  /**
   * Forgets the periods that end at or before `oldestStartS`, the start of
   * the oldest span stored (`undefined`: every period, once no span is).
   */
  pruneBefore(oldestStartS: number | undefined): void {
    if (oldestStartS === undefined) {
      this.statements.pruneAll.run();
      return;
    }
    for (const periodS of ROLLUP_PERIODS_S) this.statements.pruneBefore.run(periodS, Math.floor(oldestStartS / periodS) * periodS);
  }
}

/** The reader's side: the rollups of some services over a range of periods of one length. */
export class RollupReader {
  private readonly statement;

  constructor(db: Database.Database) {
    this.statement = db.prepare<[string, number, number, number], RowColumns & { name: string; kind: number; start_s: number }>(
      'SELECT start_s, name, kind, calls, errors, durations FROM rollups WHERE service = ? AND period_s = ? AND start_s BETWEEN ? AND ? ORDER BY start_s',
    );
  }

  /** Rows of the services whose `periodS` period starts from `fromS` to `toS`, each service's in time order. */
  read(services: readonly string[], periodS: RollupPeriod, fromS: number, toS: number): StoredRollup[] {
    const out: StoredRollup[] = [];
    for (const service of new Set(services)) {
      for (const r of this.statement.iterate(service, periodS, fromS, toS)) {
        const durations: Histogram = new Map();
        addEncodedHistogram(durations, r.durations);
        out.push({ service, name: r.name, kind: r.kind, startS: r.start_s, calls: r.calls, errors: r.errors, durations });
      }
    }
    return out;
  }
}
