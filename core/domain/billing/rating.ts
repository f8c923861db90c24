/**
 * Rating: one subscriber's usage records of one cycle → one charge line per
 * record. Deterministic: records are taken in order (at, then id), so rating
 * the same records gives the same lines, each keyed by its record id.
 *
 * Per record, in this order:
 * 1. not chargeable (the record says so) or a free kind of the version → 0;
 * 2. free quota: the first units of the cycle, in record order, up to each pool's size;
 * 3. the remaining units at the kind's price, graduated by its tiers
 *    (tiers count the cycle's billable units, i.e. after the free quota);
 * 4. caps: past a cap a record is rated at 0 and marked capped, the record that
 *    crosses it pays only up to it. The total cap counts the cycle's rent.
 *
 * Counters (quota used, units billed, usage charged) run over the whole cycle;
 * each record is judged by the limits of the version in force at its instant.
 */
import { ApiError } from '../../api/errors';
import type { BillCycle } from './cycle';
import { reachThresholds, usageAllowance, type ThresholdEvent } from './capping';
import type { FreeQuota, TariffVersion } from './tariff';
import type { TariffSpan } from './versions';

/** A row of usage_records, as the store reads it (extra columns are ignored). */
export interface UsageRecord {
  id: number;
  /** E.164 number of the party charged (the call-priority rule's charging side). */
  party: string;
  kind: string;
  /** 0/1 as stored, or a boolean. */
  chargeable: boolean | number;
  quantity: number;
  at: number;
}

export type ChargeBasis =
  /** At the kind's price (some units may have been free quota). */
  | 'priced'
  /** Every unit within the free quota. */
  | 'free-quota'
  /** A free kind of the version. */
  | 'free-kind'
  /** The record itself is not chargeable (e.g. a reply to the subscriber's own SMS). */
  | 'not-chargeable'
  /** A kind the tariff does not know (not a usage kind of this version): rated 0, never dropped. */
  | 'unpriced';

export type CapEffect = 'none' | 'partial' | 'full';

export interface UsageCharge {
  recordId: number;
  party: string;
  kind: string;
  at: number;
  quantity: number;
  planId: string;
  version: number;
  basis: ChargeBasis;
  /** Units covered by the free quota. */
  freeUnits: number;
  /** Fen before caps. */
  gross: number;
  /** Fen charged: gross less what a cap waived. */
  amount: number;
  capped: CapEffect;
}

/** What rating a cycle so far has used up; plain data, so the services can store it and rate later records from it. */
export interface RatingState {
  party: string;
  cycleKey: string;
  /** The last record rated; a later call only takes records after it. */
  last: { at: number; id: number } | null;
  freeUnitsUsed: Record<string, number>;
  billedUnits: Record<string, number>;
  usageCharged: number;
  thresholdsReached: { usage: number[]; total: number[] };
}

export interface RatingContext {
  party: string;
  cycle: BillCycle;
  /** The subscriber's spans in this cycle, in time order (tariffSpans). Records outside every span take the span before them (or the first). */
  spans: readonly TariffSpan[];
  /** The cycle's rent (sum of its rent lines): counts toward the total cap. */
  rent: number;
  /** Continue from an earlier call in the same cycle instead of from the cycle's start. */
  resume?: RatingState | null;
}

export interface RatingResult {
  /** One line per record, in record order. */
  charges: UsageCharge[];
  /** Thresholds reached by these records (or by the rent alone), each once per cycle. */
  thresholds: ThresholdEvent[];
  state: RatingState;
  /** Of these records: fen before caps, charged, and waived by caps. */
  totals: { gross: number; charged: number; capWaived: number };
}

/** A version's rules as lookups, built once per version object, not per subscriber. */
interface CompiledVersion {
  free: ReadonlySet<string>;
  prices: ReadonlyMap<string, PriceSteps>;
  quotaOf: ReadonlyMap<string, FreeQuota>;
  version: TariffVersion;
}

