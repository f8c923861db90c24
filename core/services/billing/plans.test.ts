/** Tariff plans over the real WebSocket: drafts and publishing, every bad input refused with nothing saved, tariff codes, roles. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../server/testing/harness';
import { provision, roleId, seedPlan, seedVersion, today } from './testing';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

describe('tariff plans', () => {
  it('refuses each bad input with the field named, and saves nothing', async () => {
    const admin = await h.admin();
    const refused = async (plan: Parameters<typeof seedPlan>[0], version: Parameters<typeof seedPlan>[1]) =>
      admin.error('tariffs/create', { plan: seedPlan(plan, version) });

    expect(await refused({}, { usagePrices: { ...seedVersion().usagePrices, notification: -10 } })).toMatchObject({
      code: 'validation',
      field: 'plan.versions.0.usagePrices.notification',
      message: expect.stringContaining('Cannot be negative'),
    });
    expect(await refused({}, { usagePrices: { ...seedVersion().usagePrices, 'missed-detail': 0.5 } })).toMatchObject({
      code: 'validation',
      field: 'plan.versions.0.usagePrices.missed-detail',
      message: expect.stringContaining('whole fen'),
    });
    expect(await refused({}, { monthlyRent: 12.5 })).toMatchObject({ field: 'plan.versions.0.monthlyRent' });
    expect(await refused({}, { totalCap: 2000 })).toMatchObject({
      field: 'plan.versions.0.totalCap',
      message: expect.stringContaining('cannot be below the monthly rent'),
    });
    expect(await refused({}, { effectiveFrom: '2026-11-24' })).toMatchObject({
      field: 'plan.versions.0.effectiveFrom',
      message: expect.stringContaining('in the past (today is 2026-11-25)'),
    });
    const overlapping = await refused({ versions: [seedVersion(), seedVersion({ number: 2 })] }, {});
    expect(overlapping).toMatchObject({ field: 'plan.versions.1.effectiveFrom', message: expect.stringContaining('Overlaps version 1') });
    expect(await admin.send('tariffs/list', {})).toEqual([]);
    expect((await admin.send('audit/list', { command: 'tariffs/' })).rows.filter((r) => r.outcome === 'ok')).toEqual([]);
  });

  it('keeps drafts editable and published versions fixed; publishing checks the date and the order', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan({}, { status: 'draft' }) });
    const draft = await admin.send('tariffs/get', { id: 'basic' });
    expect(draft.inForce).toBeNull();
    const edited = { ...draft.plan, versions: [{ ...draft.plan.versions[0]!, monthlyRent: 2500, effectiveFrom: '2026-11-20' }] };
    await admin.send('tariffs/update', { plan: edited, expectedUpdatedAt: draft.updatedAt });
    // A draft may carry any date; publishing it for a past date is refused.
    expect(await admin.error('tariffs/publish', { id: 'basic', version: 1 })).toMatchObject({
      code: 'validation',
      field: 'plan.versions.0.effectiveFrom',
    });
    const fixed = { ...edited, versions: [{ ...edited.versions[0]!, effectiveFrom: today }] };
    const stale = await admin.error('tariffs/update', { plan: fixed, expectedUpdatedAt: draft.updatedAt - 1 });
    expect(stale.code).toBe('conflict');
    await admin.send('tariffs/update', { plan: fixed });
    const published = await admin.send('tariffs/publish', { id: 'basic', version: 1 });
    expect(published.versions[0]).toMatchObject({ status: 'published', publishedBy: 'admin' });
    expect(published.inForce).toBe(1);

    const changed = { ...published.plan, versions: [{ ...published.plan.versions[0]!, monthlyRent: 100 }] };
    expect(await admin.error('tariffs/update', { plan: changed })).toMatchObject({
      field: 'plan.versions.0',
      message: expect.stringContaining('is published and cannot change'),
    });
    expect(await admin.error('tariffs/update', { plan: { ...published.plan, versions: [] } })).toMatchObject({ field: 'plan.versions' });
    expect(await admin.error('tariffs/update', { plan: { ...published.plan, versionPolicy: 'grandfather' } })).toMatchObject({
      field: 'plan.versionPolicy',
    });
    expect(await admin.error('tariffs/delete', { id: 'basic' })).toMatchObject({ code: 'conflict' });

    // Version 2: a draft on the same date is accepted; publishing it would overlap version 1.
    const v2 = seedVersion({ number: 2, status: 'draft', usagePrices: { ...seedVersion().usagePrices, 'missed-detail': 8 } });
    await admin.send('tariffs/update', { plan: { ...published.plan, versions: [...published.plan.versions, v2] } });
    expect(await admin.error('tariffs/publish', { id: 'basic', version: 2 })).toMatchObject({
      field: 'plan.versions.1.effectiveFrom',
      message: expect.stringContaining('Overlaps version 1'),
    });
    expect((await admin.send('tariffs/diff', { id: 'basic', from: 1, to: 2 })).changes).toEqual([
      { field: 'status', before: 'published', after: 'draft' },
      { field: 'monthlyRent', before: 2500, after: 3000 },
      { field: 'usagePrices.missed-detail', before: 10, after: 8 },
    ]);
    const audit = await admin.send('audit/list', { command: 'tariffs/publish' });
    expect(audit.rows.map((r) => r.outcome)).toEqual(['ok']);

    // A plan that never had a published version may go.
    await admin.send('tariffs/create', { plan: seedPlan({ id: 'trial', name: 'Trial' }, { status: 'draft' }) });
    await admin.send('tariffs/delete', { id: 'trial' });
    expect((await admin.send('tariffs/list', {})).map((p) => p.id)).toEqual(['basic']);
  });

  it('refuses an unknown tariff code once plans exist, and brings named subscribers onto a plan when it is published', async () => {
    const admin = await h.admin();
    // Before billing is set up, a tariff code is free text.
    await provision(admin, '13800000001', 'gold');
    await admin.send('tariffs/create', { plan: seedPlan({ id: 'gold', name: 'Gold' }, { status: 'draft' }) });
    const refused = await admin.error('subscribers/provision', {
      msisdn: '13800000002',
      services: { missedCallAlert: true, reachableAlert: false },
      tariff: 'platinum',
    });
    expect(refused).toMatchObject({
      code: 'validation',
      field: 'tariff',
      message: expect.stringContaining('no tariff plan "platinum"; use one of gold'),
    });
    expect((await admin.error('subscribers/get', { msisdn: '13800000002' })).code).toBe('not_found');
    // An existing subscriber keeps working with its old code; the bulk import refuses the line, not the file.
    await admin.send('subscribers/provision', {
      msisdn: '13800000001',
      services: { missedCallAlert: true, reachableAlert: true },
      tariff: 'gold',
    });
    expect((await admin.send('tariffs/get', { id: 'gold' })).subscribers).toBe(0);
    await admin.send('tariffs/publish', { id: 'gold', version: 1 });
    expect((await admin.send('tariffs/get', { id: 'gold' })).subscribers).toBe(1);
    await provision(admin, '13800000003', 'gold');
    expect((await admin.send('tariffs/list', {}))[0]!.subscribers).toBe(2);
    const audit = await admin.send('audit/list', { command: 'tariffs/publish' });
    expect(audit.rows[0]!.detail).toMatch(/1 subscribers naming the plan joined it/);
  });

  it('lets only billing admins edit plans: customer service reads statements, agents see no billing', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan() });
    await provision(admin, '13800138000');
    const cs = (await h.operator('cathy', await roleId(admin, 'customer-service'))).client;
    const agent = (await h.operator('andy', await roleId(admin, 'agent'))).client;
    const billing = (await h.operator('bella', await roleId(admin, 'billing-admin'))).client;

    expect((await cs.send('statements/list', { msisdn: '13800138000' }))[0]).toMatchObject({ cycle: '2026-11', status: 'open' });
    expect((await cs.error('tariffs/update', { plan: seedPlan() })).code).toBe('forbidden');
    expect((await cs.error('tariffs/list', {})).code).toBe('forbidden');
    expect((await cs.error('billing/adjust', { msisdn: '13800138000', cycle: '2026-11', amount: -100, reason: 'goodwill' })).code).toBe(
      'forbidden',
    );
    for (const command of ['tariffs/list', 'billing/cycles', 'billing/settings'] as const) {
      expect((await agent.error(command, {})).code).toBe('forbidden');
    }
    expect((await agent.error('statements/list', { msisdn: '13800138000' })).code).toBe('forbidden');
    expect((await agent.error('reports/revenue', { from: '2026-11-01', to: '2026-11-30' })).code).toBe('forbidden');

    const v2 = seedVersion({ number: 2, effectiveFrom: '2026-12-01', status: 'draft', monthlyRent: 2800 });
    const plan = (await billing.send('tariffs/get', { id: 'basic' })).plan;
    await billing.send('tariffs/update', { plan: { ...plan, versions: [...plan.versions, v2] } });
    expect((await billing.send('tariffs/publish', { id: 'basic', version: 2 })).versions.map((v) => v.status)).toEqual([
      'published',
      'published',
    ]);
    const denied = await admin.send('audit/list', { outcome: 'denied' });
    expect(denied.rows.map((r) => `${r.actorName} ${r.command}`)).toContain('cathy tariffs/update');
  });
});
