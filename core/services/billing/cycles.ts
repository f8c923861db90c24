/**
 * Bill cycles: the list with their totals, and the close. The close rates the
 * cycle's usage once more through chargeCycle (as the statement preview and
 * the what-if do), writes the lines that differ, and freezes one statement
 * per subscriber; it runs in batches of subscribers, one transaction each,
 * and resumes where it stopped if the core stopped during it.
 */
import type { Kysely, Transaction } from 'kysely';
import { ApiError, type BillingCycleInfo, type CycleStatus } from '../../api';
import {
  cycleByKey,
  cycleContaining,
  type Adjustment,
  type BillCycle,
  type CycleConfig,
  type RentLine,
  type TariffPlan,
  type TariffSpan,
  type UsageCharge,
} from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { assignmentsInRange, partiesInCycle, planTimeOf } from './assignments';
import { insertRows } from './bulk';
import { dayOf } from './calendar';
import { CycleImage } from './image';
import { changedLines, recordsWithCharges, writeUsageCharges } from './lines';
import type { RatedParty } from './rating';
import { ChargeRollup } from './rollups';
import { adjustmentOf, chargeStatement, insertCycleRow, type StatementLines } from './rows';

type Db = Kysely<Schema> | Transaction<Schema>;

const closeBatch = 2_000;

type CycleRow = Schema['billing_cycles'] extends infer T ? { [K in keyof T]: T[K] } : never;

function toInfo(cycle: BillCycle, row: CycleRow | undefined, later: number, now: number): BillingCycleInfo {
  const status = (row?.status ?? 'open') as CycleStatus;
  return {
    key: cycle.key,
    start: cycle.start,
    end: cycle.end,
    startDay: cycle.startDay,
    endDay: cycle.endDay,
    status,
    canClose: status !== 'closed' && now >= cycle.end,
    closedAt: row?.closed_at == null ? null : Number(row.closed_at),
    closedBy: row?.closed_by ?? null,
    statements: Number(row?.statements ?? 0),
    rent: Number(row?.rent ?? 0),
    usage: Number(row?.usage ?? 0),
    adjustments: Number(row?.adjustments ?? 0),
    total: Number(row?.total ?? 0),
    laterAdjustments: later,
    unbilledRecords: Number(row?.unbilled_records ?? 0),
  };
}

async function laterAdjustments(db: Db, key?: string): Promise<Map<string, number>> {
  let query = db
    .selectFrom('adjustments')
    .select((eb) => ['cycle_key', eb.fn.sum<number>('amount').as('total')])
    .where('after_close', '=', 1);
  if (key) query = query.where('cycle_key', '=', key);
  const rows = await query.groupBy('cycle_key').execute();
  return new Map(rows.map((r) => [r.cycle_key, Number(r.total)]));
}

/** Every cycle with billing data, and the current one, newest first. */
export async function listCycles(db: Db, config: CycleConfig, now: number): Promise<BillingCycleInfo[]> {
  const rows = await db.selectFrom('billing_cycles').selectAll().execute();
  const later = await laterAdjustments(db);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const keys = new Set([...byKey.keys(), cycleContaining(now, config).key]);
  return [...keys]
    .sort()
    .reverse()
    .map((key) => toInfo(cycleByKey(key, config), byKey.get(key), later.get(key) ?? 0, now));
}

export async function cycleInfo(db: Db, config: CycleConfig, key: string, now: number): Promise<BillingCycleInfo> {
  const row = await db.selectFrom('billing_cycles').selectAll().where('key', '=', key).executeTakeFirst();
  return toInfo(cycleByKey(key, config), row, (await laterAdjustments(db, key)).get(key) ?? 0, now);
}

/** Rent counts on the first day of its span within the cycle. */
export function countRent(rollup: ChargeRollup, lines: readonly RentLine[], config: CycleConfig, cycle: BillCycle): void {
  for (const line of lines)
    rollup.add(dayOf(Math.max(line.from, cycle.start), config, cycle), line.planId, 'rent', 1, line.days, line.amount, line.amount);
}

export interface CloseContext {
  db: Kysely<Schema>;
  write: <T>(fn: (trx: Transaction<Schema>) => Promise<T>) => Promise<T>;
  config: CycleConfig;
  plans: ReadonlyMap<string, TariffPlan>;
  now: number;
  operator: string;
  logger: { warn(message: string, fields?: Record<string, unknown>): void };
  /** Told after each batch; throws to stop the job there (the core is stopping). */
  progress?: (done: number) => void;
  /** The rating job's known states of the cycle (the close): their subscribers' stored lines need not be read. */
  rated?: ReadonlyMap<string, RatedParty>;
}

