/**
 * What-if: a draft version applied to a past cycle's usage, against what the
 * plan's subscribers were charged (their statements, or for a cycle not yet
 * closed the charges the close would make), in batches of subscribers.
 */
import type { Kysely } from 'kysely';
import { ApiError, type WhatIfReport } from '../../api';
import { chargeCycle, whatIf, type BillCycle, type TariffPlan, type TariffVersion, type WhatIfSubscriber } from '../../domain/billing';
import { compareText } from '../../domain/billing/compare';
import type { Schema } from '../../store/schema';
import { assignmentsOf, partiesInCycle, planTimeOf } from './assignments';
import { CycleImage } from './image';

export interface WhatIfRequest {
  planId: string;
  cycle: BillCycle;
  draft: TariffVersion;
  /** The saved version simulated, or null for an unsaved draft. */
  version: number | null;
  top: number;
}

export async function whatIfReport(
  db: Kysely<Schema>,
  plans: ReadonlyMap<string, TariffPlan>,
  now: number,
  request: WhatIfRequest,
): Promise<WhatIfReport> {
  const { cycle, planId, draft, top } = request;
  if (now < cycle.end)
    throw new ApiError('validation', `Cycle ${cycle.key} has not ended: what-if compares a past cycle`, { field: 'cycle' });
  const report: WhatIfReport = {
    planId,
    cycle: cycle.key,
    version: request.version,
    subscribers: 0,
    actual: 0,
    simulated: 0,
    difference: 0,
    byPlan: [],
    mostAffected: [],
  };
  const closed =
    (await db.selectFrom('billing_cycles').select('status').where('key', '=', cycle.key).executeTakeFirst())?.status === 'closed';
  // Only the records are simulated: the stored lines are not read.
  const image = await CycleImage.load(db, cycle, undefined, { lines: false });
  const byPlan = new Map<string, WhatIfReport['byPlan'][number]>();
  let after = '';
  for (;;) {
    const parties = await partiesInCycle(db, cycle, after, 2_000, planId);
    if (!parties.length) break;
    after = parties[parties.length - 1]!;
    const [assignments, statements] = await Promise.all([
      assignmentsOf(db, parties),
      closed
        ? db
            .selectFrom('statements')
            .select(['party', 'rent', 'usage_charged'])
            .where('cycle_key', '=', cycle.key)
            .where('party', 'in', parties)
            .execute()
        : Promise.resolve([]),
    ]);
    const actualOf = new Map(statements.map((s) => [s.party, Number(s.rent) + Number(s.usage_charged)]));
    const subscribers: WhatIfSubscriber[] = [];
    for (const party of parties) {
      const { spans, firstOpenedAt } = planTimeOf(assignments.get(party) ?? [], plans, cycle);
      if (!spans.length) continue;
      const partyRecords = image.usage(party);
      const actual = closed ? (actualOf.get(party) ?? 0) : chargeCycle({ party, cycle, spans, records: partyRecords, firstOpenedAt }).total;
      subscribers.push({ party, spans, records: partyRecords, firstOpenedAt, actual });
    }
    const batch = whatIf({ cycle, planId, draft, subscribers, top });
    report.subscribers += subscribers.length;
    report.actual += batch.actual;
    report.simulated += batch.simulated;
    report.difference += batch.difference;
    for (const row of batch.byPlan) {
      const sum = byPlan.get(row.planId) ?? { planId: row.planId, subscribers: 0, actual: 0, simulated: 0, difference: 0 };
      sum.subscribers += row.subscribers;
      sum.actual += row.actual;
      sum.simulated += row.simulated;
      sum.difference += row.difference;
      byPlan.set(row.planId, sum);
    }
    // The overall top N is within the union of each batch's top N.
    report.mostAffected = [...report.mostAffected, ...batch.mostAffected]
      .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference) || compareText(a.party, b.party))
      .slice(0, top);
  }
  report.byPlan = [...byPlan.values()].sort((a, b) => compareText(a.planId, b.planId));
  return report;
}
