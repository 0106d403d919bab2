import Database from 'better-sqlite3';

/** Another process (or another store in this one) owns the database file. */
export class DatabaseInUseError extends Error {
  override readonly name = 'DatabaseInUseError';
}

export interface OwnerLock {
  /** Gives the file up; the lock file stays (see below). */
  release(): void;
}

/**
 * Makes this process the one owner of a database file, or throws
 * DatabaseInUseError naming the owner's pid. Two collectors writing one
 * file would number rows over each other and race on schema creation.
 *
 * The lock is SQLite's own, on a sidecar file `<db>.lock`: the owner holds
 * its write lock (an open `BEGIN IMMEDIATE`) for as long as it runs. These
 * are POSIX advisory locks, so the OS drops them when the process dies, even
 * by SIGKILL: a crashed collector never leaves a stale lock behind. SQLite
 * also makes two connections of one process conflict, so two stores in one
 * test process are refused the same way.
 *
 * Readers can still read the committed `owner` row while the lock is held,
 * which is how the refusal names the pid. The owner cannot commit its pid
 * and keep the lock in one step, so it writes the pid, commits, and takes
 * the lock again; if another collector took it in between, this one is the
 * one refused, and it has not touched the database yet.
 *
 * The lock file is never deleted: deleting it while another process has it
 * open would let a third one lock a new file of the same name.
 */
export function lockDatabaseFile(file: string): OwnerLock {
  const lockFile = `${file}.lock`;
  // timeout 0: a held lock is an answer, not something to wait for.
  const db = new Database(lockFile, { timeout: 0 });
  try {
    take(db, file);
    db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, since TEXT NOT NULL)');
    db.exec('DELETE FROM owner');
    db.prepare('INSERT INTO owner (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString());
    db.exec('COMMIT');
    take(db, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return {
    release: () => {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function take(db: Database.Database, file: string): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (e) {
    if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
    throw new DatabaseInUseError(
      `${file} is in use by another collector (${ownerOf(db)}); stop it, or give this one another file with --db / COLLECTOR_DB`,
    );
  }
}

function ownerOf(db: Database.Database): string {
  try {
    // The owner may be committing its pid right now: wait for that, briefly.
    db.pragma('busy_timeout = 1000');
    const row = db.prepare<[], { pid: number }>('SELECT pid FROM owner').get();
    return row ? `pid ${row.pid}` : 'pid unknown';
  } catch {
    return 'pid unknown';
  }
}
