/**
 * Corrections: a closed statement is never edited. Rerating a closed cycle
 * records the differences to a fresh rating as adjustment lines (with the
 * reason); billing admins add manual ones. Both count in the reports on a day
 * of the cycle they correct, so a cycle's report still equals its statements
 * plus their adjustments.
 */
import type { Kysely, Transaction } from 'kysely';
import { ApiError, type AdjustmentInfo, type Page, type RerateResult } from '../../api';
import {
  chargeCycle,
  manualAdjustment,
  rerate,
  type Adjustment,
  type BillCycle,
  type ChargeLine,
  type CycleConfig,
  type TariffPlan,
  type TariffVersion,
} from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { assignmentsInRange, assignmentsOf, planTimeOf } from './assignments';
import { insertRows } from './bulk';
import { dayOf } from './calendar';
import type { CloseContext } from './cycles';
import { CycleImage } from './image';
import { recordsWithCharges, storedCharge } from './lines';
import { ChargeRollup } from './rollups';
import { adjustmentInfo, adjustmentOf, statementOf } from './rows';

type Db = Kysely<Schema> | Transaction<Schema>;

const adjustmentColumns = [
  'cycle_key',
  'party',
  'line_key',
  'source',
  'amount',
  'previous_amount',
  'new_amount',
  'reason',
  'plan_id',
  'day',
  'operator',
  'after_close',
  'created_at',
  'currency',
] as const;

async function requireClosed(db: Db, key: string): Promise<void> {
  const row = await db.selectFrom('billing_cycles').select('status').where('key', '=', key).executeTakeFirst();
  if (row?.status !== 'closed') {
    throw new ApiError(
      'validation',
      `Cycle ${key} is not closed: its charges are still rated as usage comes in; rerating applies to closed cycles`,
      {
        field: 'cycle',
      },
    );
  }
}

export interface RerateRequest {
  reason: string;
  party?: string;
  /** Rate the plan's time in the cycle with this (published) version instead of the one that applied. */
  correction?: { planId: string; version: TariffVersion };
}

/** Rates a closed cycle again; each line that would change becomes an adjustment. */
export async function rerateCycle(ctx: CloseContext, cycle: BillCycle, request: RerateRequest): Promise<RerateResult> {
  await requireClosed(ctx.db, cycle.key);
  // Every subscriber: the cycle's records in one read (see image.ts); one subscriber: its own.
  const image = request.party ? null : await CycleImage.load(ctx.db, cycle);
  const result: RerateResult = { cycle: cycle.key, parties: 0, adjustments: 0, total: 0 };
  let after = '';
  for (;;) {
    let query = ctx.db.selectFrom('statements').selectAll().where('cycle_key', '=', cycle.key).where('party', '>', after);
    if (request.party) query = query.where('party', '=', request.party);
    const statements = await query.orderBy('party').limit(2_000).execute();
    if (!statements.length) break;
    const last = statements[statements.length - 1]!.party;
    const from = after;
    const batch = await ctx.write((trx) => rerateBatch(trx, ctx, cycle, request, statements, from, last, image));
    result.parties += statements.length;
    result.adjustments += batch.adjustments;
    result.total += batch.total;
    after = last;
    ctx.progress?.(result.parties);
  }
  if (request.party && !result.parties) {
    throw new ApiError('not_found', `${request.party} has no statement in cycle ${cycle.key}`, { field: 'msisdn' });
  }
  return result;
}

async function rerateBatch(
  trx: Transaction<Schema>,
  ctx: CloseContext,
  cycle: BillCycle,
  request: RerateRequest,
  statements: Schema['statements'][],
  after: string,
  last: string,
  image: CycleImage | null,
): Promise<{ adjustments: number; total: number }> {
  const [records, assignments, earlier] = await Promise.all([
    image ? null : recordsWithCharges(trx, { cycle, after, last }),
    assignmentsInRange(trx, after, last),
    trx
      .selectFrom('adjustments')
      .selectAll()
      .where('cycle_key', '=', cycle.key)
      .where('party', '>', after)
      .where('party', '<=', last)
      .execute(),
  ]);
  const earlierByParty = new Map<string, Adjustment[]>();
  for (const row of earlier) earlierByParty.set(row.party, [...(earlierByParty.get(row.party) ?? []), adjustmentOf(row)]);
  const rollup = new ChargeRollup();
  const rows: (string | number | null)[][] = [];
  let total = 0;
  for (const statementRow of statements) {
    const party = statementRow.party;
    const partyRecords = image ? image.rows(party) : (records!.get(party) ?? []);
    const { spans: actual, firstOpenedAt } = planTimeOf(assignments.get(party) ?? [], ctx.plans, cycle);
    // The corrected items on the lines of the version they correct (same number, so a rent line keeps its key).
    const correction = request.correction;
    const spans = correction
      ? actual.map((span) =>
          span.planId === correction.planId ? { ...span, version: { ...correction.version, number: span.version.number } } : span,
        )
      : actual;
    const fresh = chargeCycle({ party, cycle, spans, records: partyRecords, firstOpenedAt });
    const stored = statementOf(statementRow, cycle);
    const storedUsage = partyRecords.map(storedCharge).filter((line) => line !== null);
    const previous = [...stored.rent.lines, ...storedUsage, ...(earlierByParty.get(party) ?? [])];
    const freshLines: ChargeLine[] = [...fresh.rent, ...fresh.usage.charges];
    // Where each line counts (day and plan), for the rollups: from the fresh line, or the stored one it replaces.
    const lineOf = new Map<string, ChargeLine>();
    for (const line of [...stored.rent.lines, ...storedUsage, ...freshLines])
      lineOf.set('recordId' in line ? `usage:${line.recordId}` : line.key, line);
    for (const adjustment of rerate(previous, freshLines, request.reason)) {
      const line = lineOf.get(adjustment.key);
      const at = line ? ('recordId' in line ? line.at : Math.max(line.from, cycle.start)) : cycle.start;
      const day = dayOf(at, ctx.config, cycle);
      const planId = line?.planId ?? statementRow.plan_id;
      rows.push([
        cycle.key,
        party,
        adjustment.key,
        'rerate',
        adjustment.amount,
        adjustment.previousAmount,
        adjustment.newAmount,
        adjustment.reason,
        planId,
        day,
        ctx.operator,
        1,
        ctx.now,
        statementRow.currency,
      ]);
      rollup.add(day, planId ?? '', 'adjustment', 1, 0, adjustment.amount, adjustment.amount);
      total += adjustment.amount;
    }
  }
  await insertRows(trx, 'adjustments', adjustmentColumns, rows);
  await rollup.flush(trx);
  return { adjustments: rows.length, total };
}

