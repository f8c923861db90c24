/**
 * Multi-row INSERTs with one SQL text per table, columns and row count, so
 * sql.js reuses the prepared statement: rating and closing write millions of
 * rows, and building a query per row would cost more than the write itself.
 */
import { CompiledQuery, type Transaction } from 'kysely';
import type { Schema } from '../../store/schema';

type Value = string | number | null;

const rowsPerStatement = 200;
const texts = new Map<string, string>();

function statementText(table: string, columns: readonly string[], rows: number, conflict: string): string {
  const key = `${table}|${columns.join(',')}|${rows}|${conflict}`;
  let text = texts.get(key);
  if (!text) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    text =
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array(rows).fill(tuple).join(', ')} ${conflict}`.trim();
    texts.set(key, text);
  }
  return text;
}

/**
 * Inserts rows (values in `columns` order). `conflict` is an ON CONFLICT clause
 * for upserts, e.g. 'on conflict ("record_id") do update set "amount" = excluded."amount"'.
 */
export async function insertRows<T extends keyof Schema & string>(
  trx: Transaction<Schema>,
  table: T,
  columns: readonly (keyof Schema[T] & string)[],
  rows: readonly Value[][],
  conflict = '',
): Promise<void> {
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const batch = rows.slice(start, start + rowsPerStatement);
    const params: Value[] = [];
    for (const row of batch) for (const value of row) params.push(value);
    await trx.executeQuery(CompiledQuery.raw(statementText(table, columns, batch.length, conflict), params));
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
