/**
 * Usage records with their stored charge lines: read by subscriber, rated
 * again, and written back where they differ, with the rollups moved by the
 * same difference. Rating, closing and rerating all go through here.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BillCycle, CapEffect, ChargeBasis, CycleConfig, UsageCharge } from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { chunks, insertValues, upsertClause } from './bulk';
import { dayOf } from './calendar';
import type { ChargeRollup } from './rollups';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A usage record as stored: the domain's UsageRecord fields. */
export interface UsageRow {
  id: number;
  party: string;
  kind: string;
  chargeable: number;
  quantity: number;
  at: number;
}

/** A usage record and its stored line, if rated (c_* null otherwise). */
export interface RecordRow extends UsageRow {
  c_plan: string | null;
  c_version: number | null;
  c_basis: string | null;
  c_capped: string | null;
  c_free: number | null;
  c_gross: number | null;
  c_amount: number | null;
}

export interface RecordFilter {
  cycle: BillCycle;
  /** These parties… */
  parties?: readonly string[];
  /** …or the parties in (after, last] (last omitted: all after). */
  after?: string;
  last?: string;
  /** Only records up to this id (the rating job's chunk). */
  maxId?: number;
}

function recordQuery(db: Db, filter: RecordFilter) {
  let query = db
    .selectFrom('usage_records as r')
    .leftJoin('usage_charges as c', 'c.record_id', 'r.id')
    .select([
      'r.id',
      'r.party',
      'r.kind',
      'r.chargeable',
      'r.quantity',
      'r.at',
      'c.plan_id as c_plan',
      'c.version as c_version',
      'c.basis as c_basis',
      'c.capped as c_capped',
      'c.free_units as c_free',
      'c.gross as c_gross',
      'c.amount as c_amount',
    ])
    .where('r.at', '>=', filter.cycle.start)
    .where('r.at', '<', filter.cycle.end);
  if (filter.after !== undefined) query = query.where('r.party', '>', filter.after);
  if (filter.last !== undefined) query = query.where('r.party', '<=', filter.last);
  if (filter.maxId !== undefined) query = query.where('r.id', '<=', filter.maxId);
  return query.orderBy('r.party').orderBy('r.at').orderBy('r.id');
}

function byParty(rows: RecordRow[], into = new Map<string, RecordRow[]>()): Map<string, RecordRow[]> {
  for (const row of rows) {
    const list = into.get(row.party);
    if (list) list.push(row);
    else into.set(row.party, [row]);
  }
  return into;
}

/** The records of a cycle with their stored lines, by party, each party's in record order (at, then id). */
export async function recordsWithCharges(db: Db, filter: RecordFilter): Promise<Map<string, RecordRow[]>> {
  if (!filter.parties) return byParty((await recordQuery(db, filter).execute()) as RecordRow[]);
  const result = new Map<string, RecordRow[]>();
  for (const list of chunks(filter.parties))
    byParty((await recordQuery(db, filter).where('r.party', 'in', list).execute()) as RecordRow[], result);
  return result;
}

/** The stored line of a record as the domain's UsageCharge, or null when not rated. */
export function storedCharge(row: RecordRow): UsageCharge | null {
  if (row.c_plan === null) return null;
  return {
    recordId: row.id,
    party: row.party,
    kind: row.kind,
    at: row.at,
    quantity: row.quantity,
    planId: row.c_plan,
    version: row.c_version!,
    basis: row.c_basis as ChargeBasis,
    freeUnits: row.c_free!,
    gross: row.c_gross!,
    amount: row.c_amount!,
    capped: row.c_capped as CapEffect,
  };
}

function sameLine(row: RecordRow, charge: UsageCharge): boolean {
  return (
    row.c_plan === charge.planId &&
    row.c_version === charge.version &&
    row.c_basis === charge.basis &&
    row.c_capped === charge.capped &&
    row.c_free === charge.freeUnits &&
    row.c_gross === charge.gross &&
    row.c_amount === charge.amount
  );
}

function countLine(rollup: ChargeRollup, day: string, line: UsageCharge, sign: 1 | -1): void {
  rollup.add(day, line.planId, line.kind, sign, sign * line.quantity, sign * line.gross, sign * line.amount);
}

/**
 * The lines of `charges` (a rating of `rows`, in the same order) that differ
 * from what is stored, with the rollups moved from the stored to the new.
 */
export function changedLines(
  rows: readonly RecordRow[],
  charges: readonly UsageCharge[],
  rollup: ChargeRollup,
  config: CycleConfig,
  cycle: BillCycle,
): UsageCharge[] {
  const byId = rows.length === charges.length ? null : new Map(rows.map((r) => [r.id, r]));
  const changed: UsageCharge[] = [];
  charges.forEach((charge, i) => {
    const row = byId ? byId.get(charge.recordId)! : rows[i]!;
    if (row.id !== charge.recordId) throw new Error(`rating order differs from the stored order at record ${row.id}`);
    if (sameLine(row, charge)) return;
    const day = dayOf(charge.at, config, cycle);
    const before = storedCharge(row);
    if (before) countLine(rollup, day, before, -1);
    countLine(rollup, day, charge, 1);
    changed.push(charge);
  });
  return changed;
}

/** New lines (nothing stored for them yet): counted into the rollups. */
export function countNewLines(charges: readonly UsageCharge[], rollup: ChargeRollup, config: CycleConfig, cycle: BillCycle): void {
  for (const charge of charges) countLine(rollup, dayOf(charge.at, config, cycle), charge, 1);
}

const chargeColumns = ['record_id', 'cycle_key', 'plan_id', 'version', 'basis', 'capped', 'free_units', 'gross', 'amount'] as const;
const chargeUpsert = upsertClause(['record_id'], chargeColumns.slice(1));

/** Upserts lines given as their values in chargeColumns order, line after line in one array. */
export async function writeChargeValues(trx: Transaction<Schema>, values: readonly (string | number)[]): Promise<void> {
  await insertValues(trx, 'usage_charges', chargeColumns, values, chargeUpsert);
}

export async function writeUsageCharges(trx: Transaction<Schema>, cycleKey: string, charges: readonly UsageCharge[]): Promise<void> {
  const values: (string | number)[] = [];
  for (const c of charges) values.push(c.recordId, cycleKey, c.planId, c.version, c.basis, c.capped, c.freeUnits, c.gross, c.amount);
  await writeChargeValues(trx, values);
}