/** Unit price from each step's start: units [startsAfter[i], startsAfter[i + 1]) cost prices[i]. */
interface PriceSteps {
  startsAfter: number[];
  prices: number[];
}

const compiledVersions = new WeakMap<TariffVersion, CompiledVersion>();

function compile(version: TariffVersion): CompiledVersion {
  let compiled = compiledVersions.get(version);
  if (compiled) return compiled;
  const prices = new Map<string, PriceSteps>();
  for (const [kind, base] of Object.entries(version.usagePrices)) {
    if (base === undefined) continue;
    const tiers = version.tiers[kind as keyof typeof version.tiers] ?? [];
    prices.set(kind, { startsAfter: [0, ...tiers.map((t) => t.after)], prices: [base, ...tiers.map((t) => t.price)] });
  }
  const quotaOf = new Map<string, FreeQuota>();
  for (const quota of version.freeQuota) for (const kind of quota.kinds) quotaOf.set(kind, quota);
  compiled = { free: new Set(version.freeKinds), prices, quotaOf, version };
  compiledVersions.set(version, compiled);
  return compiled;
}

/** Cost of `units` units when `billedBefore` units of the kind were billed earlier in the cycle. */
function graduatedCost(steps: PriceSteps, billedBefore: number, units: number): number {
  let cost = 0;
  let position = billedBefore;
  let left = units;
  const last = steps.startsAfter.length - 1;
  for (let i = 0; i <= last && left > 0; i++) {
    const stepEnd = i < last ? steps.startsAfter[i + 1]! : Infinity;
    if (position >= stepEnd) continue;
    const take = Math.min(left, stepEnd - position);
    cost += take * steps.prices[i]!;
    position += take;
    left -= take;
  }
  return cost;
}

function inRecordOrder(records: readonly UsageRecord[]): readonly UsageRecord[] {
  for (let i = 1; i < records.length; i++) {
    const a = records[i - 1]!;
    const b = records[i]!;
    if (a.at > b.at || (a.at === b.at && a.id > b.id)) return [...records].sort((x, y) => x.at - y.at || x.id - y.id);
  }
  return records;
}

/**
 * Shared by the states that have no free units used or no thresholds reached (most): the rating job keeps a state
 * per subscriber, a million of them, and every object they hold is one more for each garbage collection to mark.
 * Frozen, since no state is changed in place (rate copies what it continues from).
 */
const noCounts: Record<string, number> = Object.freeze({}) as Record<string, number>;
const noThresholds: RatingState['thresholdsReached'] = Object.freeze({
  usage: Object.freeze([]) as unknown as number[],
  total: Object.freeze([]) as unknown as number[],
});

function freshState(party: string, cycleKey: string): RatingState {
  return { party, cycleKey, last: null, freeUnitsUsed: noCounts, billedUnits: noCounts, usageCharged: 0, thresholdsReached: noThresholds };
}

