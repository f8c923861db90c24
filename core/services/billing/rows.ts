/** Stored billing rows as the domain and the API see them, and back: one mapping each, used by every module. */
import type { Transaction } from 'kysely';
import type { AdjustmentInfo } from '../../api';
import {
  buildStatement,
  chargeCycle,
  type Adjustment,
  type BillCycle,
  type RentLine,
  type Statement,
  type SubscriberCycleInput,
  type UsageByKind,
} from '../../domain/billing';
import type { Schema } from '../../store/schema';

/** What a statement row keeps beside its total columns. */
export interface StatementLines {
  rent: RentLine[];
  byKind: UsageByKind[];
  adjustments: Adjustment[];
}

export type AdjustmentRow = Schema['adjustments'] extends infer T ? { [K in keyof T]: K extends 'id' ? number : T[K] } : never;

export function adjustmentInfo(row: AdjustmentRow): AdjustmentInfo {
  return {
    id: row.id,
    cycle: row.cycle_key,
    party: row.party,
    key: row.line_key,
    source: row.source as AdjustmentInfo['source'],
    amount: Number(row.amount),
    currency: row.currency,
    previousAmount: row.previous_amount === null ? null : Number(row.previous_amount),
    newAmount: row.new_amount === null ? null : Number(row.new_amount),
    reason: row.reason,
    planId: row.plan_id,
    operator: row.operator,
    at: Number(row.created_at),
    afterClose: row.after_close === 1,
  };
}

/** An adjustment row as the domain's Adjustment (for statements and rerating). */
export function adjustmentOf(row: AdjustmentRow): Adjustment {
  const { key, party, source, amount, previousAmount, newAmount, reason } = adjustmentInfo(row);
  return { key, party, source, amount, previousAmount, newAmount, reason };
}

/** A stored statement row as the domain's Statement. */
export function statementOf(
  row: Pick<
    Schema['statements'],
    'party' | 'currency' | 'rent' | 'usage_gross' | 'usage_charged' | 'cap_waived' | 'adjustments' | 'total' | 'records' | 'lines_json'
  >,
  cycle: BillCycle,
): Statement {
  const lines = JSON.parse(row.lines_json) as StatementLines;
  return {
    party: row.party,
    cycleKey: cycle.key,
    from: cycle.start,
    to: cycle.end,
    currency: row.currency,
    rent: { lines: lines.rent, total: Number(row.rent) },
    usage: { byKind: lines.byKind, records: Number(row.records), gross: Number(row.usage_gross), charged: Number(row.usage_charged) },
    capWaived: Number(row.cap_waived),
    adjustments: { lines: lines.adjustments, total: Number(row.adjustments) },
    total: Number(row.total),
  };
}

/** A subscriber's charges for the cycle and the statement they make: what the close freezes and the preview shows. */
export function chargeStatement(input: SubscriberCycleInput, adjustments: readonly Adjustment[]) {
  const charges = chargeCycle(input);
  const statement = buildStatement({
    party: input.party,
    cycle: input.cycle,
    currency: charges.currency,
    rent: charges.rent,
    usage: charges.usage.charges,
    adjustments,
  });
  return { charges, statement };
}

/** Creates the row of a cycle that has none yet (open, or as given). */
export async function insertCycleRow(
  trx: Transaction<Schema>,
  cycle: BillCycle,
  fields: Partial<Pick<Schema['billing_cycles'], 'status' | 'close_started_at' | 'close_progress'>> = {},
): Promise<void> {
  await trx
    .insertInto('billing_cycles')
    .values({
      key: cycle.key,
      start_at: cycle.start,
      end_at: cycle.end,
      status: 'open',
      close_started_at: null,
      close_progress: null,
      closed_at: null,
      closed_by: null,
      statements: 0,
      rent: 0,
      usage: 0,
      adjustments: 0,
      total: 0,
      unbilled_records: 0,
      ...fields,
    })
    .execute();
}
