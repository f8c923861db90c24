import { describe, expect, it } from 'vitest';
import { rate, type RatingContext, type UsageCharge, type UsageRecord } from './rating';
import { local, march2026, party, span, usage, usages, version } from './testing';
import type { TariffVersionInput } from './tariff';

const t0 = local('2026-03-02 09:00');
const context = (overrides: Partial<TariffVersionInput> = {}, extra: Partial<RatingContext> = {}): RatingContext => ({
  party,
  cycle: march2026,
  spans: [span(version(overrides))],
  rent: 0,
  ...extra,
});
const amounts = (charges: UsageCharge[]) => charges.map((c) => c.amount);
const flags = (charges: UsageCharge[]) => charges.map((c) => c.capped);

describe('rating a record', () => {
  it('charges a detail query 0.10 and the seed’s free kinds nothing', () => {
    const records = [
      usage(1, 'missed-detail', t0),
      usage(2, 'missed-summary', t0 + 1),
      usage(3, 'opening-reminder', t0 + 2),
      usage(4, 'reply', t0 + 3),
      usage(5, 'service-opened', t0 + 4),
      usage(6, 'service-closed', t0 + 5),
      usage(7, 'voice-message', t0 + 6),
    ];
    const { charges } = rate(records, context());
    expect(charges.map((c) => [c.kind, c.basis, c.amount])).toEqual([
      ['missed-detail', 'priced', 10],
      ['missed-summary', 'free-kind', 0],
      ['opening-reminder', 'free-kind', 0],
      ['reply', 'free-kind', 0],
      ['service-opened', 'free-kind', 0],
      ['service-closed', 'free-kind', 0],
      ['voice-message', 'priced', 20],
    ]);
  });

  it('never charges a record stored as not chargeable, nor a kind the tariff does not know', () => {
    const { charges } = rate([usage(1, 'missed-detail', t0, { chargeable: 0 }), usage(2, 'own-number', t0 + 1)], context());
    expect(charges.map((c) => [c.basis, c.gross, c.amount])).toEqual([
      ['not-chargeable', 0, 0],
      ['unpriced', 0, 0],
    ]);
  });

  it('multiplies by the quantity', () => {
    expect(amounts(rate([usage(1, 'notification', t0, { quantity: 3 })], context()).charges)).toEqual([30]);
  });

  it('describes each line', () => {
    expect(rate([usage(42, 'missed-detail', t0)], context()).charges[0]).toEqual({
      recordId: 42,
      party,
      kind: 'missed-detail',
      at: t0,
      quantity: 1,
      planId: 'basic',
      version: 1,
      basis: 'priced',
      freeUnits: 0,
      gross: 10,
      amount: 10,
      capped: 'none',
    });
  });
});

describe('idempotent rating', () => {
  const records = [
    ...usages(5, 'missed-detail', t0, 1),
    ...usages(5, 'notification', t0 + 30_000, 10),
    usage(20, 'missed-detail', t0, { quantity: 2 }),
  ];
  const ctx = context({ freeQuota: [{ kinds: ['missed-detail'], units: 3 }], usageCap: 70 });

  it('gives the same lines for the same records', () => {
    expect(rate(records, ctx)).toEqual(rate(records, ctx));
  });

  it('takes records in order of time, then id, whatever order they come in', () => {
    const shuffled = [...records].reverse();
    shuffled.push(shuffled.splice(3, 1)[0]!);
    expect(rate(shuffled, ctx)).toEqual(rate(records, ctx));
    expect(
      rate(records, ctx)
        .charges.slice(0, 3)
        .map((c) => c.recordId),
    ).toEqual([1, 20, 10]);
  });

  it('continues from a stored state exactly as one pass would', () => {
    const whole = rate(records, ctx);
    const sorted = whole.charges.map((c) => records.find((r) => r.id === c.recordId)!);
    const first = rate(sorted.slice(0, 6), ctx);
    const rest = rate(sorted.slice(6), { ...ctx, resume: JSON.parse(JSON.stringify(first.state)) as typeof first.state });
    expect([...first.charges, ...rest.charges]).toEqual(whole.charges);
    expect([...first.thresholds, ...rest.thresholds]).toEqual(whole.thresholds);
    expect(rest.state).toEqual(whole.state);
  });

  it('refuses a record it has rated already', () => {
    const first = rate(records.slice(0, 3), ctx);
    expect(() => rate(records.slice(2, 4), { ...ctx, resume: first.state })).toThrow('Record 3 is rated already');
    expect(() => rate([usage(1, 'missed-detail', t0), usage(1, 'missed-detail', t0)], ctx)).toThrow('Record 1 is rated already');
  });
});

