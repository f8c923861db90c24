import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../logger';
import { prepare } from './prepared';
import { Store } from './store';
import { ledgerMigrations, type LedgerSchema } from './testing/ledger';
import { tempDir } from './testing/temp-dir';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(dir: string) {
  const store = await Store.open<LedgerSchema>({ dataDir: dir, migrations: ledgerMigrations, logger: memoryLogger() });
  cleanups.push(() => store.close({ snapshot: false }));
  return store;
}

type Db = Kysely<LedgerSchema>;
const addEntry = prepare((db: Db, v: { id: number; payload: string }) => db.insertInto('entries').values({ id: v.id, payload: v.payload }));
// A constant among the values, and one value used twice.
const mirrorOf = prepare((db: Db, v: { id: number }) =>
  db
    .insertInto('mirrors')
    .values({ entry_id: v.id, payload: 'mirror' })
    .onConflict((oc) => oc.column('entry_id').doUpdateSet({ payload: 'again' }).where('entry_id', '=', v.id)),
);
const entriesFrom = prepare((db: Db, v: { from: number; prefix: string }) =>
  db.selectFrom('entries').select(['id', 'payload']).where('id', '>=', v.from).where('payload', 'like', v.prefix).orderBy('id'),
);

describe('prepared queries', () => {
  it('run with each call’s values, keep the constants, and are journaled like any write', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const store = await open(t.dir);
    await store.write(async (trx) => {
      for (let id = 1; id <= 4; id++) await addEntry.run(trx, { id, payload: id % 2 ? `odd ${id}` : `even ${id}` });
      await mirrorOf.run(trx, { id: 2 });
      await mirrorOf.run(trx, { id: 2 });
      await mirrorOf.run(trx, { id: 3 });
    });
    expect(await entriesFrom.run(store.db, { from: 2, prefix: 'odd%' })).toEqual([{ id: 3, payload: 'odd 3' }]);
    expect(await entriesFrom.first(store.db, { from: 1, prefix: 'even%' })).toEqual({ id: 2, payload: 'even 2' });
    expect(await entriesFrom.first(store.db, { from: 5, prefix: '%' })).toBeUndefined();

    await store.close({ snapshot: false });
    const again = await open(t.dir);
    expect(await again.db.selectFrom('mirrors').selectAll().orderBy('entry_id').execute()).toEqual([
      { entry_id: 2, payload: 'again' },
      { entry_id: 3, payload: 'mirror' },
    ]);
    expect(await again.db.selectFrom('entries').select('id').execute()).toHaveLength(4);
  });
});
