/**
 * A subscriber's statements for customer service: the frozen statement of a
 * closed cycle (with any adjustments made after it), or for a cycle still
 * open a preview computed exactly as the close will compute it.
 */
import type { Kysely } from 'kysely';
import { ApiError, type ChargeLineView, type Page, type StatementSummary, type StatementView, type ThresholdInfo } from '../../api';
import {
  cycleByKey,
  cycleContaining,
  previousCycle,
  type BillCycle,
  type CapEffect,
  type ChargeBasis,
  type CycleConfig,
  type Statement,
  type TariffPlan,
} from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { assignmentsOf, planTimeOf } from './assignments';
import { adjustmentInfo, adjustmentOf, chargeStatement, statementOf } from './rows';
import { recordsWithCharges } from './lines';

type Db = Kysely<Schema>;

interface Reader {
  db: Db;
  config: CycleConfig;
  plans: ReadonlyMap<string, TariffPlan>;
  now: number;
}

function summary(
  statement: Statement,
  status: 'open' | 'closed',
  planId: string | null,
  later: number,
  closedAt: number | null,
): StatementSummary {
  return {
    party: statement.party,
    cycle: statement.cycleKey,
    status,
    from: statement.from,
    to: statement.to,
    currency: statement.currency,
    planId,
    rent: statement.rent.total,
    usage: statement.usage.charged,
    capWaived: statement.capWaived,
    adjustments: statement.adjustments.total,
    total: statement.total,
    laterAdjustments: later,
    balance: statement.total + later,
    closedAt,
  };
}

/** The statement the close would produce now, or null when the party has no plan in the cycle. */
async function preview(reader: Reader, party: string, cycle: BillCycle): Promise<{ statement: Statement; planId: string } | null> {
  const rows = (await assignmentsOf(reader.db, [party])).get(party) ?? [];
  if (!rows.length) return null;
  const { spans, firstOpenedAt } = planTimeOf(rows, reader.plans, cycle);
  if (!spans.length) return null;
  const records = (await recordsWithCharges(reader.db, { cycle, parties: [party] })).get(party) ?? [];
  const adjustments = await reader.db
    .selectFrom('adjustments')
    .selectAll()
    .where('cycle_key', '=', cycle.key)
    .where('party', '=', party)
    .orderBy('id')
    .execute();
  const { statement } = chargeStatement({ party, cycle, spans, records, firstOpenedAt }, adjustments.map(adjustmentOf));
  return { statement, planId: spans[spans.length - 1]!.planId };
}

/** A party's statements, newest first, found through each closed cycle's key (there is no index by party). */
async function closedStatements(db: Db, party: string) {
  const cycles = await db.selectFrom('billing_cycles').select('key').where('status', '=', 'closed').execute();
  if (!cycles.length) return [];
  return db
    .selectFrom('statements')
    .selectAll()
    .where(
      'cycle_key',
      'in',
      cycles.map((c) => c.key),
    )
    .where('party', '=', party)
    .orderBy('cycle_key', 'desc')
    .execute();
}

async function requireKnown(db: Db, party: string, statements?: readonly unknown[]): Promise<void> {
  const subscriber = await db.selectFrom('subscribers').select('msisdn').where('msisdn', '=', party).executeTakeFirst();
  if (subscriber || (statements ?? (await closedStatements(db, party))).length) return;
  throw new ApiError('not_found', `${party} is not a subscriber and has no statements`, { field: 'msisdn' });
}

async function laterByCycle(db: Db, party: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('adjustments')
    .select((eb) => ['cycle_key', eb.fn.sum<number>('amount').as('total')])
    .where('party', '=', party)
    .where('after_close', '=', 1)
    .groupBy('cycle_key')
    .execute();
  return new Map(rows.map((r) => [r.cycle_key, Number(r.total)]));
}

