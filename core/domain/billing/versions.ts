/**
 * Which tariff version applies when: per instant, and as the spans of a
 * subscriber's cycle that proration and rating both work from, so rent and
 * usage always agree on the version.
 */
import { ApiError } from '../../api/errors';
import { localDay } from '../local-time';
import { startOfLocalDay, type BillCycle } from './cycle';
import type { TariffPlan, TariffVersion } from './tariff';

/** The instant a version takes effect: local midnight of its effectiveFrom. */
export function effectiveAt(version: TariffVersion, timeZone: string): number {
  return startOfLocalDay(version.effectiveFrom, timeZone);
}

function publishedInOrder(plan: TariffPlan): TariffVersion[] {
  return plan.versions.filter((v) => v.status === 'published').sort((a, b) => a.number - b.number);
}

/**
 * The version in force at an instant, or null before the first published one.
 * Drafts never apply. On a grandfathered plan a subscriber's assigned version
 * applies once it is in force, however many versions came after it; without an
 * assignment (and on apply-to-all plans) the latest version in force applies.
 */
export function versionInForce(plan: TariffPlan, at: number, timeZone: string, assignedVersion?: number | null): TariffVersion | null {
  const published = publishedInOrder(plan);
  let latest: TariffVersion | null = null;
  for (const version of published) if (effectiveAt(version, timeZone) <= at) latest = version;
  if (plan.versionPolicy !== 'grandfather' || assignedVersion == null) return latest;
  const assigned = published.find((v) => v.number === assignedVersion);
  if (!assigned) {
    throw new ApiError('validation', `Plan ${plan.id} has no published version ${assignedVersion}`, { field: 'version' });
  }
  return effectiveAt(assigned, timeZone) <= at ? assigned : latest;
}

/** A subscriber's time on one plan: from opening or a plan change, to closing or the next change (null: still on it). */
export interface PlanAssignment {
  planId: string;
  from: number;
  to: number | null;
  /** Grandfathered plans: the version the subscriber was given (usually the one in force when they joined). */
  version?: number | null;
}

/** A stretch of a cycle with one version in force; [from, to) in ms epoch. */
export interface TariffSpan {
  planId: string;
  currency: string;
  version: TariffVersion;
  from: number;
  to: number;
}

/**
 * The spans of a cycle for a subscriber's assignments: clipped to the cycle and
 * split where a newer version takes effect. Gaps (the service closed) have no span.
 */
export function tariffSpans(
  assignments: readonly PlanAssignment[],
  plans: ReadonlyMap<string, TariffPlan>,
  cycle: BillCycle,
): TariffSpan[] {
  const sorted = [...assignments].sort((a, b) => a.from - b.from);
  const spans: TariffSpan[] = [];
  sorted.forEach((assignment, i) => {
    const previous = sorted[i - 1];
    if (previous && (previous.to === null || previous.to > assignment.from)) {
      throw new ApiError('validation', `Plan assignments overlap at ${new Date(assignment.from).toISOString()}`, { field: 'assignments' });
    }
    const plan = plans.get(assignment.planId);
    if (!plan) throw new ApiError('not_found', `No tariff plan ${assignment.planId}`, { field: 'planId' });
    const from = Math.max(assignment.from, cycle.start);
    const to = Math.min(assignment.to ?? cycle.end, cycle.end);
    if (from >= to) return;
    const changes = publishedInOrder(plan)
      .map((v) => effectiveAt(v, cycle.timeZone))
      .filter((at) => at > from && at < to);
    for (const [pieceFrom, pieceTo] of pieces(from, to, changes)) {
      const version = versionInForce(plan, pieceFrom, cycle.timeZone, assignment.version);
      if (!version) {
        throw new ApiError('validation', `Plan ${plan.id} has no version in force on ${localDay(pieceFrom, cycle.timeZone)}`, {
          field: 'planId',
        });
      }
      const last = spans[spans.length - 1];
      if (last && last.version === version && last.planId === plan.id && last.to === pieceFrom) last.to = pieceTo;
      else spans.push({ planId: plan.id, currency: plan.currency, version, from: pieceFrom, to: pieceTo });
    }
  });
  return spans;
}

function pieces(from: number, to: number, cuts: number[]): [number, number][] {
  const bounds = [from, ...[...new Set(cuts)].sort((a, b) => a - b), to];
  return bounds.slice(1).map((end, i) => [bounds[i]!, end]);
}
