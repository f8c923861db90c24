/**
 * Tariff plans and their versions. A plan keeps every version it ever had;
 * a published version never changes (corrections are new versions), and
 * versions take effect in the order they are published, each from local
 * midnight of its `effectiveFrom` in the operator's time zone.
 */
import { z } from 'zod';
import { localDay } from '../local-time';
import { isLocalDate } from './cycle';
import { defaultCurrency, isKnownCurrency, roundingModes } from './money';
import { issuesOf, type FieldIssue, type ValidationResult } from './validation';
import { compareText } from './compare';

/** Every kind of usage record the engine writes (see core/services/engine: sms-queue, subscribers). */
export const usageKinds = [
  'notification',
  'voice-message',
  'manual-seat-message',
  'missed-detail',
  'reachable-alert',
  'missed-summary',
  'opening-reminder',
  'reply',
  'service-opened',
  'service-closed',
] as const;
export type UsageKind = (typeof usageKinds)[number];

/**
 * Free as the seed says (the opening reminder, the gave-up summary, replies),
 * plus the service's open/close markers, which the monthly rent pays for.
 * The default of every version; a plan may free more kinds, or price one of these.
 */
export const seedFreeKinds: readonly UsageKind[] = ['missed-summary', 'opening-reminder', 'reply', 'service-opened', 'service-closed'];

export const prorationPolicies = ['daily', 'full-month', 'first-month-free'] as const;
/**
 * Rent for a part of a cycle (open, close or plan change mid-cycle):
 * - daily: rent × days on the version ÷ days in the cycle, rounded by the version's mode;
 * - full-month: any day in the cycle costs the full rent, charged once per cycle;
 * - first-month-free: nothing in the subscriber's first cycle, then as daily.
 */
export type ProrationPolicy = (typeof prorationPolicies)[number];

export const versionPolicies = ['apply-to-all', 'grandfather'] as const;
/** apply-to-all: a new version applies to everyone from its date; grandfather: subscribers stay on the version they were given. */
export type VersionPolicy = (typeof versionPolicies)[number];

export const versionStatuses = ['draft', 'published'] as const;
export type VersionStatus = (typeof versionStatuses)[number];

/** Ten million yuan: far above any real price, far below the largest safe integer. */
const maxFen = 1_000_000_000;

const fen = z
  .number({ error: 'Enter an amount in fen (minor units)' })
  .int('Use whole fen (minor units), e.g. 10 for ¥0.10')
  .nonnegative('Cannot be negative')
  .max(maxFen, 'Too large');

const usageKind = z.enum(usageKinds, { error: `Not a usage kind: use one of ${usageKinds.join(', ')}` });

const count = (what: string) => z.number({ error: `Enter ${what}` }).int(`Use a whole number of ${what}`);

/** Graduated: past `after` billable units of the kind in the cycle, each further unit costs `price`. */
const tierSchema = z.strictObject({
  after: count('units').positive('A tier starts after at least 1 unit'),
  price: fen,
});
export type Tier = z.infer<typeof tierSchema>;

/** `units` free units per cycle, shared by the listed kinds, used up in record order. */
const freeQuotaSchema = z.strictObject({
  kinds: z.array(usageKind).min(1, 'A free quota covers at least one kind'),
  units: count('units').positive('A free quota has at least 1 unit'),
});
export type FreeQuota = z.infer<typeof freeQuotaSchema>;

