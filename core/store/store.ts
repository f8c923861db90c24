/**
 * The durable embedded store: sql.js in memory, made durable by a journal of
 * committed transactions plus periodic snapshots.
 *
 * - write(fn) runs fn in a transaction and resolves only after the
 *   transaction's journal record is fsynced (group commit batches writers).
 * - Snapshots are taken when the journal grows past a threshold and on close:
 *   rotate the journal under the connection lock, build the snapshot from the
 *   last one and the sealed journal in a child process (compaction.ts; on
 *   close, export the live database instead), write it atomically, then
 *   delete the journal segments it covers.
 * - open() takes the data-dir lock, loads the snapshot, replays the journal
 *   (recovering a torn tail with a warning), then applies migrations.
 */
import { closeSync, ftruncateSync, fsyncSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { Kysely, type Transaction } from 'kysely';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import { createLogger } from '../logger';
import { StoreFileError } from './files';
import { Journal, listSegments, scanSegment, segmentMagic, type Segment } from './journal';
import { acquireDataDirLock, type DataDirLock } from './lock';
import { migrations as appMigrations, type Migration } from './migrations';
import { Compactor } from './compaction';
import { applyNext, databaseBytes, loadSnapshot, moveToNewRoom, pageCountOf, pageSizeOf } from './database';
import { largestCapacity, removeStaleSnapshotTemp, writeSnapshot } from './snapshot';
import { forgetStatements, SqlJsDialect, storeDrivers, transactionConnections, writeScope, type JournalStatement } from './sqljs-driver';

export interface StoreOptions {
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  migrations?: Migration[];
  /** Take a snapshot once the journal holds this many bytes. */
  snapshotAfterBytes?: number;
  /**
   * Fail fast when a write body uses store.db or store.write() (which would
   * deadlock). It costs about a fifth of the commit rate (AsyncLocalStorage
   * tracks every promise), so the app runs without it and the tests with it.
   */
  detectReentry?: boolean;
  /** The least room to grow the in-memory database gets (default 1 GiB of address space; tests make it small). */
  minGrowthRoom?: number;
  /** Called when a snapshot starts and ends; used by the crash test to aim its kills. */
  onSnapshotPhase?: (phase: 'start' | 'written' | 'done') => void;
}

export interface OpenReport {
  snapshotSeq: number;
  replayedRecords: number;
  tornTailBytes: number;
  appliedMigrations: number[];
}

let sqlJs: Promise<SqlJsStatic> | null = null;
function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs();
  return sqlJs;
}

export class Store<DB> {
  readonly db: Kysely<DB>;
  private lastSeq: number;
  private lastSnapshotSeq: number;
  private lastSnapshotAt: number | null = null;
  private snapshotting: Promise<void> | null = null;
  private regrowing: Promise<void> | null = null;
  /** Times the database was moved into new room (regrow), for the status. */
  private regrows = 0;
  private pageSize: number | null = null;
  private readonly compactor = new Compactor();
  private closed = false;
  /** write() calls under way; close() waits for them. */
  private inflight = 0;
  private readonly drained: (() => void)[] = [];
  private readonly dialect: SqlJsDialect;

  private constructor(
    private sql: Database,
    /** How large the database may grow in the buffer sql.js holds before sql.js would copy it (see regrow). */
    private capacity: number,
    private readonly journal: Journal,
    private readonly lock: DataDirLock,
    private readonly options: Required<Pick<StoreOptions, 'dataDir' | 'snapshotAfterBytes'>> & StoreOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    seq: number,
    snapshotSeq: number,
    readonly openReport: OpenReport,
  ) {
    this.lastSeq = seq;
    this.lastSnapshotSeq = snapshotSeq;
    this.dialect = new SqlJsDialect(
      () => this.sql,
      (statements) => this.onCommit(statements),
    );
    this.dialect.driver.failure = () => this.journal.failed;
    this.db = new Kysely<DB>({ dialect: this.dialect });
    storeDrivers.set(this.db, this.dialect.driver);
  }

