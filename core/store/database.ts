/** The sql.js database as both the store and the snapshot compactor open it: from the snapshot, then the journal. */
import type { Database, SqlJsStatic } from 'sql.js';
import { StoreFileError } from './files';
import type { JournalRecord } from './journal';
import { capacityOf, defaultMinRoom, intoRoom, largestBuffer, readSnapshot, withGrowthRoom, type SnapshotHeader } from './snapshot';
import { forgetStatements, runStatement } from './sqljs-driver';

/**
 * Opens the database from the snapshot. Kept in its own function so the file's
 * bytes become garbage as soon as sql.js has copied them: at 100 MB that is
 * the difference between ~2.5x and ~3.5x the database size in peak memory.
 */
export function loadSnapshot(
  SQL: SqlJsStatic,
  dir: string,
  minRoom = defaultMinRoom,
): { sql: Database; header: SnapshotHeader | null; capacity: number } {
  const snapshot = readSnapshot(dir, minRoom);
  const image = snapshot ? snapshot.data : withGrowthRoom(emptyImage(SQL), minRoom);
  const sql = new SQL.Database(image);
  applyPragmas(sql);
  return { sql, header: snapshot?.header ?? null, capacity: capacityOf(image) };
}

/**
 * The same database moved into a buffer with the largest room (largestBuffer), the old one closed: two copies of
 * the database once, where sql.js growing its file by an eighth at a time copies it again and again. Must run
 * outside any transaction. Prepared statements of the old database are forgotten.
 */
export function moveToNewRoom(SQL: SqlJsStatic, old: Database, minRoom = defaultMinRoom): { sql: Database; capacity: number } {
  // The buffer first: a machine that cannot reserve it fails here, before anything changed.
  const raw = largestBuffer(databaseBytes(old), minRoom);
  const image = intoRoom(old.export(), raw);
  const sql = new SQL.Database(image);
  applyPragmas(sql);
  forgetStatements(old);
  old.close();
  return { sql, capacity: capacityOf(image) };
}

export function pageCountOf(sql: Database): number {
  return Number(runStatement(sql, 'PRAGMA page_count', []).rows[0]?.page_count ?? 0);
}

export function pageSizeOf(sql: Database): number {
  return Number(runStatement(sql, 'PRAGMA page_size', []).rows[0]?.page_size ?? 0);
}

/** The database's size in bytes (pages in use and free). */
export function databaseBytes(sql: Database): number {
  return pageCountOf(sql) * pageSizeOf(sql);
}

/** An empty database as a file image (one page): sql.js keeps room behind a file it is given, not a new one. */
function emptyImage(SQL: SqlJsStatic): Uint8Array {
  const empty = new SQL.Database();
  try {
    return empty.export();
  } finally {
    empty.close();
  }
}

function applyPragmas(sql: Database): void {
  sql.run('PRAGMA foreign_keys = ON');
  // The database file lives in memory and durability comes from our journal: SQLite's own rollback
  // journal only has to support ROLLBACK, so keep it in memory and take the file lock once.
  sql.run('PRAGMA journal_mode = MEMORY');
  sql.run('PRAGMA locking_mode = EXCLUSIVE');
}

/**
 * Applies the record that follows `lastSeq` and returns its seq; one already applied (in the snapshot) is skipped.
 * A gap means records are missing: an error that names the segment.
 */
export function applyNext(sql: Database, record: JournalRecord, file: string, lastSeq: number): number {
  if (record.seq <= lastSeq) return lastSeq;
  if (record.seq !== lastSeq + 1) {
    throw new StoreFileError(
      file,
      `The journal skips from transaction ${lastSeq} to ${record.seq}; records are missing. Restore the data dir from backup`,
    );
  }
  applyRecord(sql, record, file);
  return record.seq;
}

/** Applies one journaled transaction, all or nothing. */
function applyRecord(sql: Database, record: JournalRecord, file: string): void {
  sql.run('BEGIN');
  try {
    for (const [text, params] of record.statements) runStatement(sql, text, params);
    sql.run('COMMIT');
  } catch (error) {
    sql.run('ROLLBACK');
    throw new StoreFileError(file, `Replaying transaction ${record.seq} failed: ${(error as Error).message}`);
  }
}