describe('free quota', () => {
  it('frees the first units of the cycle in record order', () => {
    const { charges } = rate(usages(4, 'missed-detail', t0), context({ freeQuota: [{ kinds: ['missed-detail'], units: 2 }] }));
    expect(charges.map((c) => [c.basis, c.freeUnits, c.amount])).toEqual([
      ['free-quota', 1, 0],
      ['free-quota', 1, 0],
      ['priced', 0, 10],
      ['priced', 0, 10],
    ]);
  });

  it('shares one pool between kinds', () => {
    const records = [
      usage(1, 'voice-message', t0),
      usage(2, 'missed-detail', t0 + 1),
      usage(3, 'voice-message', t0 + 2),
      usage(4, 'missed-detail', t0 + 3),
    ];
    const { charges } = rate(records, context({ freeQuota: [{ kinds: ['missed-detail', 'voice-message'], units: 3 }] }));
    expect(charges.map((c) => [c.kind, c.amount])).toEqual([
      ['voice-message', 0],
      ['missed-detail', 0],
      ['voice-message', 0],
      ['missed-detail', 10],
    ]);
  });

  it('splits a record of several units across the end of the quota', () => {
    const { charges } = rate(
      [usage(1, 'notification', t0, { quantity: 3 })],
      context({ freeQuota: [{ kinds: ['notification'], units: 2 }] }),
    );
    expect(charges.map((c) => [c.basis, c.freeUnits, c.gross])).toEqual([['priced', 2, 10]]);
  });

  it('keeps pools per kind apart', () => {
    const records = [...usages(2, 'missed-detail', t0, 1), ...usages(2, 'notification', t0 + 1, 10)];
    const quotas = [
      { kinds: ['missed-detail' as const], units: 1 },
      { kinds: ['notification' as const], units: 1 },
    ];
    expect(amounts(rate(records, context({ freeQuota: quotas })).charges)).toEqual([0, 0, 10, 10]);
  });
});

describe('tiers', () => {
  const tiered = {
    tiers: {
      notification: [
        { after: 2, price: 5 },
        { after: 4, price: 2 },
      ],
    },
  };

  it('graduates the price with the cycle’s volume', () => {
    expect(amounts(rate(usages(6, 'notification', t0), context(tiered)).charges)).toEqual([10, 10, 5, 5, 2, 2]);
  });

  it('prices a record of several units across tiers', () => {
    // 10 + 10 + 5 + 5 + 2
    expect(amounts(rate([usage(1, 'notification', t0, { quantity: 5 })], context(tiered)).charges)).toEqual([32]);
  });

  it('counts only billable units, after the free quota', () => {
    const ctx = context({ ...tiered, freeQuota: [{ kinds: ['notification'], units: 1 }] });
    expect(amounts(rate(usages(4, 'notification', t0), ctx).charges)).toEqual([0, 10, 10, 5]);
  });
});

describe('capping (usage cap 30 fen, warnings at 80 and 100 %)', () => {
  const capped = (cap: number, extra: Partial<TariffVersionInput> = {}) => context({ usageCap: cap, ...extra });

  it('cap exactly reached: every charge in full, the next one capped', () => {
    const result = rate(usages(4, 'missed-detail', t0), capped(30));
    expect(amounts(result.charges)).toEqual([10, 10, 10, 0]);
    expect(flags(result.charges)).toEqual(['none', 'none', 'none', 'full']);
    expect(result.charges[3]!.gross).toBe(10);
    expect(result.thresholds.map((e) => [e.cap, e.percent, e.recordId, e.spent, e.limit])).toEqual([
      ['usage', 80, 3, 30, 30],
      ['usage', 100, 3, 30, 30],
    ]);
    expect(result.totals).toEqual({ gross: 40, charged: 30, capWaived: 10 });
  });

  it('cap crossed by one charge: it pays up to the cap', () => {
    const result = rate(usages(4, 'voice-message', t0), capped(50));
    expect(amounts(result.charges)).toEqual([20, 20, 10, 0]);
    expect(flags(result.charges)).toEqual(['none', 'none', 'partial', 'full']);
    // 40 of 50 is 80 %; the partial charge reaches 100 %.
    expect(result.thresholds.map((e) => [e.percent, e.recordId])).toEqual([
      [80, 2],
      [100, 3],
    ]);
  });

  it('warns at each threshold once, at the record that reaches it', () => {
    const result = rate(usages(6, 'missed-detail', t0), capped(50));
    expect(result.thresholds.map((e) => [e.percent, e.recordId, e.spent])).toEqual([
      [80, 4, 40],
      [100, 5, 50],
    ]);
  });

  it('cap already exceeded: later records are rated, at 0, and marked', () => {
    const first = rate(usages(3, 'missed-detail', t0), capped(30));
    const later = rate(usages(2, 'missed-detail', t0 + 3_600_000, 10), { ...capped(30), resume: first.state });
    expect(later.charges.map((c) => [c.recordId, c.gross, c.amount, c.capped])).toEqual([
      [10, 10, 0, 'full'],
      [11, 10, 0, 'full'],
    ]);
    expect(later.thresholds).toEqual([]);
  });

  it('a cap lowered mid-cycle below what was charged caps everything after it', () => {
    const change = local('2026-03-15 00:00');
    const spans = [span(version(), march2026, march2026.start, change), span(version({ number: 2, usageCap: 15 }), march2026, change)];
    const records = [...usages(3, 'missed-detail', t0), ...usages(2, 'missed-detail', change, 10)];
    const result = rate(records, { party, cycle: march2026, spans, rent: 0 });
    expect(result.charges.map((c) => [c.version, c.amount, c.capped])).toEqual([
      [1, 10, 'none'],
      [1, 10, 'none'],
      [1, 10, 'none'],
      [2, 0, 'full'],
      [2, 0, 'full'],
    ]);
    expect(result.thresholds.map((e) => [e.percent, e.recordId])).toEqual([
      [80, 10],
      [100, 10],
    ]);
  });

  it('leaves free records alone past the cap', () => {
    const records = [...usages(3, 'missed-detail', t0), usage(9, 'missed-summary', t0 + 3_600_000)];
    expect(rate(records, capped(20)).charges[3]).toMatchObject({ basis: 'free-kind', amount: 0, capped: 'none' });
  });

  it('a cap of 0 waives all usage', () => {
    const result = rate(usages(2, 'missed-detail', t0), capped(0));
    expect(flags(result.charges)).toEqual(['full', 'full']);
    expect(result.totals).toEqual({ gross: 20, charged: 0, capWaived: 20 });
  });
});

