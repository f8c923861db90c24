import { describe, expect, it } from 'vitest';
import { cycleByKey } from './cycle';
import { march2026, plan, shanghai, utc, version } from './testing';
import { tariffSpans, versionInForce, type PlanAssignment } from './versions';

const v1 = version({ number: 1, effectiveFrom: '2026-01-01' });
const v2 = version({ number: 2, effectiveFrom: '2026-03-11', monthlyRent: 2000 });
const draft = version({ number: 3, effectiveFrom: '2026-03-05', status: 'draft' });
const applyToAll = plan({ versions: [v1, v2, draft] });
const grandfather = plan({ id: 'legacy', versionPolicy: 'grandfather', versions: [v1, v2, draft] });
const iso = (ms: number) => new Date(ms).toISOString();

describe('the version in force', () => {
  it('changes at local midnight of the effective date', () => {
    expect(versionInForce(applyToAll, utc('2026-03-10T15:59:59.999Z'), shanghai)?.number).toBe(1);
    expect(versionInForce(applyToAll, utc('2026-03-10T16:00:00Z'), shanghai)?.number).toBe(2);
    expect(versionInForce(applyToAll, utc('2026-03-10T16:00:00Z'), 'UTC')?.number).toBe(1);
  });

  it('is null before the first published version, and never a draft', () => {
    expect(versionInForce(applyToAll, utc('2025-12-31T15:00:00Z'), shanghai)).toBeNull();
    expect(versionInForce(applyToAll, utc('2026-03-06T00:00:00Z'), shanghai)?.number).toBe(1);
  });

  it('keeps a grandfathered subscriber on the assigned version', () => {
    const later = utc('2026-06-01T00:00:00Z');
    expect(versionInForce(grandfather, later, shanghai, 1)?.number).toBe(1);
    expect(versionInForce(grandfather, later, shanghai)?.number).toBe(2);
    // On an apply-to-all plan the assignment does not matter.
    expect(versionInForce(applyToAll, later, shanghai, 1)?.number).toBe(2);
    // An assigned version not yet in force: the one in force until then.
    expect(versionInForce(grandfather, utc('2026-03-01T00:00:00Z'), shanghai, 2)?.number).toBe(1);
  });

  it('refuses an assignment to a version that is not published', () => {
    expect(() => versionInForce(grandfather, utc('2026-03-20T00:00:00Z'), shanghai, 3)).toThrow('Plan legacy has no published version 3');
  });
});

describe('spans of a cycle', () => {
  const plans = new Map([
    ['basic', applyToAll],
    ['legacy', grandfather],
  ]);
  const whole = (planId: string, version?: number): PlanAssignment => ({ planId, from: utc('2025-06-01T00:00:00Z'), to: null, version });

  it('split where a new version takes effect on an apply-to-all plan', () => {
    const spans = tariffSpans([whole('basic')], plans, march2026);
    expect(spans.map((s) => [s.version.number, iso(s.from), iso(s.to)])).toEqual([
      [1, '2026-02-28T16:00:00.000Z', '2026-03-10T16:00:00.000Z'],
      [2, '2026-03-10T16:00:00.000Z', '2026-03-31T16:00:00.000Z'],
    ]);
  });

  it('do not split for a grandfathered subscriber', () => {
    const spans = tariffSpans([whole('legacy', 1)], plans, march2026);
    expect(spans.map((s) => [s.planId, s.version.number, s.from, s.to])).toEqual([['legacy', 1, march2026.start, march2026.end]]);
  });

  it('follow plan changes and leave closed gaps out', () => {
    const change = utc('2026-03-05T04:00:00Z');
    const close = utc('2026-03-20T04:00:00Z');
    const reopen = utc('2026-03-25T04:00:00Z');
    const spans = tariffSpans(
      [
        { planId: 'legacy', from: utc('2025-01-01T00:00:00Z'), to: change, version: 1 },
        { planId: 'basic', from: change, to: close },
        { planId: 'basic', from: reopen, to: null },
      ],
      plans,
      march2026,
    );
    expect(spans.map((s) => [s.planId, s.version.number, s.from, s.to])).toEqual([
      ['legacy', 1, march2026.start, change],
      ['basic', 1, change, utc('2026-03-10T16:00:00Z')],
      ['basic', 2, utc('2026-03-10T16:00:00Z'), close],
      ['basic', 2, reopen, march2026.end],
    ]);
  });

  it('are empty for a subscriber who was not subscribed in the cycle', () => {
    expect(tariffSpans([{ planId: 'basic', from: utc('2026-01-01T00:00:00Z'), to: march2026.start }], plans, march2026)).toEqual([]);
  });

  it('refuse overlapping assignments, unknown plans and plans not yet in force', () => {
    expect(() =>
      tariffSpans([whole('basic'), { planId: 'legacy', from: utc('2026-03-05T00:00:00Z'), to: null }], plans, march2026),
    ).toThrow('Plan assignments overlap');
    expect(() => tariffSpans([whole('gold')], plans, march2026)).toThrow('No tariff plan gold');
    expect(() => tariffSpans([whole('basic')], plans, cycleByKey('2025-12', { closeDay: 1, timeZone: shanghai }))).toThrow(
      'Plan basic has no version in force on 2025-12-01',
    );
  });
});
