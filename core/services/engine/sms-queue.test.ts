/** The outbound SMS queue: retry with backoff, final failure, expiry, receipts and durability across a restart. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { A, B, steps } from '../../adapters/network-api/testing';
import { startHarness, type Harness } from '../../server/testing/harness';
import type { SmsConnector } from './sms-queue';

let h: Harness;
let s: ReturnType<typeof steps>;
beforeEach(async () => {
  h = await startHarness();
  s = steps(h);
});
afterEach(async () => h.stop());

const smsRows = () =>
  h.app.core.services.store.db.selectFrom('sms').selectAll().where('recipient', '=', B).where('kind', '=', 'own-number').execute();

class DownSmsc implements SmsConnector {
  readonly name = 'down';
  attempts = 0;
  async submit(): Promise<never> {
    this.attempts++;
    throw new Error('SMSC unreachable: connect ECONNREFUSED 127.0.0.1:2775');
  }
}

describe('the SMS queue', () => {
  it('retries with growing backoff while the SMSC is down, then marks the message failed with the reason', async () => {
    await s.subscribe(B);
    const down = new DownSmsc();
    h.app.core.services.engine.useConnector(down);
    await s.callAndPress(A, B, '2');
    await s.powerOn(B);
    let [row] = await smsRows();
    expect(row).toMatchObject({ state: 'queued', attempts: 1, error: 'SMSC unreachable: connect ECONNREFUSED 127.0.0.1:2775' });
    expect(Number(row!.next_attempt_at) - h.clock.now()).toBe(30_000);
    h.clock.advance(30_000);
    await h.settle();
    [row] = await smsRows();
    expect(row).toMatchObject({ state: 'queued', attempts: 2 });
    expect(Number(row!.next_attempt_at) - h.clock.now()).toBe(60_000);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(10 * 60_000);
      await h.settle();
    }
    [row] = await smsRows();
    expect(row).toMatchObject({ state: 'failed', attempts: 5 });
    expect(down.attempts).toBe(5);
    expect(h.logger.entries.some((e) => e.msg === 'sms submit failed' && e.final === true)).toBe(true);
  });

  it('expires a message whose validity ends before it can be sent, and records no usage for it', async () => {
    await s.subscribe(B);
    h.app.core.services.engine.useConnector(new DownSmsc());
    await s.callAndPress(A, B, '2');
    await s.powerOn(B);
    h.app.core.services.engine.useConnector(h.app.core.services.engine.virtualSmsc);
    h.clock.advance(25 * 3_600_000);
    await h.settle();
    const [row] = await smsRows();
    expect(row).toMatchObject({ state: 'expired' });
    const usage = await h.app.core.services.store.db.selectFrom('usage_records').selectAll().where('sms_id', '=', row!.id).execute();
    expect(usage).toEqual([]);
  });

  it('moves a message to delivered on the receipt, and ignores a receipt for an unknown id with a warning', async () => {
    await s.subscribe(B);
    await s.callAndPress(A, B, '2');
    await s.powerOn(B);
    expect((await smsRows())[0]).toMatchObject({ state: 'delivered' });
    expect(await h.app.core.services.engine.dispatcher.receipt('no-such-id', 'delivered')).toBe(false);
    expect(h.logger.entries.some((e) => e.msg === 'delivery receipt for an unknown message')).toBe(true);
  });

  it('keeps queued messages across a restart and sends them after it, once', async () => {
    await s.subscribe(B);
    h.app.core.services.engine.useConnector(new DownSmsc());
    await s.callAndPress(A, B, '2');
    await s.powerOn(B);
    await h.restart();
    h.clock.advance(60_000);
    await h.settle();
    const fromCaller = (await h.inbox(B)).filter((m) => m.from === A);
    expect(fromCaller).toHaveLength(1);
    expect((await smsRows())[0]).toMatchObject({ state: 'delivered' });
  });

  it('keeps up to the connector window in flight, and submits each message once', async () => {
    // The SMSC is down while the reminders queue up, so they fall due together.
    h.app.core.services.engine.useConnector(new DownSmsc());
    for (let i = 0; i < 10; i++) await s.subscribe(`+861380013${String(8100 + i)}`);
    const windowed = new WindowedSmsc(4);
    h.app.core.services.engine.useConnector(windowed);
    h.clock.advance(10 * 60_000);
    await h.settle();
    expect(windowed.submitted.sort((a, b) => a - b)).toEqual([...new Set(windowed.submitted)].sort((a, b) => a - b));
    expect(windowed.submitted).toHaveLength(10);
    expect(windowed.maxInFlightSeen).toBe(4);
    const states = await h.app.core.services.store.db.selectFrom('sms').select('state').distinct().execute();
    expect(states).toEqual([{ state: 'submitted' }]);
  });

  it('resends, with a warning, only the messages a crash caught mid-submit', async () => {
    await s.subscribe(B);
    await s.callAndPress(A, B, '2');
    h.app.core.services.engine.useConnector(new DownSmsc());
    await s.powerOn(B);
    const [row] = await smsRows();
    // As if the process died between marking the batch and hearing from the SMSC.
    await h.app.core.services.store.write((trx) => trx.updateTable('sms').set({ state: 'submitting' }).where('id', '=', row!.id).execute());
    await h.restart({ replayJournal: true });
    h.clock.advance(60_000);
    await h.settle();
    expect((await smsRows())[0]).toMatchObject({ state: 'delivered' });
    expect((await h.inbox(B)).filter((m) => m.from === A)).toHaveLength(1);
    expect(h.logger.entries.some((e) => String(e.msg).startsWith('resending messages whose submit was interrupted'))).toBe(true);
  });
});

/** An SMSC link that answers after a tick, recording how many submits were outstanding at once. */
class WindowedSmsc implements SmsConnector {
  readonly name = 'windowed';
  inFlight = 0;
  maxInFlightSeen = 0;
  submitted: number[] = [];
  constructor(readonly maxInFlight: number) {}
  async submit(message: { id: number }) {
    this.inFlight++;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.inFlight--;
    this.submitted.push(message.id);
    return { smscId: `w-${message.id}` };
  }
}
