/**
 * Caps per cycle: on usage charges, and on rent plus usage. Rent counts
 * toward the total cap but is never itself reduced (a total cap is at least
 * the monthly rent), so a cap only ever waives usage.
 */
export type CapKind = 'usage' | 'total';

export interface CapLimits {
  usageCap: number | null;
  totalCap: number | null;
}

/** A warning threshold reached: send the subscriber a free SMS, once per cycle, cap and percent. */
export interface ThresholdEvent {
  cap: CapKind;
  percent: number;
  /** The cap, and what counts toward it once the threshold is reached (fen). */
  limit: number;
  spent: number;
  /** The usage record that reached it; null when the rent alone reaches it. */
  recordId: number | null;
  at: number;
}

/** Fen of usage that may still be charged this cycle before a cap binds (Infinity without caps). */
export function usageAllowance(limits: CapLimits, rent: number, usageCharged: number): number {
  let allowance = Infinity;
  if (limits.usageCap !== null) allowance = limits.usageCap - usageCharged;
  if (limits.totalCap !== null) allowance = Math.min(allowance, limits.totalCap - rent - usageCharged);
  return Math.max(0, allowance);
}

/**
 * Adds an event for each threshold (ascending percents) that `spent` has reached
 * and `reached` has not seen yet, and remembers it there.
 */
export function reachThresholds(
  thresholds: readonly number[],
  cap: CapKind,
  limit: number | null,
  spent: number,
  reached: number[],
  recordId: number | null,
  at: number,
  events: ThresholdEvent[],
): void {
  if (limit === null) return;
  for (const percent of thresholds) {
    if (spent * 100 < percent * limit) return;
    if (reached.includes(percent)) continue;
    reached.push(percent);
    events.push({ cap, percent, limit, spent, recordId, at });
  }
}