export async function listStatements(reader: Reader, party: string): Promise<StatementSummary[]> {
  const closed = await closedStatements(reader.db, party);
  await requireKnown(reader.db, party, closed);
  const later = await laterByCycle(reader.db, party);
  const list = closed.map((row) =>
    summary(
      statementOf(row, cycleByKey(row.cycle_key, reader.config)),
      'closed',
      row.plan_id,
      later.get(row.cycle_key) ?? 0,
      Number(row.closed_at),
    ),
  );
  // The current cycle, and the previous one until it is closed, as previews.
  const current = cycleContaining(reader.now, reader.config);
  const closedKeys = new Set(closed.map((r) => r.cycle_key));
  for (const cycle of [current, previousCycle(current)]) {
    if (closedKeys.has(cycle.key)) continue;
    const open = await preview(reader, party, cycle);
    if (open) list.push(summary(open.statement, 'open', open.planId, 0, null));
  }
  return list.sort((a, b) => (a.cycle < b.cycle ? 1 : a.cycle > b.cycle ? -1 : 0));
}

export async function getStatement(reader: Reader, party: string, key: string): Promise<StatementView> {
  await requireKnown(reader.db, party);
  const cycle = cycleByKey(key, reader.config);
  const row = await reader.db
    .selectFrom('statements')
    .selectAll()
    .where('cycle_key', '=', key)
    .where('party', '=', party)
    .executeTakeFirst();
  const laterRows = row
    ? await reader.db
        .selectFrom('adjustments')
        .selectAll()
        .where('cycle_key', '=', key)
        .where('party', '=', party)
        .where('after_close', '=', 1)
        .orderBy('id')
        .execute()
    : [];
  const thresholds = await reader.db
    .selectFrom('threshold_events')
    .selectAll()
    .where('cycle_key', '=', key)
    .where('party', '=', party)
    .orderBy('at')
    .execute();
  const thresholdInfos: ThresholdInfo[] = thresholds.map((t) => ({
    cap: t.cap as ThresholdInfo['cap'],
    percent: t.percent,
    limit: Number(t.limit_fen),
    spent: Number(t.spent),
    recordId: t.record_id,
    at: Number(t.at),
    smsId: t.sms_id,
  }));
  if (row) {
    const statement = statementOf(row, cycle);
    const later = laterRows.reduce((sum, r) => sum + Number(r.amount), 0);
    return {
      ...summary(statement, 'closed', row.plan_id, later, Number(row.closed_at)),
      statement,
      laterAdjustmentLines: laterRows.map(adjustmentInfo),
      thresholds: thresholdInfos,
    };
  }
  const open = await preview(reader, party, cycle);
  if (!open) throw new ApiError('not_found', `${party} has no statement and no tariff plan in cycle ${key}`, { field: 'cycle' });
  return {
    ...summary(open.statement, 'open', open.planId, 0, null),
    statement: open.statement,
    laterAdjustmentLines: [],
    thresholds: thresholdInfos,
  };
}

export async function statementLines(
  reader: Reader,
  party: string,
  q: { cycle: string; kind?: string; page: number; pageSize: number },
): Promise<Page<ChargeLineView>> {
  await requireKnown(reader.db, party);
  const cycle = cycleByKey(q.cycle, reader.config);
  let base = reader.db
    .selectFrom('usage_records as r')
    .leftJoin('usage_charges as c', 'c.record_id', 'r.id')
    .where('r.party', '=', party)
    .where('r.at', '>=', cycle.start)
    .where('r.at', '<', cycle.end);
  if (q.kind) base = base.where('r.kind', '=', q.kind);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select([
      'r.id',
      'r.at',
      'r.kind',
      'r.quantity',
      'r.chargeable',
      'c.plan_id',
      'c.version',
      'c.basis',
      'c.free_units',
      'c.gross',
      'c.amount',
      'c.capped',
    ])
    .orderBy('r.at')
    .orderBy('r.id')
    .limit(q.pageSize)
    .offset(q.page * q.pageSize)
    .execute();
  return {
    total: Number(n),
    rows: rows.map((r) => ({
      recordId: r.id,
      at: Number(r.at),
      kind: r.kind,
      quantity: r.quantity,
      chargeable: r.chargeable === 1,
      planId: r.plan_id,
      version: r.version,
      basis: r.basis as ChargeBasis | null,
      freeUnits: r.free_units ?? 0,
      gross: Number(r.gross ?? 0),
      amount: Number(r.amount ?? 0),
      capped: (r.capped ?? 'none') as CapEffect,
    })),
  };
}
