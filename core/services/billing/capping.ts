/**
 * The Capping screen's query: who reached a cap threshold in a cycle, what the
 * caps waived, and whether the warning SMS went out. Reads the threshold events
 * of the cycle (by their key), the rollups for the waived totals, and the usage
 * lines of the page's subscribers only (by the records' party index).
 */
import type { Kysely } from 'kysely';
import { ApiError, type CapPlanInfo, type CappingReport, type CappingRow } from '../../api';
import {
  cycleByKey,
  cycleContaining,
  defaultCurrency,
  versionInForce,
  type BillCycle,
  type CapKind,
  type CycleConfig,
} from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { assignmentsOf } from './assignments';
import { cycleInfo } from './cycles';
import type { PlanCatalog } from './plans';

type Db = Kysely<Schema>;

export interface CappingQuery {
  cycle?: string;
  cap?: CapKind;
  minPercent?: number;
  search?: string;
  sort: 'percent' | 'at' | 'spent' | 'party';
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

interface Context {
  db: Db;
  config: CycleConfig;
  catalog: PlanCatalog;
  now: number;
}

/** The cycle asked for (default: the current one); one with no billing data is refused, as the cycle list does not offer it. */
async function cycleOf(ctx: Context, key: string | undefined): Promise<BillCycle> {
  const current = cycleContaining(ctx.now, ctx.config);
  if (key === undefined || key === current.key) return current;
  const known = await ctx.db.selectFrom('billing_cycles').select('key').where('key', '=', key).executeTakeFirst();
  if (!known) {
    throw new ApiError('validation', `cycle: ${key} has no billing data (the current cycle is ${current.key})`, { field: 'cycle' });
  }
  return cycleByKey(key, ctx.config);
}

/** Fen waived by the caps per plan: gross less charged in the cycle's daily rollups (rent and adjustments count both alike). */
async function waivedByPlan(db: Db, cycle: BillCycle): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('rollup_charges')
    .select((eb) => ['plan_id', eb.fn.sum<number>(eb('gross', '-', eb.ref('charged'))).as('waived')])
    .where('day', '>=', cycle.startDay)
    .where('day', '<', cycle.endDay)
    .groupBy('plan_id')
    .execute();
  return new Map(rows.map((r) => [r.plan_id, Number(r.waived)]));
}

function capPlans(ctx: Context, cycle: BillCycle, waived: ReadonlyMap<string, number>): CapPlanInfo[] {
  const at = Math.min(ctx.now, cycle.end - 1);
  const plans: CapPlanInfo[] = [];
  for (const { plan } of ctx.catalog.values()) {
    const version = versionInForce(plan, at, ctx.config.timeZone);
    if (!version) continue;
    plans.push({
      planId: plan.id,
      name: plan.name,
      currency: plan.currency,
      version: version.number,
      usageCap: version.usageCap,
      totalCap: version.totalCap,
      thresholds: version.thresholds,
      waived: waived.get(plan.id) ?? 0,
    });
  }
  return plans;
}

async function summary(db: Db, cycle: BillCycle) {
  const counts = await db
    .selectFrom('threshold_events')
    .select((eb) => ['cap', 'percent', eb.fn.countAll<number>().as('n')])
    .where('cycle_key', '=', cycle.key)
    .groupBy(['cap', 'percent'])
    .orderBy('cap')
    .orderBy('percent')
    .execute();
  const tops = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('threshold_events')
        .select((inner) => inner.fn.max<number>('percent').as('top'))
        .where('cycle_key', '=', cycle.key)
        .groupBy('party')
        .as('p'),
    )
    .select((eb) => [
      eb.fn.countAll<number>().as('parties'),
      eb.fn.sum<number>(eb.case().when('top', '>=', 100).then(1).else(0).end()).as('capped'),
    ])
    .executeTakeFirstOrThrow();
  return {
    counts: counts.map((r) => ({ cap: r.cap as CapKind, percent: r.percent, subscribers: Number(r.n) })),
    capped: Number(tops.capped ?? 0),
    warned: Number(tops.parties) - Number(tops.capped ?? 0),
  };
}

