import { describe, expect, it } from 'vitest';
import { chargeCycle } from './charge-cycle';
import { local, march2026, span, usage, usages, version } from './testing';
import { whatIf, type WhatIfSubscriber } from './what-if';
import type { TariffSpan } from './versions';

const t0 = local('2026-03-02 09:00');
const basic = version();
const premium = version({ monthlyRent: 5000, usagePrices: { ...basic.usagePrices, 'missed-detail': 5 } });
const draft = version({
  number: 2,
  effectiveFrom: '2026-05-01',
  status: 'draft',
  monthlyRent: 2500,
  usagePrices: { ...basic.usagePrices, 'missed-detail': 20 },
});

function subscriber(party: string, spans: TariffSpan[], details: number): WhatIfSubscriber {
  const records = usages(details, 'missed-detail', t0, 1).map((r) => ({ ...r, party }));
  const actual = chargeCycle({ party, cycle: march2026, spans, records }).total;
  return { party, spans, records, actual };
}

describe('what-if', () => {
  const light = subscriber('+8613800000001', [span(basic)], 2);
  const heavy = subscriber('+8613800000002', [span(basic)], 100);
  const none = subscriber('+8613800000003', [span(basic)], 50); // -500 rent, +500 usage: unchanged
  const onPremium = subscriber('+8613800000004', [span(premium, march2026, march2026.start, march2026.end, 'premium')], 100);
  const result = whatIf({ cycle: march2026, planId: 'basic', draft, subscribers: [light, heavy, none, onPremium] });

  it('compares the draft with what was charged, per plan', () => {
    expect(result.byPlan).toEqual([
      // rent −500 each; details +10 each: light −480, heavy +500, none 0
      { planId: 'basic', subscribers: 3, actual: 3020 + 4000 + 3500, simulated: 2540 + 4500 + 3500, difference: 20 },
      { planId: 'premium', subscribers: 1, actual: 5500, simulated: 5500, difference: 0 },
    ]);
    expect(result).toMatchObject({ actual: 16020, simulated: 16040, difference: 20 });
  });

  it('names the most affected subscribers, largest change first, unchanged ones left out', () => {
    expect(result.mostAffected).toEqual([
      { party: heavy.party, planId: 'basic', actual: 4000, simulated: 4500, difference: 500 },
      { party: light.party, planId: 'basic', actual: 3020, simulated: 2540, difference: -480 },
    ]);
    expect(
      whatIf({ cycle: march2026, planId: 'basic', draft, subscribers: [light, heavy], top: 1 }).mostAffected.map((s) => s.party),
    ).toEqual([heavy.party]);
  });

  it('applies the draft only to the part of the cycle on its plan', () => {
    const change = local('2026-03-16 00:00');
    const spans = [span(premium, march2026, march2026.start, change, 'premium'), span(basic, march2026, change)];
    const records = [
      usage(1, 'missed-detail', t0, { party: '+8613800000005' }),
      usage(2, 'missed-detail', change + 1, { party: '+8613800000005' }),
    ];
    const mover: WhatIfSubscriber = { party: '+8613800000005', spans, records, actual: 0 };
    const { byPlan, mostAffected } = whatIf({ cycle: march2026, planId: 'basic', draft, subscribers: [mover] });
    // Premium 1–15 March: 5000 × 15 / 31 = 2419; the draft 16–31 March: 2500 × 16 / 31 = 1290; details 5 + 20.
    expect(byPlan).toEqual([{ planId: 'basic', subscribers: 1, actual: 0, simulated: 2419 + 1290 + 25, difference: 3734 }]);
    expect(mostAffected[0]?.party).toBe('+8613800000005');
  });

  it('compares nothing when given nobody', () => {
    expect(whatIf({ cycle: march2026, planId: 'basic', draft, subscribers: [] })).toEqual({
      actual: 0,
      simulated: 0,
      difference: 0,
      byPlan: [],
      mostAffected: [],
    });
  });
});
