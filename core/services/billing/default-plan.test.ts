/**
 * The default plan: a new subscriber who names no plan (opened by SMS, by the self-care IVR, or provisioned without
 * a tariff) takes it, so nobody uses the service unbilled by accident. On a real core with its network API.
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
    expect(run.skipped).toEqual([expect.objectContaining({ party: A, reason: expect.stringMatching(/no tariff plan/) })]);
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

  it('must name a plan, and a draft plan that is the default cannot be deleted', async () => {
    expect(await admin.error('billing/settings-update', { defaultPlan: 'gold' })).toMatchObject({
      code: 'validation',
      field: 'defaultPlan',
    });
    expect((await admin.send('billing/settings', {})).defaultPlan).toBeNull();
    await admin.send('tariffs/create', { plan: seedPlan({ id: 'trial', name: 'Trial' }, { status: 'draft' }) });
    await admin.send('billing/settings-update', { defaultPlan: 'trial' });
    expect(await admin.error('tariffs/delete', { id: 'trial' })).toMatchObject({ code: 'conflict', field: 'id' });
    await admin.send('billing/settings-update', { defaultPlan: null });
    await admin.send('tariffs/delete', { id: 'trial' });
    expect((await admin.send('tariffs/list', {})).map((p) => p.id)).toEqual(['basic']);
  });
});
