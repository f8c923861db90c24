import { describe, expect, it } from 'vitest';
import { addDays, cycleByKey, cycleContaining, dayIndexOf, daysBetween, nextCycle, previousCycle, startOfLocalDay } from './cycle';
import { shanghai, utc } from './testing';

const iso = (ms: number) => new Date(ms).toISOString();
const inShanghai = (closeDay: number) => ({ closeDay, timeZone: shanghai });
const inUtc = (closeDay: number) => ({ closeDay, timeZone: 'UTC' });

describe('cycle boundaries: Asia/Shanghai against UTC', () => {
  it('close day 1: the cycle 2026-03 is March, local time', () => {
    const shanghaiMarch = cycleByKey('2026-03', inShanghai(1));
    expect(iso(shanghaiMarch.start)).toBe('2026-02-28T16:00:00.000Z');
    expect(iso(shanghaiMarch.end)).toBe('2026-03-31T16:00:00.000Z');
    expect(shanghaiMarch).toMatchObject({ startDay: '2026-03-01', endDay: '2026-04-01', days: 31 });

    const utcMarch = cycleByKey('2026-03', inUtc(1));
    expect(iso(utcMarch.start)).toBe('2026-03-01T00:00:00.000Z');
    expect(iso(utcMarch.end)).toBe('2026-04-01T00:00:00.000Z');
  });

  it('puts the instants around local midnight in the right cycle', () => {
    const lastMsOfFebruary = utc('2026-02-28T15:59:59.999Z');
    const firstMsOfMarch = utc('2026-02-28T16:00:00.000Z');
    expect(cycleContaining(lastMsOfFebruary, inShanghai(1)).key).toBe('2026-02');
    expect(cycleContaining(firstMsOfMarch, inShanghai(1)).key).toBe('2026-03');
    // The same instant is still 28 February in UTC.
    expect(cycleContaining(firstMsOfMarch, inUtc(1)).key).toBe('2026-02');
    expect(cycleContaining(utc('2026-03-01T00:00:00Z'), inUtc(1)).key).toBe('2026-03');
  });

  it('close day 15: 00:30 on the 15th in Shanghai is the 14th in UTC', () => {
    const at = utc('2026-03-14T16:30:00Z');
    const shanghaiCycle = cycleContaining(at, inShanghai(15));
    expect(shanghaiCycle).toMatchObject({ key: '2026-03', startDay: '2026-03-15', endDay: '2026-04-15', days: 31 });
    expect(iso(shanghaiCycle.start)).toBe('2026-03-14T16:00:00.000Z');
    const utcCycle = cycleContaining(at, inUtc(15));
    expect(utcCycle).toMatchObject({ key: '2026-02', startDay: '2026-02-15', endDay: '2026-03-15', days: 28 });
    expect(iso(utcCycle.end)).toBe('2026-03-15T00:00:00.000Z');
  });

  it('counts the days of each cycle, leap years included', () => {
    expect(cycleByKey('2026-02', inShanghai(1)).days).toBe(28);
    expect(cycleByKey('2028-02', inShanghai(1)).days).toBe(29);
    expect(cycleByKey('2026-01', inShanghai(28))).toMatchObject({ startDay: '2026-01-28', endDay: '2026-02-28', days: 31 });
    expect(cycleByKey('2026-02', inShanghai(28))).toMatchObject({ startDay: '2026-02-28', endDay: '2026-03-28', days: 28 });
    expect(cycleByKey('2028-02', inShanghai(28)).days).toBe(29);
  });
});

describe('next and previous cycles', () => {
  it('step across a year end and meet edge to edge', () => {
    const december = cycleByKey('2026-12', inShanghai(5));
    const january = nextCycle(december);
    expect(january.key).toBe('2027-01');
    expect(january.start).toBe(december.end);
    expect(previousCycle(january)).toBe(december);
    expect(previousCycle(cycleByKey('2026-01', inShanghai(5))).key).toBe('2025-12');
  });

  it('chain a year of cycles without gaps', () => {
    let cycle = cycleByKey('2026-01', inShanghai(10));
    for (let i = 0; i < 12; i++) {
      const next = nextCycle(cycle);
      expect(next.start).toBe(cycle.end);
      expect(cycleContaining(cycle.end - 1, inShanghai(10))).toBe(cycle);
      expect(cycleContaining(cycle.end, inShanghai(10))).toBe(next);
      cycle = next;
    }
  });
});

describe('local days', () => {
  it('lists the start of every local day, even under DST', () => {
    const newYork = cycleByKey('2026-03', { closeDay: 1, timeZone: 'America/New_York' });
    expect(iso(newYork.start)).toBe('2026-03-01T05:00:00.000Z');
    expect(iso(newYork.end)).toBe('2026-04-01T04:00:00.000Z');
    expect(newYork.dayStarts).toHaveLength(32);
    // 8 March 2026 is 23 hours long.
    expect(newYork.dayStarts[8]! - newYork.dayStarts[7]!).toBe(23 * 3_600_000);
  });

  it('starts a day at the end of a DST gap that swallows midnight', () => {
    expect(iso(startOfLocalDay('2025-09-07', 'America/Santiago'))).toBe('2025-09-07T04:00:00.000Z');
    expect(iso(startOfLocalDay('2025-09-08', 'America/Santiago'))).toBe('2025-09-08T03:00:00.000Z');
  });

  it('finds the day index of an instant', () => {
    const march = cycleByKey('2026-03', inShanghai(1));
    expect(dayIndexOf(march, march.start)).toBe(0);
    expect(dayIndexOf(march, utc('2026-03-10T15:59:59Z'))).toBe(9);
    expect(dayIndexOf(march, utc('2026-03-10T16:00:00Z'))).toBe(10);
    expect(dayIndexOf(march, march.end - 1)).toBe(30);
    expect(dayIndexOf(march, march.end)).toBe(-1);
    expect(dayIndexOf(march, march.start - 1)).toBe(-1);
  });

  it('does date arithmetic on local dates', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-03-01', '2026-04-01')).toBe(31);
  });
});

describe('bad input', () => {
  it.each([
    [{ closeDay: 29, timeZone: shanghai }, 'closeDay', 'Close on day 1–28'],
    [{ closeDay: 0, timeZone: shanghai }, 'closeDay', 'Close on day 1–28'],
    [{ closeDay: 1.5, timeZone: shanghai }, 'closeDay', 'whole day'],
    [{ closeDay: 1, timeZone: 'Mars/Olympus' }, 'timeZone', 'Not a time zone'],
  ])('%j', (config, field, message) => {
    expect(() => cycleByKey('2026-03', config)).toThrow(message);
    expect(() => cycleByKey('2026-03', config)).toThrow(expect.objectContaining({ field }));
  });

  it('refuses a cycle key that is not a month', () => {
    expect(() => cycleByKey('2026-13')).toThrow('Not a cycle: "2026-13"');
    expect(() => cycleByKey('March')).toThrow(expect.objectContaining({ field: 'cycle' }));
  });

  it('refuses a date that does not exist', () => {
    expect(() => startOfLocalDay('2026-02-29', shanghai)).toThrow('Not a date');
  });
});
