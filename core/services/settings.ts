/** Core settings with defaults, stored as JSON per section and cached in memory. */
import type { Transaction } from 'kysely';
import type { SecuritySettings, Settings } from '../api';
import type { Schema } from '../store/schema';
import type { Store } from '../store/store';

export const defaultSettings: Settings = {
  security: {
    sessionIdleMinutes: 30,
    sessionMaxHours: 12,
    lockoutAttempts: 5,
    lockoutMinutes: 15,
    passwordMinLength: 10,
  },
};

export class SettingsService {
  private cache: Settings = structuredClone(defaultSettings);

  constructor(private readonly store: Store<Schema>) {}

  async load(): Promise<void> {
    const rows = await this.store.db.selectFrom('settings').selectAll().execute();
    const next = structuredClone(defaultSettings);
    for (const row of rows) {
      if (row.key === 'security') next.security = { ...next.security, ...(JSON.parse(row.value_json) as Partial<SecuritySettings>) };
    }
    this.cache = next;
  }

  get(): Settings {
    return this.cache;
  }

  get security(): SecuritySettings {
    return this.cache.security;
  }

  /** Saves within the caller's transaction; the cache follows once the transaction is durable (call load()). */
  async saveSecurity(trx: Transaction<Schema>, security: SecuritySettings, now: number): Promise<void> {
    const value_json = JSON.stringify(security);
    await trx
      .insertInto('settings')
      .values({ key: 'security', value_json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at: now }))
      .execute();
  }
}
