import { describe, expect, it } from 'vitest';
import { cycleByKey } from './cycle';
import { prorateRent, type RentLine } from './proration';
import { local, march2026, party, plan, shanghai, span, utc, version } from './testing';
import { tariffSpans, type TariffSpan } from './versions';

const daily = version(); // ¥30, daily proration, half-up
const rent = (spans: TariffSpan[], cycle = march2026, firstOpenedAt?: number) => prorateRent({ party, cycle, spans, firstOpenedAt });
const summary = (lines: RentLine[]) => lines.map((l) => [l.version, l.days, l.basis, l.amount]);

describe('daily proration (¥30 a month, March has 31 days)', () => {
  it('charges the full rent for a whole cycle', () => {
    expect(summary(rent([span(daily)]))).toEqual([[1, 31, 'full-cycle', 3000]]);
  });

  it('opening on the 1st, even at 10:00, is the whole cycle', () => {
    expect(summary(rent([span(daily, march2026, local('2026-03-01 10:00'))]))).toEqual([[1, 31, 'full-cycle', 3000]]);
  });

  it('opening on the last day charges one day', () => {
    // 3000 / 31 = 96.77
    expect(summary(rent([span(daily, march2026, local('2026-03-31 23:00'))]))).toEqual([[1, 1, 'prorated', 97]]);
  });

  it('opening on 29 February of a leap year charges one day of 29', () => {
    const february2028 = cycleByKey('2028-02', { closeDay: 1, timeZone: shanghai });
    expect(february2028.days).toBe(29);
    // 3000 / 29 = 103.45
    expect(summary(rent([span(daily, february2028, local('2028-02-29 08:00'))], february2028))).toEqual([[1, 1, 'prorated', 103]]);
    // With close day 15 the leap day sits mid-cycle: 15 Feb – 14 Mar has 29 days, 29 Feb to the end is 15 of them.
    const cycle = cycleByKey('2028-02', { closeDay: 15, timeZone: shanghai });
    expect(summary(rent([span(daily, cycle, local('2028-02-29 08:00'))], cycle))).toEqual([[1, 15, 'prorated', 1552]]); // 1551.7
  });

  it('closing mid-cycle counts the closing day', () => {
    // 1–10 March: 3000 × 10 / 31 = 967.74
    expect(summary(rent([span(daily, march2026, march2026.start, local('2026-03-10 12:00'))]))).toEqual([[1, 10, 'prorated', 968]]);
    // Closing at midnight: the 11th never started.
    expect(summary(rent([span(daily, march2026, march2026.start, local('2026-03-11 00:00'))]))).toEqual([[1, 10, 'prorated', 968]]);
  });

  it('opening and closing on one day charges that day', () => {
    expect(summary(rent([span(daily, march2026, local('2026-03-10 09:00'), local('2026-03-10 18:00'))]))).toEqual([[1, 1, 'prorated', 97]]);
  });

  it('closing and reopening on one day charges the day once', () => {
    const lines = rent([
      span(daily, march2026, march2026.start, local('2026-03-10 12:00')),
      span(daily, march2026, local('2026-03-10 18:00')),
    ]);
    expect(summary(lines)).toEqual([
      [1, 9, 'prorated', 871], // 870.97
      [1, 22, 'prorated', 2129], // 2129.03
    ]);
    expect(lines[0]!.days + lines[1]!.days).toBe(31);
  });

  it('a plan change mid-cycle: the change day goes to the new version', () => {
    const dearer = version({ number: 2, monthlyRent: 6000 });
    const change = local('2026-03-11 10:00');
    const lines = rent([span(daily, march2026, march2026.start, change), span(dearer, march2026, change)]);
    // 1–10 March on ¥30: 967.74; 11–31 March on ¥60: 6000 × 21 / 31 = 4064.52
    expect(summary(lines)).toEqual([
      [1, 10, 'prorated', 968],
      [2, 21, 'prorated', 4065],
    ]);
    expect(lines.map((l) => [l.from, l.to])).toEqual([
      [march2026.start, change],
      [change, march2026.end],
    ]);
  });

  it('rounds with the version’s mode', () => {
    const february = cycleByKey('2026-02', { closeDay: 1, timeZone: shanghai });
    const half = (rounding: 'half-up' | 'half-even' | 'up' | 'down') =>
      rent([span(version({ monthlyRent: 1001, rounding }), february, local('2026-02-15 00:00'))], february)[0]!.amount;
    // 1001 × 14 / 28 = 500.5
    expect([half('half-up'), half('half-even'), half('up'), half('down')]).toEqual([501, 500, 501, 500]);
  });

  it('opening at 17:00 UTC on 31 March: a March day in UTC, an April day in Shanghai', () => {
    const at = utc('2026-03-31T17:00:00Z');
    const plans = new Map([['basic', plan()]]);
    const opened = [{ planId: 'basic', from: at, to: null }];
    const utcMarch = cycleByKey('2026-03', { closeDay: 1, timeZone: 'UTC' });
    expect(summary(rent(tariffSpans(opened, plans, utcMarch), utcMarch))).toEqual([[1, 1, 'prorated', 97]]);
    expect(rent(tariffSpans(opened, plans, march2026))).toEqual([]);
    const shanghaiApril = cycleByKey('2026-04', { closeDay: 1, timeZone: shanghai });
    expect(summary(rent(tariffSpans(opened, plans, shanghaiApril), shanghaiApril))).toEqual([[1, 30, 'full-cycle', 3000]]);
  });

  it('describes each line for a statement', () => {
    const [line] = rent([span(daily, march2026, local('2026-03-31 23:00'))]);
    expect(line).toEqual({
      key: `rent:${party}:basic:1:${local('2026-03-31 23:00')}`,
      party,
      planId: 'basic',
      version: 1,
      from: local('2026-03-31 23:00'),
      to: march2026.end,
      days: 1,
      cycleDays: 31,
      monthlyRent: 3000,
      policy: 'daily',
      basis: 'prorated',
      amount: 97,
    });
  });
});