  static async open<DB>(options: StoreOptions): Promise<Store<DB>> {
    const clock = options.clock ?? systemClock;
    const logger = (options.logger ?? createLogger()).child('store');
    const dir = options.dataDir;
    mkdirSync(dir, { recursive: true });
    const lock = acquireDataDirLock(dir);
    try {
      const SQL = await loadSqlJs();
      if (await removeStaleSnapshotTemp(dir)) logger.warn('removed an incomplete snapshot left by a crash', { dir });
      const { sql, header, capacity } = loadSnapshot(SQL, dir, options.minGrowthRoom);
      const snapshotSeq = header?.seq ?? 0;
      const replay = replayJournal(dir, sql, snapshotSeq, logger);
      const journal = new Journal(dir, replay.kept, replay.lastSeq + 1, logger);
      const report: OpenReport = {
        snapshotSeq,
        replayedRecords: replay.replayed,
        tornTailBytes: replay.tornTailBytes,
        appliedMigrations: [],
      };
      const store = new Store<DB>(
        sql,
        capacity,
        journal,
        lock,
        { snapshotAfterBytes: 64 * 1024 * 1024, ...options },
        clock,
        logger,
        replay.lastSeq,
        snapshotSeq,
        report,
      );
      if (header) store.lastSnapshotAt = header.createdAt;
      report.appliedMigrations = await store.migrate(options.migrations ?? appMigrations);
      logger.info('store opened', {
        dir,
        snapshotSeq,
        replayed: replay.replayed,
        lastSeq: store.lastSeq,
        migrations: report.appliedMigrations,
      });
      return store;
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  private onCommit(statements: JournalStatement[]): void {
    this.lastSeq += 1;
    this.journal.append(this.lastSeq, statements);
  }

  /** Runs fn in one transaction; resolves after its journal record is durable. */
  async write<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('The store is closed');
    const failure = this.journal.failed;
    if (failure) throw failure;
    this.inflight++;
    try {
      const driver = this.dialect.driver;
      let needsRoom = false;
      const tagged = async (trx: Transaction<DB>) => {
        transactionConnections.set(trx, driver.connection);
        try {
          const value = await fn(trx);
          // Measured under the lock, with this transaction's pages counted.
          needsRoom = this.needsRoom();
          return value;
        } finally {
          transactionConnections.delete(trx);
        }
      };
      const body = this.options.detectReentry === false ? tagged : (trx: Transaction<DB>) => writeScope.run(driver, () => tagged(trx));
      const result = await this.db.transaction().execute(body);
      if (needsRoom && !this.regrowing) {
        this.regrowing = this.regrow()
          .catch((error: Error) => this.logger.error('moving the database into new room failed', { error: error.message }))
          .finally(() => (this.regrowing = null));
      }
      await this.journal.waitDurable(this.lastSeq);
      if (!this.closed && this.journal.bytes >= this.options.snapshotAfterBytes && !this.snapshotting) {
        this.snapshot().catch((error: Error) => this.logger.error('snapshot failed', { error: error.message }));
      }
      return result;
    } finally {
      if (--this.inflight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  /**
   * Takes a snapshot now (or joins the one in progress). By default a child process builds it from the last snapshot
   * and the sealed journal while writes go on (compaction.ts); `inline` exports the live database instead,
   * which holds the writers for the copy but needs no replay: for close(), when nothing waits anyway.
   */
  snapshot(options: { inline?: boolean } = {}): Promise<void> {
    this.snapshotting ??= this.takeSnapshot(options.inline ?? false).finally(() => {
      this.snapshotting = null;
    });
    return this.snapshotting;
  }

  /**
   * Whether the database is within a sixteenth of its buffer's end, where sql.js would soon copy its whole file into
   * a slightly larger array, and a larger buffer exists to move it to.
   */
  private needsRoom(): boolean {
    const margin = this.capacity / 16;
    if (this.capacity >= largestCapacity - margin) return false;
    this.pageSize ??= pageSizeOf(this.sql);
    return this.capacity - pageCountOf(this.sql) * this.pageSize < margin;
  }

  /**
   * Moves the database into a buffer with the largest room (moveToNewRoom), between transactions: one pause of two
   * copies, where sql.js would copy the whole file at each eighth it grows (several seconds a copy at 3 GB).
   */
  private async regrow(): Promise<void> {
    await this.dialect.driver.mutex.run(async () => {
      if (this.closed || this.journal.failed || !this.needsRoom()) return;
      const started = performance.now();
      const { sql, capacity } = moveToNewRoom(await loadSqlJs(), this.sql, this.options.minGrowthRoom);
      this.sql = sql;
      this.capacity = capacity;
      this.regrows += 1;
      this.logger.info('database moved into new room', { capacity, ms: Math.round(performance.now() - started) });
    });
  }

  private async takeSnapshot(inline: boolean): Promise<void> {
    const started = this.clock.now();
    this.options.onSnapshotPhase?.('start');
    const fromSeq = this.lastSnapshotSeq;
    const release = await this.dialect.driver.mutex.lock();
    let data: Uint8Array | null = null;
    let seq: number;
    let sealed: Segment[];
    try {
      // After a journal failure memory may hold transactions that were never acknowledged: never save them.
      const failure = this.journal.failed;
      if (failure) throw failure;
      // sql.js 1.16 exports through SQLite's backup API: the connection, its prepared statements and pragmas stay.
      if (inline) data = this.sql.export();
      seq = this.lastSeq;
      sealed = this.journal.rotate(seq + 1);
    } finally {
      release();
    }
    let bytes = data?.length ?? 0;
    if (data) {
      await writeSnapshot(this.options.dataDir, seq, data, started);
    } else if (seq > fromSeq) {
      // The builder reads the records from the segments: they must be on disk first.
      await this.journal.waitDurable(seq);
      const segments = sealed.map((s) => s.file);
      ({ bytes } = await this.compactor.compact({ dir: this.options.dataDir, fromSeq, seq, segments, createdAt: started }));
    }
    this.options.onSnapshotPhase?.('written');
    await this.journal.dropSealed(sealed);
    this.lastSnapshotSeq = seq;
    this.lastSnapshotAt = started;
    this.options.onSnapshotPhase?.('done');
    this.logger.info('snapshot written', { seq, bytes, ms: this.clock.now() - started, inline });
  }

  private async migrate(list: Migration[]): Promise<number[]> {
    const hasTable = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").length > 0;
    if (!hasTable) {
      await this.write(async (trx) => {
        await trx.schema
          .createTable('schema_migrations')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('applied_at', 'bigint', (c) => c.notNull())
          .execute();
      });
    }
    const rows = this.sql.exec('SELECT id, name FROM schema_migrations ORDER BY id')[0]?.values ?? [];
    const applied = rows.map(([id, name]) => ({ id: Number(id), name: String(name) }));
    checkMigrationHistory(list, applied, this.options.dataDir);
    const pending = list.slice(applied.length);
    for (const migration of pending) {
      const now = this.clock.now();
      await this.write(async (trx) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await migration.up(trx as unknown as Kysely<any>, { now });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await (trx as unknown as Kysely<any>)
          .insertInto('schema_migrations')
          .values({ id: migration.id, name: migration.name, applied_at: now })
          .execute();
      });
      this.logger.info('migration applied', { id: migration.id, name: migration.name });
    }
    return pending.map((m) => m.id);
  }

  status() {
    return {
      dataDir: this.options.dataDir,
      lastSeq: this.lastSeq,
      databaseBytes: databaseBytes(this.sql),
      databaseCapacity: this.capacity,
      regrows: this.regrows,
      journalBytes: this.journal.bytes,
      lastSnapshotAt: this.lastSnapshotAt,
      lastSnapshotSeq: this.lastSnapshotSeq,
      recoveredTornTail: this.openReport.tornTailBytes > 0,
    };
  }

  /** Finishes writes in flight, snapshots if the journal holds anything, and releases the data dir. */
  async close(options: { snapshot?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inflight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (this.snapshotting) await this.snapshotting.catch(() => undefined);
    if (this.regrowing) await this.regrowing;
    await this.journal.waitDurable(this.lastSeq).catch(() => undefined);
    try {
      if ((options.snapshot ?? true) && this.lastSeq > this.lastSnapshotSeq && !this.journal.failed) await this.snapshot({ inline: true });
    } finally {
      await this.compactor.close();
      await this.journal.close();
      forgetStatements(this.sql);
      this.sql.close();
      this.lock.release();
    }
  }
}

interface ReplayResult {
  lastSeq: number;
  replayed: number;
  tornTailBytes: number;
  kept: { file: string; bytes: number }[];
}

/**
 * Applies journal records after the snapshot's seq, one at a time as they
 * are read. Segments are written strictly one after another, so only the
 * last segment holding any bytes may end in a torn record (a crash
 * mid-append, never acknowledged): it is cut off with a warning. Damage in
 * an earlier segment is real corruption and stops the start.
 */
function replayJournal(dir: string, sql: Database, snapshotSeq: number, logger: Logger): ReplayResult {
  const files = listSegments(dir);
  const lastWithBytes = files.map((f) => statSync(f).size > segmentMagic.length).lastIndexOf(true);
  let lastSeq = snapshotSeq;
  let replayed = 0;
  let tornTailBytes = 0;
  const kept: { file: string; bytes: number }[] = [];
  files.forEach((file, index) => {
    const scan = scanSegment(file, (record) => {
      const before = lastSeq;
      lastSeq = applyNext(sql, record, file, lastSeq);
      if (lastSeq !== before) replayed += 1;
    });
    if (scan.badBytes > 0) {
      if (index < lastWithBytes) {
        throw new StoreFileError(
          file,
          scan.badMagic
            ? 'This is not a Reachback journal segment (bad magic) and later segments exist; it was left untouched. Restore the data dir from backup'
            : `The journal is damaged at byte ${scan.goodBytes} and later segments exist; it was left untouched. Restore the data dir from backup`,
        );
      }
      logger.warn('journal ends in a torn record from an interrupted write; cutting it off', {
        file,
        keptBytes: scan.goodBytes,
        droppedBytes: scan.badBytes,
      });
      tornTailBytes += scan.badBytes;
      if (scan.goodBytes > 0) truncateDurably(file, scan.goodBytes);
    }
    if (!scan.records) rmSync(file, { force: true });
    else kept.push({ file, bytes: scan.goodBytes });
  });
  // The cut and the removals must hold before new segments follow, or old garbage could reappear mid-journal.
  if (tornTailBytes > 0 || files.length !== kept.length) fsyncDirSync(dir);
  return { lastSeq, replayed, tornTailBytes, kept };
}

function truncateDurably(file: string, length: number): void {
  const fd = openSync(file, 'r+');
  try {
    ftruncateSync(fd, length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirSync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function checkMigrationHistory(list: Migration[], applied: { id: number; name: string }[], dataDir: string): void {
  applied.forEach((row, index) => {
    const known = list[index];
    if (!known) {
      throw new Error(
        `The data dir ${dataDir} has schema migration ${row.id} (${row.name}), which this version of Reachback does not know. It was written by a newer version; upgrade Reachback.`,
      );
    }
    if (known.id !== row.id || known.name !== row.name) {
      throw new Error(
        `The schema history in ${dataDir} does not match this version: expected migration ${known.id} (${known.name}) at position ${index + 1}, found ${row.id} (${row.name}).`,
      );
    }
  });
}
