/**
 * What-if: a draft version applied to a past cycle's usage, against what the
 * subscribers were actually charged, before the draft is published.
 */
import { chargeCycle } from './charge-cycle';
import type { BillCycle } from './cycle';
import type { UsageRecord } from './rating';
import type { TariffVersion } from './tariff';
import type { TariffSpan } from './versions';
import { compareText } from './compare';

export interface WhatIfSubscriber {
  party: string;
  /** The subscriber's actual spans in the cycle (tariffSpans). */
  spans: readonly TariffSpan[];
  records: readonly UsageRecord[];
  firstOpenedAt?: number | null;
  /** Rent plus usage actually charged for the cycle (before adjustments), fen. */
  actual: number;
}

export interface WhatIfInput {
  cycle: BillCycle;
  /** The plan the draft belongs to: every span on it takes the draft instead, whatever version it had. */
  planId: string;
  draft: TariffVersion;
  subscribers: readonly WhatIfSubscriber[];
  /** How many of the most affected subscribers to return (default 10). */
  top?: number;
}

export interface WhatIfComparison {
  actual: number;
  simulated: number;
  /** simulated − actual: positive means more revenue under the draft. */
  difference: number;
}

export interface WhatIfResult extends WhatIfComparison {
  /** By the plan each subscriber ended the cycle on. */
  byPlan: (WhatIfComparison & { planId: string; subscribers: number })[];
  /** Largest absolute difference first (ties by number); unchanged subscribers are left out. */
  mostAffected: (WhatIfComparison & { party: string; planId: string })[];
}

export function whatIf({ cycle, planId, draft, subscribers, top = 10 }: WhatIfInput): WhatIfResult {
  const byPlan = new Map<string, WhatIfComparison & { planId: string; subscribers: number }>();
  const affected: WhatIfResult['mostAffected'] = [];
  for (const subscriber of subscribers) {
    const spans = subscriber.spans.map((span) => (span.planId === planId ? { ...span, version: draft } : span));
    const { total: simulated } = chargeCycle({ ...subscriber, cycle, spans });
    const difference = simulated - subscriber.actual;
    const endPlan = subscriber.spans[subscriber.spans.length - 1]?.planId ?? '';
    let row = byPlan.get(endPlan);
    if (!row) {
      row = { planId: endPlan, subscribers: 0, actual: 0, simulated: 0, difference: 0 };
      byPlan.set(endPlan, row);
    }
    row.subscribers += 1;
    row.actual += subscriber.actual;
    row.simulated += simulated;
    row.difference += difference;
    if (difference !== 0) affected.push({ party: subscriber.party, planId: endPlan, actual: subscriber.actual, simulated, difference });
  }
  affected.sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || compareText(a.party, b.party));
  const plans = [...byPlan.values()].sort((a, b) => compareText(a.planId, b.planId));
  const actual = plans.reduce((total, row) => total + row.actual, 0);
  const simulated = plans.reduce((total, row) => total + row.simulated, 0);
  return { actual, simulated, difference: simulated - actual, byPlan: plans, mostAffected: affected.slice(0, top) };
}
