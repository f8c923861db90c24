/** The snapshot builder's job refuses anything but the exact records it was asked to cover, and changes nothing then. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSync } from 'esbuild';
import initSqlJs from 'sql.js';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../logger';
import { compactSnapshot } from './compaction';
import { listSegments, scanSegment } from './journal';
import { lockFileName } from './lock';
import { snapshotPath } from './snapshot';
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

async function insert(store: Store<LedgerSchema>, id: number) {
  await store.write(async (trx) => {
    await trx
      .insertInto('entries')
      .values({ id, payload: `e${id}` })
      .execute();
    await trx
      .insertInto('mirrors')
      .values({ entry_id: id, payload: `m${id}` })
      .execute();
  });
}

describe('snapshot compaction', () => {
  it('refuses a job that does not match the snapshot on disk or the journal, and leaves both as they were', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const store = await open(t.dir);
    for (let id = 1; id <= 5; id++) await insert(store, id);
    await store.snapshot();
    const snapshotSeq = store.status().lastSnapshotSeq;
    for (let id = 6; id <= 10; id++) await insert(store, id);
    await store.close({ snapshot: false });
    const segments = listSegments(t.dir);
    let lastSeq = 0;
    for (const file of segments) scanSegment(file, (record) => (lastSeq = record.seq));
    const before = readFileSync(snapshotPath(t.dir));

    const SQL = await initSqlJs();
    const job = { dir: t.dir, fromSeq: snapshotSeq, seq: lastSeq, segments, createdAt: 0 };
    await expect(compactSnapshot(SQL, { ...job, fromSeq: 0 })).rejects.toThrow(
      `the snapshot on disk is at transaction ${snapshotSeq}, not 0`,
    );
    await expect(compactSnapshot(SQL, { ...job, seq: lastSeq + 3 })).rejects.toThrow(
      `the sealed journal ends at transaction ${lastSeq}, not ${lastSeq + 3}`,
    );
    // A builder whose store has gone builds the file but never puts it in place, and leaves no temp file.
    await expect(compactSnapshot(SQL, job, () => false)).rejects.toThrow('the store that asked for this snapshot has gone');
    expect(readFileSync(snapshotPath(t.dir)).equals(before)).toBe(true);
    expect(readdirSync(t.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(listSegments(t.dir)).toEqual(segments);

    const again = await open(t.dir);
    expect((await again.db.selectFrom('entries').select('id').execute()).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('lets the store close completely in a process with nothing else to do (the builder process never holds it up or cuts it short)', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    // Laid out as dist/ is: the script, the builder and sql.js's wasm side by side.
    const script = path.join(t.dir, 'close-child.cjs');
    const contents = `
      import { Store } from './store';
      import { ledgerMigrations } from './testing/ledger';
      (async () => {
        const store = await Store.open({ dataDir: process.argv[2], migrations: ledgerMigrations });
        await store.write((trx) => trx.insertInto('entries').values({ id: 1, payload: 'x' }).execute());
        await store.snapshot();
        await store.write((trx) => trx.insertInto('entries').values({ id: 2, payload: 'y' }).execute());
        await store.close();
        console.log('closed');
      })();`;
    buildSync({
      stdin: { contents, resolveDir: __dirname, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: script,
      logLevel: 'silent',
    });
    buildSync({
      entryPoints: [path.join(__dirname, 'compaction-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: path.join(t.dir, 'store-compactor.cjs'),
      logLevel: 'silent',
    });
    copyFileSync(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'), path.join(t.dir, 'sql-wasm.wasm'));
    const dataDir = path.join(t.dir, 'data');
    const output = execFileSync(process.execPath, [script, dataDir], { encoding: 'utf8', timeout: 30_000 });
    expect(output).toContain('closed');
    // Closed to the end: the lock is released and the close's own snapshot is in place.
    expect(existsSync(path.join(dataDir, lockFileName))).toBe(false);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
