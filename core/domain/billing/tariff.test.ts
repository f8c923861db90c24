import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/errors';
import {
  seedFreeKinds,
  tariffVersionSchema,
  validatePlanUpdate,
  validatePublish,
  validateTariffPlan,
  type TariffPlanInput,
} from './tariff';
import { plan, shanghai, utc, version } from './testing';
import { valueOrThrow, type FieldIssue } from './validation';

const prices = { notification: 10, 'voice-message': 20, 'manual-seat-message': 20, 'missed-detail': 10, 'reachable-alert': 10 };
const pricesWithout = (kind: keyof typeof prices) => Object.fromEntries(Object.entries(prices).filter(([k]) => k !== kind));

function planInput(versionOverrides: Record<string, unknown> = {}, planOverrides: Partial<TariffPlanInput> = {}): unknown {
  return {
    id: 'basic',
    name: 'Basic',
    versionPolicy: 'apply-to-all',
    versions: [{ number: 1, effectiveFrom: '2026-01-01', status: 'draft', monthlyRent: 3000, usagePrices: prices, ...versionOverrides }],
    ...planOverrides,
  };
}

function issues(input: unknown): FieldIssue[] {
  const result = validateTariffPlan(input);
  return result.ok ? [] : result.issues;
}

describe('a tariff version', () => {
  it('defaults to the seed: free opening reminders, summaries, replies and service markers; warnings at 80 and 100 %', () => {
    const v = tariffVersionSchema.parse({ number: 1, effectiveFrom: '2026-01-01', usagePrices: prices });
    expect(v).toMatchObject({
      status: 'draft',
      monthlyRent: 0,
      rentProration: 'daily',
      rounding: 'half-up',
      freeKinds: [...seedFreeKinds],
      freeQuota: [],
      tiers: {},
      usageCap: null,
      totalCap: null,
      thresholds: [80, 100],
    });
    expect(seedFreeKinds).toEqual(expect.arrayContaining(['opening-reminder', 'missed-summary', 'reply', 'service-closed']));
  });

  it('accepts a complete seed tariff', () => {
    expect(issues(planInput({ usageCap: 2000, totalCap: 5000, tiers: { notification: [{ after: 100, price: 5 }] } }))).toEqual([]);
  });
});

