/**
 * Monthly rent for a cycle from the subscriber's tariff spans.
 *
 * Days: each local day of the cycle on which the service was open counts once,
 * for the last span open that day. So the opening day and the closing day both
 * count, a plan change day counts for the new plan, and closing and reopening
 * on one day charges that day once.
 */
import { dayIndexOf, type BillCycle } from './cycle';
import { prorate } from './money';
import type { ProrationPolicy } from './tariff';
import type { TariffSpan } from './versions';

export type RentBasis =
  /** Open the whole cycle on one version: exactly the monthly rent. */
  | 'full-cycle'
  /** Daily proration of part of the cycle. */
  | 'prorated'
  /** Full-month policy: the whole rent for any part of the cycle. */
  | 'full-month'
  /** Full-month policy, but an earlier span of this cycle charged a full month already. */
  | 'already-charged'
  /** First-month-free policy, in the subscriber's first cycle. */
  | 'first-month-free';

export interface RentLine {
  /** Stable identity for rerating: party, plan, version and span start. */
  key: string;
  party: string;
  planId: string;
  version: number;
  from: number;
  to: number;
  /** Days charged to this span, of the cycle's `cycleDays`. */
  days: number;
  cycleDays: number;
  monthlyRent: number;
  policy: ProrationPolicy;
  basis: RentBasis;
  amount: number;
}

export interface RentInput {
  party: string;
  cycle: BillCycle;
  /** The subscriber's spans in this cycle, in time order (see tariffSpans). */
  spans: readonly TariffSpan[];
  /** When the subscriber first opened the service; first-month-free frees the cycle containing it. Unknown: no free month. */
  firstOpenedAt?: number | null;
}

export function rentKey(party: string, span: TariffSpan): string {
  return `rent:${party}:${span.planId}:${span.version.number}:${span.from}`;
}

/** Days of the cycle charged to each span (the last span open on a day takes it). */
function daysPerSpan(cycle: BillCycle, spans: readonly TariffSpan[]): number[] {
  const owner = new Array<number>(cycle.days).fill(-1);
  spans.forEach((span, i) => {
    const from = Math.max(span.from, cycle.start);
    const to = Math.min(span.to, cycle.end);
    if (from >= to) return;
    const last = dayIndexOf(cycle, to - 1);
    for (let day = dayIndexOf(cycle, from); day <= last; day++) owner[day] = i;
  });
  const days = spans.map(() => 0);
  for (const i of owner) if (i >= 0) days[i]! += 1;
  return days;
}

/** Rent lines of a cycle, one per span with at least one day; lines of 0 fen say why they are free. */
export function prorateRent({ party, cycle, spans, firstOpenedAt }: RentInput): RentLine[] {
  const days = daysPerSpan(cycle, spans);
  const firstCycle = firstOpenedAt != null && firstOpenedAt >= cycle.start && firstOpenedAt < cycle.end;
  let fullMonthCharged = false;
  const lines: RentLine[] = [];
  spans.forEach((span, i) => {
    const spanDays = days[i]!;
    if (spanDays === 0) return;
    const { monthlyRent, rentProration: policy, rounding } = span.version;
    let basis: RentBasis;
    let amount: number;
    if (policy === 'first-month-free' && firstCycle) {
      [basis, amount] = ['first-month-free', 0];
    } else if (policy === 'full-month') {
      [basis, amount] = fullMonthCharged ? ['already-charged', 0] : ['full-month', monthlyRent];
      fullMonthCharged = true;
    } else if (spanDays === cycle.days) {
      [basis, amount] = ['full-cycle', monthlyRent];
    } else {
      [basis, amount] = ['prorated', prorate(monthlyRent, spanDays, cycle.days, rounding)];
    }
    lines.push({
      key: rentKey(party, span),
      party,
      planId: span.planId,
      version: span.version.number,
      from: span.from,
      to: span.to,
      days: spanDays,
      cycleDays: cycle.days,
      monthlyRent,
      policy,
      basis,
      amount,
    });
  });
  return lines;
}
