/** Builders for the billing tests: a seed-like tariff and usage records, with only what a test changes spelled out. */
import { cycleByKey, type BillCycle } from './cycle';
import type { UsageRecord } from './rating';
import {
  tariffPlanSchema,
  tariffVersionSchema,
  type TariffPlan,
  type TariffPlanInput,
  type TariffVersion,
  type TariffVersionInput,
} from './tariff';
import type { TariffSpan } from './versions';

export const shanghai = 'Asia/Shanghai';
export const party = '+8613800138000';

export const utc = (iso: string): number => Date.parse(iso);
/** An instant given as Shanghai wall time, e.g. '2026-03-10 12:00'. */
export const local = (wall: string): number => Date.parse(`${wall.replace(' ', 'T')}+08:00`);

/** ¥30 a month, 0.10 per detail query and per notice, 0.20 per voice or manual-seat message. */
export function version(overrides: Partial<TariffVersionInput> = {}): TariffVersion {
  return tariffVersionSchema.parse({
    number: 1,
    effectiveFrom: '2026-01-01',
    status: 'published',
    monthlyRent: 3000,
    usagePrices: { notification: 10, 'voice-message': 20, 'manual-seat-message': 20, 'missed-detail': 10, 'reachable-alert': 10 },
    ...overrides,
  });
}

export function plan(overrides: Partial<TariffPlanInput> = {}): TariffPlan {
  return tariffPlanSchema.parse({ id: 'basic', name: 'Basic', versionPolicy: 'apply-to-all', versions: [version()], ...overrides });
}

export const march2026: BillCycle = cycleByKey('2026-03', { closeDay: 1, timeZone: shanghai });

/** One span covering the whole cycle (or [from, to)). */
export function span(v: TariffVersion, cycle: BillCycle = march2026, from = cycle.start, to = cycle.end, planId = 'basic'): TariffSpan {
  return { planId, currency: 'CNY', version: v, from, to };
}

export function usage(id: number, kind: string, at: number, extra: Partial<UsageRecord> = {}): UsageRecord {
  return { id, party, kind, chargeable: 1, quantity: 1, at, ...extra };
}

/** `count` records of one kind, a minute apart from `start`, ids from `firstId`. */
export function usages(count: number, kind: string, start: number, firstId = 1): UsageRecord[] {
  return Array.from({ length: count }, (_, i) => usage(firstId + i, kind, start + i * 60_000));
}
