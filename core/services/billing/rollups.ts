/**
 * Daily rollups for the reports, kept in step with the lines they count in
 * the same transaction: a report reads a few hundred rollup rows instead of
 * millions of lines, and its totals still equal the sum of the statements.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../../store/schema';
import { accumulateClause, insertRows } from './bulk';

type Trx = Transaction<Schema>;

/** Charge deltas by day × plan × kind ('rent' and 'adjustment' beside the usage kinds), written once per transaction. */
export class ChargeRollup {
  private readonly rows = new Map<string, [string, string, string, number, number, number, number]>();

  add(day: string, planId: string, kind: string, records: number, units: number, gross: number, charged: number): void {
    const key = `${day}|${planId}|${kind}`;
    const row = this.rows.get(key);
    if (row) {
      row[3] += records;
      row[4] += units;
      row[5] += gross;
      row[6] += charged;
    } else this.rows.set(key, [day, planId, kind, records, units, gross, charged]);
  }

  async flush(trx: Trx): Promise<void> {
    const rows = [...this.rows.values()].filter((r) => r[3] || r[4] || r[5] || r[6]);
    this.rows.clear();
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
