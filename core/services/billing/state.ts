/** The billing settings and the rating watermark, kept as JSON rows of billing_state (not in the shared settings table). */
import type { Kysely, Transaction } from 'kysely';
import { billingSettingsSchema, defaultBillingSettings, type BillingSettings } from '../../api';
import type { CycleConfig } from '../../domain/billing';
import type { Schema } from '../../store/schema';

type Db = Kysely<Schema> | Transaction<Schema>;

async function readState<T>(db: Db, key: string): Promise<T | null> {
  const row = await db.selectFrom('billing_state').select('value_json').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as T) : null;
}

async function writeState(trx: Transaction<Schema>, key: string, value: unknown, now: number): Promise<void> {
  const value_json = JSON.stringify(value);
  await trx
    .insertInto('billing_state')
    .values({ key, value_json, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json, updated_at: now }))
    .execute();
}

export async function readBillingSettings(db: Db): Promise<BillingSettings> {
  const stored = await readState<Partial<BillingSettings>>(db, 'settings');
  // Settings saved by an older version may lack newer fields: fill them from the defaults.
  return billingSettingsSchema.parse({ ...defaultBillingSettings, ...stored });
}

export function saveBillingSettings(trx: Transaction<Schema>, settings: BillingSettings, now: number): Promise<void> {
  return writeState(trx, 'settings', settings, now);
}

export function cycleConfigOf(settings: BillingSettings): CycleConfig {
  return { closeDay: settings.closeDay, timeZone: settings.timeZone };
}

/** Usage records up to this id have been taken by the rating job. */
export async function readWatermark(db: Db): Promise<number> {
  return (await readState<{ ratedThrough: number }>(db, 'rating'))?.ratedThrough ?? 0;
}

export function saveWatermark(trx: Transaction<Schema>, ratedThrough: number, now: number): Promise<void> {
  return writeState(trx, 'rating', { ratedThrough }, now);
}