export const tariffVersionSchema = z
  .strictObject({
    number: count('a version number').positive('Versions are numbered from 1'),
    /** Local date in the operator's time zone; the version applies from that midnight. */
    effectiveFrom: z.string().refine(isLocalDate, 'Use a date YYYY-MM-DD'),
    status: z.enum(versionStatuses).default('draft'),
    monthlyRent: fen.default(0),
    rentProration: z.enum(prorationPolicies).default('daily'),
    /** Rounding of prorated rent; usage prices are whole fen per unit and never round. */
    rounding: z.enum(roundingModes).default('half-up'),
    /** Fen per unit, by usage kind: the base price (before any tier). */
    usagePrices: z.partialRecord(usageKind, fen).default({}),
    /** Optional volume tiers by kind, on top of the kind's base price. */
    tiers: z.partialRecord(usageKind, z.array(tierSchema).min(1, 'Add a tier or remove the kind')).default({}),
    freeKinds: z.array(usageKind).default([...seedFreeKinds]),
    freeQuota: z.array(freeQuotaSchema).default([]),
    /** Most usage charged per cycle, in fen; null: no cap. */
    usageCap: fen.nullable().default(null),
    /** Most rent plus usage charged per cycle, in fen; null: no cap. Rent is never capped. */
    totalCap: fen.nullable().default(null),
    /** Percentages of a cap at which the subscriber gets a free warning SMS. */
    thresholds: z.array(count('percent').min(1, 'A threshold is 1–100 %').max(100, 'A threshold is 1–100 %')).default([80, 100]),
  })
  .superRefine((version, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const free = new Set<string>();
    version.freeKinds.forEach((kind, i) => {
      if (free.has(kind)) issue(['freeKinds', i], `${kind} is listed twice`);
      free.add(kind);
    });
    for (const kind of usageKinds) {
      const priced = version.usagePrices[kind] !== undefined;
      if (priced && free.has(kind))
        issue(['usagePrices', kind], `${kind} is listed as free: remove its price or take it off the free list`);
      if (!priced && !free.has(kind)) issue(['usagePrices', kind], `Price ${kind} or list it as free`);
    }
    for (const [kind, tiers] of Object.entries(version.tiers)) {
      if (version.usagePrices[kind as UsageKind] === undefined) issue(['tiers', kind], `Tiers need a base price: set usagePrices.${kind}`);
      tiers.forEach((tier, i) => {
        const before = tiers[i - 1];
        if (before && tier.after <= before.after) {
          issue(['tiers', kind, i, 'after'], `Tiers go in increasing order: ${tier.after} must be more than ${before.after}`);
        }
      });
    }
    const pooled = new Map<string, number>();
    version.freeQuota.forEach((quota, i) => {
      quota.kinds.forEach((kind, j) => {
        if (free.has(kind)) issue(['freeQuota', i, 'kinds', j], `${kind} is free already`);
        else if (pooled.has(kind)) issue(['freeQuota', i, 'kinds', j], `${kind} is already in free quota ${pooled.get(kind)! + 1}`);
        pooled.set(kind, i);
      });
    });
    if (version.totalCap !== null && version.totalCap < version.monthlyRent) {
      issue(['totalCap'], `A total cap (${version.totalCap} fen) cannot be below the monthly rent (${version.monthlyRent} fen)`);
    }
    version.thresholds.forEach((percent, i) => {
      const before = version.thresholds[i - 1];
      if (before !== undefined && percent <= before)
        issue(['thresholds', i], `Thresholds go in increasing order: ${percent} after ${before}`);
    });
  });
export type TariffVersion = z.output<typeof tariffVersionSchema>;
export type TariffVersionInput = z.input<typeof tariffVersionSchema>;

export const tariffPlanSchema = z
  .strictObject({
    /** The code that subscribers' `tariff` field names. */
    id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/, 'Use 1–60 letters, digits, dots, dashes or underscores'),
    name: z.string().trim().min(1, 'Name the plan').max(80, 'At most 80 characters'),
    currency: z.string().default(defaultCurrency).refine(isKnownCurrency, 'Not a currency this system knows, e.g. CNY'),
    versionPolicy: z.enum(versionPolicies),
    versions: z.array(tariffVersionSchema),
  })
  .superRefine((plan, ctx) => {
    const numbers = new Set<number>();
    plan.versions.forEach((version, i) => {
      if (numbers.has(version.number))
        ctx.addIssue({ code: 'custom', path: ['versions', i, 'number'], message: `Version ${version.number} exists already` });
      numbers.add(version.number);
    });
    // Published versions take effect in the order they were numbered, so the one in force at any instant is unambiguous.
    const published = plan.versions
      .map((version, index) => ({ version, index }))
      .filter(({ version }) => version.status === 'published')
      .sort((a, b) => a.version.number - b.version.number);
    published.forEach(({ version, index }, i) => {
      const before = published[i - 1]?.version;
      if (!before || version.effectiveFrom > before.effectiveFrom) return;
      ctx.addIssue({
        code: 'custom',
        path: ['versions', index, 'effectiveFrom'],
        message:
          version.effectiveFrom === before.effectiveFrom
            ? `Overlaps version ${before.number}, which also takes effect on ${before.effectiveFrom}`
            : `Must be after ${before.effectiveFrom}, when version ${before.number} takes effect`,
      });
    });
  });
