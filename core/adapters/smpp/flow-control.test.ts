/** The pacer's schedule, the window's FIFO hand-over, the rate meter and the backoff, on a manual clock. */
import { describe, expect, it } from 'vitest';
import { backoffDelay, Pacer, RateMeter, Window } from './flow-control';

describe('Pacer', () => {
  it('spaces sends 1/tps apart, with a small burst after idle time', () => {
    let now = 1_000;
    const pacer = new Pacer(100, () => now);
    // 20 ms of credit at 10 ms per send: the first three go at once (credit 2 + the current slot), then every 10 ms.
    const waits = Array.from({ length: 6 }, () => pacer.reserve());
    expect(waits).toEqual([0, 0, 0, 10, 20, 30]);
    now += 1_000;
    expect(pacer.reserve()).toBe(0);
  });

  it('keeps the long-run rate exact even when the caller is late for its slot', () => {
    let now = 0;
    const pacer = new Pacer(200, () => now);
    let sent = 0;
    // Each send happens 3 ms after its slot (a slow timer); the schedule does not drift.
    while (now < 2_000) {
      now += pacer.reserve() + 3;
      if (now < 2_000) sent++;
    }
    expect(sent).toBeGreaterThanOrEqual(398);
    expect(sent).toBeLessThanOrEqual(405);
  });

  it('holds every slot back after the SMSC throttled us', () => {
    let now = 0;
    const pacer = new Pacer(0, () => now);
    expect(pacer.reserve()).toBe(0);
    pacer.holdFor(500);
    expect(pacer.reserve()).toBe(500);
    now = 600;
    expect(pacer.reserve()).toBe(0);
  });
});

describe('Window', () => {
  it('grants at most `size` slots and hands a freed slot to the longest waiter', async () => {
    const window = new Window(2);
    const first = await window.acquire();
    await window.acquire();
    const order: string[] = [];
    const third = window.acquire().then((release) => (order.push('third'), release));
    const fourth = window.acquire().then((release) => (order.push('fourth'), release));
    expect(window.waiting).toBe(2);
    first();
    first(); // a second call gives nothing back twice
    await third;
    expect(order).toEqual(['third']);
    expect(window.inUse).toBe(2);
    window.refuseWaiters(new Error('stopped'));
    await expect(fourth).rejects.toThrow('stopped');
  });

  it('resolves idle() when the last slot comes back', async () => {
    const window = new Window(3);
    const release = await window.acquire();
    let idle = false;
    const done = window.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    release();
    await done;
    expect(idle).toBe(true);
  });
});

describe('RateMeter', () => {
  it('reports events per second over the window and forgets old ones', () => {
    let now = 10_000;
    const meter = new RateMeter(() => now, 5_000);
    // A steady 20 per second for 10 s.
    for (let i = 0; i < 200; i++) {
      meter.record();
      now += 50;
    }
    expect(meter.perSecond()).toBeCloseTo(20, 5);
    now += 10_000;
    expect(meter.perSecond()).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('doubles from the minimum up to the maximum, jittered down by at most 20 %', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, 100, 1_000, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelay(0, 100, 1_000, () => 0)).toBe(80);
  });
});
