/**
 * Which plan each subscriber is on, and since when: kept from the
 * subscriber's tariff code and service state by provisioning (every path —
 * console, network API, SMS commands, bulk import — goes through
 * provisionSubscriber), and filled in when a plan's first version is published.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { ApiError } from '../../api';
import {
  effectiveAt,
  tariffSpans,
  versionInForce,
  type BillCycle,
  type PlanAssignment,
  type TariffPlan,
  type TariffSpan,
} from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { chunks } from './bulk';
import { dayOf } from './calendar';
import { loadPlans } from './plans';
import { addSubscriberRollup } from './rollups';
import { cycleConfigOf, readBillingSettings } from './state';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface AssignmentRow {
  party: string;
  plan_id: string;
  version: number | null;
  from_at: number;
  to_at: number | null;
}

let generation = 0;
/** Bumped whenever an assignment or a plan changes: the rating job's caches of plan spans are then stale. */
export function assignmentsGeneration(): number {
  return generation;
}
export function assignmentsChanged(): void {
  generation++;
}

/**
 * Once any plan exists, a subscriber's tariff code must name one. Checked
 * only when the code changes, before anything is written, so subscribers
 * provisioned before billing was set up keep working.
 */
export async function checkTariffCode(trx: Db, previous: string | null | undefined, tariff: string | null): Promise<void> {
  if (!tariff || tariff === previous) return;
  const plans = await trx.selectFrom('tariff_plans').select('id').orderBy('id').execute();
  if (!plans.length || plans.some((p) => p.id === tariff)) return;
  const names = plans.map((p) => p.id);
  throw new ApiError(
    'validation',
    `tariff: there is no tariff plan "${tariff}"; use one of ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`,
    { field: 'tariff', params: { tariff } },
  );
}

function firstEffective(plan: TariffPlan, timeZone: string): number | null {
  const published = plan.versions.filter((v) => v.status === 'published').sort((a, b) => a.number - b.number);
  return published[0] ? effectiveAt(published[0], timeZone) : null;
}

/**
 * Brings a subscriber's plan assignment in line with their tariff code and
 * service, in the provisioning transaction. A plan change ends the old
 * assignment where the new one starts; a plan whose first version takes
 * effect later starts then (rent is never charged before a version exists).
 */
export async function syncPlanAssignment(
  trx: Transaction<Schema>,
  party: string,
  tariff: string | null,
  inService: boolean,
  at: number,
): Promise<void> {
  const open = await trx
    .selectFrom('plan_assignments')
    .select(['id', 'plan_id', 'from_at'])
    .where('party', '=', party)
    .where('to_at', 'is', null)
    .executeTakeFirst();
  const wantedId = inService ? tariff : null;
  if ((!open && !wantedId) || (open && open.plan_id === wantedId)) return;
  const plan = wantedId ? (await loadPlans(trx)).get(wantedId)?.plan : undefined;
  const settings = await readBillingSettings(trx);
  const firstAt = plan ? firstEffective(plan, settings.timeZone) : null;
  const start = firstAt === null ? null : Math.max(at, firstAt);
  // Nothing to end and nothing to start (no plan, or none published yet): nothing changes.
  if (!open && start === null) return;
  const config = cycleConfigOf(settings);
  if (open) {
    const end = Math.max(start ?? at, Number(open.from_at));
    await trx.updateTable('plan_assignments').set({ to_at: end }).where('id', '=', open.id).execute();
    await addSubscriberRollup(trx, dayOf(end, config), open.plan_id, { ends: 1, closed: start === null ? 1 : 0 });
  }
  if (plan && start !== null) {
    const version = plan.versionPolicy === 'grandfather' ? (versionInForce(plan, start, settings.timeZone)?.number ?? null) : null;
    await trx
      .insertInto('plan_assignments')
      .values({ party, plan_id: plan.id, version, from_at: start, to_at: null, created_at: at })
      .execute();
    await addSubscriberRollup(trx, dayOf(start, config), plan.id, { starts: 1, opened: open ? 0 : 1 });
  }
  assignmentsChanged();
}

/**
 * A plan's first published version: the subscribers already naming the plan
 * (and in service) join it from when that version takes effect. Returns how many.
 */
