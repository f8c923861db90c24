/**
 * The seed's story over SMPP: Settings → SMSC points the core at a real SMPP
 * peer (the simulator), the merged SMS goes out as submit_sm, the receipt
 * marks it delivered, and a "D" sent from the phone returns the details.
 * Also: a refused bind is visible and loses nothing; switching the link off
 * goes back to the virtual SMSC without a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SmscSettings } from '../../api/network-settings';
import { startHarness, type Harness, type TestClient } from '../../server/testing/harness';
import { A, B, steps } from '../network-api/testing';
import { CommandStatus } from './protocol';
import { SmscSimulator, waitUntil } from './testing/smsc-simulator';

let h: Harness;
let s: ReturnType<typeof steps>;
let smsc: SmscSimulator;
let admin: TestClient;

beforeEach(async () => {
  h = await startHarness();
  s = steps(h);
  smsc = await SmscSimulator.start({ systemId: 'reachback', password: 'secret' });
  smsc.receipts = { ...smsc.receipts, mode: 'after-response' };
  admin = await h.admin();
});
afterEach(async () => {
  await h.stop();
  await smsc.close();
});

function link(password = 'secret'): NonNullable<SmscSettings['link']> {
  return {
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'reachback',
    password,
    reconnectMinMs: 50,
    reconnectMaxMs: 200,
    responseTimeoutMs: 2000,
  } as NonNullable<SmscSettings['link']>;
}

async function linkState() {
  return (await admin.send('network/status', {})).smsc;
}

async function waitForLink(state: string) {
  for (let i = 0; i < 200; i++) {
    if ((await linkState()).link?.state === state) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the SMSC link never became ${state}: ${JSON.stringify(await linkState())}`);
}

async function smsRow(kind: string) {
  return h.app.core.services.store.db.selectFrom('sms').selectAll().where('kind', '=', kind).orderBy('id', 'desc').executeTakeFirst();
}

describe('Settings → SMSC over SMPP', () => {
  it('runs the seed story over SMPP: merged SMS, receipt, D reply and the detail SMS', async () => {
    const saved = await admin.send('smsc/update', { enabled: true, link: link() });
    expect(saved.hasPassword).toBe(true);
    expect(saved.settings.link?.password).toBe('');
    await waitForLink('bound');
    expect(smsc.binds[0]).toMatchObject({ systemId: 'reachback', interfaceVersion: 0x34 });

    await s.subscribe(B, { language: 'zh-CN' });
    await s.callAndPress(A, B, '2');
    await s.callAndPress(A, B, '2');
    await s.callAndPress('13700137000', B, 'timeout');
    await s.powerOn(B);
    await waitUntil(() => smsc.submits.length >= 3, 'three submits (reminder, merged notice, summary)');
    const merged = smsc.submits.find((m) => m.text.startsWith('我在'))!;
    expect(merged).toMatchObject({ dataCoding: 8, sourceAddr: A.slice(1), destinationAddr: B.slice(1), registeredDelivery: 1 });
    expect(merged.text).toContain('2次');
    expect(smsc.submits.some((m) => m.text.startsWith('您有1个未接来电'))).toBe(true);
    await waitUntil(() => smsc.submits.every((m) => m.finalStat === 'DELIVRD'), 'receipts sent');
    await h.settle();
    for (let i = 0; i < 40 && (await smsRow('missed-summary'))?.state !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await smsRow('missed-summary')).toMatchObject({ state: 'delivered' });

    await smsc.sendMo({ from: B.slice(1), to: '06001', text: 'D', sourceTon: 1 });
    await waitUntil(() => smsc.submits.some((m) => m.text.includes('13700137000') || m.text.includes('137 0013 7000')), 'the detail SMS');
    expect(smsc.esmeResponses.at(-1)).toBe(0);
    const status = await linkState();
    expect(status.mode).toBe('smpp');
    expect(status.link!.counters.submitted).toBeGreaterThanOrEqual(4);
    expect(status.link!.counters.moReceived).toBe(1);
  });

  it('a refused bind is shown with the reason and loses nothing; fixing the password sends what waited', async () => {
    await admin.send('smsc/update', { enabled: true, link: link('wrong') });
    await waitForLink('refused');
    expect((await linkState()).link!.lastError).toMatch(/ESME_RINVPASWD|password/i);
    await s.subscribe(B);
    await h.settle();
    expect(smsc.submits).toHaveLength(0);
    expect(await smsRow('opening-reminder')).toMatchObject({ state: 'queued' });

    // The password field left empty keeps the saved one; a new one replaces it.
    await admin.send('smsc/update', { enabled: true, link: link('secret') });
    await waitForLink('bound');
    h.clock.advance(10 * 60_000);
    await h.settle();
    await waitUntil(() => smsc.submits.length === 1, 'the waiting reminder');
    expect(smsc.submits[0]!.text).toContain('missed-call alert');
  });

  it('switching the link off goes back to the virtual SMSC without a restart, and the settings survive one', async () => {
    await admin.send('smsc/update', { enabled: true, link: link() });
    await waitForLink('bound');
    await admin.send('smsc/update', { enabled: false, link: link('') });
    expect(await linkState()).toEqual({ mode: 'virtual', link: null });
    await waitUntil(() => smsc.unbinds >= 1 || smsc.boundSessions === 0, 'unbind');
    await s.subscribe(B);
    expect((await h.inbox(B)).length).toBe(1);
    await h.restart();
    const after = await (await h.admin()).send('smsc/get', {});
    expect(after).toMatchObject({ hasPassword: true, settings: { enabled: false, link: { host: '127.0.0.1', port: smsc.port } } });
  });

  it('refuses to enable without a link, naming the field, and changes nothing', async () => {
    const error = await admin.error('smsc/update', { enabled: true });
    expect(error).toMatchObject({ code: 'validation', field: 'link' });
    expect(await linkState()).toEqual({ mode: 'virtual', link: null });
  });

  it('survives throttling, a link dropped mid-window and a restart with nothing lost and nothing accepted twice', async () => {
    await admin.send('smsc/update', { enabled: true, link: { ...link(), windowSize: 5, throttledBackoffMs: 20 } });
    await waitForLink('bound');
    smsc.rejectNext(3, CommandStatus.ESME_RTHROTTLED);
    const numbers = Array.from({ length: 12 }, (_, i) => `+86138001${String(38100 + i)}`);
    for (const n of numbers.slice(0, 6)) await s.subscribe(n);
    // The SMSC swallows two submits and then drops the link: those two are resent after the reconnect.
    smsc.dropAfter(2);
    for (const n of numbers.slice(6)) await s.subscribe(n);
    for (let i = 0; i < 20; i++) {
      h.clock.advance(60_000);
      await h.settle();
      const left = await h.app.core.services.store.db
        .selectFrom('sms')
        .select('id')
        .where('state', 'in', ['queued', 'submitting'])
        .execute();
      if (!left.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const throttled = (await linkState()).link!.counters.throttledRetries;
    expect(throttled).toBeGreaterThanOrEqual(3);
    await h.restart({ replayJournal: true });
    h.clock.advance(60_000);
    await h.settle();
    const accepted = smsc.submits.filter((m) => m.messageId !== null);
    for (const n of numbers) expect(accepted.filter((m) => m.destinationAddr === n.slice(1))).toHaveLength(1);
    const states = await h.app.core.services.store.db.selectFrom('sms').select(['recipient', 'state']).execute();
    expect(states.filter((r) => numbers.includes(r.recipient)).every((r) => r.state === 'submitted' || r.state === 'delivered')).toBe(true);
  });
});
