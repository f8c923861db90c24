/** Rating over the real core: idempotent, unknown numbers refused, caps and their warning SMS end to end. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steps } from '../../adapters/network-api/testing';
import { startHarness, type Harness } from '../../server/testing/harness';
import { addUsage, local, provision, seedPlan, seedVersion } from './testing';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const A = '+8613800138001';
const B = '+8613800138002';

async function charges(party: string) {
  const admin = await h.admin();
  const page = await admin.send('statements/lines', { msisdn: party, cycle: '2026-11', pageSize: 500 });
  return page.rows.map((r) => ({ kind: r.kind, amount: r.amount, capped: r.capped, basis: r.basis }));
}

describe('rating', () => {
  it('rates each record once: again, after a restart that replays the journal, and with late records', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan() });
    await provision(admin, A);
    await addUsage(h, A, 'missed-detail', [local('2026-11-26 10:00'), local('2026-11-26 11:00'), local('2026-11-26 12:00')]);
    const first = await admin.send('billing/rate', {});
    expect(first.charged).toBe(30);
    const before = await charges(A);
    expect(before.filter((c) => c.kind === 'missed-detail')).toEqual(
      Array(3).fill({ kind: 'missed-detail', amount: 10, capped: 'none', basis: 'priced' }),
    );
    expect(await admin.send('billing/rate', {})).toMatchObject({ records: 0, charged: 0 });

    await h.restart({ replayJournal: true });
    const again = await h.admin();
    // After a restart nothing is in memory: the subscriber's cycle is rated again from the stored lines, and nothing changes.
    expect(await again.send('billing/rate', { msisdn: A })).toMatchObject({ reratedParties: 1 });
    expect(await charges(A)).toEqual(before);
    // A record that arrives late (earlier than the last one rated) rates the cycle again in order.
    await addUsage(h, A, 'notification', [local('2026-11-26 09:00')]);
    expect(await again.send('billing/rate', {})).toMatchObject({ records: 1, reratedParties: 1, charged: 10 });
    const revenue = await again.send('reports/revenue', { from: '2026-11-01', to: '2026-11-30' });
    expect(revenue.totals).toEqual([{ currency: 'CNY', records: 6, units: 6, gross: 40, charged: 40 }]);
  });

  it('rates a large backlog by subscriber with the same lines, rollups and warnings as record by record', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan({}, { usageCap: 30, thresholds: [50, 100] }) });
    await provision(admin, A);
    await provision(admin, B);
    await provision(admin, '+8613800138009', null);
    const times = (n: number, hour: number) => Array.from({ length: n }, (_, i) => local(`2026-11-26 ${hour}:0${i}`));
    await addUsage(h, A, 'missed-detail', times(4, 10));
    await addUsage(h, B, 'notification', times(2, 11));
    await addUsage(h, '+8613800138009', 'notification', times(1, 12));
    await addUsage(h, A, 'missed-detail', [local('2026-11-26 09:00')]);
    // Every run is "behind" by at least one record: the whole cycle is rated by subscriber.
    h.app.core.services.billing.rating.backlogFrom = 1;
    const run = await admin.send('billing/rate', {});
    // A reaches 50 % and 100 % with one record (one SMS: the highest), B 50 % with its second notice.
    expect(run).toMatchObject({ charged: 50, thresholds: 3, warningsSent: 2 });
    expect(run.skipped).toEqual([
      { party: '+8613800138009', records: 3, code: 'no-plan', reason: expect.stringContaining('no tariff plan') },
    ]);
    expect((await charges(A)).filter((c) => c.kind === 'missed-detail').map((c) => [c.amount, c.capped])).toEqual([
      [10, 'none'],
      [10, 'none'],
      [10, 'none'],
      [0, 'full'],
      [0, 'full'],
    ]);
    // The same records rated one by one (the cache forgotten, each subscriber rated from the start) change nothing.
    h.app.core.services.billing.rating.backlogFrom = Number.MAX_SAFE_INTEGER;
    await h.restart({ replayJournal: true });
    const again = await h.admin();
    const before = await charges(A);
    // (Only the free cap-warning SMS, sent since, is new.)
    expect(await again.send('billing/rate', { msisdn: A })).toMatchObject({ charged: 0 });
    expect((await charges(A)).filter((c) => c.kind !== 'cap-warning')).toEqual(before.filter((c) => c.kind !== 'cap-warning'));
    const revenue = await again.send('reports/revenue', { from: '2026-11-01', to: '2026-11-30', by: 'kind' });
    expect(revenue.rows.filter((r) => r.charged).map((r) => [r.key, r.records, r.charged])).toEqual([
      ['missed-detail', 5, 30],
      ['notification', 2, 20],
    ]);
    await h.settle();
    expect((await h.inbox(A)).filter((m) => /cap/.test(m.text)).map((m) => m.text)).toEqual([expect.stringContaining('reached 100%')]);
    expect((await h.inbox(B)).filter((m) => /cap/.test(m.text)).map((m) => m.text)).toEqual([expect.stringContaining('reached 50%')]);
  });

  it('refuses to rate the records of a number that is no subscriber, and saves nothing for them', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan() });
    const stranger = '+8613999999999';
    const [id] = await addUsage(h, stranger, 'missed-detail', [local('2026-11-26 10:00')]);
    expect(await admin.error('billing/rate', { msisdn: '13999999999' })).toMatchObject({
      code: 'not_found',
      field: 'msisdn',
      message: '+8613999999999 is not a subscriber: its 1 usage record cannot be rated',
    });
    await provision(admin, '13800000009', null);
    await addUsage(h, '+8613800000009', 'notification', [local('2026-11-26 10:00')]);
    expect(await admin.error('billing/rate', { msisdn: '13800000009' })).toMatchObject({
      code: 'validation',
      message: expect.stringContaining('has no tariff plan'),
    });
    const run = await admin.send('billing/rate', {});
    expect(run.skipped).toEqual([
      { party: stranger, records: 1, code: 'not-a-subscriber', reason: 'not a subscriber' },
      { party: '+8613800000009', records: 3, code: 'no-plan', reason: expect.stringContaining('no tariff plan') },
    ]);
    const stored = await h.app.core.services.store.db
      .selectFrom('usage_charges')
      .select('record_id')
      .where('record_id', '=', id!)
      .execute();
    expect(stored).toEqual([]);
    const audit = await admin.send('audit/list', { command: 'billing/rate', outcome: 'failed' });
    expect(audit.rows).toHaveLength(2);
  });

  it('caps usage: exactly reached, crossed by one charge, already exceeded; the warning SMS goes out once per threshold', async () => {
    const admin = await h.admin();
    const capped = (id: string, usageCap: number) =>
      seedPlan({ id, name: id }, { usagePrices: { ...seedVersion().usagePrices, 'missed-detail': 20 }, usageCap, thresholds: [80, 100] });
    await admin.send('tariffs/create', { plan: capped('cap40', 40) });
    await admin.send('tariffs/create', { plan: capped('cap50', 50) });
    await provision(admin, A, 'cap40');
    await provision(admin, B, 'cap50');
    await h.settle();

    // A: two details reach the cap exactly; 80 % and 100 % are reached by the same record, so one SMS says 100 %.
    await addUsage(h, A, 'missed-detail', [local('2026-11-26 10:00'), local('2026-11-26 11:00')]);
    // B: the details come through the network as the seed tells it: gave-up calls, a summary, then D.
    const s = steps(h);
    await addUsage(h, B, 'missed-detail', [local('2026-11-25 17:00')]);
    await s.callAndPress('+8613900139000', B, 'timeout');
    await s.powerOn(B);
    await s.sms(B, 'D');
    await admin.send('billing/rate', {});
    await h.settle();
    const warnings = async (to: string) => (await h.inbox(to)).filter((m) => /cap/.test(m.text)).map((m) => m.text);
    expect(await warnings(A)).toEqual([
      'Your charges this billing cycle have reached 100% of your ¥0.40 cap (¥0.40 so far). Use beyond the cap is free of charge. This message is free.',
    ]);
    expect(await warnings(B)).toEqual([expect.stringContaining('reached 80% of your ¥0.50 cap (¥0.40 so far)')]);

    // B: the third detail crosses the cap and pays only up to it; the fourth finds it exceeded already.
    h.clock.advance(60_000);
    await addUsage(h, B, 'missed-detail', [h.clock.now(), h.clock.now() + 1]);
    await admin.send('billing/rate', {});
    await h.settle();
    expect(await warnings(B)).toEqual([
      expect.stringContaining('80%'),
      expect.stringContaining('reached 100% of your ¥0.50 cap (¥0.50 so far)'),
    ]);
    expect((await charges(A)).filter((c) => c.kind === 'missed-detail')).toEqual([
      { kind: 'missed-detail', amount: 20, capped: 'none', basis: 'priced' },
      { kind: 'missed-detail', amount: 20, capped: 'none', basis: 'priced' },
    ]);
    expect((await charges(B)).filter((c) => c.kind === 'missed-detail').map((c) => [c.amount, c.capped])).toEqual([
      [20, 'none'],
      [20, 'none'],
      [10, 'partial'],
      [0, 'full'],
    ]);
    // The cap-warning SMS itself is free and recorded as such.
    const line = (await charges(B)).find((c) => c.kind === 'cap-warning');
    expect(line).toMatchObject({ amount: 0, basis: 'not-chargeable' });

    // Rating everything again (a restart forgets the states) sends no warning twice.
    await h.restart({ replayJournal: true });
    const again = await h.admin();
    await again.send('billing/rate', { msisdn: B });
    await h.settle();
    expect(await warnings(B)).toHaveLength(2);
    const statement = await again.send('statements/get', { msisdn: B, cycle: '2026-11' });
    expect(statement).toMatchObject({ usage: 50, capWaived: 30 });
    expect(statement.thresholds.map((t) => [t.cap, t.percent, t.smsId !== null])).toEqual([
      ['usage', 80, true],
      ['usage', 100, true],
    ]);
  });
});
