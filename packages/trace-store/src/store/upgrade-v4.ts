import type Database from 'better-sqlite3';
import { ROLLUP_PERIODS_S } from '../metrics/rollup.js';
import { RollupWriter, SeriesList } from '../metrics/rollup-table.js';
import { ROLLUPS_SCHEMA, SCHEMA_VERSION } from './schema.js';

/**
 * Upgrades a database of schema version 4 to the current one, in a copy the
 * caller made (convert.ts keeps the original as the backup). Version 4 kept
 * the RED rollups per 10 s only; each 10 s row is also one part of its
 * minute, so the minute rows are the sums of the 10 s rows: exactly what
 * ingest would have written. Spans, logs and everything else stay as they
 * are. Returns the spans and log records the file holds.
 */
export function upgradeFromV4(db: Database.Database): { spans: number; logs: number } {
  db.transaction(() => {
    db.exec('ALTER TABLE rollups RENAME TO rollups_v4; DROP INDEX rollups_by_start;');
    db.exec(ROLLUPS_SCHEMA);
    const writer = new RollupWriter(db);
    const series = new SeriesList();
    const rows = db
      .prepare<[], { service: string; start_s: number; name: string; kind: number; calls: number; errors: number; durations: Buffer }>(
        'SELECT service, start_s, name, kind, calls, errors, durations FROM rollups_v4',
      )
      // All at once: the connection cannot write while a statement is being read (a day at 10 s is some 10^5 small rows).
      .all();
    for (const row of rows) {
      const id = series.idOf(row.service, row.name, row.kind);
      const parts = ROLLUP_PERIODS_S.map((periodS) => ({
        periodS,
        startS: Math.floor(row.start_s / periodS) * periodS,
        series: id,
        calls: row.calls,
        errors: row.errors,
        durations: row.durations,
      }));
      writer.apply(parts, series.series, 1);
    }
    db.exec('DROP TABLE rollups_v4');
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  const spans = db.prepare<[], { spans: number }>('SELECT spans FROM counters').get()?.spans ?? 0;
  const logs = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM logs').get()?.n ?? 0;
  return { spans, logs };
}
