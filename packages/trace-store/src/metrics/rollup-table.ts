import type Database from 'better-sqlite3';
import { addEncodedHistogram, addHistogram, encodeHistogram, type Histogram } from './histogram.js';
import type { RollupRow } from './rollup.js';

/** What a rollup row's series stands for. */
export interface Series {
  service: string;
  name: string;
  /** OTLP SpanKind. */
  kind: number;
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
      get: db.prepare<[string, number, string, number], RowColumns>(
        'SELECT calls, errors, durations FROM rollups WHERE service = ? AND start_s = ? AND name = ? AND kind = ?',
      ),
      put: db.prepare('INSERT OR REPLACE INTO rollups (service, start_s, name, kind, calls, errors, durations) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      delete: db.prepare('DELETE FROM rollups WHERE service = ? AND start_s = ? AND name = ? AND kind = ?'),
      pruneBefore: db.prepare('DELETE FROM rollups WHERE start_s < ?'),
      pruneAll: db.prepare('DELETE FROM rollups'),
    };
  }

  /** Adds (`sign` 1) or subtracts (-1) rollup rows whose series are indexes into `series`. */
  apply(rows: readonly RollupRow[], series: readonly Series[], sign: 1 | -1): void {
    const s = this.statements;
    for (const row of rows) {
      const { service, name, kind } = series[row.series] as Series;
      const old = s.get.get(service, row.startS, name, kind);
      const calls = (old?.calls ?? 0) + sign * row.calls;
      if (calls <= 0) {
        if (old) s.delete.run(service, row.startS, name, kind);
        continue;
      }
      const durations: Histogram = new Map();
      if (old) addEncodedHistogram(durations, old.durations);
      const delta: Histogram = new Map();
      addEncodedHistogram(delta, row.durations);
      addHistogram(durations, delta, sign);
      s.put.run(service, row.startS, name, kind, calls, Math.max(0, (old?.errors ?? 0) + sign * row.errors), encodeHistogram(durations));
    }
  }

  /** Forgets the periods that start before `startS` (`undefined`: every period, once no span is stored). */
  pruneBefore(startS: number | undefined): void {
    if (startS === undefined) this.statements.pruneAll.run();
    else this.statements.pruneBefore.run(startS);
  }
}

/** The reader's side: the rollups of some services over a range of periods. */
export class RollupReader {
  private readonly statement;

  constructor(db: Database.Database) {
    this.statement = db.prepare<[string, number, number], RowColumns & { name: string; kind: number; start_s: number }>(
      'SELECT start_s, name, kind, calls, errors, durations FROM rollups WHERE service = ? AND start_s BETWEEN ? AND ? ORDER BY start_s',
    );
  }

  /** Rows of the services whose period starts from `fromS` to `toS`, each service's in time order. */
  read(services: readonly string[], fromS: number, toS: number): StoredRollup[] {
    const out: StoredRollup[] = [];
    for (const service of new Set(services)) {
      for (const r of this.statement.iterate(service, fromS, toS)) {
        const durations: Histogram = new Map();
        addEncodedHistogram(durations, r.durations);
        out.push({ service, name: r.name, kind: r.kind, startS: r.start_s, calls: r.calls, errors: r.errors, durations });
      }
    }
    return out;
  }
}