describe('total cap (rent included)', () => {
  it('counts the rent toward the cap, and warns when the rent alone reaches a threshold', () => {
    const result = rate(usages(4, 'missed-detail', t0), context({ totalCap: 3025, usageCap: null }, { rent: 3000 }));
    expect(amounts(result.charges)).toEqual([10, 10, 5, 0]);
    expect(flags(result.charges)).toEqual(['none', 'none', 'partial', 'full']);
    expect(result.thresholds.map((e) => [e.cap, e.percent, e.recordId, e.spent, e.at])).toEqual([
      ['total', 80, null, 3000, march2026.start],
      ['total', 100, 3, 3025, t0 + 2 * 60_000],
    ]);
  });

  it('binds before the usage cap when it is lower', () => {
    const result = rate(usages(3, 'missed-detail', t0), context({ totalCap: 3015, usageCap: 100, thresholds: [100] }, { rent: 3000 }));
    expect(amounts(result.charges)).toEqual([10, 5, 0]);
    expect(result.thresholds.map((e) => [e.cap, e.percent, e.recordId])).toEqual([['total', 100, 2]]);
  });

  it('lets the usage cap bind when it is lower', () => {
    const result = rate(usages(3, 'missed-detail', t0), context({ totalCap: 5000, usageCap: 15 }, { rent: 3000 }));
    expect(amounts(result.charges)).toEqual([10, 5, 0]);
  });
});

describe('versions within a cycle', () => {
  it('rates each record by the version in force at its instant, with counters running across the cycle', () => {
    const change = local('2026-03-15 00:00');
    const quota = [{ kinds: ['missed-detail' as const], units: 2 }];
    const spans = [
      span(version({ freeQuota: quota }), march2026, march2026.start, change),
      span(version({ number: 2, freeQuota: quota, usagePrices: { ...version().usagePrices, 'missed-detail': 8 } }), march2026, change),
    ];
    const records = [usage(1, 'missed-detail', t0), usage(2, 'missed-detail', change), usage(3, 'missed-detail', change + 1)];
    const { charges } = rate(records, { party, cycle: march2026, spans, rent: 0 });
    expect(charges.map((c) => [c.version, c.basis, c.amount])).toEqual([
      [1, 'free-quota', 0],
      [2, 'free-quota', 0],
      [2, 'priced', 8],
    ]);
  });

  it('rates a record outside every span by the span before it (or the first)', () => {
    const spans = [span(version(), march2026, local('2026-03-05 00:00'), local('2026-03-10 00:00'))];
    const records = [usage(1, 'missed-detail', local('2026-03-02 00:00')), usage(2, 'missed-detail', local('2026-03-20 00:00'))];
    expect(amounts(rate(records, { party, cycle: march2026, spans, rent: 0 }).charges)).toEqual([10, 10]);
  });
});

describe('bad input', () => {
  it('refuses records of an unknown subscriber', () => {
    expect(() => rate([usage(1, 'missed-detail', t0)], context({}, { spans: [] }))).toThrow(`${party} has no tariff plan in cycle 2026-03`);
    expect(rate([], context({}, { spans: [] })).charges).toEqual([]);
  });

  it('refuses another party’s records, records outside the cycle and odd quantities', () => {
    const other: UsageRecord = { ...usage(1, 'missed-detail', t0), party: '+8613900139000' };
    expect(() => rate([other], context())).toThrow(`Record 1 is for +8613900139000, not ${party}`);
    expect(() => rate([usage(1, 'missed-detail', march2026.end)], context())).toThrow('Record 1 is outside cycle 2026-03');
    expect(() => rate([usage(1, 'missed-detail', t0, { quantity: 0 })], context())).toThrow('quantity 0');
  });

  it('refuses a state from another cycle', () => {
    const { state } = rate([usage(1, 'missed-detail', t0)], context());
    expect(() => rate([], context({}, { resume: { ...state, cycleKey: '2026-02' } }))).toThrow('The rating state is for');
  });
});
