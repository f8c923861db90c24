/**
 * A subscriber's statement for a cycle: rent, usage by kind, what the caps
 * waived, adjustments and the total, all in fen, adding up exactly.
 */
import { ApiError } from '../../api/errors';
import type { BillCycle } from './cycle';
import type { RentLine } from './proration';
import type { UsageCharge } from './rating';
import type { Adjustment } from './rerating';
import { usageKinds } from './tariff';
import { compareText } from './compare';

export interface UsageByKind {
  kind: string;
  records: number;
  units: number;
  freeUnits: number;
  /** Fen before caps, charged, and waived by caps (gross − charged). */
  gross: number;
  charged: number;
  capWaived: number;
}

export interface Statement {
  party: string;
  cycleKey: string;
  from: number;
  to: number;
  currency: string;
  rent: { lines: RentLine[]; total: number };
  usage: { byKind: UsageByKind[]; records: number; gross: number; charged: number };
  /** Usage the caps waived this cycle. */
  capWaived: number;
  adjustments: { lines: Adjustment[]; total: number };
  /** rent.total + usage.charged + adjustments.total */
  total: number;
}

export interface StatementInput {
  party: string;
  cycle: BillCycle;
  currency: string;
  rent: readonly RentLine[];
  usage: readonly UsageCharge[];
  adjustments?: readonly Adjustment[];
}

const sum = (lines: readonly { amount: number }[]) => lines.reduce((total, line) => total + line.amount, 0);

/** Known kinds in their usual order, then any others alphabetically. */
function kindOrder(a: string, b: string): number {
  const rank = (kind: string) => {
    const i = (usageKinds as readonly string[]).indexOf(kind);
    return i < 0 ? usageKinds.length : i;
  };
  return rank(a) - rank(b) || compareText(a, b);
}

export function buildStatement({ party, cycle, currency, rent, usage, adjustments = [] }: StatementInput): Statement {
  const stranger = [...rent, ...usage, ...adjustments].find((line) => line.party !== party);
  if (stranger) throw new ApiError('validation', `A line for ${stranger.party} cannot go on ${party}'s statement`, { field: 'party' });
  const byKind = new Map<string, UsageByKind>();
  for (const charge of usage) {
    let row = byKind.get(charge.kind);
    if (!row) {
      row = { kind: charge.kind, records: 0, units: 0, freeUnits: 0, gross: 0, charged: 0, capWaived: 0 };
      byKind.set(charge.kind, row);
    }
    row.records += 1;
    row.units += charge.quantity;
    row.freeUnits += charge.freeUnits;
    row.gross += charge.gross;
    row.charged += charge.amount;
    row.capWaived += charge.gross - charge.amount;
  }
  const kinds = [...byKind.values()].sort((a, b) => kindOrder(a.kind, b.kind));
  const rentTotal = sum(rent);
  const usageGross = kinds.reduce((total, row) => total + row.gross, 0);
  const usageCharged = sum(usage);
  const adjustmentTotal = sum(adjustments);
  return {
    party,
    cycleKey: cycle.key,
    from: cycle.start,
    to: cycle.end,
    currency,
    rent: { lines: [...rent], total: rentTotal },
    usage: { byKind: kinds, records: usage.length, gross: usageGross, charged: usageCharged },
    capWaived: usageGross - usageCharged,
    adjustments: { lines: [...adjustments], total: adjustmentTotal },
    total: rentTotal + usageCharged + adjustmentTotal,
  };
}
