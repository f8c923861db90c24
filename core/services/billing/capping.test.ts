/** The Capping screen's command over real rating: thresholds reached, caps crossed, what was waived, the warning SMS. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestClient } from '../../server/testing/harness';
import { addUsage, at, local, provision, roleId, seedPlan, seedVersion, signIn } from './testing';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const A = '+8613800138001';
const B = '+8613800138002';
const C = '+8613800138003';
const D = '+8613800138004';

const minutes = (count: number, hour: number) => Array.from({ length: count }, (_, i) => local(`2026-11-26 ${hour}:0${i}`));

/**
 * cap50: ¥0.20 a detail, usage capped at ¥0.50, warnings at 80 and 100 %. full: rent ¥30 for any part of the month,
 * everything capped at ¥30.20, a warning at 100 %. A reaches 80 %; B crosses 100 % (one detail partly, one wholly
 * waived: ¥0.30); C's third notice finds the total cap reached (¥0.10 waived); D stays under every threshold.
 */
async function rateCappedUsage(admin: TestClient): Promise<void> {
  const prices = { ...seedVersion().usagePrices, 'missed-detail': 20 };
  await admin.send('tariffs/create', {
    plan: seedPlan({ id: 'cap50', name: '封顶套餐' }, { usagePrices: prices, usageCap: 50, thresholds: [80, 100] }),
  });
  await admin.send('tariffs/create', {
    plan: seedPlan({ id: 'full', name: 'Full month' }, { rentProration: 'full-month', totalCap: 3020, thresholds: [100] }),
  });
  for (const [party, plan] of [
    [A, 'cap50'],
    [B, 'cap50'],
    [C, 'full'],
    [D, 'cap50'],
  ] as const)
    await provision(admin, party, plan);
  await addUsage(h, A, 'missed-detail', minutes(2, 10));
  await addUsage(h, B, 'missed-detail', minutes(4, 11));
  await addUsage(h, C, 'notification', minutes(3, 12));
  await addUsage(h, D, 'missed-detail', minutes(1, 13));
  await admin.send('billing/rate', {});
  await h.settle();
}