/** Read every stored line (one scan) when more than this share of the records is not vouched for by a rating state. */
const scanLinesFrom = 0.1;

/** The parties whose stored lines are the rating of all their records in the image (same count, same last record). */
function vouchedParties(image: CycleImage, rated: ReadonlyMap<string, RatedParty> | undefined): Set<string> {
  const vouched = new Set<string>();
  if (!rated) return vouched;
  for (const party of image.parties()) {
    const known = rated.get(party);
    const last = known?.state?.last;
    const mine = image.lastOf(party);
    if (known && last && mine && known.records === image.count(party) && last.at === mine.at && last.id === mine.id) vouched.add(party);
  }
  return vouched;
}

/** Whether the rating state was made with these spans and rent, as the close rates. */
function sameRating(known: RatedParty, spans: readonly TariffSpan[], rent: number): boolean {
  return (
    known.rent === rent &&
    known.spans.length === spans.length &&
    known.spans.every((span, i) => {
      const other = spans[i]!;
      return (
        span.planId === other.planId &&
        span.currency === other.currency &&
        span.version.number === other.version.number &&
        span.from === other.from &&
        span.to === other.to
      );
    })
  );
}

/** Refuses a cycle that cannot be closed now, with the reason. */
export async function checkClosable(db: Db, config: CycleConfig, key: string, now: number): Promise<BillCycle> {
  const cycle = cycleByKey(key, config);
  const row = await db.selectFrom('billing_cycles').select(['status', 'closed_at', 'closed_by']).where('key', '=', key).executeTakeFirst();
  if (row?.status === 'closed') {
    const when = new Date(Number(row.closed_at)).toISOString().replace('T', ' ').slice(0, 16);
    throw new ApiError(
      'conflict',
      `Cycle ${key} was closed on ${when} UTC by ${row.closed_by}; a closed cycle is never closed again: correct it with a rerate or an adjustment`,
      { field: 'cycle', params: { cycle: key } },
    );
  }
  if (now < cycle.end) {
    throw new ApiError('validation', `Cycle ${key} runs until ${cycle.endDay} 00:00 (${config.timeZone}); it can be closed from then`, {
      field: 'cycle',
      params: { cycle: key, endDay: cycle.endDay },
    });
  }
  return cycle;
}

