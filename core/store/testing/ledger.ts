/**
 * A tiny schema used by the store's own tests, crash test and benchmark:
 * each transaction writes an entry and its mirror, so a partial transaction is
 * visible as an entry without a mirror (or the reverse).
 */
import type { Kysely } from 'kysely';
import type { Migration } from '../migrations';

export interface LedgerSchema {
  entries: { id: number; payload: string };
  mirrors: { entry_id: number; payload: string };
}

export const ledgerMigrations: Migration[] = [
  {
    id: 1,
    name: 'ledger',
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('entries')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('mirrors')
        .addColumn('entry_id', 'integer', (c) => c.primaryKey())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
    },
  },
];