describe('billing/capping', () => {
  it('counts who reached which threshold, lists the highest per cap with the waived amount and the warning SMS', async () => {
    const admin = await h.admin();
    await rateCappedUsage(admin);
    const report = await admin.send('billing/capping', {});
    expect(report.cycle).toMatchObject({ key: '2026-11', status: 'open' });
    expect(report.plans).toEqual([
      { planId: 'cap50', name: '封顶套餐', currency: 'CNY', version: 1, usageCap: 50, totalCap: null, thresholds: [80, 100], waived: 30 },
      { planId: 'full', name: 'Full month', currency: 'CNY', version: 1, usageCap: null, totalCap: 3020, thresholds: [100], waived: 10 },
    ]);
    expect(report.counts).toEqual([
      { cap: 'total', percent: 100, subscribers: 1 },
      { cap: 'usage', percent: 80, subscribers: 2 },
      { cap: 'usage', percent: 100, subscribers: 1 },
    ]);
    expect(report).toMatchObject({ warned: 1, capped: 2, waived: [{ currency: 'CNY', amount: 40 }], total: 3 });
    // Highest first; B's 80 % is behind its 100 %, D is in no row.
    expect(report.rows.map((r) => [r.party, r.planId, r.cap, r.percent, r.limit, r.spent, r.waived])).toEqual([
      [B, 'cap50', 'usage', 100, 50, 50, 30],
      [C, 'full', 'total', 100, 3020, 3020, 10],
      [A, 'cap50', 'usage', 80, 50, 40, 0],
    ]);
    expect(report.rows[0]).toMatchObject({ at: local('2026-11-26 11:02'), currency: 'CNY' });
    // Each row's warning went out (B's 80 % and 100 % in one run: one SMS, the highest), its state the queue's.
    expect((await h.inbox(B)).filter((m) => /cap/.test(m.text)).map((m) => m.text)).toEqual([expect.stringContaining('reached 100%')]);
    for (const row of report.rows) {
      expect(row.smsId).not.toBeNull();
      const sms = await h.app.core.services.store.db
        .selectFrom('sms')
        .select('state')
        .where('id', '=', row.smsId!)
        .executeTakeFirstOrThrow();
      expect(row.smsState).toBe(sms.state);
    }
    // The waived amounts are the statement's.
    expect((await admin.send('statements/get', { msisdn: B, cycle: '2026-11' })).capWaived).toBe(30);
  });

  it('filters by cap, percent and part of a number, sorts and pages', async () => {
    const admin = await h.admin();
    await rateCappedUsage(admin);
    const parties = async (args: Parameters<TestClient['send']>[1]) =>
      (await admin.send('billing/capping', args as object)).rows.map((r) => r.party);
    expect(await parties({ cap: 'total' })).toEqual([C]);
    expect(await parties({ cap: 'usage', minPercent: 100 })).toEqual([B]);
    expect(await parties({ search: '138 0013 8001' })).toEqual([A]);
    expect(await parties({ search: '+86 138' })).toEqual([B, C, A]);
    expect(await parties({ sort: 'party', order: 'asc' })).toEqual([A, B, C]);
    expect(await parties({ sort: 'at', order: 'desc' })).toEqual([C, B, A]);
    const second = await admin.send('billing/capping', { page: 1, pageSize: 1 });
    expect(second).toMatchObject({ total: 3, rows: [{ party: C }] });
    // The summary is the cycle's, whatever the filters.
    expect(await admin.send('billing/capping', { search: '999' })).toMatchObject({ rows: [], total: 0, warned: 1, capped: 2 });
  });

  it('reads a closed cycle the same way, its waived total equal to the statements’', async () => {
    let admin = await h.admin();
    await rateCappedUsage(admin);
    admin = await at(h, '2026-12-02 10:00');
    await admin.send('billing/close', { cycle: '2026-11' });
    // The default is the current cycle, where no one has reached anything yet.
    expect(await admin.send('billing/capping', {})).toMatchObject({ cycle: { key: '2026-12' }, rows: [], total: 0, warned: 0, capped: 0 });
    const closed = await admin.send('billing/capping', { cycle: '2026-11' });
    expect(closed.cycle.status).toBe('closed');
    const statements = await h.app.core.services.store.db
      .selectFrom('statements')
      .select((eb) => eb.fn.sum<number>('cap_waived').as('waived'))
      .where('cycle_key', '=', '2026-11')
      .executeTakeFirstOrThrow();
    expect(closed.waived).toEqual([{ currency: 'CNY', amount: Number(statements.waived) }]);
    expect(closed.rows.map((r) => r.waived)).toEqual([30, 10, 0]);
  });

  it('refuses a bad or unknown cycle and bad filters by field, and an operator without billing.read', async () => {
    const admin = await h.admin();
    await rateCappedUsage(admin);
    expect(await admin.error('billing/capping', { cycle: '2026-13' })).toMatchObject({ code: 'validation', field: 'cycle' });
    expect(await admin.error('billing/capping', { cycle: '2025-01' })).toMatchObject({
      code: 'validation',
      field: 'cycle',
      message: 'cycle: 2025-01 has no billing data (the current cycle is 2026-11)',
    });
    expect(await admin.error('billing/capping', { minPercent: 0 })).toMatchObject({ code: 'validation', field: 'minPercent' });
    expect(await admin.error('billing/capping', { search: 'abc' })).toMatchObject({ code: 'validation', field: 'search' });
    expect(await admin.error('billing/capping', { pageSize: 501 })).toMatchObject({ code: 'validation', field: 'pageSize' });

    await h.operator('cathy', await roleId(admin, 'customer-service'));
    const cs = await signIn(h, 'cathy');
    expect(await cs.error('billing/capping', {})).toMatchObject({ code: 'forbidden', params: { permission: 'billing.read' } });
    await h.operator('bella', await roleId(admin, 'billing-admin'));
    const billing = await signIn(h, 'bella');
    expect((await billing.send('billing/capping', {})).total).toBe(3);
  });
});
