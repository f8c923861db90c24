/** A manual adjustment is in the subscriber's billing currency: entered in another, it is refused and nothing is saved. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestClient } from '../../server/testing/harness';
import { provision, seedPlan } from './testing';

let h: Harness;
let admin: TestClient;

beforeEach(async () => {
  h = await startHarness();
  admin = await h.admin();
  await admin.send('tariffs/create', { plan: { ...seedPlan({ id: 'yen', name: 'Yen plan' }), currency: 'JPY' } });
  await provision(admin, A, 'yen');
});

afterEach(async () => {
  await h.stop();
});

const A = '+8613800138001';

describe('manual adjustments and currency', () => {
  it('refuses an amount entered in another currency than the subscriber’s, naming theirs, and saves nothing', async () => {
    const error = await admin.error('billing/adjust', { msisdn: A, cycle: '2026-11', amount: -500, currency: 'CNY', reason: 'Goodwill' });
    expect(error).toMatchObject({ code: 'validation', field: 'amount' });
    expect(error.message).toMatch(/billed in JPY/);
    expect((await admin.send('billing/adjustments', {})).total).toBe(0);
  });

  it('keeps the currency with the adjustment, for the list, the statement and the audit log', async () => {
    const made = await admin.send('billing/adjust', { msisdn: A, cycle: '2026-11', amount: -500, currency: 'JPY', reason: 'Goodwill' });
    expect(made).toMatchObject({ amount: -500, currency: 'JPY' });
    expect((await admin.send('billing/adjustments', {})).rows.map((r) => r.currency)).toEqual(['JPY']);
    const statement = await admin.send('statements/get', { msisdn: A, cycle: '2026-11' });
    expect(statement.currency).toBe('JPY');
    expect(statement.adjustments).toBe(-500);
    const audit = await admin.send('audit/list', { page: 0, pageSize: 10 });
    expect(JSON.stringify(audit.rows)).toContain('-500 JPY');
    // Clients that send no currency get the subscriber's, as before.
    expect((await admin.send('billing/adjust', { msisdn: A, cycle: '2026-11', amount: 100, reason: 'Fee' })).currency).toBe('JPY');
  });
});
