/**
 * A query that is built and compiled once, then run again with new values.
 *
 * Kysely builds a tree of frozen nodes and compiles it to SQL on every call, which on the event path (tens of
 * thousands of small statements a second) costs more than SQLite running them. `prepare` builds the query the
 * first time with a placeholder for each named value, remembers which parameter each placeholder became, and
 * from then on hands the driver the same SQL with the call's values. The driver caches the SQLite statement by
 * its text, so a prepared query is parsed once as well.
 *
 * Use it only where a profile shows the cost: the builder stays the readable default. The query's shape must not
 * depend on the values (no `if (v.x) query = query.where(…)`, no spreading `v`): it is fixed at the first call.
 */
import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import { transactionConnections } from './sqljs-driver';

/** A transaction is a Kysely too. */
type Db<S> = Kysely<S>;

/** A placeholder is a string no caller passes: a NUL, a tag and the value's name. */
const mark = '\u0000prepared:';
const placeholders = new Proxy({}, { get: (_, name) => `${mark}${String(name)}` });

export interface Prepared<S, V, R> {
  /** Runs the query with these values; the rows it returns. */
  run(db: Db<S>, values: V): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Db<S>, values: V): Promise<R | undefined>;
}

export function prepare<S, V extends Record<string, unknown>, R>(build: (db: Db<S>, values: V) => Compilable<R>): Prepared<S, V, R> {
  let compiled: CompiledQuery<R> | null = null;
  /** For each parameter of the compiled query: the value it takes, or null for a constant kept as compiled. */
  let sources: (string | null)[] = [];

  const compile = (db: Db<S>): CompiledQuery<R> => {
    const query = build(db, placeholders as V).compile();
    sources = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(mark) ? p.slice(mark.length) : null));
    return query;
  };

  const run = async (db: Db<S>, values: V): Promise<R[]> => {
    compiled ??= compile(db);
    const template = compiled;
    const parameters = sources.map((name, i) => (name === null ? template.parameters[i] : values[name]));
    return (await executeCompiled<S, R>(db, { ...template, parameters })).rows;
  };

  return { run, first: async (db, values) => (await run(db, values))[0] };
}

/** Runs a compiled query: inside a write straight on the transaction's connection (see transactionConnections). */
export function executeCompiled<S, R>(db: Db<S>, query: CompiledQuery<R>): Promise<QueryResult<R>> {
  const connection = transactionConnections.get(db);
  return connection ? connection.executeQuery<R>(query) : db.executeQuery<R>(query);
}
