/**
 * The default plan: a new subscriber who names no plan (opened by SMS, or provisioned without a tariff) takes it,
 * so nobody uses the service unbilled by accident. On a real core with its network API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steps } from '../../adapters/network-api/testing';
import { startHarness, type Harness, type TestClient } from '../../server/testing/harness';
import { provision, seedPlan } from './testing';

let h: Harness;
let admin: TestClient;

beforeEach(async () => {
  h = await startHarness();
  admin = await h.admin();
  await admin.send('tariffs/create', { plan: seedPlan() });
});

afterEach(async () => {
  await h.stop();
});

const A = '+8613800138001';
const B = '+8613800138002';

describe('default plan for new subscribers', () => {
  it('is none until set: a subscriber opened by SMS is not billed, and rating names the number and why', async () => {
    await steps(h).sms(A, 'OPEN MCA');
    expect((await admin.send('subscribers/get', { msisdn: A })).subscriber.tariff).toBeNull();
    const run = await admin.send('billing/rate', {});
    expect(run.skipped).toEqual([expect.objectContaining({ party: A, code: 'no-plan', reason: expect.stringMatching(/no tariff plan/) })]);
  });

  it('is given to a subscriber opened by SMS, who is then billed: the opening, and the rent on the statement', async () => {
    await admin.send('billing/settings-update', { defaultPlan: 'basic' });
    await steps(h).sms(A, 'OPEN MCA');
    expect((await admin.send('subscribers/get', { msisdn: A })).subscriber.tariff).toBe('basic');
    const run = await admin.send('billing/rate', {});
    expect(run.skipped).toEqual([]);
    expect(run.parties).toBe(1);
    const statement = await admin.send('statements/get', { msisdn: A, cycle: '2026-11' });
    expect(statement.planId).toBe('basic');
    expect(statement.rent).toBeGreaterThan(0);
  });

  it('applies to new subscribers only: an existing one without a plan, or one naming a plan, keeps theirs', async () => {
    await admin.send('tariffs/create', { plan: seedPlan({ id: 'premium', name: 'Premium' }, { monthlyRent: 5000 }) });
    await provision(admin, A, null);
    await admin.send('billing/settings-update', { defaultPlan: 'basic' });
    await provision(admin, A, null);
    await provision(admin, B, 'premium');
    expect((await admin.send('subscribers/get', { msisdn: A })).subscriber.tariff).toBeNull();
    expect((await admin.send('subscribers/get', { msisdn: B })).subscriber.tariff).toBe('premium');
  });

  it('is kept by a network element that leaves the tariff out of a later PUT; null takes it away', async () => {
    await admin.send('billing/settings-update', { defaultPlan: 'basic' });
    const s = steps(h);
    await s.subscribe(A);
    await s.subscribe(A, { services: { missedCallAlert: true, reachableAlert: true, voicemail: false } });
    const tariffOf = async () => (await admin.send('subscribers/get', { msisdn: A })).subscriber.tariff;
    expect(await tariffOf()).toBe('basic');
    await s.subscribe(A, { tariff: null });
    expect(await tariffOf()).toBeNull();
  });

  it('is kept by a bulk import line with an empty tariff, and given to a new subscriber on one', async () => {
    await provision(admin, A, 'basic');
    await admin.send('tariffs/create', { plan: seedPlan({ id: 'premium', name: 'Premium' }) });
    await admin.send('billing/settings-update', { defaultPlan: 'premium' });
    admin.subscribe('provisioning/progress');
    let job = await admin.send('provisioning/import', {
      csv: `msisdn,missedCallAlert,reachableAlert,voicemail,language,privacy,tariff\n${A},yes,yes,no,en,all,\n${B},yes,no,no,en,all,\n`,
    });
    while (job.state === 'running') job = await admin.nextEvent('provisioning/progress');
    expect(job).toMatchObject({ state: 'done', failed: 0 });
    expect((await admin.send('subscribers/get', { msisdn: A })).subscriber).toMatchObject({
      tariff: 'basic',
      services: { reachableAlert: true },
    });
    expect((await admin.send('subscribers/get', { msisdn: B })).subscriber.tariff).toBe('premium');
  });

  it('must name a plan with a published version (one of drafts only would bill nobody), and nothing is saved otherwise', async () => {
    expect(await admin.error('billing/settings-update', { defaultPlan: 'gold' })).toMatchObject({
      code: 'validation',
      field: 'defaultPlan',
    });
    await admin.send('tariffs/create', { plan: seedPlan({ id: 'trial', name: 'Trial' }, { status: 'draft' }) });
    const draft = await admin.error('billing/settings-update', { defaultPlan: 'trial', warningSms: false });
    expect(draft).toMatchObject({ code: 'validation', field: 'defaultPlan' });
    expect(draft.message).toMatch(/no published version/);
    expect(await admin.send('billing/settings', {})).toMatchObject({ defaultPlan: null, warningSms: true });
    await admin.send('tariffs/publish', { id: 'trial', version: 1 });
    expect((await admin.send('billing/settings-update', { defaultPlan: 'trial' })).defaultPlan).toBe('trial');
  });

  it('writing the export automatically needs the export folder', async () => {
    expect(await admin.error('billing/settings-update', { autoExport: true })).toMatchObject({ code: 'validation', field: 'autoExport' });
    expect((await admin.send('billing/settings', {})).autoExport).toBe(false);
  });
});
