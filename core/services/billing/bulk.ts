/**
 * Multi-row INSERTs with one SQL text per table, columns and row count, so
 * sql.js reuses the prepared statement: rating and closing write millions of
 * rows, and building a query per row would cost more than the write itself.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { Schema } from '../../store/schema';

/** A Uint8Array only for the columns named as UTF-8 (see insertRows). */
type Value = string | number | null | Uint8Array;

/** Rows per INSERT statement. */
export const rowsPerStatement = 200;
const texts = new Map<string, string>();

function statementText(table: string, columns: readonly string[], rows: number, conflict: string, utf8: readonly string[]): string {
  const key = `${table}|${columns.join(',')}|${rows}|${conflict}|${utf8.join(',')}`;
  let text = texts.get(key);
  if (!text) {
    const tuple = `(${columns.map((c) => (utf8.includes(c) ? 'cast(? as text)' : '?')).join(', ')})`;
    text =
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array(rows).fill(tuple).join(', ')} ${conflict}`.trim();
    texts.set(key, text);
  }
  return text;
}

/**
 * Inserts rows (values in `columns` order). `conflict` is an ON CONFLICT clause
 * for upserts, e.g. 'on conflict ("record_id") do update set "amount" = excluded."amount"'.
 * Columns named in `utf8` take their text as UTF-8 bytes (Buffer.from(text)) and store it as text: sql.js
 * encodes a bound string character by character in JavaScript (8 % of the close's time, for the statements'
 * JSON) and copies bytes at once.
 */
export async function insertRows<T extends keyof Schema & string>(
  trx: Transaction<Schema>,
  table: T,
  columns: readonly (keyof Schema[T] & string)[],
  rows: readonly Value[][],
  conflict = '',
  utf8: readonly (keyof Schema[T] & string)[] = [],
): Promise<void> {
  const values: Value[] = [];
  for (const row of rows) for (const value of row) values.push(value);
  await insertValues(trx, table, columns, values, conflict, utf8);
}

/** insertRows with the rows' values end to end in one array (no array per row: the billing jobs write millions). */
export async function insertValues<T extends keyof Schema & string>(
  trx: Transaction<Schema>,
  table: T,
  columns: readonly (keyof Schema[T] & string)[],
  values: readonly Value[],
  conflict = '',
  utf8: readonly (keyof Schema[T] & string)[] = [],
): Promise<void> {
  const width = columns.length;
  const perStatement = rowsPerStatement * width;
  for (let start = 0; start < values.length; start += perStatement) {
    const params = values.slice(start, start + perStatement);
    await trx.executeQuery(CompiledQuery.raw(statementText(table, columns, params.length / width, conflict, utf8), params));
  }
}

/** ON CONFLICT (keys) DO UPDATE SET each of `set` from the excluded row. */
export function upsertClause(keys: readonly string[], set: readonly string[]): string {
  return `on conflict (${keys.map((k) => `"${k}"`).join(', ')}) do update set ${set.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`;
}

/** ON CONFLICT (keys) DO UPDATE adding each of `add` to the stored value: for rollup counters. */
export function accumulateClause(table: string, keys: readonly string[], add: readonly string[]): string {
  return `on conflict (${keys.map((k) => `"${k}"`).join(', ')}) do update set ${add.map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`).join(', ')}`;
}

/** Splits a list for IN (…) queries, whose parameter count SQLite limits. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