export function rate(records: readonly UsageRecord[], context: RatingContext): RatingResult {
  const { party, cycle, spans, rent } = context;
  const from = context.resume ?? freshState(party, cycle.key);
  if (from.party !== party || from.cycleKey !== cycle.key) {
    throw new ApiError('validation', `The rating state is for ${from.party} in ${from.cycleKey}, not ${party} in ${cycle.key}`, {
      field: 'resume',
    });
  }
  const thresholds: ThresholdEvent[] = [];
  const reached = { usage: [...from.thresholdsReached.usage], total: [...from.thresholdsReached.total] };
  const freeUsed = new Map(Object.entries(from.freeUnitsUsed));
  const billed = new Map(Object.entries(from.billedUnits));
  let usageCharged = from.usageCharged;
  // Numbers, not an object per record: this loop must stay allocation-light.
  let lastAt = from.last?.at ?? -Infinity;
  let lastId = from.last?.id ?? -Infinity;
  let gross = 0;
  let charged = 0;
  const charges: UsageCharge[] = [];
  if (spans.length === 0) {
    if (records.length > 0) {
      throw new ApiError('validation', `${party} has no tariff plan in cycle ${cycle.key}: not a subscriber to rate`, { field: 'party' });
    }
    return { charges, thresholds, state: from, totals: { gross: 0, charged: 0, capWaived: 0 } };
  }
  const compiledSpans = spans.map((span) => compile(span.version));
  let spanIndex = 0;
  let rules = compiledSpans[0]!;
  // The rent alone may reach a total-cap threshold before any usage.
  reachThresholds(
    rules.version.thresholds,
    'total',
    rules.version.totalCap,
    rent + usageCharged,
    reached.total,
    null,
    from.last?.at ?? cycle.start,
    thresholds,
  );

  for (const record of inRecordOrder(records)) {
    const { id, at, kind, quantity } = record;
    if (record.party !== party) throw new ApiError('validation', `Record ${id} is for ${record.party}, not ${party}`, { field: 'party' });
    if (at < cycle.start || at >= cycle.end)
      throw new ApiError('validation', `Record ${id} is outside cycle ${cycle.key}`, { field: 'at' });
    if (!Number.isSafeInteger(quantity) || quantity < 1) {
      throw new ApiError('validation', `Record ${id} has quantity ${quantity}: a whole number of at least 1`, { field: 'quantity' });
    }
    if (at < lastAt || (at === lastAt && id <= lastId)) {
      throw new ApiError('validation', `Record ${id} is rated already or comes before the last rated record`, { field: 'id' });
    }
    lastAt = at;
    lastId = id;
    while (spanIndex + 1 < spans.length && spans[spanIndex + 1]!.from <= at) rules = compiledSpans[++spanIndex]!;
    const { version } = rules;

    let basis: ChargeBasis;
    let freeUnits = 0;
    let recordGross = 0;
    const steps = rules.prices.get(kind);
    if (!record.chargeable) basis = 'not-chargeable';
    else if (rules.free.has(kind)) basis = 'free-kind';
    else if (!steps) basis = 'unpriced';
    else {
      const quota = rules.quotaOf.get(kind);
      if (quota) {
        let used = 0;
        for (const pooled of quota.kinds) used += freeUsed.get(pooled) ?? 0;
        freeUnits = Math.min(quantity, Math.max(0, quota.units - used));
        if (freeUnits > 0) freeUsed.set(kind, (freeUsed.get(kind) ?? 0) + freeUnits);
      }
      const billable = quantity - freeUnits;
      if (billable > 0) {
        const billedBefore = billed.get(kind) ?? 0;
        recordGross = graduatedCost(steps, billedBefore, billable);
        billed.set(kind, billedBefore + billable);
      }
      basis = billable > 0 ? 'priced' : 'free-quota';
    }

    let amount = recordGross;
    let capped: CapEffect = 'none';
    if (recordGross > 0) {
      const allowance = usageAllowance(version, rent, usageCharged);
      if (recordGross > allowance) {
        amount = allowance;
        capped = amount === 0 ? 'full' : 'partial';
      }
      usageCharged += amount;
      reachThresholds(version.thresholds, 'usage', version.usageCap, usageCharged, reached.usage, id, at, thresholds);
      reachThresholds(version.thresholds, 'total', version.totalCap, rent + usageCharged, reached.total, id, at, thresholds);
    }
    gross += recordGross;
    charged += amount;
    charges.push({
      recordId: id,
      party,
      kind,
      at,
      quantity,
      planId: spans[spanIndex]!.planId,
      version: version.number,
      basis,
      freeUnits,
      gross: recordGross,
      amount,
      capped,
    });
  }

  const state: RatingState = {
    party,
    cycleKey: cycle.key,
    last: lastAt === -Infinity ? null : { at: lastAt, id: lastId },
    freeUnitsUsed: freeUsed.size ? Object.fromEntries(freeUsed) : noCounts,
    billedUnits: billed.size ? Object.fromEntries(billed) : noCounts,
    usageCharged,
    thresholdsReached: reached.usage.length || reached.total.length ? reached : noThresholds,
  };
  return { charges, thresholds, state, totals: { gross, charged, capWaived: gross - charged } };
}
