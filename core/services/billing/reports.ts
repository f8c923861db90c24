/**
 * Billing reports, read from the rollups only (a few rows per day), so each
 * answers in milliseconds whatever the number of records. Periods are local
 * days in the billing time zone, grouped by day, calendar month or bill cycle.
 */
import type { Kysely } from 'kysely';
import type {
  DReplyReport,
  MoneyTotal,
  ReportGranularity,
  RevenueReport,
  RevenueRow,
  SmsVolumeReport,
  SmsVolumeRow,
  SubscriberCountReport,
  SubscriberCountRow,
  TopSubscriberRow,
} from '../../api';
import { addDays, cycleContaining, daysBetween, defaultCurrency, startOfLocalDay, type CycleConfig } from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { dayOf } from './calendar';

type Db = Kysely<Schema>;

interface Period {
  from: string;
  to: string;
  granularity: ReportGranularity;
  planId?: string;
}

/** Every day of the period with the period label it falls in. */
function labels(q: Period, config: CycleConfig): Map<string, string> {
  const result = new Map<string, string>();
  const count = daysBetween(q.from, q.to) + 1;
  for (let i = 0; i < count; i++) {
    const day = addDays(q.from, i);
    const label =
      q.granularity === 'day'
        ? day
        : q.granularity === 'month'
          ? day.slice(0, 7)
          : cycleContaining(startOfLocalDay(day, config.timeZone), config).key;
    result.set(day, label);
  }
  return result;
}

/** How usage kinds (and rent and adjustments) add up to the services sold. */
export const serviceOfKind: Readonly<Record<string, string>> = {
  notification: 'missed-call-alert',
  'missed-detail': 'missed-call-alert',
  'missed-summary': 'missed-call-alert',
  'voice-message': 'voicemail',
  'manual-seat-message': 'manual-seat',
  'reachable-alert': 'reachable-alert',
  rent: 'monthly-rent',
  adjustment: 'adjustments',
};

function emptyTotal(currency: string): MoneyTotal {
  return { currency, records: 0, units: 0, gross: 0, charged: 0 };
}

export async function revenueReport(
  db: Db,
  config: CycleConfig,
  currencies: ReadonlyMap<string, string>,
  q: Period & { by: RevenueReport['by'] },
): Promise<RevenueReport> {
  let query = db.selectFrom('rollup_charges').selectAll().where('day', '>=', q.from).where('day', '<=', q.to);
  if (q.planId) query = query.where('plan_id', '=', q.planId);
  const rows = await query.execute();
  const periodOf = labels(q, config);
  const grouped = new Map<string, RevenueRow>();
  const totals = new Map<string, MoneyTotal>();
  for (const row of rows) {
    const currency = currencies.get(row.plan_id) ?? defaultCurrency;
    const key =
      q.by === 'total' ? 'all' : q.by === 'plan' ? row.plan_id : q.by === 'kind' ? row.kind : (serviceOfKind[row.kind] ?? 'other');
    const period = periodOf.get(row.day)!;
    const id = `${period}|${key}|${currency}`;
    let out = grouped.get(id);
    if (!out) grouped.set(id, (out = { period, key, ...emptyTotal(currency) }));
    let total = totals.get(currency);
    if (!total) totals.set(currency, (total = emptyTotal(currency)));
    for (const target of [out, total]) {
      target.records += Number(row.records);
      target.units += Number(row.units);
      target.gross += Number(row.gross);
      target.charged += Number(row.charged);
    }
  }
  const sorted = [...grouped.values()].sort((a, b) => (a.period + a.key < b.period + b.key ? -1 : 1));
  return { from: q.from, to: q.to, granularity: q.granularity, by: q.by, rows: sorted, totals: [...totals.values()] };
}

export async function subscriberReport(db: Db, config: CycleConfig, q: Period): Promise<SubscriberCountReport> {
  let before = db
    .selectFrom('rollup_subscribers')
    .select((eb) => [eb.fn.sum<number>('starts').as('starts'), eb.fn.sum<number>('ends').as('ends')])
    .where('day', '<', q.from);
  let within = db.selectFrom('rollup_subscribers').selectAll().where('day', '>=', q.from).where('day', '<=', q.to);
  if (q.planId) {
    before = before.where('plan_id', '=', q.planId);
    within = within.where('plan_id', '=', q.planId);
  }
  const base = await before.executeTakeFirstOrThrow();
  const byDay = new Map<string, { starts: number; ends: number; opened: number; closed: number }>();
  for (const row of await within.execute()) {
    const day = byDay.get(row.day) ?? { starts: 0, ends: 0, opened: 0, closed: 0 };
    day.starts += row.starts;
    day.ends += row.ends;
    day.opened += row.opened;
    day.closed += row.closed;
    byDay.set(row.day, day);
  }
  let active = Number(base.starts ?? 0) - Number(base.ends ?? 0);
  const rows = new Map<string, SubscriberCountRow>();
  for (const [day, period] of labels(q, config)) {
    const d = byDay.get(day);
    let row = rows.get(period);
    if (!row) rows.set(period, (row = { period, active, opened: 0, closed: 0, movedIn: 0, movedOut: 0 }));
    if (d) {
      active += d.starts - d.ends;
      row.opened += d.opened;
      row.closed += d.closed;
      row.movedIn += d.starts - d.opened;
      row.movedOut += d.ends - d.closed;
    }
    row.active = active;
  }
  return { from: q.from, to: q.to, granularity: q.granularity, rows: [...rows.values()] };
}

