/**
 * Daily rollups for the reports, kept in step with the lines they count in
 * the same transaction: a report reads a few hundred rollup rows instead of
 * millions of lines, and its totals still equal the sum of the statements.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../../store/schema';
import { accumulateClause, insertRows } from './bulk';

type Trx = Transaction<Schema>;

type RollupRow = [day: string, planId: string, kind: string, records: number, units: number, gross: number, charged: number];
/** Rows of one day by plan, then kind. */
type DayRows = Map<string, Map<string, RollupRow>>;

/** Charge deltas by day × plan × kind ('rent' and 'adjustment' beside the usage kinds), written once per transaction. */
export class ChargeRollup {
  /**
   * Rows by day, plan and kind, nested: called for every line the jobs write, where a key of all three built per
   * call was a new string to hash each time; plans and kinds are the same few strings, and lines come in time order.
   */
  private readonly days = new Map<string, DayRows>();
  private lastDay = '';
  private lastRows: DayRows | undefined;

  add(day: string, planId: string, kind: string, records: number, units: number, gross: number, charged: number): void {
    let rows = this.lastRows;
    if (day !== this.lastDay || !rows) {
      rows = this.days.get(day);
      if (!rows) this.days.set(day, (rows = new Map()));
      this.lastDay = day;
      this.lastRows = rows;
    }
    let kinds = rows.get(planId);
    if (!kinds) rows.set(planId, (kinds = new Map()));
    const row = kinds.get(kind);
    if (row) {
      row[3] += records;
      row[4] += units;
      row[5] += gross;
      row[6] += charged;
    } else kinds.set(kind, [day, planId, kind, records, units, gross, charged]);
  }

  async flush(trx: Trx): Promise<void> {
    const rows: RollupRow[] = [];
    for (const plans of this.days.values())
      for (const kinds of plans.values()) for (const r of kinds.values()) if (r[3] || r[4] || r[5] || r[6]) rows.push(r);
    this.days.clear();
    this.lastRows = undefined;
    const add = ['records', 'units', 'gross', 'charged'] as const;
    await insertRows(
      trx,
      'rollup_charges',
      ['day', 'plan_id', 'kind', ...add],
      rows,
      accumulateClause('rollup_charges', ['day', 'plan_id', 'kind'], add),
    );
  }
}

export interface SubscriberDelta {
  starts?: number;
  ends?: number;
  opened?: number;
  closed?: number;
}

export async function addSubscriberRollup(trx: Trx, day: string, planId: string, delta: SubscriberDelta): Promise<void> {
  const add = ['starts', 'ends', 'opened', 'closed'] as const;
  await insertRows(
    trx,
    'rollup_subscribers',
    ['day', 'plan_id', ...add],
    [[day, planId, delta.starts ?? 0, delta.ends ?? 0, delta.opened ?? 0, delta.closed ?? 0]],
    accumulateClause('rollup_subscribers', ['day', 'plan_id'], add),
  );
}

export type SmsCount = 'queued' | 'submitted' | 'delivered' | 'failed' | 'expired';

const hourMs = 3_600_000;

/** Counts SMS by the hour they were queued in, whatever the hour their outcome came in: a day's delivery rate is of that day's SMS. */
export async function countSms(trx: Trx, kind: string, createdAt: number, what: SmsCount, count = 1): Promise<void> {
  const add = ['queued', 'submitted', 'delivered', 'failed', 'expired'] as const;
  await insertRows(
    trx,
    'rollup_sms',
    ['hour', 'kind', ...add],
    [[Math.floor(createdAt / hourMs), kind, ...add.map((field) => (field === what ? count : 0))]],
    accumulateClause('rollup_sms', ['hour', 'kind'], add),
  );
}
