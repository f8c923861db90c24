/** Core settings with defaults, stored as JSON per section and cached in memory. */
import type { Transaction } from 'kysely';
import { ApiError, type SecuritySettings, type Settings, type SettingsSources } from '../api';
import type { z } from 'zod';
import { securitySettings } from '../api/commands';
import {
  defaultSipSettings,
  defaultSmscSettings,
  sipSettingsSchema,
  smscSettingsSchema,
  type SipSettings,
  type SmscSettings,
} from '../api/network-settings';
import { defaultServiceRules, serviceRulesSchema, type ServiceRules } from '../api/rules';
import type { Schema } from '../store/schema';
import type { Store } from '../store/store';

export interface SettingsSections {
  security: SecuritySettings;
  serviceRules: ServiceRules;
  smsc: SmscSettings;
  sip: SipSettings;
}
export type SettingsSectionName = keyof SettingsSections;

export const defaultSettings: Settings = {
  security: {
    sessionIdleMinutes: 30,
    sessionMaxHours: 12,
    lockoutAttempts: 5,
    lockoutMinutes: 15,
    passwordMinLength: 10,
  },
};

const defaults: SettingsSections = {
  security: defaultSettings.security,
  serviceRules: defaultServiceRules,
  smsc: defaultSmscSettings,
  sip: defaultSipSettings,
};

/** Each section's schema: stored values saved by an older version are completed from the defaults and checked. */
const schemas: { [K in SettingsSectionName]: z.ZodType<SettingsSections[K]> } = {
  security: securitySettings,
  serviceRules: serviceRulesSchema,
  smsc: smscSettingsSchema,
  sip: sipSettingsSchema,
};

const sectionNames = Object.keys(schemas) as SettingsSectionName[];

/** Fields fixed by the deployment's config file, per section. */
export type FileSettings = { [K in SettingsSectionName]?: Partial<SettingsSections[K]> };

export class SettingsService {
  private cache: SettingsSections = structuredClone(defaults);

  constructor(
    private readonly store: Store<Schema>,
    private readonly file: { path: string; settings: FileSettings } | null = null,
  ) {}

  sources(): SettingsSources {
    const fields = Object.fromEntries(sectionNames.map((key) => [key, Object.keys(this.file?.settings[key] ?? {})]));
    return { file: this.file?.path ?? null, fields: fields as SettingsSources['fields'] };
  }

  /** Refuses a change to a field the config file sets: the file would undo it at the next start. */
  private checkFileFields<K extends keyof SettingsSections>(key: K, value: SettingsSections[K]): void {
    const fixed = (this.file?.settings[key] ?? {}) as Record<string, unknown>;
    for (const [field, fileValue] of Object.entries(fixed)) {
      if (JSON.stringify((value as Record<string, unknown>)[field]) !== JSON.stringify(fileValue))
        throw new ApiError('conflict', `${field} is set in ${this.file!.path}; change it there`, { field });
    }
  }

  async load(): Promise<void> {
    const rows = await this.store.db.selectFrom('settings').selectAll().execute();
    const stored = new Map(rows.map((row) => [row.key, JSON.parse(row.value_json) as object]));
    const next = {} as Record<SettingsSectionName, unknown>;
    for (const key of sectionNames) {
      next[key] = schemas[key].parse({ ...defaults[key], ...stored.get(key), ...this.file?.settings[key] });
    }
    this.cache = next as SettingsSections;
  }

  get(): Settings {
    return { security: this.cache.security };
  }

  get security(): SecuritySettings {
    return this.cache.security;
  }

  get serviceRules(): ServiceRules {
    return this.cache.serviceRules;
  }

  get smsc(): SmscSettings {
    return this.cache.smsc;
  }

  get sip(): SipSettings {
    return this.cache.sip;
  }

  /** The security section as stored now, read inside the caller's transaction (not from the cache). */
  async readSecurity(trx: Transaction<Schema>): Promise<SecuritySettings> {
    const row = await trx.selectFrom('settings').select('value_json').where('key', '=', 'security').executeTakeFirst();
    const stored = row ? (JSON.parse(row.value_json) as Partial<SecuritySettings>) : {};
    // The file's fields win here too, so a partial update that leaves them alone is not refused.
    return { ...defaults.security, ...stored, ...this.file?.settings.security };
  }

  /** Saves one section within the caller's transaction; call load() once it is durable. */
  async save<K extends keyof SettingsSections>(trx: Transaction<Schema>, key: K, value: SettingsSections[K], now: number): Promise<void> {
    this.checkFileFields(key, value);
    const value_json = JSON.stringify(value);
    await trx
      .insertInto('settings')
      .values({ key, value_json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at: now }))
      .execute();
  }
}
