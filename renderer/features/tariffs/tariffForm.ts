/**
 * A tariff version as the editor holds it: amounts as typed (yuan), turned back into fen with the core's own
 * parseMoney, so the console refuses exactly what the core would. Field names are the core's dotted paths
 * within a version ('usagePrices.missed-detail', 'tiers.notification.0.price'), so local and server errors land
 * on the same inputs.
 */
import { ApiError } from '../../../core/api/errors';
import type { CommandError } from '../../api/client';
import { addDays } from '../../../core/domain/billing/cycle';
import { formatMoney, parseMoney, type RoundingMode } from '../../../core/domain/billing/money';
import {
  seedFreeKinds,
  usageKinds,
  type FreeQuota,
  type ProrationPolicy,
  type TariffPlan,
  type TariffVersion,
  type Tier,
  type UsageKind,
} from '../../../core/domain/billing/tariff';

export interface TierDraft {
  after: string;
  price: string;
}

export interface QuotaDraft {
  kinds: UsageKind[];
  units: string;
}

export interface VersionDraft {
  number: number;
  status: TariffVersion['status'];
  effectiveFrom: string;
  monthlyRent: string;
  rentProration: ProrationPolicy;
  rounding: RoundingMode;
  /** '' for a kind that is not priced (it should then be free). */
  prices: Record<UsageKind, string>;
  freeKinds: UsageKind[];
  tiers: Partial<Record<UsageKind, TierDraft[]>>;
  freeQuota: QuotaDraft[];
  /** '' means no cap. */
  usageCap: string;
  totalCap: string;
  /** Comma-separated percentages, e.g. "80, 100". */
  thresholds: string;
}

/** Fen as yuan digits without the symbol ("0.10"), for an input. */
export function moneyInput(fen: number, currency: string): string {
  return formatMoney(fen, currency, 'code').replace(/ [A-Z]+$/, '');
}

export function toDraft(version: TariffVersion, currency: string): VersionDraft {
  const prices = Object.fromEntries(usageKinds.map((k) => [k, ''])) as Record<UsageKind, string>;
  for (const [kind, fen] of Object.entries(version.usagePrices)) prices[kind as UsageKind] = moneyInput(fen, currency);
  const tiers: Partial<Record<UsageKind, TierDraft[]>> = {};
  for (const [kind, list] of Object.entries(version.tiers)) {
    tiers[kind as UsageKind] = list.map((tier) => ({ after: String(tier.after), price: moneyInput(tier.price, currency) }));
  }
  return {
    number: version.number,
    status: version.status,
    effectiveFrom: version.effectiveFrom,
    monthlyRent: moneyInput(version.monthlyRent, currency),
    rentProration: version.rentProration,
    rounding: version.rounding,
    prices,
    freeKinds: [...version.freeKinds],
    tiers,
    freeQuota: version.freeQuota.map((q) => ({ kinds: [...q.kinds], units: String(q.units) })),
    usageCap: version.usageCap === null ? '' : moneyInput(version.usageCap, currency),
    totalCap: version.totalCap === null ? '' : moneyInput(version.totalCap, currency),
    thresholds: version.thresholds.join(', '),
  };
}

export type FieldErrors = Record<string, string>;

