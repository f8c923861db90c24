/**
 * Power-on from SIP through the whole core, against the real Kamailio of
 * sipnet/: Settings → SIP turns the watcher on, a phone registers, and the
 * merged SMS the subscriber missed arrive. Also: a registration for a number
 * the engine does not know is refused with a log line and nothing else; the
 * watcher goes off without a restart.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { missingSipTools, startSipNetwork, type SipNetwork } from '../../../sipnet/network.mjs';
import { startHarness, type Harness, type TestClient } from '../../server/testing/harness';
import { A, B, steps } from '../network-api/testing';
import { SmscSimulator, waitUntil } from '../smpp/testing/smsc-simulator';
import { SipPeer } from './testing/sip-peer';

const missing = missingSipTools();

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(missing.length > 0 && !process.env.CI)('Settings → SIP: power-on from registration events', () => {
  let network: SipNetwork;
  let phone: SipPeer;
  let h: Harness;
  let s: ReturnType<typeof steps>;
  let admin: TestClient;

  beforeAll(async () => {
    network = await startSipNetwork();
    phone = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
  });
  afterAll(async () => {
    await phone?.close();
    await network?.stop();
  });
  beforeEach(async () => {
    h = await startHarness();
    s = steps(h);
    admin = await h.admin();
  });
  afterEach(async () => h.stop());

  const registrar = () => ({
    registrarHost: '127.0.0.1',
    registrarPort: network.udpPort,
    domain: network.domain,
    localHost: '127.0.0.1',
    localPort: 0,
    userPart: 'digits' as const,
    expires: 300,
    keepaliveIntervalMs: 0,
  });

  const status = async () => (await admin.send('network/status', {})).sip;

  it('a phone that registers gets the SMS it missed; unregistering marks it unreachable again', async () => {
    await s.subscribe(B, { language: 'en' });
    await s.callAndPress(A, B, '2');
    await admin.send('sip/update', { enabled: true, registrar: registrar(), watch: 'all-subscribers', numbers: [] });
    await until('the subscription', async () => (await status()).watcher?.subscriptions.active === 1);

    expect((await phone.register({ user: B.slice(1), domain: network.domain, expires: 120 })).status).toBe(200);
    const text = await until('the merged SMS', async () => {
      await h.settle();
      return (await h.inbox(B)).find((m) => m.from === A)?.text;
    });
    expect(text).toMatch(/^I called you once before/);
    const presence = await h.app.core.services.store.db.selectFrom('presence').selectAll().where('msisdn', '=', B).executeTakeFirst();
    expect(presence?.state).toBe('reachable');

    await phone.register({ user: B.slice(1), domain: network.domain, expires: 0 });
    await until('unreachable', async () => {
      const row = await h.app.core.services.store.db.selectFrom('presence').selectAll().where('msisdn', '=', B).executeTakeFirst();
      return row?.state === 'unreachable';
    });
    expect((await status()).watcher!.presenceEvents).toBe(2);
  });

  it('watches a new call’s callee at once in with-pending-calls mode, and logs a registration the engine refuses', async () => {
    await s.subscribe(B, { language: 'en' });
    const stranger = '+8613600136000';
    await admin.send('sip/update', { enabled: true, registrar: registrar(), watch: 'with-pending-calls', numbers: [] });
    expect((await status()).watcher!.subscriptions.total).toBe(0);
    await s.callAndPress(A, B, '2');
    await until('B watched after the call', async () => (await status()).watcher?.subscriptions.active === 1);

    const bad = await admin.error('sip/update', { enabled: true, registrar: registrar(), watch: 'listed', numbers: ['13600136000', '12'] });
    expect(bad).toMatchObject({ code: 'validation', field: 'numbers.1' });
    const listed = await admin.send('sip/update', { enabled: true, registrar: registrar(), watch: 'listed', numbers: ['136 0013 6000'] });
    expect(listed.numbers).toEqual([stranger]);
    await until('the listed number watched', async () => (await status()).watcher?.subscriptions.active === 1);
    await phone.register({ user: stranger.slice(1), domain: network.domain, expires: 60 });
    await until('the refusal logged', () =>
      h.logger.entries.some((e) => e.msg === 'a registration event the engine refused' && e.msisdn === stranger),
    );
  });

  it('watches a subscriber provisioned after the start at once in all-subscribers mode, not at the next resync', async () => {
    await admin.send('sip/update', { enabled: true, registrar: registrar(), watch: 'all-subscribers', numbers: [] });
    expect((await status()).watcher!.subscriptions.total).toBe(0);
    await s.subscribe(B, { language: 'en' });
    // The resync runs every 30 s: well after this wait.
    await until('B watched after provisioning', async () => (await status()).watcher?.subscriptions.active === 1, 5_000);
  });

  it('goes off without a restart, refuses to turn on without a registrar, and keeps its settings', async () => {
    const refused = await admin.error('sip/update', { enabled: true, watch: 'all-subscribers', numbers: [] });
    expect(refused).toMatchObject({ code: 'validation', field: 'registrar' });
    await admin.send('sip/update', { enabled: true, registrar: registrar(), watch: 'all-subscribers', numbers: [] });
    expect((await status()).mode).toBe('watching');
    await admin.send('sip/update', { enabled: false, registrar: registrar(), watch: 'all-subscribers', numbers: [] });
    expect(await status()).toEqual({ mode: 'off', watcher: null });
    await h.restart();
    expect(await (await h.admin()).send('sip/get', {})).toMatchObject({ enabled: false, registrar: { domain: network.domain } });
  });

  it('runs the seed story over real protocols: REGISTER, merged SMS over SMPP, the receipt, and D from the phone', async () => {
    const smsc = await SmscSimulator.start({ systemId: 'reachback', password: 'secret' });
    try {
      smsc.receipts = { ...smsc.receipts, mode: 'after-response' };
      const link = { host: '127.0.0.1', port: smsc.port, systemId: 'reachback', password: 'secret' };
      await admin.send('smsc/update', { enabled: true, link: link as never });
      await s.subscribe(B, { language: 'en' });
      await s.callAndPress(A, B, '2');
      await s.callAndPress('13700137000', B, 'timeout');
      await admin.send('sip/update', { enabled: true, registrar: registrar(), watch: 'with-pending-calls', numbers: [] });
      await until('the subscription', async () => (await status()).watcher?.subscriptions.active === 1);

      await phone.register({ user: B.slice(1), domain: network.domain, expires: 120 });
      await waitUntil(() => smsc.submits.some((m) => m.text.startsWith('I called you once')), 'the merged SMS over SMPP');
      const notice = smsc.submits.find((m) => m.text.startsWith('I called you once'))!;
      expect(notice).toMatchObject({ sourceAddr: A.slice(1), destinationAddr: B.slice(1), dataCoding: 0 });
      await until('delivered', async () => {
        const row = await h.app.core.services.store.db
          .selectFrom('sms')
          .select('state')
          .where('kind', '=', 'own-number')
          .where('recipient', '=', B)
          .executeTakeFirst();
        return row?.state === 'delivered';
      });
      expect(smsc.submits.some((m) => m.text.startsWith('You have 1 missed call'))).toBe(true);

      await smsc.sendMo({ from: B.slice(1), to: '06001', text: 'D', sourceTon: 1 });
      await waitUntil(() => smsc.submits.some((m) => m.text.includes('137 0013 7000') && !m.text.startsWith('You have')), 'the detail SMS');
    } finally {
      await admin.send('smsc/update', { enabled: false });
      await smsc.close();
    }
  });
});