export type TariffPlan = z.output<typeof tariffPlanSchema>;
export type TariffPlanInput = z.input<typeof tariffPlanSchema>;

export function validateTariffPlan(input: unknown): ValidationResult<TariffPlan> {
  const parsed = tariffPlanSchema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: issuesOf(parsed.error) };
}

/** JSON with sorted keys, so equal plans compare equal whatever order their records were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareText(a, b)))
      : v,
  );
}

/**
 * Saving a plan over its previous state (null when new). On top of the schema:
 * published versions cannot change or disappear; the id, currency and version
 * policy are fixed once a version is published (they would change past bills);
 * a version published by this change cannot take effect before today, local time.
 */
export function validatePlanUpdate(
  previous: TariffPlan | null,
  input: unknown,
  now: number,
  timeZone: string,
): ValidationResult<TariffPlan> {
  const parsed = validateTariffPlan(input);
  if (!parsed.ok) return parsed;
  const next = parsed.value;
  const issues: FieldIssue[] = [];
  const publishedBefore = new Map((previous?.versions ?? []).filter((v) => v.status === 'published').map((v) => [v.number, v]));
  if (previous && publishedBefore.size > 0) {
    if (next.id !== previous.id) issues.push({ field: 'id', message: 'The plan id cannot change once a version is published' });
    if (next.currency !== previous.currency) {
      issues.push({ field: 'currency', message: 'The currency cannot change once a version is published' });
    }
    if (next.versionPolicy !== previous.versionPolicy) {
      issues.push({
        field: 'versionPolicy',
        message: 'The version policy cannot change once a version is published: it would change past bills',
      });
    }
  }
  const today = localDay(now, timeZone);
  next.versions.forEach((version, i) => {
    const before = publishedBefore.get(version.number);
    publishedBefore.delete(version.number);
    if (before) {
      if (canonical(before) !== canonical(version)) {
        issues.push({ field: `versions.${i}`, message: `Version ${version.number} is published and cannot change: add a new version` });
      }
    } else if (version.status === 'published' && version.effectiveFrom < today) {
      issues.push({
        field: `versions.${i}.effectiveFrom`,
        message: `${version.effectiveFrom} is in the past (today is ${today}): a published version takes effect today or later`,
      });
    }
  });
  for (const number of publishedBefore.keys()) {
    issues.push({ field: 'versions', message: `Version ${number} is published and cannot be removed` });
  }
  return issues.length ? { ok: false, issues } : { ok: true, value: next };
}

/** Publishing a draft version: the plan as it would be afterwards, or why it cannot be. */
export function validatePublish(plan: TariffPlan, versionNumber: number, now: number, timeZone: string): ValidationResult<TariffPlan> {
  const version = plan.versions.find((v) => v.number === versionNumber);
  if (!version) return { ok: false, issues: [{ field: 'version', message: `Plan ${plan.id} has no version ${versionNumber}` }] };
  if (version.status === 'published')
    return { ok: false, issues: [{ field: 'version', message: `Version ${versionNumber} is published already` }] };
  const next = { ...plan, versions: plan.versions.map((v) => (v === version ? { ...v, status: 'published' as const } : v)) };
  return validatePlanUpdate(plan, next, now, timeZone);
}