function wholeNumber(text: string): number {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * The version the draft describes, or the fields that cannot be read (amounts with parseMoney, counts as whole
 * numbers). Rules between fields (free or priced, tier order, caps) are the core's: it answers by field on save.
 */
export function fromDraft(draft: VersionDraft, currency: string): { version: TariffVersion; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const money = (text: string, field: string): number => {
    try {
      return parseMoney(text, { currency, field });
    } catch (error) {
      errors[field] = error instanceof ApiError ? error.message : String(error);
      return 0;
    }
  };
  const count = (text: string, field: string, message: string): number => {
    const n = wholeNumber(text);
    if (Number.isNaN(n)) errors[field] = message;
    return Number.isNaN(n) ? 0 : n;
  };
  const usagePrices: Partial<Record<UsageKind, number>> = {};
  for (const kind of usageKinds) {
    const text = draft.prices[kind];
    if (text.trim() !== '') usagePrices[kind] = money(text, `usagePrices.${kind}`);
  }
  const tiers: Partial<Record<UsageKind, Tier[]>> = {};
  for (const [kind, list] of Object.entries(draft.tiers)) {
    tiers[kind as UsageKind] = list.map((tier, i) => ({
      after: count(tier.after, `tiers.${kind}.${i}.after`, 'Enter a whole number of units'),
      price: money(tier.price, `tiers.${kind}.${i}.price`),
    }));
  }
  const freeQuota: FreeQuota[] = draft.freeQuota.map((q, i) => ({
    kinds: q.kinds,
    units: count(q.units, `freeQuota.${i}.units`, 'Enter a whole number of units'),
  }));
  const thresholds: number[] = [];
  if (draft.thresholds.trim() !== '') {
    for (const part of draft.thresholds.split(/[,，\s]+/).filter(Boolean)) {
      const n = wholeNumber(part);
      if (Number.isNaN(n)) errors.thresholds = 'Use whole percentages separated by commas, e.g. 80, 100';
      else thresholds.push(n);
    }
  }
  const version: TariffVersion = {
    number: draft.number,
    status: draft.status,
    effectiveFrom: draft.effectiveFrom.trim(),
    monthlyRent: money(draft.monthlyRent, 'monthlyRent'),
    rentProration: draft.rentProration,
    rounding: draft.rounding,
    usagePrices,
    tiers,
    freeKinds: draft.freeKinds,
    freeQuota,
    usageCap: draft.usageCap.trim() === '' ? null : money(draft.usageCap, 'usageCap'),
    totalCap: draft.totalCap.trim() === '' ? null : money(draft.totalCap, 'totalCap'),
    thresholds,
  };
  return { version, errors };
}

/** A first draft: the seed's free kinds, every other kind priced at 0 for the admin to set. */
export function blankVersion(number: number, effectiveFrom: string): TariffVersion {
  const usagePrices: Partial<Record<UsageKind, number>> = {};
  for (const kind of usageKinds) if (!seedFreeKinds.includes(kind)) usagePrices[kind] = 0;
  return {
    number,
    status: 'draft',
    effectiveFrom,
    monthlyRent: 0,
    rentProration: 'daily',
    rounding: 'half-up',
    usagePrices,
    tiers: {},
    freeKinds: [...seedFreeKinds],
    freeQuota: [],
    usageCap: null,
    totalCap: null,
    thresholds: [80, 100],
  };
}

/** The next draft of a plan: a copy of its latest version, numbered after it, effective tomorrow or later. */
export function nextDraft(plan: TariffPlan, today: string): TariffVersion {
  const latest = [...plan.versions].sort((a, b) => b.number - a.number)[0];
  const number = (latest?.number ?? 0) + 1;
  const tomorrow = addDays(today, 1);
  if (!latest) return blankVersion(number, tomorrow);
  const effectiveFrom = latest.effectiveFrom >= tomorrow ? addDays(latest.effectiveFrom, 1) : tomorrow;
  return { ...structuredClone(latest), number, status: 'draft', effectiveFrom };
}

/** The plan with one version put in (replacing the one with its number) or taken out. */
export function withVersion(plan: TariffPlan, version: TariffVersion): TariffPlan {
  const others = plan.versions.filter((v) => v.number !== version.number);
  return { ...plan, versions: [...others, version].sort((a, b) => a.number - b.number) };
}

export function withoutVersion(plan: TariffPlan, number: number): TariffPlan {
  return { ...plan, versions: plan.versions.filter((v) => v.number !== number) };
}

/**
 * The core's error on a version field, as a path within the version: 'plan.versions.2.usageCap' → 'usageCap'
 * when version index 2 is the one edited. Errors on the plan or another version come back with `field` null.
 */
export function versionFieldError(error: CommandError | null, index: number): { field: string | null; message: string } | null {
  if (!error) return null;
  const prefix = `plan.versions.${index}`;
  const field = error.field ?? '';
  // The core prefixes its message with the path it checked ('versions.1.effectiveFrom: …'), which may be shorter than `field`.
  const prefixed = /^([A-Za-z0-9_.-]+): /.exec(error.message);
  const message = prefixed && field.endsWith(prefixed[1]!) ? error.message.slice(prefixed[0].length) : error.message;
  if (field === prefix) return { field: null, message };
  if (field.startsWith(`${prefix}.`)) return { field: field.slice(prefix.length + 1), message };
  return { field: null, message };
}

/** Fields of a version that hold money (fen), for the diff. */
export function isMoneyField(field: string): boolean {
  return field === 'monthlyRent' || field === 'usageCap' || field === 'totalCap' || field.startsWith('usagePrices.');
}
