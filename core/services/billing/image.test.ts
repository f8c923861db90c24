/** The cycle image: every party's records in record order, and the stored lines read only when asked. */
import { afterEach, describe, expect, it } from 'vitest';
import { cycleByKey } from '../../domain/billing';
import { memoryLogger } from '../../logger';
import type { Schema } from '../../store/schema';
import { Store } from '../../store/store';
import { tempDir } from '../../store/testing/temp-dir';
import { insertRows } from './bulk';
import { CycleImage } from './image';
import { writeChargeValues } from './lines';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const cycle = cycleByKey('2026-03');
const at = (minute: number) => cycle.start + minute * 60_000;

// E.164 digits (read as numbers) beside parties that are not: too long, a leading zero, signs, letters.
const parties = ['+8613800138001', '+8613800138002', '+0123', '+12345678901234567', '+1.5', 'abc', '+999999999999999', '+86 138', '+-5'];

async function storeWithRecords() {
  const { dir, cleanup } = tempDir();
  const store = await Store.open<Schema>({ dataDir: dir, logger: memoryLogger() });
  cleanups.push(cleanup, () => store.close({ snapshot: false }));
  await store.write(async (trx) => {
    const rows: (string | number | null)[][] = [];
    // Each party two records, the second earlier in time than the first for the last party.
    parties.forEach((party, i) => rows.push([party, 'notification', 1, 1, at(10 + i), null, null, null]));
    parties.forEach((party, i) =>
      rows.push([party, 'missed-detail', 1, 1, i === parties.length - 1 ? at(1) : at(20 + i), null, null, null]),
    );
    rows.push([parties[0]!, 'notification', 1, 1, cycle.end + 1, null, null, null]); // the next cycle's
    await insertRows(trx, 'usage_records', ['party', 'kind', 'chargeable', 'quantity', 'at', 'sms_id', 'call_id', 'detail'], rows);
    await writeChargeValues(trx, [1, cycle.key, 'basic', 1, 'priced', 'none', 0, 10, 10]);
  });
  return store;
}

describe('cycle image', () => {
  it('finds every party, with its records in record order', async () => {
    const store = await storeWithRecords();
    const image = await CycleImage.load(store.db, cycle, undefined, { lines: false });
    expect(image.records).toBe(parties.length * 2);
    expect(image.parties()).toEqual([...parties].sort((a, b) => (a < b ? -1 : 1)));
    for (const party of parties) {
      expect(image.count(party)).toBe(2);
      expect(image.usage(party).map((r) => r.party)).toEqual([party, party]);
    }
    expect(image.count('+8613800138003')).toBe(0);
    expect(image.count('+8613800138001 ')).toBe(0);
    expect(image.usage('+-5').map((r) => r.kind)).toEqual(['missed-detail', 'notification']);
    expect(image.lastOf('+-5')).toEqual({ at: at(10 + parties.length - 1), id: parties.length });
    expect(image.lastOf('+0123')).toEqual({ at: at(22), id: parties.length + 3 });
    expect(image.lastOf('nobody')).toBeNull();
    expect(image.partiesIn('+1', '+8613800138001')).toEqual(['+1.5', '+12345678901234567', '+86 138', '+8613800138001']);
    expect(image.partiesIn('+8613800138002')).toEqual(['+999999999999999', 'abc']);
    expect(image.usage('+999999999999999').map((r) => r.party)).toEqual(['+999999999999999', '+999999999999999']);
  });

  it('reads the stored lines only when asked', async () => {
    const store = await storeWithRecords();
    const image = await CycleImage.load(store.db, cycle, undefined, { lines: false });
    expect(image.hasLines).toBe(false);
    expect(() => image.rows(parties[0]!)).toThrow(/not read/);
    await image.loadLines(store.db);
    expect(image.hasLines).toBe(true);
    const rows = image.rows(parties[0]!);
    expect(rows.map((r) => [r.id, r.c_plan, r.c_amount])).toEqual([
      [1, 'basic', 10],
      [parties.length + 1, null, null],
    ]);
    const full = await CycleImage.load(store.db, cycle);
    expect(full.rows(parties[0]!)).toEqual(rows);
  });

  it('keeps a kind it does not know as it was stored', async () => {
    const store = await storeWithRecords();
    await store.write((trx) =>
      insertRows(
        trx,
        'usage_records',
        ['party', 'kind', 'chargeable', 'quantity', 'at', 'sms_id', 'call_id', 'detail'],
        [[parties[1]!, 'legacy-kind', 1, 1, at(50), null, null, null]],
      ),
    );
    const image = await CycleImage.load(store.db, cycle, undefined, { lines: false });
    expect(image.usage(parties[1]!).map((r) => r.kind)).toEqual(['notification', 'missed-detail', 'legacy-kind']);
  });
});