const sortColumns = { percent: 'e.percent', at: 'e.at', spent: 'e.spent', party: 'e.party' } as const;

/** Each subscriber's highest threshold per cap (the event whose percent is the top of its party and cap), filtered and paged. */
async function highestEvents(db: Db, cycle: BillCycle, q: CappingQuery) {
  let base = db
    .selectFrom('threshold_events as e')
    .where('e.cycle_key', '=', cycle.key)
    .where((eb) =>
      eb(
        'e.percent',
        '=',
        eb
          .selectFrom('threshold_events as m')
          .select((m) => m.fn.max('m.percent').as('top'))
          .whereRef('m.cycle_key', '=', 'e.cycle_key')
          .whereRef('m.party', '=', 'e.party')
          .whereRef('m.cap', '=', 'e.cap'),
      ),
    );
  if (q.cap) base = base.where('e.cap', '=', q.cap);
  if (q.minPercent !== undefined) base = base.where('e.percent', '>=', q.minPercent);
  const digits = q.search?.replace(/\D/g, '');
  if (digits) base = base.where('e.party', 'like', `%${digits}%`);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('sms as s', 's.id', 'e.sms_id')
    .select(['e.party', 'e.cap', 'e.percent', 'e.limit_fen', 'e.spent', 'e.at', 'e.sms_id', 's.state'])
    .orderBy(sortColumns[q.sort], q.order)
    .orderBy('e.party')
    .orderBy('e.cap')
    .limit(q.pageSize)
    .offset(q.page * q.pageSize)
    .execute();
  return { rows, total: Number(n) };
}

/** Fen waived per party in the cycle, for a page's parties: their records by (party, at), each with its line by key. */
async function waivedByParty(db: Db, cycle: BillCycle, parties: readonly string[]): Promise<Map<string, number>> {
  if (!parties.length) return new Map();
  const rows = await db
    .selectFrom('usage_records as r')
    .innerJoin('usage_charges as c', 'c.record_id', 'r.id')
    .select((eb) => ['r.party', eb.fn.sum<number>(eb('c.gross', '-', eb.ref('c.amount'))).as('waived')])
    .where('r.party', 'in', parties)
    .where('r.at', '>=', cycle.start)
    .where('r.at', '<', cycle.end)
    .where('c.capped', '!=', 'none')
    .groupBy('r.party')
    .execute();
  return new Map(rows.map((r) => [r.party, Number(r.waived)]));
}

export async function cappingReport(ctx: Context, q: CappingQuery): Promise<CappingReport> {
  const cycle = await cycleOf(ctx, q.cycle);
  const waived = await waivedByPlan(ctx.db, cycle);
  const plans = capPlans(ctx, cycle, waived);
  const page = await highestEvents(ctx.db, cycle, q);
  const parties = [...new Set(page.rows.map((r) => r.party))];
  const partyWaived = await waivedByParty(ctx.db, cycle, parties);
  const assignments = await assignmentsOf(ctx.db, parties);
  const currencyOf = (planId: string | null) => (planId && ctx.catalog.get(planId)?.plan.currency) || defaultCurrency;
  const rows = page.rows.map((r): CappingRow => {
    const at = Number(r.at);
    const planId = assignments.get(r.party)?.find((a) => a.from_at <= at && (a.to_at === null || at < a.to_at))?.plan_id ?? null;
    return {
      party: r.party,
      planId,
      currency: currencyOf(planId),
      cap: r.cap as CapKind,
      percent: r.percent,
      limit: Number(r.limit_fen),
      spent: Number(r.spent),
      at,
      smsId: r.sms_id,
      smsState: r.state ?? null,
      waived: partyWaived.get(r.party) ?? 0,
    };
  });
  const totals = new Map<string, number>();
  for (const [planId, amount] of waived) totals.set(currencyOf(planId), (totals.get(currencyOf(planId)) ?? 0) + amount);
  return {
    cycle: await cycleInfo(ctx.db, ctx.config, cycle.key, ctx.now),
    plans,
    ...(await summary(ctx.db, cycle)),
    waived: [...totals].filter(([, amount]) => amount !== 0).map(([currency, amount]) => ({ currency, amount })),
    rows,
    total: page.total,
  };
}
