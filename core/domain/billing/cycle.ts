/**
 * Monthly bill cycles in the operator's time zone. A cycle starts at local
 * midnight of its close day and ends (exclusive) at local midnight of the same
 * day a month later; it is named by the month it starts in. With close day 1
 * the cycle "2026-03" is all of March, local time.
 */
import { z } from 'zod';
import { ApiError } from '../../api/errors';
import { serviceRulesSchema } from '../../api/rules';
import { localDay, minuteOfDay } from '../local-time';

export interface CycleConfig {
  /** Day of month (1–28, so every month has it) on which a cycle closes and the next begins. */
  closeDay: number;
  timeZone: string;
}

export const cycleConfigSchema = z.object({
  closeDay: z.number().int('The close day is a whole day of the month').min(1, 'Close on day 1–28').max(28, 'Close on day 1–28'),
  timeZone: serviceRulesSchema.shape.timeZone,
});

export const defaultCycleConfig: CycleConfig = { closeDay: 1, timeZone: 'Asia/Shanghai' };

export interface BillCycle {
  /** 'YYYY-MM', the month the cycle starts in. */
  key: string;
  closeDay: number;
  timeZone: string;
  /** First instant of the cycle (ms epoch). */
  start: number;
  /** First instant after the cycle (ms epoch), the next cycle's start. */
  end: number;
  /** Local dates: first day, and the first day after the cycle. */
  startDay: string;
  endDay: string;
  /** Local calendar days in the cycle (28–31), the denominator of daily proration. */
  days: number;
  /** Start instant of each local day, plus `end`: days + 1 entries (days are not all 24 h under DST). */
  dayStarts: readonly number[];
}

const dayMs = 86_400_000;
const localDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseLocalDate(day: string): { year: number; month: number; date: number } | null {
  const match = localDatePattern.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
  return { year, month, date };
}

/** Whether a string is a real calendar date 'YYYY-MM-DD'. */
export function isLocalDate(day: string): boolean {
  return parseLocalDate(day) !== null;
}

function requireLocalDate(day: string): { year: number; month: number; date: number } {
  const parsed = parseLocalDate(day);
  if (!parsed) throw new ApiError('validation', `Not a date: "${day}" (use YYYY-MM-DD)`, { field: 'date' });
  return parsed;
}

function formatDate(year: number, month: number, date: number): string {
  // Date.UTC normalises overflow (month 13, day 0), so callers may step past the month's end.
  const d = new Date(Date.UTC(year, month - 1, date));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** A local date `days` later (or earlier when negative). */
export function addDays(day: string, days: number): string {
  const { year, month, date } = requireLocalDate(day);
  return formatDate(year, month, date + days);
}

/** Local calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = requireLocalDate(from);
  const b = requireLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.date) - Date.UTC(a.year, a.month - 1, a.date)) / dayMs);
}

/** The zone's offset from UTC at an instant, in ms (Shanghai: +8 h). */
function offsetAt(at: number, timeZone: string): number {
  const wall = localDay(at, timeZone);
  const { year, month, date } = requireLocalDate(wall);
  const wallAsUtc = Date.UTC(year, month - 1, date) + minuteOfDay(at, timeZone) * 60_000;
  return wallAsUtc - (at - (((at % 60_000) + 60_000) % 60_000));
}

const dayStartCache = new Map<string, number>();

/**
 * The first instant of a local date in a time zone (ms epoch): local midnight,
 * or the end of the gap when a DST change skips midnight.
 */
export function startOfLocalDay(day: string, timeZone: string): number {
  const cacheKey = `${timeZone}|${day}`;
  const cached = dayStartCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const { year, month, date } = requireLocalDate(day);
  const wall = Date.UTC(year, month - 1, date);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  // The second guess is right unless midnight falls in a DST gap; then the first guess is the gap's end.
  const start = localDay(second, timeZone) === day ? second : first;
  if (dayStartCache.size > 10_000) dayStartCache.clear();
  dayStartCache.set(cacheKey, start);
  return start;
}

const cycleCache = new Map<string, BillCycle>();

const validConfigs = new Set<string>();

function requireConfig(config: CycleConfig): void {
  const key = `${config.timeZone}|${config.closeDay}`;
  if (validConfigs.has(key)) return;
  const parsed = cycleConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('validation', issue.message, { field: issue.path.join('.') });
  }
  validConfigs.add(key);
}

/** The cycle named 'YYYY-MM' (the month it starts in). */
export function cycleByKey(key: string, config: CycleConfig = defaultCycleConfig): BillCycle {
  const cacheKey = `${config.timeZone}|${config.closeDay}|${key}`;
  const cached = cycleCache.get(cacheKey);
  if (cached) return cached;
  requireConfig(config);
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) throw new ApiError('validation', `Not a cycle: "${key}" (use YYYY-MM)`, { field: 'cycle' });
  const year = Number(match[1]);
  const startDay = formatDate(year, month, config.closeDay);
  const endDay = formatDate(year, month + 1, config.closeDay);
  const days = daysBetween(startDay, endDay);
  const dayStarts = Array.from({ length: days + 1 }, (_, i) => startOfLocalDay(addDays(startDay, i), config.timeZone));
  const cycle: BillCycle = Object.freeze({
    key,
    closeDay: config.closeDay,
    timeZone: config.timeZone,
    start: dayStarts[0]!,
    end: dayStarts[days]!,
    startDay,
    endDay,
    days,
    dayStarts: Object.freeze(dayStarts),
  });
  if (cycleCache.size > 1_000) cycleCache.clear();
  cycleCache.set(cacheKey, cycle);
  return cycle;
}

function shiftKey(key: string, months: number): string {
  const [year, month] = key.split('-').map(Number);
  return formatDate(year!, month! + months, 1).slice(0, 7);
}

/** The cycle an instant falls in. */
export function cycleContaining(at: number, config: CycleConfig = defaultCycleConfig): BillCycle {
  requireConfig(config);
  const day = localDay(at, config.timeZone);
  const monthKey = day.slice(0, 7);
  return cycleByKey(Number(day.slice(8)) >= config.closeDay ? monthKey : shiftKey(monthKey, -1), config);
}

export function nextCycle(cycle: BillCycle): BillCycle {
  return cycleByKey(shiftKey(cycle.key, 1), cycle);
}

export function previousCycle(cycle: BillCycle): BillCycle {
  return cycleByKey(shiftKey(cycle.key, -1), cycle);
}

/** Index (0-based) of the local day of the cycle that an instant falls in; -1 outside the cycle. */
export function dayIndexOf(cycle: BillCycle, at: number): number {
  if (at < cycle.start || at >= cycle.end) return -1;
  const starts = cycle.dayStarts;
  let low = 0;
  let high = cycle.days - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}
