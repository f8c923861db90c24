import { appendFileSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../logger';
import { StoreFileError } from './files';
import { serialize } from 'node:v8';
import { crc32 } from './files';
import { encodeRecord, listSegments, scanSegment } from './journal';
import { DataDirLockedError } from './lock';
import type { Migration } from './migrations';
import { snapshotPath } from './snapshot';
import { scanRows } from './sqljs-driver';
import { Store } from './store';
import { ledgerMigrations, type LedgerSchema } from './testing/ledger';
import { tempDir } from './testing/temp-dir';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function newDir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function open(dir: string, extra: Partial<Parameters<typeof Store.open>[0]> = {}) {
  const store = await Store.open<LedgerSchema>({ dataDir: dir, migrations: ledgerMigrations, logger: memoryLogger(), ...extra });
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

async function ids(store: Store<LedgerSchema>) {
  const rows = await store.db.selectFrom('entries').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

describe('store', () => {
  it('keeps committed writes across close and reopen, from the journal alone', async () => {
    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 20; i++) await insert(store, i);
    await store.close({ snapshot: false });
    expect(listSegments(dir).length).toBeGreaterThan(0);
    const again = await open(dir);
    expect(await ids(again)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(again.openReport.replayedRecords).toBeGreaterThanOrEqual(20);
  });

  it('commits concurrent writers as groups and loses none', async () => {
    const dir = newDir();
    const store = await open(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => insert(store, i + 1)));
    await store.close({ snapshot: false });
    const again = await open(dir);
    expect((await ids(again)).length).toBe(200);
  });

  it('rolls back a failed transaction and journals nothing for it', async () => {
    const dir = newDir();
    const store = await open(dir);
    await insert(store, 1);
    const seqBefore = store.status().lastSeq;
    await expect(
      store.write(async (trx) => {
        await trx.insertInto('entries').values({ id: 2, payload: 'x' }).execute();
        await trx.insertInto('entries').values({ id: 1, payload: 'duplicate' }).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(store.status().lastSeq).toBe(seqBefore);
    await store.close({ snapshot: false });
    expect(await ids(await open(dir))).toEqual([1]);
  });

  it('refuses writes outside store.write, because they would not be journaled', async () => {
    const store = await open(newDir());
    await expect(store.db.insertInto('entries').values({ id: 1, payload: 'x' }).execute()).rejects.toThrow(/store.write/);
    await expect(sql`DELETE FROM entries`.execute(store.db)).rejects.toThrow(/store.write/);
  });

  it('scans a select row by row as value arrays, in a write or outside one, and refuses to scan anything else', async () => {
    const store = await open(newDir());
    for (let id = 1; id <= 3; id++) await insert(store, id);
    const query = store.db.selectFrom('entries').select(['id', 'payload']).orderBy('id').compile();
    const rows: unknown[][] = [];
    await scanRows(store.db, query, (values) => rows.push(values));
    expect(rows).toEqual([
      [1, 'e1'],
      [2, 'e2'],
      [3, 'e3'],
    ]);
    const inWrite: unknown[][] = [];
    await store.write(async (trx) => {
      await trx.insertInto('entries').values({ id: 4, payload: 'e4' }).execute();
      await scanRows(trx, query, (values) => inWrite.push(values));
    });
    expect(inWrite).toHaveLength(4);
    const remove = store.db.deleteFrom('entries').compile();
    await expect(scanRows(store.db, remove, () => undefined)).rejects.toThrow(/Only a select can be scanned/);
    expect(await ids(store)).toEqual([1, 2, 3, 4]);
    await expect(scanRows({}, query, () => undefined)).rejects.toThrow(/store database/);
  });

  it('snapshots, truncates the journal and reopens from the snapshot', async () => {
    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 10; i++) await insert(store, i);
    await store.snapshot();
    expect(listSegments(dir)).toEqual([]);
    await insert(store, 11);
    await store.close({ snapshot: false });
    const again = await open(dir);
    expect(again.openReport.snapshotSeq).toBeGreaterThan(0);
    expect(again.openReport.replayedRecords).toBe(1);
    expect(await ids(again)).toHaveLength(11);
  });

  it('builds the snapshot off the writers’ thread from the last snapshot and the journal, while writes go on', async () => {
    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 50; i++) await insert(store, i);
    await store.snapshot();
    for (let i = 51; i <= 100; i++) await insert(store, i);
    // A second snapshot builds on the first; the writes made while it runs land in the new journal segment.
    const snapshot = store.snapshot();
    const during = Promise.all(Array.from({ length: 50 }, (_, i) => insert(store, 101 + i)));
    await Promise.all([snapshot, during]);
    const covered = store.status().lastSnapshotSeq;
    await store.close({ snapshot: false });

    const again = await open(dir);
    expect(again.openReport.snapshotSeq).toBe(covered);
    expect(again.openReport.snapshotSeq + again.openReport.replayedRecords).toBe(again.status().lastSeq);
    expect(await ids(again)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    const mirrors = await again.db.selectFrom('mirrors').select('entry_id').execute();
    expect(mirrors).toHaveLength(150);
  });

  it('moves a growing database into new room between transactions without losing a byte', async () => {
    const dir = newDir();
    const room = { minGrowthRoom: 1024 * 1024 };
    const first = await open(dir, room);
    await insert(first, 1);
    await first.close();
    const store = await open(dir, room);
    const before = store.status();
    expect(before.databaseCapacity).toBeLessThan(2 * 1024 * 1024);
    const payload = 'y'.repeat(100_000);
    // 25 MB of new rows, 1 MB a transaction, with reads in between: the room (1 MB) runs out at once.
    const count = sql<{ n: number }>`select count(*) as n from entries`;
    for (let batch = 0; batch < 25; batch++) {
      await store.write(async (trx) => {
        for (let i = 0; i < 10; i++)
          await trx
            .insertInto('entries')
            .values({ id: 1000 + batch * 10 + i, payload })
            .execute();
      });
      expect((await count.execute(store.db)).rows[0]!.n).toBe(2 + batch * 10 + 9);
    }
    // Moved once, into the largest buffer Node allows: never again, and sql.js never copies the file itself.
    const status = store.status();
    expect(status.regrows).toBe(1);
    expect(status.databaseCapacity).toBeGreaterThan(1024 * 1024 * 1024);
    await store.write(async (trx) => {
      for (let i = 0; i < 200; i++)
        await trx
          .insertInto('entries')
          .values({ id: 5000 + i, payload })
          .execute();
    });
    await insert(store, 9000);
    expect(store.status().regrows).toBe(1);
    await store.close();
    const again = await open(dir);
    const rows = await again.db.selectFrom('entries').select(['id', 'payload']).execute();
    expect(rows).toHaveLength(452);
    expect(rows.every((r) => r.id === 1 || r.id === 9000 || r.payload === payload)).toBe(true);
    expect((await again.db.selectFrom('mirrors').select('entry_id').execute()).map((r) => r.entry_id)).toEqual([1, 9000]);
  });

  it('snapshots by itself once the journal passes the threshold, while writes go on', async () => {
    const dir = newDir();
    const phases: string[] = [];
    const store = await open(dir, { snapshotAfterBytes: 4096, onSnapshotPhase: (p) => phases.push(p) });
    await Promise.all(Array.from({ length: 300 }, (_, i) => insert(store, i + 1)));
    for (let i = 301; i <= 400; i++) await insert(store, i);
    await store.close({ snapshot: false });
    expect(phases).toContain('done');
    const again = await open(dir);
    expect(await ids(again)).toHaveLength(400);
  });

  it('recovers a torn journal tail with a warning and keeps every whole record', async () => {
    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 5; i++) await insert(store, i);
    await store.close({ snapshot: false });
    const [segment] = listSegments(dir).slice(-1);
    appendFileSync(segment!, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 9, 9])); // a record cut short
    const logger = memoryLogger();
    const again = await open(dir, { logger });
    expect(await ids(again)).toEqual([1, 2, 3, 4, 5]);
    expect(again.openReport.tornTailBytes).toBe(10);
    expect(again.status().recoveredTornTail).toBe(true);
    expect(logger.entries.some((e) => e.level === 'warn' && String(e.msg).includes('torn'))).toBe(true);
    await insert(again, 6);
    await again.close({ snapshot: false });
    expect(await ids(await open(dir))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes each SQL text once per record, and still replays records written with a text per statement', async () => {
    const insertSql = 'insert into "entries" ("id", "payload") values (?, ?)';
    const many = { seq: 1, statements: Array.from({ length: 64 }, (_, i) => [insertSql, [i, `e${i}`]] as [string, (string | number)[]]) };
    expect(encodeRecord(many).length).toBeLessThan(serialize(many).length / 2);

    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 3; i++) await insert(store, i);
    await store.close({ snapshot: false });
    const [segment] = listSegments(dir).slice(-1);
    let lastSeq = 0;
    scanSegment(segment!, (record) => (lastSeq = record.seq));
    // A record as an earlier version wrote it: [sql, params] pairs, no shared texts.
    const payload = serialize({
      seq: lastSeq + 1,
      statements: [
        [insertSql, [4, 'e4']],
        ['insert into "mirrors" ("entry_id", "payload") values (?, ?)', [4, 'm4']],
      ],
    });
    const header = Buffer.alloc(8);
    header.writeUInt32LE(payload.length, 0);
    header.writeUInt32LE(crc32(payload), 4);
    appendFileSync(segment!, Buffer.concat([header, payload]));
    const again = await open(dir);
    expect(await ids(again)).toEqual([1, 2, 3, 4]);
    await insert(again, 5);
    await again.close({ snapshot: false });
    expect(await ids(await open(dir))).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats a record with a bad checksum at the end as torn', async () => {
    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 3; i++) await insert(store, i);
    await store.close({ snapshot: false });
    const [segment] = listSegments(dir).slice(-1);
    const size = statSync(segment!).size;
    const bytes = readFileSync(segment!);
    bytes[size - 3] = bytes[size - 3]! ^ 0xff; // flip a byte inside the last record
    writeFileSync(segment!, bytes);
    const again = await open(dir);
    expect(await ids(again)).toEqual([1, 2]);
  });

  it('refuses to start on a damaged journal segment that is followed by others, and leaves it alone', async () => {
    const dir = newDir();
    const store = await open(dir);
    await insert(store, 1);
    await store.close({ snapshot: false });
    const first = listSegments(dir)[0]!;
    const s2 = await open(dir);
    await insert(s2, 2);
    await s2.close({ snapshot: false });
    expect(listSegments(dir).length).toBe(2);
    const before = readFileSync(first);
    truncateSync(first, statSync(first).size - 2);
    await expect(open(dir)).rejects.toThrow(StoreFileError);
    await expect(open(dir)).rejects.toThrow(path.basename(first));
    expect(readFileSync(first).length).toBe(before.length - 2);
  });

  it('refuses to start on a corrupt snapshot, naming it and never overwriting it', async () => {
    const dir = newDir();
    const store = await open(dir);
    await insert(store, 1);
    await store.close();
    const file = snapshotPath(dir);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0x55;
    writeFileSync(file, bytes);
    await expect(open(dir)).rejects.toThrow(/snapshot fails its checksum.*snapshot\.rbs/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a second instance on the same data dir', async () => {
    const dir = newDir();
    await open(dir);
    await expect(Store.open({ dataDir: dir, migrations: ledgerMigrations })).rejects.toThrow(DataDirLockedError);
    await expect(Store.open({ dataDir: dir, migrations: ledgerMigrations })).rejects.toThrow(/in use by another Reachback instance/);
  });

  it('journals only statements that succeeded, so a caught failure inside a write replays cleanly', async () => {
    const dir = newDir();
    const store = await open(dir);
    await insert(store, 1);
    await store.write(async (trx) => {
      try {
        await trx.insertInto('entries').values({ id: 1, payload: 'duplicate' }).execute();
      } catch {
        await trx.updateTable('entries').set({ payload: 'updated' }).where('id', '=', 1).execute();
      }
    });
    await store.close({ snapshot: false });
    const again = await open(dir);
    expect(await again.db.selectFrom('entries').select('payload').execute()).toEqual([{ payload: 'updated' }]);
  });

  it('recovers zeros at the end of the journal (file size persisted before its data)', async () => {
    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 3; i++) await insert(store, i);
    await store.close({ snapshot: false });
    const [segment] = listSegments(dir).slice(-1);
    appendFileSync(segment!, Buffer.alloc(4096));
    const again = await open(dir);
    expect(await ids(again)).toEqual([1, 2, 3]);
    expect(again.openReport.tornTailBytes).toBe(4096);
  });

  it('recovers a zero-filled new segment whose first write was torn', async () => {
    const dir = newDir();
    const store = await open(dir);
    for (let i = 1; i <= 3; i++) await insert(store, i);
    await store.close({ snapshot: false });
    const zeros = path.join(dir, 'journal-9999999999999999.rbj');
    writeFileSync(zeros, Buffer.alloc(512));
    const again = await open(dir);
    expect(await ids(again)).toEqual([1, 2, 3]);
    expect(again.openReport.tornTailBytes).toBe(512);
    expect(listSegments(dir)).not.toContain(zeros);
  });

  it('refuses, instead of hanging, a read through store.db inside a write body', async () => {
    const store = await open(newDir());
    await expect(store.write(async () => store.db.selectFrom('entries').selectAll().execute())).rejects.toThrow(
      /inside a store.write\(\) body/,
    );
    await expect(store.write(async () => store.write(async () => 1))).rejects.toThrow(/inside a store.write\(\) body/);
    await insert(store, 1);
    expect(await ids(store)).toEqual([1]);
  });

  it('closes cleanly while writes and an automatic snapshot are under way', async () => {
    for (let trial = 0; trial < 20; trial++) {
      const dir = newDir();
      const store = await Store.open<LedgerSchema>({
        dataDir: dir,
        migrations: ledgerMigrations,
        logger: memoryLogger(),
        snapshotAfterBytes: 200,
      });
      const writes = Array.from({ length: 6 }, (_, i) => insert(store, i + 1));
      await store.close();
      await Promise.allSettled(writes);
      const again = await open(dir);
      const acknowledged = (await Promise.allSettled(writes)).filter((w) => w.status === 'fulfilled').length;
      expect((await ids(again)).length).toBeGreaterThanOrEqual(acknowledged);
      await again.close();
    }
  });

  it('takes over a lock with our own pid left by an earlier run (pid reuse, as pid 1 in containers)', async () => {
    const dir = newDir();
    writeFileSync(path.join(dir, 'reachback.lock'), JSON.stringify({ pid: process.pid }));
    const store = await open(dir);
    expect(store.status().lastSeq).toBeGreaterThan(0);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = newDir();
    writeFileSync(path.join(dir, 'reachback.lock'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    const store = await open(dir);
    expect(store.status().lastSeq).toBeGreaterThan(0);
  });

  it('removes a half-written snapshot temp file left by a crash', async () => {
    const dir = newDir();
    writeFileSync(snapshotPath(dir) + '.tmp', 'partial');
    await open(dir);
    expect(readdirSync(dir)).not.toContain('snapshot.rbs.tmp');
  });
});

describe('migrations', () => {
  const second: Migration = {
    id: 2,
    name: 'notes',
    async up(db) {
      await db.schema
        .createTable('notes')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
    },
  };

  it('applies pending migrations once and records them', async () => {
    const dir = newDir();
    const store = await open(dir);
    expect(store.openReport.appliedMigrations).toEqual([1]);
    await store.close();
    const again = await open(dir, { migrations: [...ledgerMigrations, second] });
    expect(again.openReport.appliedMigrations).toEqual([2]);
    await again.close();
    const third = await open(dir, { migrations: [...ledgerMigrations, second] });
    expect(third.openReport.appliedMigrations).toEqual([]);
  });

  it('refuses a data dir written by a newer version', async () => {
    const dir = newDir();
    const store = await open(dir, { migrations: [...ledgerMigrations, second] });
    await store.close();
    await expect(open(dir)).rejects.toThrow(/newer version/);
  });

  it('refuses a schema history that does not match', async () => {
    const dir = newDir();
    const store = await open(dir);
    await store.close();
    const renamed: Migration[] = [{ ...ledgerMigrations[0]!, name: 'other' }];
    await expect(open(dir, { migrations: renamed })).rejects.toThrow(/does not match/);
  });

  it('lists every migration file in order with no gaps', async () => {
    const { migrations } = await import('./migrations');
    const files = readdirSync(path.join(__dirname, 'migrations')).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts'));
    expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(migrations.map((m) => m.id));
    expect(migrations.map((m) => m.id)).toEqual(migrations.map((_, i) => i + 1));
    files.forEach((f, i) => expect(f).toBe(`${String(i + 1).padStart(4, '0')}-${migrations[i]!.name}.ts`));
  });
});
