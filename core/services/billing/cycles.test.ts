/** Bill cycles over the real core: the close, statements, adjustments, rerating, reports that reconcile, and a restart. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cycleByKey } from '../../domain/billing';
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
const month = { from: '2026-11-01', to: '2026-11-30' };

/** Three subscribers on two plans in November: usage of several kinds, a cap that bites, a plan change and a closing mid-cycle. */
async function november(admin: TestClient): Promise<TestClient> {
  await admin.send('tariffs/create', { plan: seedPlan() });
  await admin.send('tariffs/create', {
    plan: seedPlan({ id: 'premium', name: 'Premium' }, { monthlyRent: 5000, usageCap: 25, rentProration: 'full-month' }),
  });
  await provision(admin, A);
  await provision(admin, B, 'premium');
  await provision(admin, C);
  await addUsage(h, A, 'missed-detail', [local('2026-11-26 10:00'), local('2026-11-27 10:00')]);
  await addUsage(h, A, 'missed-summary', [local('2026-11-26 09:00'), local('2026-11-27 09:00'), local('2026-11-28 09:00')], false);
  await addUsage(h, B, 'voice-message', [local('2026-11-26 10:00'), local('2026-11-26 11:00')]);
  await addUsage(h, C, 'notification', [local('2026-11-26 10:00')]);
  await admin.send('billing/rate', {});
  // On the 28th A moves to premium and C closes the service.
  const moved = await at(h, '2026-11-28 12:00');
  await moved.send('subscribers/provision', {
    msisdn: A,
    services: { missedCallAlert: true, reachableAlert: false },
    language: 'en',
    tariff: 'premium',
  });
  await provision(moved, C, 'basic', false);
  await addUsage(h, A, 'missed-detail', [local('2026-11-29 10:00')]);
  await h.settle();
  return moved;
}

async function statementsOf(client: TestClient, cycle: string) {
  return Promise.all([A, B, C].map((msisdn) => client.send('statements/get', { msisdn, cycle })));
}

