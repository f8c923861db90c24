/**
 * The rating job: usage records → charge lines, incrementally and
 * idempotently, up to a watermark (the last record id taken).
 *
 * - New records come in chunks by id, one transaction each. Per subscriber
 *   and open cycle the job continues the subscriber's rating state (records
 *   in order, same plan time) or rates the cycle so far again from its start
 *   and writes only the lines that differ: after a plan change, a late
 *   record, or when the state is not in memory (it is never stored: the
 *   stored lines are the truth, and rating them again gives it back).
 * - A large backlog (a first run, a long stop) is rated by subscriber instead:
 *   each subscriber's records of the cycle at once, in ranges of numbers.
 *
 * Reached cap thresholds are recorded once each and send the free warning SMS.
 */
import type { Kysely, Transaction } from 'kysely';
import { ApiError, type BillingSettings, type RatingRun, type RatingSkipCode } from '../../api';
import {
  cycleContaining,
  formatMoney,
  nextCycle,
  prorateRent,
  rate,
  type BillCycle,
  type RatingResult,
  type RatingState,
  type TariffPlan,
  type TariffSpan,
  type ThresholdEvent,
  type UsageCharge,
} from '../../domain/billing';
import { renderTemplate } from '../../domain/sms-templates';
import type { Schema } from '../../store/schema';
import { rulesOf, type EngineDeps } from '../engine/deps';
import { enqueueSms } from '../engine/sms-queue';
import { assignmentsGeneration, assignmentsInRange, assignmentsOf, planTimeOf, type AssignmentRow } from './assignments';
import { chunks, insertRows } from './bulk';
import { CycleImage } from './image';
import {
  changedLines,
  countNewLines,
  recordsWithCharges,
  writeChargeValues,
  writeUsageCharges,
  type RecordRow,
  type UsageRow,
} from './lines';
import { domainPlans, loadPlans } from './plans';
import { ChargeRollup } from './rollups';
import { insertCycleRow } from './rows';
import { cycleConfigOf, readWatermark, saveWatermark } from './state';

type Trx = Transaction<Schema>;

const chunkSize = 50_000;
/** From this many records behind, rate by subscriber: each one's records at once, far fewer calls per record. */
const backlogRecords = 500_000;
/** Subscribers rated per step of the backlog pass, and lines per transaction writing them. */
const backlogParties = 5_000;
const backlogWrites = 100_000;
/** Subscribers whose state is kept in memory; past this the cache starts over (states are rebuilt from the stored lines). */
const maxCached = 1_500_000;

/** A subscriber's plan time in a cycle, and the rating state after their stored lines (null until known). */
interface PartyCycle {
  spans: TariffSpan[];
  rent: number;
  currency: string;
  state: RatingState | null;
  /** How many of the cycle's records the state covers. */
  records: number;
}

/** What the job knows of a subscriber's stored lines in a cycle: those of rating `records` records up to `state.last`. */
export type RatedParty = Readonly<PartyCycle>;

interface ThresholdItem {
  party: string;
  cycle: BillCycle;
  currency: string;
  event: ThresholdEvent;
}

/** What one transaction of rating did and has to write. */
class Pass {
  readonly rollup = new ChargeRollup();
  readonly writes = new Map<string, UsageCharge[]>();
  readonly events: ThresholdItem[] = [];
  /**
   * States (and the records they cover) to cache once the transaction is durable: side by side, not a tuple each,
   * since a backlog pass holds a million of them until its last transaction.
   */
  readonly entries: PartyCycle[] = [];
  readonly states: RatingState[] = [];
  readonly stateRecords: number[] = [];
  records = 0;
  parties = 0;
  charged = 0;
  rerated = 0;
  thresholds = 0;
  warnings = 0;
  late = 0;
  readonly skipped = new Map<string, Skip>();

  write(cycle: BillCycle, lines: readonly UsageCharge[]): void {
    const list = this.writes.get(cycle.key);
    if (list) for (const line of lines) list.push(line);
    else this.writes.set(cycle.key, [...lines]);
  }

  /**
   * Counts the lines of the records this pass took (a cycle rated from its start has others too);
   * `before`: the records the state was resumed from covered.
   */
  took(entry: PartyCycle, party: string, cycle: BillCycle, result: RatingResult, taken: readonly UsageCharge[], before = 0): void {
    this.entries.push(entry);
    this.states.push(result.state);
    this.stateRecords.push(before + result.charges.length);
    this.records += taken.length;
    this.parties += 1;
    for (const line of taken) this.charged += line.amount;
    for (const event of result.thresholds) this.events.push({ party, cycle, currency: entry.currency, event });
  }