/** Closes (or resumes closing) an ended cycle: one frozen statement per subscriber with time on a plan in it. */
export async function closeCycle(ctx: CloseContext, cycle: BillCycle): Promise<void> {
  let progress = await ctx.write(async (trx) => {
    const row = await trx.selectFrom('billing_cycles').select(['status', 'close_progress']).where('key', '=', cycle.key).executeTakeFirst();
    if (row?.status === 'closing') return row.close_progress ?? '';
    const fields = { status: 'closing', close_started_at: ctx.now, close_progress: '' };
    if (row) await trx.updateTable('billing_cycles').set(fields).where('key', '=', cycle.key).execute();
    else await insertCycleRow(trx, cycle, fields);
    return '';
  });
  // Nothing rates a closing cycle, so its records and lines hold still while the image is read.
  const image = await CycleImage.load(ctx.db, cycle, undefined, { lines: false });
  const vouched = vouchedParties(image, ctx.rated);
  let unvouched = 0;
  for (const party of image.parties()) if (!vouched.has(party)) unvouched += image.count(party);
  if (unvouched > image.records * scanLinesFrom) {
    vouched.clear();
    await image.loadLines(ctx.db);
  }
  let done = 0;
  for (;;) {
    const parties = await partiesInCycle(ctx.db, cycle, progress, closeBatch);
    if (!parties.length) break;
    const after = progress;
    const last = parties[parties.length - 1]!;
    done += await ctx.write((trx) => closeBatchOf(trx, ctx, cycle, image, vouched, parties, after, last));
    progress = last;
    ctx.progress?.(done);
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Records after the last subscriber's number belong to no plan: counted, not billed.
  const rest = image.partiesIn(progress).reduce((sum, party) => sum + image.count(party), 0);
  await ctx.write((trx) =>
    trx
      .updateTable('billing_cycles')
      .set((eb) => ({
        status: 'closed',
        closed_at: ctx.now,
        closed_by: ctx.operator,
        close_progress: null,
        unbilled_records: eb('unbilled_records', '+', rest),
      }))
      .where('key', '=', cycle.key)
      .execute(),
  );
}

const statementColumns = [
  'cycle_key',
  'party',
  'plan_id',
  'currency',
  'rent',
  'usage_gross',
  'usage_charged',
  'cap_waived',
  'adjustments',
  'total',
  'records',
  'lines_json',
  'closed_at',
] as const;

async function closeBatchOf(
  trx: Transaction<Schema>,
  ctx: CloseContext,
  cycle: BillCycle,
  image: CycleImage,
  vouched: ReadonlySet<string>,
  parties: readonly string[],
  after: string,
  last: string,
): Promise<number> {
  const { config } = ctx;
  const [assignments, adjustmentRows] = await Promise.all([
    assignmentsInRange(trx, after, last),
    trx
      .selectFrom('adjustments')
      .selectAll()
      .where('cycle_key', '=', cycle.key)
      .where('party', '>', after)
      .where('party', '<=', last)
      .execute(),
  ]);
  const adjustments = new Map<string, Adjustment[]>();
  for (const row of adjustmentRows) {
    const list = adjustments.get(row.party) ?? [];
    list.push(adjustmentOf(row));
    adjustments.set(row.party, list);
  }
  const rollup = new ChargeRollup();
  const writes = [];
  /** Charges to compare with stored lines read by party (neither vouched for nor in the image). */
  const unread = new Map<string, UsageCharge[]>();
  const statements: (string | number | null | Uint8Array)[][] = [];
  const sums = { rent: 0, usage: 0, adjustments: 0, total: 0, unbilled: 0 };
  const billed = new Set<string>();
  for (const party of parties) {
    const rows = image.usage(party);
    let plan;
    try {
      plan = planTimeOf(assignments.get(party) ?? [], ctx.plans, cycle);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      ctx.logger.warn('subscriber not billed: plan time invalid', { party, cycle: cycle.key, error: error.message });
      continue;
    }
    if (!plan.spans.length) continue;
    billed.add(party);
    const { charges, statement } = chargeStatement(
      { party, cycle, spans: plan.spans, records: rows, firstOpenedAt: plan.firstOpenedAt },
      adjustments.get(party) ?? [],
    );
    const known = vouched.has(party) ? ctx.rated!.get(party)! : null;
    if (known && sameRating(known, plan.spans, charges.rentTotal)) {
      // Rated by the job with the same spans and rent: the stored lines are these charges.
    } else if (image.hasLines) writes.push(...image.changed(party, charges.usage.charges, rollup, config));
    else unread.set(party, charges.usage.charges);
    countRent(rollup, charges.rent, config, cycle);
    const lines: StatementLines = { rent: statement.rent.lines, byKind: statement.usage.byKind, adjustments: statement.adjustments.lines };
    statements.push([
      cycle.key,
      party,
      plan.spans[plan.spans.length - 1]!.planId,
      statement.currency,
      statement.rent.total,
      statement.usage.gross,
      statement.usage.charged,
      statement.capWaived,
      statement.adjustments.total,
      statement.total,
      statement.usage.records,
      Buffer.from(JSON.stringify(lines)),
      ctx.now,
    ]);
    sums.rent += statement.rent.total;
    sums.usage += statement.usage.charged;
    sums.adjustments += statement.adjustments.total;
    sums.total += statement.total;
  }
  for (const party of image.partiesIn(after, last)) if (!billed.has(party)) sums.unbilled += image.count(party);
  if (unread.size) {
    const stored = await recordsWithCharges(trx, { cycle, parties: [...unread.keys()] });
    for (const [party, charges] of unread) writes.push(...changedLines(stored.get(party) ?? [], charges, rollup, config, cycle));
  }
  await writeUsageCharges(trx, cycle.key, writes);
  await insertRows(trx, 'statements', statementColumns, statements, 'on conflict do nothing', ['lines_json']);
  await rollup.flush(trx);
  await trx
    .updateTable('billing_cycles')
    .set((eb) => ({
      close_progress: last,
      statements: eb('statements', '+', statements.length),
      rent: eb('rent', '+', sums.rent),
      usage: eb('usage', '+', sums.usage),
      adjustments: eb('adjustments', '+', sums.adjustments),
      total: eb('total', '+', sums.total),
      unbilled_records: eb('unbilled_records', '+', sums.unbilled),
    }))
    .where('key', '=', cycle.key)
    .execute();
  return parties.length;
}
