/** Helpers for the billing tests: a seed-like plan, subscribers on it, usage records as the engine writes them, and roles. */
import type { TariffPlanInput, TariffVersionInput } from '../../domain/billing';
import type { BuiltinRoleKey } from '../../api';
import { strongPassword, type Harness, type TestClient } from '../../server/testing/harness';

/** 2026-11-25, the harness's first day (Asia/Shanghai): published versions may take effect from it. */
export const today = '2026-11-25';

/** ¥30 a month, ¥0.10 a notice or detail, ¥0.20 a voice or manual-seat message: the seed's tariff. */
export function seedVersion(overrides: Partial<TariffVersionInput> = {}): TariffVersionInput {
  return {
    number: 1,
    effectiveFrom: today,
    status: 'published',
    monthlyRent: 3000,
    usagePrices: { notification: 10, 'voice-message': 20, 'manual-seat-message': 20, 'missed-detail': 10, 'reachable-alert': 10 },
    ...overrides,
  };
}

export function seedPlan(overrides: Partial<TariffPlanInput> = {}, version: Partial<TariffVersionInput> = {}): TariffPlanInput {
  return { id: 'basic', name: 'Basic', versionPolicy: 'apply-to-all', versions: [seedVersion(version)], ...overrides };
}

export async function provision(client: TestClient, msisdn: string, tariff: string | null = 'basic', on = true) {
  return client.send('subscribers/provision', {
    msisdn,
    services: { missedCallAlert: on, reachableAlert: false, voicemail: false },
    language: 'en',
    tariff,
  });
}

/** Usage records as the SMS dispatcher writes them (one per notice), at the given instants. */
export async function addUsage(h: Harness, party: string, kind: string, times: number[], chargeable = true): Promise<number[]> {
  return h.app.core.services.store.write(async (trx) => {
    const ids: number[] = [];
    for (const at of times) {
      const result = await trx
        .insertInto('usage_records')
        .values({ party, kind, chargeable: chargeable ? 1 : 0, quantity: 1, at, sms_id: null, call_id: null, detail: null })
        .executeTakeFirstOrThrow();
      ids.push(Number(result.insertId));
    }
    return ids;
  });
}

/** An instant as Shanghai wall time, e.g. '2026-11-26 10:00'. */
export const local = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}+08:00`);

export async function roleId(admin: TestClient, key: BuiltinRoleKey): Promise<number> {
  const roles = await admin.send('roles/list', {});
  return roles.find((r) => r.builtin === key)!.id;
}

/** A new client signed in as an operator created earlier (sessions expire when a test moves the clock far). */
export async function signIn(h: Harness, username: string): Promise<TestClient> {
  const client = await h.client();
  await client.send('session/login', { username, password: strongPassword });
  return client;
}

/** Moves the clock to a Shanghai wall time and signs the admin in again. */
export async function at(h: Harness, wall: string): Promise<TestClient> {
  h.clock.set(local(wall));
  return h.admin();
}