  skip(party: string, records: number, code: RatingSkipCode, reason: string): void {
    addSkip(this.skipped, party, { records, code, reason });
  }
}

/** A number's records left unrated in a run, and why. */
type Skip = Omit<RatingRun['skipped'][number], 'party'>;

/** Counts a number's skipped records once more, with the latest reason. */
function addSkip(skipped: Map<string, Skip>, party: string, entry: Skip): void {
  skipped.set(party, { ...entry, records: (skipped.get(party)?.records ?? 0) + entry.records });
}

/** Records to rate, by cycle and then by party. */
type Groups = Map<string, { cycle: BillCycle; parties: Map<string, UsageRow[]> }>;

const recordColumns = ['id', 'party', 'kind', 'chargeable', 'quantity', 'at'] as const;

function emptyRun(): RatingRun {
  return {
    records: 0,
    parties: 0,
    charged: 0,
    reratedParties: 0,
    thresholds: 0,
    warningsSent: 0,
    lateRecords: 0,
    skipped: [],
    ratedThrough: 0,
  };
}

function addPass(run: RatingRun, pass: Pass, skipped: Map<string, Skip>): void {
  run.records += pass.records;
  run.parties += pass.parties;
  run.charged += pass.charged;
  run.reratedParties += pass.rerated;
  run.thresholds += pass.thresholds;
  run.warningsSent += pass.warnings;
  run.lateRecords += pass.late;
  for (const [party, entry] of pass.skipped) addSkip(skipped, party, entry);
}

/** Ensures a row for each cycle being rated; returns the status of each. */
async function cycleStatuses(trx: Trx, cycles: BillCycle[]): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom('billing_cycles')
    .select(['key', 'status'])
    .where(
      'key',
      'in',
      cycles.map((c) => c.key),
    )
    .execute();
  const statuses = new Map(rows.map((r) => [r.key, r.status]));
  for (const cycle of cycles) {
    if (statuses.has(cycle.key)) continue;
    await insertCycleRow(trx, cycle);
    statuses.set(cycle.key, 'open');
  }
  return statuses;
}

export class RatingJob {
  /** Records behind from which a run rates by subscriber (tests lower it). */
  backlogFrom = backlogRecords;
  private readonly cache = new Map<string, Map<string, PartyCycle>>();
  private readonly planTimeMemo = new Map<string, { spans: TariffSpan[]; rent: number }>();
  private cached = 0;
  private generation = -1;
  private plans: Map<string, TariffPlan> = new Map();

  constructor(
    private readonly deps: EngineDeps,
    private readonly settings: () => BillingSettings,
    /** Throws when the core is stopping; called between transactions. */
    private readonly checkStopping: () => void = () => undefined,
  ) {}

  /** The subscribers of a cycle whose rating state is known (their stored lines are that rating's), by party. */
  ratedParties(cycle: BillCycle): ReadonlyMap<string, RatedParty> {
    return this.cycleCache(cycle);
  }

  /**
   * A subscriber's spans and rent in a cycle, worked out once per plan time (the same plans, versions and dates):
   * nearly every subscriber shares one (the whole cycle on one version), so a million cached subscribers hold one
   * spans array between them, and the spans and rent are not worked out again for each.
   */
  private planTime(rows: readonly AssignmentRow[], cycle: BillCycle, party: string): { spans: TariffSpan[]; rent: number } {
    const key = `${cycle.key};${rows.map((r) => `${r.plan_id}|${r.version}|${r.from_at}|${r.to_at}`).join(';')}`;
    let known = this.planTimeMemo.get(key);
    if (!known) {
      const { spans, firstOpenedAt } = planTimeOf(rows, this.plans, cycle);
      const rent = spans.length ? prorateRent({ party, cycle, spans, firstOpenedAt }).reduce((sum, line) => sum + line.amount, 0) : 0;
      this.planTimeMemo.set(key, (known = { spans, rent }));
    }
    return known;
  }

  /** Forget every cached state (plans or assignments changed, or a cycle was closed). */
  invalidate(): void {
    this.planTimeMemo.clear();
    this.cache.clear();
    this.cached = 0;
    this.generation = -1;
  }