export async function backfillAssignments(trx: Transaction<Schema>, plan: TariffPlan, now: number): Promise<number> {
  const settings = await readBillingSettings(trx);
  const firstAt = firstEffective(plan, settings.timeZone);
  if (firstAt === null) return 0;
  const start = Math.max(now, firstAt);
  const version = plan.versionPolicy === 'grandfather' ? (versionInForce(plan, start, settings.timeZone)?.number ?? null) : null;
  const result = await trx
    .insertInto('plan_assignments')
    .columns(['party', 'plan_id', 'version', 'from_at', 'to_at', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('subscribers as s')
        .select([
          's.msisdn',
          sql.val(plan.id).as('plan_id'),
          sql.val(version).as('version'),
          sql.val(start).as('from_at'),
          sql.val(null).as('to_at'),
          sql.val(now).as('created_at'),
        ])
        .where('s.tariff', '=', plan.id)
        .where('s.state', '=', 'active')
        .where((w) => w.or([w('s.missed_call_alert', '=', 1), w('s.reachable_alert', '=', 1), w('s.voicemail', '=', 1)]))
        .where((w) =>
          w.not(
            w.exists(
              w.selectFrom('plan_assignments as a').select('a.id').whereRef('a.party', '=', 's.msisdn').where('a.to_at', 'is', null),
            ),
          ),
        ),
    )
    .executeTakeFirst();
  const joined = Number(result.numInsertedOrUpdatedRows ?? 0);
  if (joined) await addSubscriberRollup(trx, dayOf(start, cycleConfigOf(settings)), plan.id, { starts: joined, opened: joined });
  assignmentsChanged();
  return joined;
}

const assignmentColumns = ['party', 'plan_id', 'version', 'from_at', 'to_at'] as const;

function toRows(rows: { party: string; plan_id: string; version: number | null; from_at: number; to_at: number | null }[]) {
  const byParty = new Map<string, AssignmentRow[]>();
  for (const row of rows) {
    const list = byParty.get(row.party);
    const entry = { ...row, from_at: Number(row.from_at), to_at: row.to_at === null ? null : Number(row.to_at) };
    if (list) list.push(entry);
    else byParty.set(row.party, [entry]);
  }
  return byParty;
}

/** Every assignment of these parties (all time: first-month-free needs the first), by party, in time order. */
export async function assignmentsOf(db: Db, parties: readonly string[]): Promise<Map<string, AssignmentRow[]>> {
  const rows = [];
  for (const list of chunks(parties)) {
    rows.push(
      ...(await db
        .selectFrom('plan_assignments')
        .select(assignmentColumns)
        .where('party', 'in', list)
        .orderBy('party')
        .orderBy('from_at')
        .execute()),
    );
  }
  return toRows(rows);
}

/** Every assignment of the parties in (after, last] (last omitted: all after), for the scans by number. */
export async function assignmentsInRange(db: Db, after: string, last?: string): Promise<Map<string, AssignmentRow[]>> {
  let query = db.selectFrom('plan_assignments').select(assignmentColumns).where('party', '>', after);
  if (last !== undefined) query = query.where('party', '<=', last);
  return toRows(await query.orderBy('party').orderBy('from_at').execute());
}

/** Up to `limit` parties after `after`, in order, with time on a plan in the cycle. */
export async function partiesInCycle(db: Db, cycle: BillCycle, after: string, limit: number, planId?: string): Promise<string[]> {
  let query = db
    .selectFrom('plan_assignments')
    .select('party')
    .distinct()
    .where('party', '>', after)
    .where('from_at', '<', cycle.end)
    .where((w) => w.or([w('to_at', 'is', null), w('to_at', '>', cycle.start)]));
  if (planId) query = query.where('plan_id', '=', planId);
  const rows = await query.orderBy('party').limit(limit).execute();
  return rows.map((r) => r.party);
}

export interface PlanTime {
  spans: TariffSpan[];
  firstOpenedAt: number | null;
}

/** A party's spans in a cycle and first opening, from their assignments; throws (ApiError) when a plan cannot apply. */
export function planTimeOf(rows: readonly AssignmentRow[], plans: ReadonlyMap<string, TariffPlan>, cycle: BillCycle): PlanTime {
  const assignments: PlanAssignment[] = rows.map((r) => ({ planId: r.plan_id, from: r.from_at, to: r.to_at, version: r.version }));
  return { spans: tariffSpans(assignments, plans, cycle), firstOpenedAt: rows.length ? Math.min(...rows.map((r) => r.from_at)) : null };
}