describe('validation names the field', () => {
  const v = 'versions.0';
  it.each([
    ['a negative price', { usagePrices: { ...prices, 'missed-detail': -1 } }, `${v}.usagePrices.missed-detail`, 'Cannot be negative'],
    ['a fractional price', { usagePrices: { ...prices, 'missed-detail': 0.5 } }, `${v}.usagePrices.missed-detail`, 'Use whole fen'],
    [
      'a price as text',
      { usagePrices: { ...prices, 'missed-detail': '0.10' } },
      `${v}.usagePrices.missed-detail`,
      'Enter an amount in fen',
    ],
    ['a negative rent', { monthlyRent: -100 }, `${v}.monthlyRent`, 'Cannot be negative'],
    ['a fractional cap', { usageCap: 10.5 }, `${v}.usageCap`, 'Use whole fen'],
    ['an unknown usage kind', { usagePrices: { ...prices, sms: 10 } }, `${v}.usagePrices.sms`, 'Unknown field "sms"'],
    ['a misspelt field', { monthlyrent: 3000 }, `${v}.monthlyrent`, 'Unknown field "monthlyrent"'],
    ['an impossible date', { effectiveFrom: '2026-02-30' }, `${v}.effectiveFrom`, 'Use a date YYYY-MM-DD'],
    ['a kind both priced and free', { freeKinds: [...seedFreeKinds, 'notification'] }, `${v}.usagePrices.notification`, 'listed as free'],
    [
      'a kind neither priced nor free',
      { usagePrices: pricesWithout('voice-message') },
      `${v}.usagePrices.voice-message`,
      'Price voice-message or list it as free',
    ],
    [
      'a free kind listed twice',
      { freeKinds: ['reply', 'reply', 'missed-summary', 'opening-reminder', 'service-opened', 'service-closed'] },
      `${v}.freeKinds.1`,
      'listed twice',
    ],
    [
      'tiers out of order',
      {
        tiers: {
          notification: [
            { after: 100, price: 5 },
            { after: 50, price: 2 },
          ],
        },
      },
      `${v}.tiers.notification.1.after`,
      'increasing order',
    ],
    [
      'a duplicate tier',
      {
        tiers: {
          notification: [
            { after: 100, price: 5 },
            { after: 100, price: 2 },
          ],
        },
      },
      `${v}.tiers.notification.1.after`,
      'increasing order',
    ],
    ['a tier from 0 units', { tiers: { notification: [{ after: 0, price: 5 }] } }, `${v}.tiers.notification.0.after`, 'at least 1 unit'],
    [
      'a negative tier price',
      { tiers: { notification: [{ after: 10, price: -5 }] } },
      `${v}.tiers.notification.0.price`,
      'Cannot be negative',
    ],
    [
      'tiers without a base price',
      {
        usagePrices: pricesWithout('notification'),
        freeKinds: [...seedFreeKinds, 'notification'],
        tiers: { notification: [{ after: 10, price: 5 }] },
      },
      `${v}.tiers.notification`,
      'Tiers need a base price',
    ],
    ['a free quota of a free kind', { freeQuota: [{ kinds: ['reply'], units: 5 }] }, `${v}.freeQuota.0.kinds.0`, 'reply is free already'],
    [
      'a kind in two free quotas',
      {
        freeQuota: [
          { kinds: ['missed-detail'], units: 5 },
          { kinds: ['notification', 'missed-detail'], units: 5 },
        ],
      },
      `${v}.freeQuota.1.kinds.1`,
      'already in free quota 1',
    ],
    ['an empty free quota', { freeQuota: [{ kinds: ['missed-detail'], units: 0 }] }, `${v}.freeQuota.0.units`, 'at least 1 unit'],
    ['a total cap below the rent', { totalCap: 2999 }, `${v}.totalCap`, 'cannot be below the monthly rent (3000 fen)'],
    ['thresholds out of order', { thresholds: [100, 80] }, `${v}.thresholds.1`, 'increasing order'],
    ['a threshold above 100 %', { thresholds: [80, 120] }, `${v}.thresholds.1`, '1–100 %'],
  ])('%s', (_what, overrides, field, message) => {
    const found = issues(planInput(overrides));
    expect(found).toContainEqual({ field, message: expect.stringContaining(message) });
  });

  it('accepts a total cap equal to the rent', () => {
    expect(issues(planInput({ totalCap: 3000 }))).toEqual([]);
  });

  it.each([
    ['a plan id with spaces', { id: 'basic plan' }, 'id', 'Use 1–60 letters'],
    ['no name', { name: ' ' }, 'name', 'Name the plan'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency', 'Not a currency'],
    ['an unknown version policy', { versionPolicy: 'sometimes' }, 'versionPolicy', ''],
  ])('%s', (_what, overrides, field, message) => {
    expect(issues(planInput({}, overrides as Partial<TariffPlanInput>))).toContainEqual({
      field,
      message: expect.stringContaining(message),
    });
  });

  it('refuses duplicate version numbers', () => {
    const input = planInput();
    const versions = (input as { versions: object[] }).versions;
    versions.push({ ...versions[0], effectiveFrom: '2026-02-01' });
    expect(issues(input)).toContainEqual({ field: 'versions.1.number', message: 'Version 1 exists already' });
  });

  it('refuses published versions that overlap or take effect out of order', () => {
    const at = (number: number, effectiveFrom: string) => ({ number, effectiveFrom, status: 'published', usagePrices: prices });
    expect(issues({ ...(planInput() as object), versions: [at(1, '2026-01-01'), at(2, '2026-01-01')] })).toContainEqual({
      field: 'versions.1.effectiveFrom',
      message: 'Overlaps version 1, which also takes effect on 2026-01-01',
    });
    expect(issues({ ...(planInput() as object), versions: [at(2, '2026-01-01'), at(1, '2026-02-01')] })).toContainEqual({
      field: 'versions.0.effectiveFrom',
      message: 'Must be after 2026-02-01, when version 1 takes effect',
    });
    // A draft may share a date: it is not in force until published.
    expect(issues({ ...(planInput() as object), versions: [at(1, '2026-01-01'), { ...at(2, '2026-01-01'), status: 'draft' }] })).toEqual(
      [],
    );
  });

  it('throws the first issue as an ApiError naming the field', () => {
    const result = validateTariffPlan(planInput({ totalCap: 1, monthlyRent: -1 }));
    expect(() => valueOrThrow(result)).toThrow(ApiError);
    expect(() => valueOrThrow(result)).toThrow(expect.objectContaining({ code: 'validation', field: 'versions.0.monthlyRent' }));
  });
});

describe('publishing a version', () => {
  // 10:00 on 15 March 2026 in Shanghai.
  const now = utc('2026-03-15T02:00:00Z');
  const withDraft = (effectiveFrom: string) =>
    plan({ versions: [version(), version({ number: 2, effectiveFrom, status: 'draft', monthlyRent: 2500 })] });

  it('publishes a draft taking effect today or later', () => {
    for (const day of ['2026-03-15', '2026-04-01']) {
      const result = validatePublish(withDraft(day), 2, now, shanghai);
      expect(result.ok).toBe(true);
      expect(valueOrThrow(result).versions.map((v) => v.status)).toEqual(['published', 'published']);
    }
  });

  it('refuses an effective date in the past, in the operator’s time zone', () => {
    expect(validatePublish(withDraft('2026-03-14'), 2, now, shanghai)).toEqual({
      ok: false,
      issues: [
        {
          field: 'versions.1.effectiveFrom',
          message: '2026-03-14 is in the past (today is 2026-03-15): a published version takes effect today or later',
        },
      ],
    });
    // 23:30 UTC on 14 March is already the 15th in Shanghai.
    expect(validatePublish(withDraft('2026-03-14'), 2, utc('2026-03-14T23:30:00Z'), 'UTC').ok).toBe(true);
    expect(validatePublish(withDraft('2026-03-14'), 2, utc('2026-03-14T23:30:00Z'), shanghai).ok).toBe(false);
  });

  it('refuses a date that overlaps or precedes a published version', () => {
    const published = plan({ versions: [version(), version({ number: 2, effectiveFrom: '2026-05-01' })] });
    const draft = (effectiveFrom: string) => ({
      ...published,
      versions: [...published.versions, version({ number: 3, effectiveFrom, status: 'draft' })],
    });
    expect(validatePublish(draft('2026-05-01'), 3, now, shanghai)).toMatchObject({
      ok: false,
      issues: [{ field: 'versions.2.effectiveFrom', message: expect.stringContaining('Overlaps version 2') }],
    });
    expect(validatePublish(draft('2026-04-01'), 3, now, shanghai)).toMatchObject({
      ok: false,
      issues: [{ field: 'versions.2.effectiveFrom', message: 'Must be after 2026-05-01, when version 2 takes effect' }],
    });
  });

  it('refuses a missing or already published version', () => {
    expect(validatePublish(withDraft('2026-04-01'), 7, now, shanghai)).toEqual({
      ok: false,
      issues: [{ field: 'version', message: 'Plan basic has no version 7' }],
    });
    expect(validatePublish(withDraft('2026-04-01'), 1, now, shanghai)).toEqual({
      ok: false,
      issues: [{ field: 'version', message: 'Version 1 is published already' }],
    });
  });
});

describe('saving a plan', () => {
  const now = utc('2026-03-15T02:00:00Z');
  const saved = plan();

  it('keeps published versions as they are', () => {
    const edited = { ...saved, versions: [{ ...saved.versions[0]!, monthlyRent: 2000 }] };
    expect(validatePlanUpdate(saved, edited, now, shanghai)).toEqual({
      ok: false,
      issues: [{ field: 'versions.0', message: 'Version 1 is published and cannot change: add a new version' }],
    });
    expect(validatePlanUpdate(saved, { ...saved, versions: [] }, now, shanghai)).toEqual({
      ok: false,
      issues: [{ field: 'versions', message: 'Version 1 is published and cannot be removed' }],
    });
  });

  it('sees a published version written with its keys in another order as unchanged', () => {
    const [v1] = saved.versions;
    const reordered = Object.fromEntries(Object.entries(v1!).reverse());
    reordered.usagePrices = Object.fromEntries(Object.entries(v1!.usagePrices).reverse());
    expect(validatePlanUpdate(saved, { ...saved, versions: [reordered] }, now, shanghai).ok).toBe(true);
  });

  it('fixes the currency and version policy once a version is published', () => {
    const result = validatePlanUpdate(saved, { ...saved, currency: 'USD', versionPolicy: 'grandfather' }, now, shanghai);
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual(['currency', 'versionPolicy']);
  });

  it('applies the schema first', () => {
    expect(validatePlanUpdate(null, { ...saved, name: '' }, now, shanghai)).toMatchObject({ ok: false, issues: [{ field: 'name' }] });
  });

  it('lets a new plan publish a version from today, not before', () => {
    expect(validatePlanUpdate(null, plan({ versions: [version({ effectiveFrom: '2026-03-15' })] }), now, shanghai).ok).toBe(true);
    expect(validatePlanUpdate(null, plan({ versions: [version({ effectiveFrom: '2026-03-01' })] }), now, shanghai)).toMatchObject({
      ok: false,
      issues: [{ field: 'versions.0.effectiveFrom' }],
    });
  });
});
