/** The billing settings and the rating watermark, kept as JSON rows of billing_state (not in the shared settings table). */
import type { Kysely, Transaction } from 'kysely';
import { ApiError, billingSettingsSchema, defaultBillingSettings, type BillingSettings } from '../../api';
import type { CycleConfig } from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { hasPublished, loadPlans } from './plans';

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

/** Whether new settings move the cycle boundaries (close day, time zone). */
export function movesCycleBoundaries(before: BillingSettings, next: BillingSettings): boolean {
  return next.closeDay !== before.closeDay || next.timeZone !== before.timeZone;
}

/** Refuses settings that cannot apply: boundaries moved under rated cycles, a default plan that bills nobody, an export with no folder. */
export async function checkSettingsChange(trx: Transaction<Schema>, before: BillingSettings, next: BillingSettings): Promise<void> {
  if (movesCycleBoundaries(before, next)) {
    const rated = await trx.selectFrom('billing_cycles').select('key').orderBy('key').limit(1).executeTakeFirst();
    if (rated) {
      throw new ApiError(
        'conflict',
        `The close day and time zone are fixed once usage has been rated (cycle ${rated.key} exists): changing them would move the boundaries of rated cycles`,
        { field: next.closeDay !== before.closeDay ? 'closeDay' : 'timeZone' },
      );
    }
  }
  if (next.defaultPlan && next.defaultPlan !== before.defaultPlan) {
    const plan = (await loadPlans(trx)).get(next.defaultPlan);
    const field = { field: 'defaultPlan' };
    if (!plan) throw new ApiError('validation', `There is no tariff plan "${next.defaultPlan}" to give new subscribers`, field);
    // A plan with drafts only bills nobody: its subscribers' usage would wait, unrated, for a publish.
    if (!hasPublished(plan.plan)) {
      throw new ApiError(
        'validation',
        `Plan ${next.defaultPlan} has no published version: publish one before making it the default`,
        field,
      );
    }
  }
  if (next.autoExport && !next.exportDir) {
    throw new ApiError('validation', 'Set the export folder (Charge exports) before writing the export automatically', {
      field: 'autoExport',
    });
  }
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
