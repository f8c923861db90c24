import { describe, expect, it } from 'vitest';
import { chargeCycle } from './charge-cycle';
import { lineKey, manualAdjustment, rerate, type ChargeLine } from './rerating';
import { local, march2026, party, span, usage, usages, version } from './testing';
import type { TariffVersion } from './tariff';
import type { UsageRecord } from './rating';

const t0 = local('2026-03-02 09:00');
const records = [...usages(3, 'missed-detail', t0), usage(10, 'notification', t0 + 3_600_000)];
const lines = (v: TariffVersion, recs: UsageRecord[] = records, from = march2026.start): ChargeLine[] => {
  const charges = chargeCycle({ party, cycle: march2026, spans: [span(v, march2026, from)], records: recs });
  return [...charges.rent, ...charges.usage.charges];
};
const sum = (items: readonly { amount: number }[]) => items.reduce((total, item) => total + item.amount, 0);

describe('rerating a closed cycle', () => {
  const stored = lines(version());

  it('finds nothing to adjust when nothing changed', () => {
    expect(rerate(stored, lines(version()), 'monthly check')).toEqual([]);
  });

  it('adjusts each line a price correction changes, with the reason', () => {
    const corrected = version({ usagePrices: { ...version().usagePrices, 'missed-detail': 8 } });
    const adjustments = rerate(stored, lines(corrected), 'Detail queries are 0.08 since version 1');
    expect(adjustments).toEqual(
      [1, 2, 3].map((id) => ({
        key: `usage:${id}`,
        party,
        source: 'rerate',
        amount: -2,
        previousAmount: 10,
        newAmount: 8,
        reason: 'Detail queries are 0.08 since version 1',
      })),
    );
  });

  it('adjusts the rent line when the rent changes', () => {
    const adjustments = rerate(stored, lines(version({ monthlyRent: 2500 })), 'Rent corrected');
    expect(adjustments).toEqual([
      expect.objectContaining({ key: `rent:${party}:basic:1:${march2026.start}`, amount: -500, previousAmount: 3000, newAmount: 2500 }),
    ]);
  });

  it('charges a record that arrived after the close and refunds one that was withdrawn', () => {
    const late = usage(11, 'voice-message', t0 + 7_200_000);
    const fresh = lines(version(), [...records.filter((r) => r.id !== 2), late]);
    expect(rerate(stored, fresh, 'Late SMSC receipts').map((a) => [a.key, a.previousAmount, a.newAmount, a.amount])).toEqual([
      ['usage:11', 0, 20, 20],
      ['usage:2', 10, 0, -10],
    ]);
  });

  it('replaces a rent line whose span moved: the old one to 0, the new one in full', () => {
    const moved = lines(version(), records, local('2026-03-02 00:00'));
    const adjustments = rerate(stored, moved, 'Opening date corrected');
    expect(adjustments.map((a) => [a.key.split(':').pop(), a.amount])).toEqual([
      [String(local('2026-03-02 00:00')), 2903], // 30 of 31 days
      [String(march2026.start), -3000],
    ]);
  });

  it('brings the stored total to the fresh one, and rerating again finds nothing more', () => {
    const corrected = lines(version({ monthlyRent: 2800, usagePrices: { ...version().usagePrices, notification: 15 } }));
    const first = rerate(stored, corrected, 'Tariff correction');
    expect(sum(stored) + sum(first)).toBe(sum(corrected));
    expect(rerate([...stored, ...first], corrected, 'Tariff correction')).toEqual([]);
    // And back again: the earlier adjustments are netted, not repeated.
    const back = rerate([...stored, ...first], stored, 'Correction withdrawn');
    expect(sum(back)).toBe(-sum(first));
  });

  it('leaves manual adjustments alone', () => {
    const credit = manualAdjustment('manual:1', party, -500, 'Goodwill credit');
    expect(rerate([...stored, credit], stored, 'Check')).toEqual([]);
  });

  it('needs a reason', () => {
    expect(() => rerate(stored, stored, '  ')).toThrow('Give the reason for the adjustment');
  });

  it('keys lines by record and rent span', () => {
    expect(stored.map(lineKey)).toEqual([`rent:${party}:basic:1:${march2026.start}`, 'usage:1', 'usage:2', 'usage:3', 'usage:10']);
  });
});

describe('manual adjustments', () => {
  it('carry the amount and reason', () => {
    expect(manualAdjustment('manual:7', party, -300, ' Complaint 123 ')).toEqual({
      key: 'manual:7',
      party,
      source: 'manual',
      amount: -300,
      previousAmount: null,
      newAmount: null,
      reason: 'Complaint 123',
    });
  });

  it.each([
    [0, 'x', 'amount'],
    [1.5, 'x', 'amount'],
    [100, '', 'reason'],
  ])('refuse %j with reason %j', (amount, reason, field) => {
    expect(() => manualAdjustment('manual:1', party, amount, reason)).toThrow(expect.objectContaining({ field }));
  });
});
