/**
 * The reg-event watcher against the real Kamailio of the test SIP network (sipnet/): phones
 * register from Node, the watcher must see them come and go, survive restarts and start before
 * the registrar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingSipTools, startSipNetwork, type SipNetwork } from '../../../sipnet/network.mjs';
import { memoryLogger } from '../../logger';
import { SipPeer } from './testing/sip-peer';
import { RegInfoWatcher, type RegInfoWatcherOptions, type SipPresenceEvent } from './watcher';

const missing = missingSipTools();
if (missing.length && !process.env.CI)
  console.warn(`skipping the SIP network tests: not installed: ${missing.join(', ')} (sipnet/apt-packages.txt)`);

async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(missing.length > 0 && !process.env.CI)('reg events from Kamailio', () => {
  let network: SipNetwork;
  let phone: SipPeer;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    network = await startSipNetwork();
    phone = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
  });

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await phone?.close();
    await network?.stop();
  });

  async function watcherFor(numbers: string[], overrides: Partial<RegInfoWatcherOptions> = {}) {
    const events: SipPresenceEvent[] = [];
    const logger = memoryLogger();
    const watcher = new RegInfoWatcher({
      registrar: { host: '127.0.0.1', port: network.udpPort },
      domain: network.domain,
      expires: 300,
      logger,
      onPresence: (event) => events.push(event),
      timers: { t1Ms: 100, transactionTimeoutMs: 2000 },
      keepaliveIntervalMs: 500,
      retry: { initialMs: 200, maxMs: 1000 },
      ...overrides,
    });
    watcher.watch(numbers);
    await watcher.start();
    stops.push(() => watcher.stop());
    await waitUntil('subscriptions active', () => watcher.status().subscriptions.active === numbers.length);
    return { watcher, events, logger };
  }

  const register = (user: string, expires: number, callId?: string) =>
    phone.register({ user, domain: network.domain, expires, ...(callId ? { callId } : {}) });

  it('sees a phone register, unregister, and a registration expire', async () => {
    const { watcher, events } = await watcherFor(['+4915100000001']);

    const sent = Date.now();
    expect((await register('4915100000001', 60)).status).toBe(200);
    await waitUntil('reachable', () => events.length === 1);
    const latency = Date.now() - sent;
    expect(events[0]).toMatchObject({
      msisdn: '+4915100000001',
      state: 'reachable',
      reason: 'registered',
      aor: 'sip:4915100000001@reachback.test',
    });
    expect(events[0]!.callId).toBe(watcher.subscriptions()[0]!.callId);
    expect(latency).toBeLessThan(2000);

    expect((await register('4915100000001', 0)).status).toBe(200);
    await waitUntil('unreachable', () => events.length === 2);
    expect(events[1]).toMatchObject({ state: 'unreachable', reason: 'unregistered' });

    // Expiry: Kamailio's usrloc timer runs every second.
    expect((await register('4915100000001', 1, 'short-lived@127.0.0.1')).status).toBe(200);
    await waitUntil('reachable again', () => events.length === 3);
    await waitUntil('expired', () => events.length === 4, 8000);
    expect(events[3]).toMatchObject({ state: 'unreachable' });
    expect(watcher.status()).toMatchObject({ registrar: 'up', notifiesMalformed: 0, notifiesUnknownDialog: 0 });
  });

  it('takes a burst: a hundred phones registering at once', async () => {
    const users = Array.from({ length: 100 }, (_, i) => `49152${String(10_000_000 + i)}`);
    const { events } = await watcherFor(
      users.map((u) => `+${u}`),
      { maxInFlight: 50 },
    );
    const answers = await Promise.all(users.map((user) => register(user, 120)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await waitUntil('a hundred reachable events', () => events.length === users.length, 15_000);
    expect(new Set(events.map((e) => e.msisdn)).size).toBe(users.length);
  });

  it('re-subscribes after Kamailio is killed and restarted, and sees the next REGISTER', async () => {
    const { watcher, events } = await watcherFor(['+4915100000002']);
    const before = watcher.subscriptions()[0]!.callId;

    await network.kamailio.stop('SIGKILL');
    await waitUntil('the watcher to see the registrar down', () => watcher.status().registrar === 'down');
    expect(watcher.status().lastError?.message).toMatch(/no final response/);
    await network.kamailio.start();
    await waitUntil(
      'a new subscription',
      () =>
        watcher.status().registrar === 'up' && watcher.status().subscriptions.active === 1 && watcher.subscriptions()[0]!.callId !== before,
    );
    expect(watcher.status().resubscribes).toBeGreaterThanOrEqual(1);

    expect((await register('4915100000002', 60)).status).toBe(200);
    await waitUntil('reachable', () => events.some((e) => e.state === 'reachable'));
  });

  it('finds out about a quick restart from the 481 to its refresh', async () => {
    // No keepalive: only the refresh (2 s subscriptions) can tell.
    const { watcher, events, logger } = await watcherFor(['+4915100000003'], { expires: 2, keepaliveIntervalMs: 0 });
    const before = watcher.subscriptions()[0]!.callId;
    await network.kamailio.restart();
    await waitUntil(
      'a new subscription',
      () => watcher.subscriptions()[0]!.callId !== before && watcher.status().subscriptions.active === 1,
      8000,
    );
    expect(watcher.status().resubscribes).toBeGreaterThanOrEqual(1);
    expect(logger.entries.some((e) => /lost the subscription/.test(String(e.msg)) && e.status === 481)).toBe(true);
    expect((await register('4915100000003', 60)).status).toBe(200);
    await waitUntil('reachable', () => events.some((e) => e.state === 'reachable'));
  });

  it('starts while the registrar is down: a clear error, then it recovers on its own', async () => {
    await network.kamailio.stop();
    const events: SipPresenceEvent[] = [];
    const watcher = new RegInfoWatcher({
      registrar: { host: '127.0.0.1', port: network.udpPort },
      domain: network.domain,
      expires: 300,
      logger: memoryLogger(),
      onPresence: (event) => events.push(event),
      timers: { t1Ms: 100, transactionTimeoutMs: 1500 },
      keepaliveIntervalMs: 500,
      retry: { initialMs: 200, maxMs: 1000 },
    });
    watcher.watch(['+4915100000004']);
    await watcher.start();
    stops.push(() => watcher.stop());

    const status = await waitUntil('the error state', () => watcher.status().registrar === 'down' && watcher.status());
    expect(status.subscriptions).toMatchObject({ total: 1, failed: 1, active: 0 });
    expect(status.lastError?.message).toMatch(/no final response to SUBSCRIBE from 127\.0\.0\.1:\d+ within 1500 ms/);

    await network.kamailio.start();
    await waitUntil('recovered', () => watcher.status().registrar === 'up' && watcher.status().subscriptions.active === 1);
    expect((await register('4915100000004', 60)).status).toBe(200);
    await waitUntil('reachable', () => events.some((e) => e.state === 'reachable'));
  });
});
