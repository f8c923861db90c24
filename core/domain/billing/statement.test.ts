import { describe, expect, it } from 'vitest';
import { chargeCycle } from './charge-cycle';
import { manualAdjustment, rerate } from './rerating';
import { buildStatement, type Statement } from './statement';
import { local, march2026, party, span, usage, version } from './testing';
import type { UsageRecord } from './rating';
import type { UsageKind } from './tariff';

const t0 = local('2026-03-02 09:00');

/** Records from a fixed seed, so a failure can be replayed. */
function generatedRecords(seed: number, count: number): UsageRecord[] {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31);
  const kinds: UsageKind[] = ['missed-detail', 'notification', 'voice-message', 'missed-summary', 'reachable-alert', 'reply'];
  return Array.from({ length: count }, (_, i) =>
    usage(i + 1, kinds[next() % kinds.length]!, t0 + (next() % 1_000) * 60_000, {
      quantity: 1 + (next() % 3),
      chargeable: next() % 10 ? 1 : 0,
    }),
  );
}

function lineSums(statement: Statement) {
  const sum = (items: readonly { amount: number }[]) => items.reduce((total, item) => total + item.amount, 0);
  return { rent: sum(statement.rent.lines), adjustments: sum(statement.adjustments.lines) };
}

describe('a statement', () => {
  const v = version({
    usageCap: 500,
    freeQuota: [{ kinds: ['missed-detail'], units: 2 }],
    tiers: { notification: [{ after: 5, price: 5 }] },
  });
  const opened = local('2026-03-11 10:00');

  it('shows rent, usage by kind, the cap’s effect, adjustments and the total', () => {
    const records = [
      usage(1, 'missed-detail', t0 + 9 * 86_400_000),
      usage(2, 'missed-detail', t0 + 9 * 86_400_000 + 1),
      usage(3, 'missed-detail', t0 + 9 * 86_400_000 + 2),
      usage(4, 'missed-summary', t0 + 9 * 86_400_000 + 3),
      usage(5, 'voice-message', t0 + 9 * 86_400_000 + 4, { quantity: 30 }),
    ];
    const charges = chargeCycle({ party, cycle: march2026, spans: [span(v, march2026, opened)], records });
    const credit = manualAdjustment('manual:1', party, -100, 'Goodwill');
    const statement = buildStatement({
      party,
      cycle: march2026,
      currency: charges.currency,
      rent: charges.rent,
      usage: charges.usage.charges,
      adjustments: [credit],
    });
    expect(statement).toMatchObject({
      party,
      cycleKey: '2026-03',
      from: march2026.start,
      to: march2026.end,
      currency: 'CNY',
      rent: { total: 2032 }, // 21 of 31 days
      usage: {
        records: 5,
        gross: 610,
        charged: 500,
        byKind: [
          { kind: 'voice-message', records: 1, units: 30, freeUnits: 0, gross: 600, charged: 490, capWaived: 110 },
          { kind: 'missed-detail', records: 3, units: 3, freeUnits: 2, gross: 10, charged: 10, capWaived: 0 },
          { kind: 'missed-summary', records: 1, units: 1, freeUnits: 0, gross: 0, charged: 0, capWaived: 0 },
        ],
      },
      capWaived: 110,
      adjustments: { total: -100 },
      total: 2032 + 500 - 100,
    });
  });

  it('adds up to the fen, whatever the usage', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const records = generatedRecords(seed, 200);
      const charges = chargeCycle({ party, cycle: march2026, spans: [span(v, march2026, opened)], records });
      const adjustments = seed % 2 ? rerate([...charges.rent, ...charges.usage.charges], [], 'Closed in error') : [];
      const statement = buildStatement({
        party,
        cycle: march2026,
        currency: 'CNY',
        rent: charges.rent,
        usage: charges.usage.charges,
        adjustments,
      });
      const sums = lineSums(statement);
      const byKind = statement.usage.byKind;
      expect(statement.rent.total).toBe(sums.rent);
      expect(statement.adjustments.total).toBe(sums.adjustments);
      expect(statement.usage.charged).toBe(charges.usage.charges.reduce((total, c) => total + c.amount, 0));
      expect(statement.usage.charged).toBe(byKind.reduce((total, row) => total + row.charged, 0));
      expect(statement.usage.gross).toBe(byKind.reduce((total, row) => total + row.gross, 0));
      expect(statement.capWaived).toBe(byKind.reduce((total, row) => total + row.capWaived, 0));
      expect(statement.usage.records).toBe(records.length);
      expect(statement.usage.charged).toBeLessThanOrEqual(500);
      expect(statement.total).toBe(sums.rent + statement.usage.charged + sums.adjustments);
      expect(statement.total).toBe(seed % 2 ? 0 : charges.total);
    }
  });

  it('refuses a line of another subscriber', () => {
    const charges = chargeCycle({ party, cycle: march2026, spans: [span(v)], records: [usage(1, 'missed-detail', t0)] });
    expect(() =>
      buildStatement({ party: '+8613900139000', cycle: march2026, currency: 'CNY', rent: charges.rent, usage: charges.usage.charges }),
    ).toThrow(`A line for ${party} cannot go on +8613900139000's statement`);
  });
});

describe('charging a cycle', () => {
  it('counts the cycle’s rent, as prorated, toward the total cap', () => {
    const records = Array.from({ length: 10 }, (_, i) => usage(i + 1, 'missed-detail', local('2026-03-12 00:00') + i));
    const whole = chargeCycle({ party, cycle: march2026, spans: [span(version({ totalCap: 3050 }))], records });
    expect([whole.rentTotal, whole.usage.totals]).toEqual([3000, { gross: 100, charged: 50, capWaived: 50 }]);
    expect(whole.total).toBe(3050);
    // Opened on 11 March: 21 days of rent leave room for all the usage.
    const part = chargeCycle({
      party,
      cycle: march2026,
      spans: [span(version({ totalCap: 3050 }), march2026, local('2026-03-11 10:00'))],
      records,
    });
    expect([part.rentTotal, part.usage.totals]).toEqual([2032, { gross: 100, charged: 100, capWaived: 0 }]);
  });

  it('refuses plans of different currencies on one bill', () => {
    const spans = [
      span(version(), march2026, march2026.start, local('2026-03-10 00:00')),
      { ...span(version(), march2026, local('2026-03-10 00:00')), planId: 'usd', currency: 'USD' },
    ];
    expect(() => chargeCycle({ party, cycle: march2026, spans, records: [] })).toThrow('cannot share a bill');
  });
});