/** A manual adjustment on a subscriber's cycle: on the statement if the cycle is open, beside it once closed. */
export async function addManualAdjustment(
  trx: Transaction<Schema>,
  config: CycleConfig,
  plans: ReadonlyMap<string, TariffPlan>,
  input: {
    party: string;
    cycle: BillCycle;
    amount: number;
    /** The currency the amount was entered in: refused when the subscriber is billed in another. */
    currency?: string;
    reason: string;
    operator: string;
    now: number;
  },
): Promise<AdjustmentInfo> {
  const { party, cycle } = input;
  const status =
    (await trx.selectFrom('billing_cycles').select('status').where('key', '=', cycle.key).executeTakeFirst())?.status ?? 'open';
  if (status === 'closing')
    throw new ApiError('conflict', `Cycle ${cycle.key} is being closed right now; add the adjustment once it is closed`);
  let planId: string | null;
  let currency: string;
  if (status === 'closed') {
    const statement = await trx
      .selectFrom('statements')
      .select(['plan_id', 'currency'])
      .where('cycle_key', '=', cycle.key)
      .where('party', '=', party)
      .executeTakeFirst();
    if (!statement) throw new ApiError('not_found', `${party} has no statement in cycle ${cycle.key}`, { field: 'msisdn' });
    planId = statement.plan_id;
    currency = statement.currency;
  } else {
    const rows = (await assignmentsOf(trx, [party])).get(party) ?? [];
    const spans = rows.length ? planTimeOf(rows, plans, cycle).spans : [];
    if (!spans.length) throw new ApiError('not_found', `${party} has no tariff plan in cycle ${cycle.key}`, { field: 'msisdn' });
    planId = spans[spans.length - 1]!.planId;
    currency = spans[spans.length - 1]!.currency;
  }
  if (input.currency !== undefined && input.currency !== currency) {
    throw new ApiError('validation', `${party} is billed in ${currency} in cycle ${cycle.key}: enter the amount in ${currency}`, {
      field: 'amount',
      params: { currency },
    });
  }
  const count = await trx
    .selectFrom('adjustments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cycle_key', '=', cycle.key)
    .where('party', '=', party)
    .where('source', '=', 'manual')
    .executeTakeFirstOrThrow();
  const adjustment = manualAdjustment(`manual:${cycle.key}:${Number(count.n) + 1}`, party, input.amount, input.reason);
  const row = {
    cycle_key: cycle.key,
    party,
    line_key: adjustment.key,
    source: 'manual',
    amount: adjustment.amount,
    previous_amount: null,
    new_amount: null,
    reason: adjustment.reason,
    plan_id: planId,
    day: cycle.startDay,
    operator: input.operator,
    after_close: status === 'closed' ? 1 : 0,
    created_at: input.now,
    currency,
  };
  const inserted = await trx.insertInto('adjustments').values(row).executeTakeFirstOrThrow();
  const rollup = new ChargeRollup();
  rollup.add(cycle.startDay, planId ?? '', 'adjustment', 1, 0, adjustment.amount, adjustment.amount);
  await rollup.flush(trx);
  return adjustmentInfo({ ...row, id: Number(inserted.insertId) });
}

export async function listAdjustments(
  db: Db,
  q: { cycle?: string; party?: string; source?: 'rerate' | 'manual'; page: number; pageSize: number },
): Promise<Page<AdjustmentInfo>> {
  let base = db.selectFrom('adjustments');
  if (q.cycle) base = base.where('cycle_key', '=', q.cycle);
  if (q.party) base = base.where('party', '=', q.party);
  if (q.source) base = base.where('source', '=', q.source);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset(q.page * q.pageSize)
    .execute();
  return { rows: rows.map(adjustmentInfo), total: Number(n) };
}