const hourMs = 3_600_000;

export async function smsReport(db: Db, config: CycleConfig, q: Period & { by: 'total' | 'kind' }): Promise<SmsVolumeReport> {
  const fromHour = Math.floor(startOfLocalDay(q.from, config.timeZone) / hourMs);
  const toHour = Math.floor(startOfLocalDay(addDays(q.to, 1), config.timeZone) / hourMs);
  const rows = await db
    .selectFrom('rollup_sms')
    .selectAll()
    .where('hour', '>=', fromHour)
    .where('hour', '<', toHour)
    .orderBy('hour')
    .execute();
  const periodOf = labels(q, config);
  const grouped = new Map<string, SmsVolumeRow>();
  let hint = cycleContaining(fromHour * hourMs, config);
  for (const row of rows) {
    const at = row.hour * hourMs;
    if (at >= hint.end) hint = cycleContaining(at, config);
    const period = periodOf.get(dayOf(at, config, hint))!;
    const kind = q.by === 'kind' ? row.kind : 'all';
    const id = `${period}|${kind}`;
    let out = grouped.get(id);
    if (!out) grouped.set(id, (out = { period, kind, queued: 0, submitted: 0, delivered: 0, failed: 0, expired: 0, deliveryRate: null }));
    out.queued += row.queued;
    out.submitted += row.submitted;
    out.delivered += row.delivered;
    out.failed += row.failed;
    out.expired += row.expired;
  }
  for (const row of grouped.values()) row.deliveryRate = row.submitted ? row.delivered / row.submitted : null;
  return { from: q.from, to: q.to, granularity: q.granularity, rows: [...grouped.values()] };
}

/** Summaries sent (free) against detail SMS sent in answer to D, from the usage rollup. */
export async function dReplyReport(db: Db, config: CycleConfig, q: Period): Promise<DReplyReport> {
  let query = db
    .selectFrom('rollup_charges')
    .select(['day', 'kind', 'records'])
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
    .where('kind', 'in', ['missed-summary', 'missed-detail']);
  if (q.planId) query = query.where('plan_id', '=', q.planId);
  const periodOf = labels(q, config);
  const rows = new Map<string, { period: string; summaries: number; details: number; conversion: number | null }>();
  for (const period of new Set(periodOf.values())) rows.set(period, { period, summaries: 0, details: 0, conversion: null });
  for (const row of await query.execute()) {
    const out = rows.get(periodOf.get(row.day)!)!;
    if (row.kind === 'missed-summary') out.summaries += row.records;
    else out.details += row.records;
  }
  for (const row of rows.values()) row.conversion = row.summaries ? row.details / row.summaries : null;
  return { from: q.from, to: q.to, granularity: q.granularity, rows: [...rows.values()] };
}

/**
 * From the frozen statements: one cycle walks its (cycle, total) index from the top (with a plan filter,
 * until enough of the plan's are found); a range of cycles adds up per subscriber.
 */
export async function topSubscribers(
  db: Db,
  q: { from: string; to?: string; planId?: string; limit: number },
): Promise<TopSubscriberRow[]> {
  const to = q.to ?? q.from;
  let query = db
    .selectFrom('statements')
    .select((eb) => [
      'party',
      eb.fn.max('plan_id').as('plan_id'),
      eb.fn.max('currency').as('currency'),
      eb.fn.countAll<number>().as('cycles'),
      eb.fn.sum<number>('rent').as('rent'),
      eb.fn.sum<number>('usage_charged').as('usage'),
      eb.fn.sum<number>('adjustments').as('adjustments'),
      eb.fn.sum<number>('total').as('total'),
    ])
    .where('cycle_key', '>=', q.from)
    .where('cycle_key', '<=', to);
  if (q.planId) query = query.where('plan_id', '=', q.planId);
  const rows =
    q.from === to
      ? await db
          .selectFrom('statements')
          .select(['party', 'plan_id', 'currency', 'rent', 'usage_charged as usage', 'adjustments', 'total'])
          .where('cycle_key', '=', q.from)
          .$if(q.planId !== undefined, (qb) => qb.where('plan_id', '=', q.planId!))
          .orderBy('total', 'desc')
          .limit(q.limit)
          .execute()
          .then((list) => list.map((r) => ({ ...r, cycles: 1 })))
      : await query.groupBy('party').orderBy('total', 'desc').orderBy('party').limit(q.limit).execute();
  return rows.map((r) => ({
    party: r.party,
    planId: (r.plan_id as string | null) ?? null,
    currency: (r.currency as string | null) ?? defaultCurrency,
    cycles: Number(r.cycles),
    rent: Number(r.rent),
    usage: Number(r.usage),
    adjustments: Number(r.adjustments),
    total: Number(r.total),
  }));
}
