/**
 * Corrections to a closed cycle. Its lines are never edited: rerating
 * compares them with a fresh rating and returns adjustment lines for the
 * differences, each with a reason; customer service adds manual ones.
 */
import { ApiError } from '../../api/errors';
import type { RentLine } from './proration';
import type { UsageCharge } from './rating';

export interface Adjustment {
  /** The line it corrects (lineKey); a manual adjustment has its own key. */
  key: string;
  party: string;
  source: 'rerate' | 'manual';
  /** Fen: positive charges more, negative refunds. */
  amount: number;
  /** Rerating: the line's amount before (net of earlier adjustments) and after. */
  previousAmount: number | null;
  newAmount: number | null;
  reason: string;
}

export type ChargeLine = RentLine | UsageCharge;

/** Identity of a line across ratings: the usage record, or the rent span. */
export function lineKey(line: ChargeLine): string {
  return 'recordId' in line ? `usage:${line.recordId}` : line.key;
}

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw new ApiError('validation', 'Give the reason for the adjustment', { field: 'reason' });
  return trimmed;
}

/** A credit (negative) or charge (positive) that customer service or a billing admin adds by hand. */
export function manualAdjustment(key: string, party: string, amount: number, reason: string): Adjustment {
  if (!Number.isSafeInteger(amount) || amount === 0) {
    throw new ApiError('validation', 'An adjustment is a whole number of fen, not 0', { field: 'amount' });
  }
  return { key, party, source: 'manual', amount, previousAmount: null, newAmount: null, reason: requireReason(reason) };
}

/**
 * Adjustments that take the stored lines of a cycle (with any earlier rerating
 * adjustments) to a fresh rating: one per line whose amount differs, including
 * lines that appear (late records) or disappear. Manual adjustments stand as they are.
 */
export function rerate(previous: readonly (ChargeLine | Adjustment)[], fresh: readonly ChargeLine[], reason: string): Adjustment[] {
  const why = requireReason(reason);
  const before = new Map<string, { party: string; amount: number }>();
  for (const line of previous) {
    if ('source' in line && line.source === 'manual') continue;
    const key = 'source' in line ? line.key : lineKey(line);
    const entry = before.get(key);
    if (entry) entry.amount += line.amount;
    else before.set(key, { party: line.party, amount: line.amount });
  }
  const adjustments: Adjustment[] = [];
  const add = (key: string, party: string, previousAmount: number, newAmount: number) => {
    if (previousAmount !== newAmount) {
      adjustments.push({ key, party, source: 'rerate', amount: newAmount - previousAmount, previousAmount, newAmount, reason: why });
    }
  };
  for (const line of fresh) {
    const key = lineKey(line);
    add(key, line.party, before.get(key)?.amount ?? 0, line.amount);
    before.delete(key);
  }
  for (const [key, { party, amount }] of before) add(key, party, amount, 0);
  return adjustments;
}
