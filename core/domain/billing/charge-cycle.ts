/**
 * A subscriber's charges for one cycle: rent from the spans, then usage rated
 * with that rent counting toward the total cap. The close run, the statement
 * preview and the what-if all go through here, so they cannot disagree.
 */
import { ApiError } from '../../api/errors';
import type { BillCycle } from './cycle';
import { defaultCurrency } from './money';
import { prorateRent, type RentLine } from './proration';
import { rate, type RatingResult, type UsageRecord } from './rating';
import type { TariffSpan } from './versions';

export interface SubscriberCycleInput {
  party: string;
  cycle: BillCycle;
  spans: readonly TariffSpan[];
  /** The subscriber's records of the cycle (any order). */
  records: readonly UsageRecord[];
  firstOpenedAt?: number | null;
}

export interface SubscriberCycleCharges {
  party: string;
  currency: string;
  rent: RentLine[];
  rentTotal: number;
  usage: RatingResult;
  /** Rent plus usage charged (adjustments come later, on the statement). */
  total: number;
}

/** The one currency of a subscriber's spans; plans in different currencies cannot share a bill. */
export function currencyOfSpans(spans: readonly TariffSpan[]): string {
  const currency = spans[0]?.currency ?? defaultCurrency;
  const other = spans.find((span) => span.currency !== currency);
  if (other) {
    throw new ApiError(
      'validation',
      `Plans ${spans[0]!.planId} (${currency}) and ${other.planId} (${other.currency}) cannot share a bill`,
      {
        field: 'currency',
      },
    );
  }
  return currency;
}

export function chargeCycle({ party, cycle, spans, records, firstOpenedAt }: SubscriberCycleInput): SubscriberCycleCharges {
  const currency = currencyOfSpans(spans);
  const rent = prorateRent({ party, cycle, spans, firstOpenedAt });
  const rentTotal = rent.reduce((sum, line) => sum + line.amount, 0);
  const usage = rate(records, { party, cycle, spans, rent: rentTotal });
  return { party, currency, rent, rentTotal, usage, total: rentTotal + usage.totals.charged };
}
