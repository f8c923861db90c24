/** Tariff plans in the store: loading them for the domain, saving an edit, summaries and version diffs. */
import type { Kysely, Transaction } from 'kysely';
import type { TariffPlanSummary, TariffVersionInfo, VersionChange } from '../../api';
import { localDay } from '../../domain/local-time';
import { tariffVersionSchema, versionInForce, type TariffPlan, type TariffVersion, type VersionPolicy } from '../../domain/billing';
import type { Schema } from '../../store/schema';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface StoredPlan {
  plan: TariffPlan;
  versions: Map<number, TariffVersionInfo>;
  createdAt: number;
  updatedAt: number;
}

export type PlanCatalog = ReadonlyMap<string, StoredPlan>;

export async function loadPlans(db: Db): Promise<Map<string, StoredPlan>> {
  const plans = await db.selectFrom('tariff_plans').selectAll().orderBy('id').execute();
  const versions = await db.selectFrom('tariff_versions').selectAll().orderBy('plan_id').orderBy('number').execute();
  const catalog = new Map<string, StoredPlan>();
  for (const row of plans) {
    catalog.set(row.id, {
      plan: { id: row.id, name: row.name, currency: row.currency, versionPolicy: row.version_policy as VersionPolicy, versions: [] },
      versions: new Map(),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    });
  }
  for (const row of versions) {
    const stored = catalog.get(row.plan_id);
    if (!stored) continue;
    stored.plan.versions.push(tariffVersionSchema.parse(JSON.parse(row.version_json)));
    stored.versions.set(row.number, {
      number: row.number,
      status: row.status as TariffVersionInfo['status'],
      effectiveFrom: row.effective_from,
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
      publishedAt: row.published_at === null ? null : Number(row.published_at),
      publishedBy: row.published_by,
    });
  }
  return catalog;
}

/** The plans as the domain takes them (tariffSpans, versionInForce). */
export function domainPlans(catalog: PlanCatalog): Map<string, TariffPlan> {
  return new Map([...catalog].map(([id, stored]) => [id, stored.plan]));
}

export function hasPublished(plan: TariffPlan): boolean {
  return plan.versions.some((v) => v.status === 'published');
}

/**
 * Writes a validated plan over its stored state (null when new); returns the
 * numbers of the versions this save publishes.
 */
export async function writePlan(
  trx: Transaction<Schema>,
  previous: StoredPlan | null,
  next: TariffPlan,
  operator: string,
  now: number,
): Promise<number[]> {
  if (previous) {
    await trx
      .updateTable('tariff_plans')
      .set({ name: next.name, currency: next.currency, version_policy: next.versionPolicy, updated_at: now })
      .where('id', '=', next.id)
      .execute();
  } else {
    await trx
      .insertInto('tariff_plans')
      .values({
        id: next.id,
        name: next.name,
        currency: next.currency,
        version_policy: next.versionPolicy,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  const kept = new Set(next.versions.map((v) => v.number));
  const removed = (previous?.plan.versions ?? []).filter((v) => !kept.has(v.number)).map((v) => v.number);
  if (removed.length) await trx.deleteFrom('tariff_versions').where('plan_id', '=', next.id).where('number', 'in', removed).execute();
  const published: number[] = [];
  for (const version of next.versions) {
    const before = previous?.plan.versions.find((v) => v.number === version.number);
    const json = JSON.stringify(version);
    if (before && JSON.stringify(before) === json) continue;
    const publishing = version.status === 'published' && before?.status !== 'published';
    if (publishing) published.push(version.number);
    const fields = {
      status: version.status,
      effective_from: version.effectiveFrom,
      version_json: json,
      updated_at: now,
      ...(publishing ? { published_at: now, published_by: operator } : {}),
    };
    if (before) {
      await trx.updateTable('tariff_versions').set(fields).where('plan_id', '=', next.id).where('number', '=', version.number).execute();
    } else {
      await trx
        .insertInto('tariff_versions')
        .values({ plan_id: next.id, number: version.number, created_at: now, published_at: null, published_by: null, ...fields })
        .execute();
    }
  }
  return published;
}

/** Subscribers on each plan now: starts less ends up to today, from the rollup (no scan of the assignments). */
export async function subscribersPerPlan(db: Db, today: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('rollup_subscribers')
    .select((eb) => ['plan_id', eb.fn.sum<number>(eb('starts', '-', eb.ref('ends'))).as('n')])
    .where('day', '<=', today)
    .groupBy('plan_id')
    .execute();
  return new Map(rows.map((r) => [r.plan_id, Number(r.n)]));
}

export function planSummary(stored: StoredPlan, subscribers: number, now: number, timeZone: string): TariffPlanSummary {
  const { plan } = stored;
  return {
    id: plan.id,
    name: plan.name,
    currency: plan.currency,
    versionPolicy: plan.versionPolicy,
    versions: [...stored.versions.values()],
    inForce: versionInForce(plan, now, timeZone)?.number ?? null,
    subscribers,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export function todayOf(now: number, timeZone: string): string {
  return localDay(now, timeZone);
}

/** Leaves of a version by dotted path; arrays (tiers, quotas, thresholds) compare as whole values. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else out.set(prefix, value);
}

/** What changes from version `a` to version `b`, field by field (the number itself is left out). */
export function diffVersions(a: TariffVersion, b: TariffVersion): VersionChange[] {
  const before = new Map<string, unknown>();
  const after = new Map<string, unknown>();
  flatten({ ...a, number: undefined }, '', before);
  flatten({ ...b, number: undefined }, '', after);
  const fields = [...new Set([...before.keys(), ...after.keys()])].filter((f) => f !== 'number');
  return fields
    .filter((field) => JSON.stringify(before.get(field)) !== JSON.stringify(after.get(field)))
    .map((field) => ({ field, before: before.get(field), after: after.get(field) }));
}