describe('bill cycles', () => {
  it('closes an ended cycle once, with a statement per subscriber that reports reconcile with to the fen', async () => {
    const admin = await november(await h.admin());
    expect(await admin.error('billing/close', { cycle: '2026-11' })).toMatchObject({
      code: 'validation',
      message: 'Cycle 2026-11 runs until 2026-12-01 00:00 (Asia/Shanghai); it can be closed from then',
    });
    const preview = await admin.send('statements/get', { msisdn: A, cycle: '2026-11' });
    expect(preview.status).toBe('open');

    const closer = await at(h, '2026-12-01 08:00');
    const closed = await closer.send('billing/close', { cycle: '2026-11' });
    expect(closed).toMatchObject({ status: 'closed', statements: 3, closedBy: 'admin', unbilledRecords: 0 });
    const again = await closer.error('billing/close', { cycle: '2026-11' });
    expect(again).toMatchObject({
      code: 'conflict',
      field: 'cycle',
      message: expect.stringContaining('was closed on 2026-12-01 00:00 UTC by admin'),
    });

    // The statements' lines are stored as text (bound as UTF-8 bytes, see insertRows).
    const types = await h.app.core.services.store.db
      .selectFrom('statements')
      .select((eb) => eb.fn<string>('typeof', ['lines_json']).as('type'))
      .execute();
    expect(types.map((t) => t.type)).toEqual(['text', 'text', 'text']);
    const [a, b, c] = await statementsOf(closer, '2026-11');
    // The frozen statements equal the previews the close was computed like.
    expect(a!.statement).toEqual(preview.statement);
    // A: basic 25th–27th (3 of 30 days of ¥30), premium from the 28th (full month ¥50); the third detail meets premium's ¥0.25 cap.
    expect(a!.statement.rent.lines.map((l) => [l.planId, l.days, l.basis, l.amount])).toEqual([
      ['basic', 3, 'prorated', 300],
      ['premium', 3, 'full-month', 5000],
    ]);
    expect(a).toMatchObject({ rent: 5300, usage: 25, capWaived: 5, total: 5325, planId: 'premium' });
    // B: two voice messages of ¥0.20 capped at ¥0.25.
    expect(b).toMatchObject({ rent: 5000, usage: 25, capWaived: 15, total: 5025 });
    // C: 25th–28th on basic (closing day counts), one notice.
    expect(c).toMatchObject({ rent: 400, usage: 10, total: 410 });
    const sum = a!.total + b!.total + c!.total;
    expect(closed.total).toBe(sum);

    const byTotal = await closer.send('reports/revenue', { ...month, granularity: 'month' });
    expect(byTotal.rows).toEqual([expect.objectContaining({ period: '2026-11', key: 'all', charged: sum })]);
    for (const by of ['plan', 'kind', 'service'] as const) {
      const report = await closer.send('reports/revenue', { ...month, by });
      expect(report.rows.reduce((total, row) => total + row.charged, 0)).toBe(sum);
    }
    const byPlan = await closer.send('reports/revenue', { ...month, by: 'plan', granularity: 'cycle' });
    expect(byPlan.rows.map((r) => [r.key, r.charged])).toEqual([
      ['basic', 300 + 20 + 400 + 10],
      ['premium', 5000 + 5 + 5000 + 25],
    ]);
    const premiumOnly = await closer.send('reports/revenue', { ...month, planId: 'premium' });
    expect(premiumOnly.totals[0]!.charged).toBe(10030);

    // Corrections never touch the statement: they stand beside it, and the reports follow.
    await closer.send('billing/adjust', { msisdn: B, cycle: '2026-11', amount: -500, reason: 'Goodwill credit for a complaint' });
    const after = await closer.send('statements/get', { msisdn: B, cycle: '2026-11' });
    expect(after.statement).toEqual(b!.statement);
    expect(after).toMatchObject({ total: 5025, laterAdjustments: -500, balance: 4525 });
    expect(after.laterAdjustmentLines[0]).toMatchObject({
      source: 'manual',
      reason: 'Goodwill credit for a complaint',
      operator: 'admin',
      afterClose: true,
    });
    const total = (await closer.send('reports/revenue', month)).totals[0]!.charged;
    expect(total).toBe(sum - 500);
    const audit = await closer.send('audit/list', { command: 'billing/' });
    expect(audit.rows.map((r) => `${r.command} ${r.outcome}`)).toEqual(
      expect.arrayContaining(['billing/adjust ok', 'billing/close ok', 'billing/close failed']),
    );

    const top = await closer.send('reports/top-subscribers', { from: '2026-11' });
    expect(top.map((r) => [r.party, r.total])).toEqual([
      [A, 5325],
      [B, 5025],
      [C, 410],
    ]);
    const subscribers = await closer.send('reports/subscribers', { ...month, granularity: 'month' });
    expect(subscribers.rows).toEqual([{ period: '2026-11', active: 2, opened: 3, closed: 1, movedIn: 1, movedOut: 1 }]);
    const dReply = await closer.send('reports/d-reply', { ...month, granularity: 'month' });
    expect(dReply.rows).toEqual([{ period: '2026-11', summaries: 3, details: 3, conversion: 1 }]);
    // The virtual SMSC delivers everything: three opening reminders and B's cap warning.
    const sms = await closer.send('reports/sms', { ...month, granularity: 'month', by: 'kind' });
    expect(sms.rows.map((r) => [r.kind, r.queued, r.submitted, r.delivered, r.deliveryRate])).toEqual([
      ['cap-warning', 1, 1, 1, 1],
      ['opening-reminder', 3, 3, 3, 1],
    ]);
  });

  it('closes without reading the stored lines the rating job vouches for, and reads and corrects the others by subscriber', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan() });
    for (const party of [A, B, C]) await provision(admin, party);
    await addUsage(
      h,
      A,
      'notification',
      Array.from({ length: 40 }, (_, i) => local(`2026-11-26 10:${String(i).padStart(2, '0')}`)),
    );
    const [notice] = await addUsage(h, B, 'notification', [local('2026-11-26 11:00')]);
    await addUsage(h, C, 'missed-detail', [local('2026-11-26 12:00')]);
    await admin.send('billing/rate', {});
    const { store, billing } = h.app.core.services;
    const rated = billing.rating.ratedParties(cycleByKey('2026-11', billing.config()));
    expect([...rated.keys()].sort()).toEqual([A, B, C]);
    // B's state is forgotten (few of the records: its lines are read by subscriber), and a stored line of its is wrong.
    (rated as Map<string, unknown>).delete(B);
    await store.write((trx) =>
      trx.updateTable('usage_charges').set({ gross: 999, amount: 999 }).where('record_id', '=', notice!).execute(),
    );
    const closer = await at(h, '2026-12-01 08:00');
    expect(await closer.send('billing/close', { cycle: '2026-11' })).toMatchObject({ statements: 3, unbilledRecords: 0 });
    const lines = await closer.send('statements/lines', { msisdn: B, cycle: '2026-11', kind: 'notification' });
    expect(lines.rows.map((l) => [l.recordId, l.gross, l.amount])).toEqual([[notice, 10, 10]]);
    const [a, b, c] = await statementsOf(closer, '2026-11');
    expect(a).toMatchObject({ usage: 400 });
    expect(b).toMatchObject({ usage: 10 });
    expect(c).toMatchObject({ usage: 10 });
  });

  it('rerates a closed cycle after a tariff correction into adjustment lines, and counts late records', async () => {
    const admin = await h.admin();
    await november(admin);
    const closer = await at(h, '2026-12-01 08:00');
    await closer.send('billing/close', { cycle: '2026-11' });
    const closed = await statementsOf(closer, '2026-11');

    expect(await closer.error('billing/rerate', { cycle: '2026-12', reason: 'x' })).toMatchObject({ code: 'validation', field: 'cycle' });
    // Details should have cost ¥0.08 on basic: a corrected version, then the rerate with it.
    const plan = (await closer.send('tariffs/get', { id: 'basic' })).plan;
    const corrected = seedVersion({
      number: 2,
      effectiveFrom: '2026-12-01',
      usagePrices: { ...seedVersion().usagePrices, 'missed-detail': 8 },
    });
    await closer.send('tariffs/update', { plan: { ...plan, versions: [...plan.versions, corrected] } });
    const reason = 'Detail price was ¥0.08 in November (ticket 4711)';
    const result = await closer.send('billing/rerate', { cycle: '2026-11', reason, planId: 'basic', version: 2 });
    // A's two details while on basic cost 2 fen less each, which leaves 4 fen more under premium's cap for the third.
    expect(result).toMatchObject({ cycle: '2026-11', parties: 3, adjustments: 3, total: 0 });
    const adjustments = await closer.send('billing/adjustments', { cycle: '2026-11' });
    expect(
      adjustments.rows.map((r) => [r.party, r.key.split(':')[0], r.previousAmount, r.newAmount, r.amount, r.reason]).reverse(),
    ).toEqual([
      [A, 'usage', 10, 8, -2, reason],
      [A, 'usage', 10, 8, -2, reason],
      [A, 'usage', 5, 9, 4, reason],
    ]);
    expect(await closer.send('billing/rerate', { cycle: '2026-11', reason, planId: 'basic', version: 2 })).toMatchObject({
      adjustments: 0,
    });

    // A record of November arriving now is late: left unrated, then a rerate bills it as an adjustment.
    await addUsage(h, C, 'notification', [local('2026-11-27 10:00')]);
    expect(await closer.send('billing/rate', {})).toMatchObject({ lateRecords: 1 });
    const late = await closer.send('billing/rerate', { cycle: '2026-11', msisdn: C, reason: 'Late usage from the SMSC' });
    expect(late).toMatchObject({ parties: 1, adjustments: 1, total: 10 });
    // Statements stay as closed; the balance and the reports carry the corrections.
    const now = await statementsOf(closer, '2026-11');
    expect(now.map((s) => s.statement)).toEqual(closed.map((s) => s.statement));
    expect(now.map((s) => s.balance)).toEqual([5325, 5025, 420]);
    expect((await closer.send('reports/revenue', month)).totals[0]!.charged).toBe(5325 + 5025 + 420);
    const audit = await closer.send('audit/list', { command: 'billing/rerate' });
    expect(audit.rows[0]!.detail).toContain('Late usage from the SMSC');
  });

  it('lets customer service explain a charge from the statement and its lines', async () => {
    const admin = await november(await h.admin());
    await h.operator('cathy', await roleId(admin, 'customer-service'));
    await at(h, '2026-12-01 08:00').then((closer) => closer.send('billing/close', { cycle: '2026-11' }));
    const cs = await signIn(h, 'cathy');
    const list = await cs.send('statements/list', { msisdn: '138 0013 8002' });
    expect(list.map((s) => [s.cycle, s.status, s.total])).toEqual([
      ['2026-12', 'open', 5000],
      ['2026-11', 'closed', 5025],
    ]);
    const lines = await cs.send('statements/lines', { msisdn: B, cycle: '2026-11', kind: 'voice-message' });
    expect(lines.rows.map((l) => [l.gross, l.amount, l.capped])).toEqual([
      [20, 20, 'none'],
      [20, 5, 'partial'],
    ]);
    expect((await cs.error('billing/close', { cycle: '2026-12' })).code).toBe('forbidden');
    expect((await cs.error('statements/get', { msisdn: '13999999999', cycle: '2026-11' })).code).toBe('not_found');
  });

  it('keeps cycles, statements, adjustments and rollups through a restart that replays the journal', async () => {
    const admin = await h.admin();
    await november(admin);
    const closer = await at(h, '2026-12-01 08:00');
    await closer.send('billing/close', { cycle: '2026-11' });
    await closer.send('billing/adjust', { msisdn: A, cycle: '2026-11', amount: 150, reason: 'Missed rent day' });
    const before = {
      cycles: await closer.send('billing/cycles', {}),
      statements: await statementsOf(closer, '2026-11'),
      revenue: await closer.send('reports/revenue', { ...month, by: 'kind' }),
      plans: await closer.send('tariffs/list', {}),
    };
    await h.restart({ replayJournal: true });
    const after = await h.admin();
    expect(await after.send('billing/cycles', {})).toEqual(before.cycles);
    expect(await statementsOf(after, '2026-11')).toEqual(before.statements);
    expect(await after.send('reports/revenue', { ...month, by: 'kind' })).toEqual(before.revenue);
    expect(await after.send('tariffs/list', {})).toEqual(before.plans);
    expect((await after.error('billing/close', { cycle: '2026-11' })).code).toBe('conflict');
  });

  it('fixes the close day once usage is rated, and closes ended cycles by itself when told to', async () => {
    const admin = await h.admin();
    await admin.send('billing/settings-update', { closeDay: 15 });
    expect((await admin.send('billing/cycles', {}))[0]).toMatchObject({ key: '2026-11', startDay: '2026-11-15', endDay: '2026-12-15' });
    await admin.send('billing/settings-update', { closeDay: 1, autoClose: true });
    const later = await november(admin);
    expect(await later.error('billing/settings-update', { closeDay: 10 })).toMatchObject({ code: 'conflict', field: 'closeDay' });
    h.clock.set(local('2026-12-01 00:01'));
    await h.app.core.services.billing.tick();
    const cycles = await (await h.admin()).send('billing/cycles', {});
    expect(cycles.map((c) => [c.key, c.status, c.closedBy])).toEqual([
      ['2026-12', 'open', null],
      ['2026-11', 'closed', 'system'],
    ]);
  });
});