describe('full-month policy', () => {
  const fullMonth = version({ rentProration: 'full-month' });

  it('charges the whole rent for the last day', () => {
    expect(summary(rent([span(fullMonth, march2026, local('2026-03-31 23:00'))]))).toEqual([[1, 1, 'full-month', 3000]]);
  });

  it('charges the whole rent when closing on the 2nd', () => {
    expect(summary(rent([span(fullMonth, march2026, march2026.start, local('2026-03-02 08:00'))]))).toEqual([[1, 2, 'full-month', 3000]]);
  });

  it('charges one month across a plan change', () => {
    const other = version({ number: 2, rentProration: 'full-month', monthlyRent: 5000 });
    const change = local('2026-03-11 10:00');
    expect(summary(rent([span(fullMonth, march2026, march2026.start, change), span(other, march2026, change)]))).toEqual([
      [1, 10, 'full-month', 3000],
      [2, 21, 'already-charged', 0],
    ]);
  });
});

describe('first-month-free policy', () => {
  const firstFree = version({ rentProration: 'first-month-free' });
  const opened = local('2026-03-10 12:00');

  it('charges nothing in the cycle the subscriber first opened in', () => {
    expect(summary(rent([span(firstFree, march2026, opened)], march2026, opened))).toEqual([[1, 22, 'first-month-free', 0]]);
  });

  it('charges in full from the next cycle, and daily when closing later', () => {
    const april = cycleByKey('2026-04', { closeDay: 1, timeZone: shanghai });
    expect(summary(rent([span(firstFree, april)], april, opened))).toEqual([[1, 30, 'full-cycle', 3000]]);
    // Closing after 15 April: 3000 × 15 / 30.
    expect(summary(rent([span(firstFree, april, april.start, local('2026-04-15 20:00'))], april, opened))).toEqual([
      [1, 15, 'prorated', 1500],
    ]);
  });

  it('is not free when the first opening is unknown', () => {
    expect(summary(rent([span(firstFree, march2026, opened)]))).toEqual([[1, 22, 'prorated', 2129]]);
  });
});
