/**
 * A kysely dialect over one in-memory sql.js database that records every
 * statement a write transaction runs. On COMMIT the recorded statements go to
 * the journal, which is what makes the in-memory database durable: replaying
 * them in order rebuilds it exactly (queries never use SQL-side time or
 * randomness; the services pass those in as parameters).
 */
import {
  type CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, SqlValue, Statement } from 'sql.js';
import { Mutex } from './mutex';

export type JournalStatement = [sql: string, params: SqlValue[]];

export interface CommitHook {
  /** Called synchronously right after COMMIT with the transaction's write statements (never empty). */
  (statements: JournalStatement[]): void;
}

const readOnlySql = /^\s*(select|explain)\b/i;

/** Runs statements on the database; reused by the driver and by journal replay. */
const statementCaches = new WeakMap<Database, Map<string, Statement>>();
const maxCachedStatements = 512;

/** Prepared statements are reused per SQL text: parsing the SQL is a large part of a small query's cost. */
function preparedStatement(db: Database, sql: string): Statement {
  let cache = statementCaches.get(db);
  if (!cache) statementCaches.set(db, (cache = new Map()));
  const cached = cache.get(sql);
  if (cached) return cached;
  const stmt = db.prepare(sql);
  if (cache.size >= maxCachedStatements) {
    const [oldestSql, oldest] = cache.entries().next().value as [string, Statement];
    oldest.free();
    cache.delete(oldestSql);
  }
  cache.set(sql, stmt);
  return stmt;
}

/** sql.js frees every statement when it exports or closes the database; forget them then. */
export function forgetStatements(db: Database): void {
  statementCaches.delete(db);
}

export function runStatement(
  db: Database,
  sql: string,
  params: readonly SqlValue[],
): { rows: Record<string, SqlValue>[]; changes: number } {
  const rows: Record<string, SqlValue>[] = [];
  eachRow(db, sql, params, (values, names) => {
    const row: Record<string, SqlValue> = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]!;
    rows.push(row);
  });
  return { rows, changes: db.getRowsModified() };
}

/**
 * Steps through a statement's rows, handing each one's values (in select order) and the column names to onRow.
 * get() plus the names read once: getAsObject() asks for the names again on every row, 6× slower on big reads.
 */
export function eachRow(
  db: Database,
  sql: string,
  params: readonly SqlValue[],
  onRow: (values: SqlValue[], names: string[]) => void,
): void {
  const stmt = preparedStatement(db, sql);
  try {
    if (params.length) stmt.bind(params as SqlValue[]);
    let names: string[] | null = null;
    while (stmt.step()) onRow(stmt.get(), (names ??= stmt.getColumnNames()));
  } finally {
    stmt.reset();
  }
}

class SqlJsConnection implements DatabaseConnection {
  private recording: JournalStatement[] | null = null;

  constructor(
    private readonly getDb: () => Database,
    private readonly onCommit: CommitHook,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const db = this.getDb();
    const params = compiled.parameters.map(toSqlValue);
    const isSelect = compiled.query.kind === 'SelectQueryNode' || (compiled.query.kind === 'RawNode' && readOnlySql.test(compiled.sql));
    if (!isSelect && !this.recording) {
      throw new Error('Writes must run inside store.write(); this statement would not be journaled: ' + compiled.sql.slice(0, 80));
    }
    const { rows, changes } = runStatement(db, compiled.sql, params);
    // Journal only what succeeded: a failed statement that the caller catches must not be replayed.
    if (!isSelect) this.recording!.push([compiled.sql, params]);
    if (isSelect) return { rows: rows as R[] };
    const insertId = compiled.query.kind === 'InsertQueryNode' ? lastInsertRowId(db) : undefined;
    return { rows: rows as R[], numAffectedRows: BigInt(changes), insertId };
  }

  scan(compiled: CompiledQuery, onRow: (values: SqlValue[]) => void): void {
    if (!readOnlySql.test(compiled.sql)) throw new Error('Only a select can be scanned: ' + compiled.sql.slice(0, 80));
    eachRow(this.getDb(), compiled.sql, compiled.parameters.map(toSqlValue), onRow);
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported by the sql.js store');
  }

  begin(): void {
    this.getDb().run('BEGIN');
    this.recording = [];
  }

  commit(): void {
    this.getDb().run('COMMIT');
    const statements = this.recording;
    this.recording = null;
    if (statements && statements.length) this.onCommit(statements);
  }

  rollback(): void {
    this.recording = null;
    this.getDb().run('ROLLBACK');
  }
}

function lastInsertRowId(db: Database): bigint {
  const value = runStatement(db, 'SELECT last_insert_rowid() AS id', []).rows[0]?.id;
  return BigInt(typeof value === 'number' ? value : 0);
}

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || value instanceof Uint8Array) return value;
  throw new Error(`Unsupported SQL parameter type: ${typeof value}`);
}

/** Marks the async context of a write body, to catch re-entry (which would deadlock) early. */
export const writeScope = new AsyncLocalStorage<SqlJsDriver>();

/**
 * Runs work that a write body starts but that must not belong to it (a
 * dispatcher kick, event subscribers): such work may use the store freely,
 * after the write's lock is released.
 */
export function outsideWrite(fn: () => void): void {
  writeScope.exit(fn);
}

/**
 * The connection behind each open write transaction (set by Store.write), so that a prepared query can hand its
 * compiled statement straight to it: kysely's executor adds a chain of promises per statement, which on the event
 * path made a quarter of all garbage. The connection still journals and checks exactly as for any statement.
 */
export const transactionConnections = new WeakMap<object, SqlJsConnection>();

/** The driver behind each store's Kysely (set by the store), for scanRows outside a transaction. */
export const storeDrivers = new WeakMap<object, SqlJsDriver>();

/**
 * Reads a select's rows as value arrays, in select order, without building an object per row: for the billing
 * jobs' scans of millions of rows, where the objects were most of the garbage. Runs on the transaction's
 * connection inside a write, otherwise under the store's lock like any read.
 */
export async function scanRows(db: object, query: CompiledQuery, onRow: (values: SqlValue[]) => void): Promise<void> {
  const connection = transactionConnections.get(db);
  if (connection) return connection.scan(query, onRow);
  const driver = storeDrivers.get(db);
  if (!driver) throw new Error('scanRows needs a store database or one of its write transactions');
  await driver.acquireConnection();
  try {
    driver.connection.scan(query, onRow);
  } finally {
    await driver.releaseConnection();
  }
}

export class SqlJsDriver implements Driver {
  readonly mutex = new Mutex();
  private release: (() => void) | null = null;
  /** Set by the store: once the journal has failed, nothing is read or written. */
  failure: (() => Error | null) | null = null;

  constructor(readonly connection: SqlJsConnection) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // Waiting for the lock from inside a write body would wait for ourselves forever.
    if (writeScope.getStore() === this)
      throw new Error('store.db or store.write() was used inside a store.write() body; use the transaction it was given');
    const failure = this.failure?.();
    if (failure) throw failure;
    this.release = await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    this.connection.begin();
  }

  async commitTransaction(): Promise<void> {
    this.connection.commit();
  }

  async rollbackTransaction(): Promise<void> {
    this.connection.rollback();
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = null;
    release?.();
  }

  async destroy(): Promise<void> {}
}

export class SqlJsDialect implements Dialect {
  readonly driver: SqlJsDriver;

  constructor(getDb: () => Database, onCommit: CommitHook) {
    this.driver = new SqlJsDriver(new SqlJsConnection(getDb, onCommit));
  }

  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver() {
    return this.driver;
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