  private async refresh(): Promise<void> {
    if (this.generation === assignmentsGeneration()) return;
    this.invalidate();
    this.generation = assignmentsGeneration();
    this.plans = domainPlans(await loadPlans(this.deps.store.db));
  }

  private cycleCache(cycle: BillCycle): Map<string, PartyCycle> {
    let map = this.cache.get(cycle.key);
    if (!map) this.cache.set(cycle.key, (map = new Map()));
    return map;
  }

  /** Rates every record after the watermark. */
  async run(): Promise<RatingRun> {
    const run = emptyRun();
    const skipped = new Map<string, Skip>();
    const db = this.deps.store.db;
    for (;;) {
      await this.refresh();
      const watermark = await readWatermark(db);
      run.ratedThrough = watermark;
      const newest = Number(
        (
          await db
            .selectFrom('usage_records')
            .select((eb) => eb.fn.max('id').as('id'))
            .executeTakeFirst()
        )?.id ?? 0,
      );
      if (newest <= watermark) break;
      const passes = newest - watermark >= this.backlogFrom ? this.rateBacklog(watermark, newest) : this.rateNextChunk(watermark);
      for await (const pass of passes) {
        addPass(run, pass, skipped);
        if (pass.warnings) this.deps.smsQueued();
        this.checkStopping();
        // Let the console and the network in between transactions.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    run.skipped = [...skipped]
      .filter(([, entry]) => entry.records > 0)
      .map(([party, entry]) => ({ party, ...entry }))
      .slice(0, 100);
    return run;
  }

  private async *rateNextChunk(watermark: number): AsyncGenerator<Pass> {
    const records = await this.deps.store.db
      .selectFrom('usage_records')
      .select(recordColumns)
      .where('id', '>', watermark)
      .orderBy('id')
      .limit(chunkSize)
      .execute();
    const last = records[records.length - 1]!.id;
    const config = cycleConfigOf(this.settings());
    // Grouped by cycle, then party; records come in id order, which is nearly time order, so the cycle rarely changes.
    const groups: Groups = new Map();
    let current: BillCycle | null = null;
    for (const record of records) {
      if (!current || record.at < current.start || record.at >= current.end) current = cycleContaining(record.at, config);
      let group = groups.get(current.key);
      if (!group) groups.set(current.key, (group = { cycle: current, parties: new Map() }));
      const list = group.parties.get(record.party);
      if (list) list.push(record);
      else group.parties.set(record.party, [record]);
    }
    yield await this.transaction(async (trx, pass) => {
      await this.rateGroups(trx, pass, groups, last, false);
      await saveWatermark(trx, last, this.deps.clock.now());
    });
  }

  /** The backlog by subscriber: per cycle every subscriber's records up to `newest`, rated from the cycle's start. */
  private async *rateBacklog(watermark: number, newest: number): AsyncGenerator<Pass> {
    const db = this.deps.store.db;
    const config = cycleConfigOf(this.settings());
    const span = await db
      .selectFrom('usage_records')
      .select((eb) => [eb.fn.min('at').as('first'), eb.fn.max('at').as('last')])
      .where('id', '>', watermark)
      .where('id', '<=', newest)
      .executeTakeFirstOrThrow();
    const cycles: BillCycle[] = [];
    for (let cycle = cycleContaining(Number(span.first), config); cycle.start <= Number(span.last); cycle = nextCycle(cycle))
      cycles.push(cycle);
    for (const cycle of cycles) {
      const status = (await this.deps.store.write((trx) => cycleStatuses(trx, [cycle]))).get(cycle.key);
      if (status !== 'open') {
        const late = await db
          .selectFrom('usage_records')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('id', '>', watermark)
          .where('id', '<=', newest)
          .where('at', '>=', cycle.start)
          .where('at', '<', cycle.end)
          .executeTakeFirstOrThrow();
        const pass = new Pass();
        pass.late = Number(late.n);
        yield pass;
        continue;
      }
      // Rated in memory first, then written in id order: lines written subscriber by subscriber would land all over the table.
      const image = await CycleImage.load(db, cycle, newest);
      const parties = image.parties();
      const cache = this.cycleCache(cycle);
      const rated = new Pass();
      for (let start = 0; start < parties.length; start += backlogParties) {
        const batch = parties.slice(start, start + backlogParties);
        const assigned = await assignmentsInRange(db, start === 0 ? '' : parties[start - 1]!, batch[batch.length - 1]);
        const counts = new Map(batch.map((party) => [party, image.countAfter(party, watermark)]));
        const entries = await this.planTimes(db, rated, cycle, counts, assigned, new Map());
        for (const [party, entry] of entries) {
          // Each party's records as objects only while it is rated: kept for the batch, they outlived the young generation.
          const result = rate(image.usage(party), { party, cycle, spans: entry.spans, rent: entry.rent });
          image.stage(party, result.charges);
          rated.took(
            entry,
            party,
            cycle,
            result,
            result.charges.filter((line) => line.recordId > watermark),
          );
          rated.rerated += 1;
          cache.set(party, entry);
        }
        this.cached += entries.size;
        await new Promise((resolve) => setImmediate(resolve));
        this.checkStopping();
      }
      // Two transactions in flight: the next one is built and run while the last one's journal record is fsynced.
      let previous: Promise<Pass> | null = null;
      for (const { statements, rollup } of image.stagedBatches(backlogWrites, config)) {
        const current = this.transaction(async (trx) => {
          for (const values of statements) await writeChargeValues(trx, values);
          await rollup.flush(trx);
        });
        current.catch(() => undefined); // awaited below; a failure of the one before must not leave it unhandled
        if (previous) yield await previous;
        previous = current;
      }
      if (previous) yield await previous;
      // The counts, the thresholds (and their SMS) and the states once every line is written.
      yield await this.transaction(async () => undefined, rated);
    }
    yield await this.transaction(async (trx) => saveWatermark(trx, newest, this.deps.clock.now()));
  }

  /** One durable transaction of rating: the lines, rollups and thresholds a pass collected are written with it. */
  private async transaction(fn: (trx: Trx, pass: Pass) => Promise<void>, pass = new Pass()): Promise<Pass> {
    await this.deps.store.write(async (trx) => {
      await fn(trx, pass);
      for (const [key, lines] of pass.writes) await writeUsageCharges(trx, key, lines);
      await pass.rollup.flush(trx);
      await this.thresholdEvents(trx, pass);
    });
    if (this.cached > maxCached) this.invalidate();
    pass.entries.forEach((entry, i) => {
      entry.state = pass.states[i]!;
      entry.records = pass.stateRecords[i]!;
    });
    return pass;
  }

  /**
   * Rates records by cycle and party, continuing cached states where the
   * records follow them. Records up to maxId are read back for a subscriber
   * rated from the cycle's start: always with `whole`.
   */
  private async rateGroups(trx: Trx, pass: Pass, groups: Groups, maxId: number, whole: boolean): Promise<void> {
    const statuses = await cycleStatuses(
      trx,
      [...groups.values()].map((g) => g.cycle),
    );
    for (const { cycle, parties } of groups.values()) {
      if (statuses.get(cycle.key) !== 'open') {
        for (const list of parties.values()) pass.late += list.length;
        continue;
      }
      const cache = this.cycleCache(cycle);
      const missing = [...parties.keys()].filter((p) => !cache.has(p));
      if (missing.length) {
        const counts = new Map([...parties].map(([party, list]) => [party, list.length]));
        const known = await this.planTimes(trx, pass, cycle, counts, await assignmentsOf(trx, missing), cache);
        for (const [party, entry] of known) cache.set(party, entry);
        this.cached += known.size;
      }
      const fromStart: string[] = [];
      for (const [party, list] of parties) {
        const entry = cache.get(party);
        if (!entry) continue;
        const first = list[0];
        const last = entry.state?.last;
        const inOrder = first && last && (first.at > last.at || (first.at === last.at && first.id > last.id));
        if (whole || !inOrder) {
          fromStart.push(party);
          continue;
        }
        const result = rate(list, { party, cycle, spans: entry.spans, rent: entry.rent, resume: entry.state });
        countNewLines(result.charges, pass.rollup, cycleConfigOf(this.settings()), cycle);
        pass.write(cycle, result.charges);
        pass.took(entry, party, cycle, result, result.charges, entry.records);
      }
      if (!fromStart.length) continue;
      const stored = await recordsWithCharges(trx, { cycle, parties: fromStart, maxId });
      for (const party of fromStart) {
        const taken = new Set(parties.get(party)!.map((r) => r.id));
        this.rateFromStart(pass, cycle, party, cache.get(party)!, stored.get(party) ?? [], taken);
      }
    }
  }

  /** Rates a subscriber's records of the cycle from its start, keeping the lines that differ from the stored ones. */
  private rateFromStart(
    pass: Pass,
    cycle: BillCycle,
    party: string,
    entry: PartyCycle,
    rows: RecordRow[],
    taken?: ReadonlySet<number>,
  ): void {
    const result = rate(rows, { party, cycle, spans: entry.spans, rent: entry.rent });
    pass.write(cycle, changedLines(rows, result.charges, pass.rollup, cycleConfigOf(this.settings()), cycle));
    pass.took(entry, party, cycle, result, taken ? result.charges.filter((c) => taken.has(c.recordId)) : result.charges);
    pass.rerated += 1;
  }

  /** The plan time of each party with records; parties without one are skipped, with the reason. */
  private async planTimes(
    trx: Trx | Kysely<Schema>,
    pass: Pass,
    cycle: BillCycle,
    /** The parties, each with the number of its records this run takes (reported when it is skipped). */
    records: Map<string, number>,
    assignments: Map<string, AssignmentRow[]>,
    cached: Map<string, PartyCycle>,
  ): Promise<Map<string, PartyCycle>> {
    const known = new Map<string, PartyCycle>();
    const unassigned = [...records.keys()].filter((p) => !assignments.has(p) && !cached.has(p));
    const subscribers = new Set<string>();
    for (const list of chunks(unassigned)) {
      for (const row of await trx.selectFrom('subscribers').select('msisdn').where('msisdn', 'in', list).execute())
        subscribers.add(row.msisdn);
    }
    for (const [party, count] of records) {
      if (cached.has(party)) continue;
      const rows = assignments.get(party);
      if (!rows) {
        if (subscribers.has(party))
          pass.skip(party, count, 'no-plan', 'no tariff plan (the subscriber names none, or its plan has no published version)');
        else pass.skip(party, count, 'not-a-subscriber', 'not a subscriber');
        continue;
      }
      try {
        const { spans, rent } = this.planTime(rows, cycle, party);
        if (!spans.length) {
          pass.skip(party, count, 'no-plan-in-cycle', `no tariff plan in cycle ${cycle.key}`);
          continue;
        }
        known.set(party, { spans, rent, currency: spans[0]!.currency, state: null, records: 0 });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        pass.skip(party, count, 'plan-time-invalid', error.message);
      }
    }
    return known;
  }

  /**
   * Rates one subscriber's unrated records, and their open cycle now, again
   * from the start. A number that is no subscriber, or has no plan, is refused
   * with nothing saved.
   */
  async rateParty(party: string): Promise<RatingRun> {
    await this.refresh();
    const db = this.deps.store.db;
    const [subscriber, assignments, unrated] = await Promise.all([
      db.selectFrom('subscribers').select('msisdn').where('msisdn', '=', party).executeTakeFirst(),
      assignmentsOf(db, [party]),
      db
        .selectFrom('usage_records as r')
        .leftJoin('usage_charges as c', 'c.record_id', 'r.id')
        .select(['r.id', 'r.at'])
        .where('r.party', '=', party)
        .where('c.record_id', 'is', null)
        .orderBy('r.id')
        .execute(),
    ]);
    const count = `${unrated.length} usage record${unrated.length === 1 ? '' : 's'}`;
    if (!subscriber && !assignments.size) {
      throw new ApiError('not_found', `${party} is not a subscriber: its ${count} cannot be rated`, { field: 'msisdn' });
    }
    if (!assignments.size) {
      throw new ApiError('validation', `${party} has no tariff plan (set the subscriber's tariff): its ${count} cannot be rated`, {
        field: 'msisdn',
      });
    }
    const config = cycleConfigOf(this.settings());
    const groups: Groups = new Map();
    const add = (cycle: BillCycle) => {
      if (!groups.has(cycle.key)) groups.set(cycle.key, { cycle, parties: new Map([[party, []]]) });
      return groups.get(cycle.key)!.parties.get(party)!;
    };
    add(cycleContaining(this.deps.clock.now(), config));
    // Only which records to count comes from these rows: `whole` reads each cycle's records back from the store.
    for (const r of unrated) add(cycleContaining(r.at, config)).push({ ...r, party, kind: '', chargeable: 0, quantity: 1 });
    const pass = await this.transaction((trx, p) => {
      for (const group of groups.values()) this.cycleCache(group.cycle).delete(party);
      return this.rateGroups(trx, p, groups, Number.MAX_SAFE_INTEGER, true);
    });
    if (pass.warnings) this.deps.smsQueued();
    const skip = pass.skipped.get(party);
    if (skip) throw new ApiError('validation', `${party}: ${skip.reason}`, { field: 'msisdn' });
    const run = emptyRun();
    addPass(run, pass, new Map());
    run.ratedThrough = await readWatermark(db);
    return run;
  }

  /** Records each threshold once per cycle; a newly reached one caused by usage sends the free warning SMS. */
  private async thresholdEvents(trx: Trx, pass: Pass): Promise<void> {
    const { events } = pass;
    if (!events.length) return;
    const now = this.deps.clock.now();
    const key = (cycle: string, party: string, cap: string, percent: number) => `${cycle}|${party}|${cap}|${percent}`;
    const seen = new Set<string>();
    const partiesByCycle = new Map<string, Set<string>>();
    for (const e of events) {
      const set = partiesByCycle.get(e.cycle.key) ?? new Set<string>();
      set.add(e.party);
      partiesByCycle.set(e.cycle.key, set);
    }
    for (const [cycle, parties] of partiesByCycle) {
      // Many parties (a backlog): one pass over the cycle's events beats a query per 500 of them.
      const lists = parties.size > 20_000 ? [null] : chunks([...parties]);
      for (const list of lists) {
        let query = trx.selectFrom('threshold_events').select(['party', 'cap', 'percent']).where('cycle_key', '=', cycle);
        if (list) query = query.where('party', 'in', list);
        for (const row of await query.execute()) seen.add(key(cycle, row.party, row.cap, row.percent));
      }
    }
    const fresh = events.filter(({ cycle, party, event }) => {
      const id = key(cycle.key, party, event.cap, event.percent);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    pass.thresholds += fresh.length;
    await insertRows(
      trx,
      'threshold_events',
      ['cycle_key', 'party', 'cap', 'percent', 'limit_fen', 'spent', 'record_id', 'at', 'sms_id', 'created_at'],
      fresh.map(({ cycle, party, event }) => [
        cycle.key,
        party,
        event.cap,
        event.percent,
        event.limit,
        event.spent,
        event.recordId,
        event.at,
        null,
        now,
      ]),
    );
    // The rent alone reaching a threshold (a total cap equal to the rent) is no news to the subscriber,
    // nor is a cycle that has ended; of thresholds reached together (80 % and 100 % by one record) only the highest is.
    const highest = new Map<string, ThresholdItem>();
    for (const item of fresh) {
      if (item.event.recordId === null || now >= item.cycle.end) continue;
      const id = `${item.cycle.key}|${item.party}|${item.event.cap}`;
      if ((highest.get(id)?.event.percent ?? -1) < item.event.percent) highest.set(id, item);
    }
    const warn = this.settings().warningSms ? [...highest.values()] : [];
    if (!warn.length) return;
    const languages = new Map<string, string>();
    for (const list of chunks([...new Set(warn.map((w) => w.party))])) {
      for (const row of await trx.selectFrom('subscribers').select(['msisdn', 'language']).where('msisdn', 'in', list).execute()) {
        languages.set(row.msisdn, row.language);
      }
    }
    const rules = rulesOf(this.deps);
    for (const { party, cycle, currency, event } of warn) {
      const language = languages.get(party) === 'en' ? 'en' : 'zh-CN';
      const text = renderTemplate(this.deps.templates.get('cap-warning', language), {
        percent: event.percent,
        cap: formatMoney(event.limit, currency),
        spent: formatMoney(event.spent, currency),
      });
      const smsId = await enqueueSms(
        trx,
        this.deps,
        { kind: 'cap-warning', sender: rules.shortCode, recipient: party, text, chargeParty: party, chargeable: false, validityHours: 72 },
        now,
      );
      await trx
        .updateTable('threshold_events')
        .set({ sms_id: smsId })
        .where('cycle_key', '=', cycle.key)
        .where('party', '=', party)
        .where('cap', '=', event.cap)
        .where('percent', '=', event.percent)
        .execute();
      pass.warnings += 1;
    }
  }
}
