/** Events applied together: a failing one is rolled back alone, and a restart replays exactly the rest. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { A, B, C, steps } from '../../adapters/network-api/testing';
import { startHarness, type Harness } from '../../server/testing/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

it('commits the good events of a batch and refuses the bad one on its own, also after a restart', async () => {
  await steps(h).subscribe(B);
  const engine = h.app.core.services.engine;
  const at = h.clock.now();
  // Sent in one turn of the event loop, so they share one transaction.
  const results = await Promise.allSettled([
    engine.call({ id: 'e1', caller: A, callee: B, reason: 'power_off', at }),
    engine.call({ id: 'e2', caller: A, callee: '+8613600136000', reason: 'power_off', at }),
    engine.call({ id: 'e3', caller: C, callee: B, reason: 'power_off', at }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/is not a subscriber/);
  const count = async () =>
    Number(
      (
        await h.app.core.services.store.db
          .selectFrom('calls')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const events = async () =>
    (await h.app.core.services.store.db.selectFrom('network_events').select('id').orderBy('id').execute()).map((e) => e.id);
  expect(await count()).toBe(2);
  expect(await events()).toEqual(['e1', 'e3']);
  await h.restart({ replayJournal: true });
  expect(h.app.core.services.store.openReport.replayedRecords).toBeGreaterThan(0);
  expect(await count()).toBe(2);
  expect(await events()).toEqual(['e1', 'e3']);
});
