/** Local days of the billing calendar, fast enough for the rating loop (Intl formatting is not). */
import { addDays, cycleContaining, dayIndexOf, type BillCycle, type CycleConfig } from '../../domain/billing';

const dayNames = new WeakMap<BillCycle, string[]>();

/** The local dates of a cycle's days, index by dayIndexOf. */
export function daysOfCycle(cycle: BillCycle): string[] {
  let days = dayNames.get(cycle);
  if (!days) {
    days = Array.from({ length: cycle.days }, (_, i) => addDays(cycle.startDay, i));
    dayNames.set(cycle, days);
  }
  return days;
}

/** The local date of an instant, via the cycle when it falls in it (the common case). */
export function dayOf(at: number, config: CycleConfig, hint?: BillCycle): string {
  const cycle = hint && at >= hint.start && at < hint.end ? hint : cycleContaining(at, config);
  return daysOfCycle(cycle)[dayIndexOf(cycle, at)]!;
}
