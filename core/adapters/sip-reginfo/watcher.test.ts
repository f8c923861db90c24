/** The reg-event watcher against a scriptable notifier on 127.0.0.1: the protocol edges and the failures. */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../logger';
import { parseNameAddr, parseSipMessage, type SipRequest } from './sip-message';
import { FakeRegistrar, reginfoXml, type FakeDialog } from './testing/fake-registrar';
import { RegInfoWatcher, type RegInfoWatcherOptions, type SipPresenceEvent } from './watcher';

const AOR = 'sip:4915112345678@reachback.test';
const MSISDN = '+4915112345678';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function setup(overrides: Partial<RegInfoWatcherOptions> = {}, numbers: string[] = [MSISDN]) {
  const registrar = await FakeRegistrar.open();
  const events: SipPresenceEvent[] = [];
  const logger = memoryLogger();
  const watcher = new RegInfoWatcher({
    registrar: { host: '127.0.0.1', port: registrar.port },
    domain: 'reachback.test',
    expires: 600,
    logger,
    onPresence: (event) => events.push(event),
    timers: { t1Ms: 50, t2Ms: 400, transactionTimeoutMs: 1000 },
    keepaliveIntervalMs: 0,
    retry: { initialMs: 100, maxMs: 400 },
    ...overrides,
  });
  watcher.watch(numbers);
  await watcher.start();
  cleanups.push(async () => {
    await watcher.stop();
    await registrar.close();
  });
  return { registrar, watcher, events, logger };
}

async function established(registrar: FakeRegistrar, watcher: RegInfoWatcher, aor = AOR): Promise<FakeDialog> {
  await waitUntil('an active subscription', () => watcher.status().subscriptions.active >= 1);
  return waitUntil('the dialog', () => registrar.dialogFor(aor));
}

describe('RegInfoWatcher', () => {
  it('subscribes with Event: reg for the AOR and turns NOTIFYs into presence events', async () => {
    const { registrar, watcher, events } = await setup();
    const dialog = await established(registrar, watcher);

    const subscribe = registrar.requests('SUBSCRIBE')[0]!;
    expect(subscribe.uri).toBe(AOR);
    expect(subscribe.headers.get('event')).toBe('reg');
    expect(subscribe.headers.get('accept')).toBe('application/reginfo+xml');
    expect(subscribe.headers.get('expires')).toBe('600');
    expect(parseNameAddr(subscribe.headers.get('contact')!).uri).toBe(`sip:reachback@127.0.0.1:${watcher.status().localPort}`);

    const ok = await registrar.notify(dialog, { body: reginfoXml(AOR, 'active', [{ callId: 'boot1', event: 'created' }]) });
    expect(ok.status).toBe(200);
    await waitUntil('reachable', () => events.length === 1);
    expect(events[0]).toMatchObject({ msisdn: MSISDN, state: 'reachable', reason: 'registered', callId: dialog.callId, aor: AOR });
    expect(events[0]!.id).toBe(`sip-reg:${dialog.callId}:${dialog.cseq}`);

    // A refresh REGISTER (same Call-ID) is no news.
    await registrar.notify(dialog, { body: reginfoXml(AOR, 'active', [{ callId: 'boot1', event: 'refreshed' }]) });
    // The phone was power-cycled: same contact, new Call-ID (RFC 3261 10.2), before its old binding expired.
    await registrar.notify(dialog, { body: reginfoXml(AOR, 'active', [{ callId: 'boot2', event: 'refreshed' }]) });
    await waitUntil('the new boot cycle', () => events.length === 2);
    expect(events[1]).toMatchObject({ state: 'reachable', reason: 'registered' });

    await registrar.notify(dialog, { body: reginfoXml(AOR, 'terminated', [{ callId: 'boot2', event: 'unregistered' }]) });
    await waitUntil('unreachable', () => events.length === 3);
    expect(events[2]).toMatchObject({ state: 'unreachable', reason: 'unregistered' });
    expect(watcher.status()).toMatchObject({
      registrar: 'up',
      notifiesReceived: 4,
      presenceEvents: 3,
      subscriptions: { total: 1, active: 1 },
    });
  });

  it('answers a retransmitted NOTIFY with the same 200 and applies it once; ignores an older CSeq', async () => {
    const { registrar, watcher, events } = await setup();
    const dialog = await established(registrar, watcher);
    const first = await registrar.notify(dialog, { body: reginfoXml(AOR, 'active', [{ callId: 'b1', event: 'created' }]) });
    const again = await registrar.resend(registrar.lastSentRaw!, dialog.watcher, `${dialog.callId}|${dialog.cseq}`);
    expect(again.status).toBe(first.status);
    expect(again.headers.get('via')).toBe(first.headers.get('via'));

    const newest = dialog.cseq;
    const stale = await registrar.notify(dialog, {
      cseq: newest - 1,
      body: reginfoXml(AOR, 'terminated', [{ callId: 'b1', event: 'expired' }]),
    });
    expect(stale.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.map((e) => e.state)).toEqual(['reachable']);
    expect(watcher.status().notifiesReceived).toBe(2);
  });

  it('answers a NOTIFY with a malformed body 200 so the subscription lives on, and logs and counts it', async () => {
    const { registrar, watcher, events, logger } = await setup();
    const dialog = await established(registrar, watcher);
    const response = await registrar.notify(dialog, { body: '<reginfo version="0" state="full"><registration aor=' });
    expect(response.status).toBe(200);
    await waitUntil('the error', () => watcher.status().lastError);
    expect(watcher.status()).toMatchObject({ notifiesMalformed: 1, subscriptions: { active: 1 } });
    expect(watcher.status().lastError).toMatchObject({ msisdn: MSISDN, callId: dialog.callId });
    expect(watcher.status().lastError!.message).toMatch(/malformed reginfo/);
    expect(logger.entries.some((e) => e.level === 'warn' && e.callId === dialog.callId && /malformed/.test(String(e.msg)))).toBe(true);
    expect(events).toEqual([]);

    // The next good NOTIFY still counts.
    await registrar.notify(dialog, { body: reginfoXml(AOR, 'active', [{ callId: 'b1', event: 'created' }]) });
    await waitUntil('reachable', () => events.length === 1);
  });

  it('answers 481 to a NOTIFY for a subscription it does not have, 489 to another event, 415 to another body type', async () => {
    const { registrar, watcher, events } = await setup();
    const dialog = await established(registrar, watcher);
    expect((await registrar.notify(dialog, { callId: 'someone-else@x', body: reginfoXml(AOR, 'active') })).status).toBe(481);
    expect((await registrar.notify(dialog, { toTag: 'not-ours', body: reginfoXml(AOR, 'active') })).status).toBe(481);
    expect((await registrar.notify(dialog, { event: 'presence', body: reginfoXml(AOR, 'active') })).status).toBe(489);
    expect((await registrar.notify(dialog, { contentType: 'application/pidf+xml', body: '<presence/>' })).status).toBe(415);
    expect(watcher.status().notifiesUnknownDialog).toBe(2);
    expect(events).toEqual([]);
  });

  it('retransmits an unanswered SUBSCRIBE on timers E/F, reports the registrar down, and recovers when it answers', async () => {
    const registrar = await FakeRegistrar.open();
    registrar.mode = 'silent';
    const events: SipPresenceEvent[] = [];
    const watcher = new RegInfoWatcher({
      registrar: { host: '127.0.0.1', port: registrar.port },
      domain: 'reachback.test',
      expires: 600,
      logger: memoryLogger(),
      onPresence: (e) => events.push(e),
      timers: { t1Ms: 50, t2Ms: 400, transactionTimeoutMs: 1000 },
      keepaliveIntervalMs: 0,
      retry: { initialMs: 100, maxMs: 300 },
    });
    cleanups.push(async () => {
      await watcher.stop();
      await registrar.close();
    });
    watcher.watch([MSISDN]);
    await watcher.start();

    const status = await waitUntil('the registrar marked down', () => watcher.status().registrar === 'down' && watcher.status());
    expect(status.subscriptions).toMatchObject({ failed: 1, active: 0 });
    expect(status.lastError?.message).toMatch(/no final response to SUBSCRIBE .* within 1000 ms/);
    // One transaction: same branch, sent at 0, 50, 150, 350, 750 ms (T1 doubling, capped at T2).
    const sends = registrar.received.filter((r) => r.request.method === 'SUBSCRIBE');
    const branch = (r: SipRequest) => r.headers.get('via');
    expect(new Set(sends.map((s) => branch(s.request))).size).toBe(1);
    expect(sends.length).toBeGreaterThanOrEqual(4);
    const gaps = sends.slice(1).map((s, i) => s.at - sends[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(40);
    expect(gaps[1]).toBeGreaterThan(gaps[0]! * 1.5);

    // While down, it probes with OPTIONS rather than hammering SUBSCRIBEs.
    await waitUntil('an OPTIONS probe', () => registrar.requests('OPTIONS').length > 0);
    registrar.mode = 'answer';
    await waitUntil('recovered', () => watcher.status().registrar === 'up' && watcher.status().subscriptions.active === 1);
    const dialog = registrar.dialogFor(AOR)!;
    await registrar.notify(dialog, { body: reginfoXml(AOR, 'active', [{ callId: 'b1', event: 'created' }]) });
    await waitUntil('reachable', () => events.length === 1);
  });

  it('refreshes before expiry in the same dialog, and subscribes anew when the refresh gets 481', async () => {
    const { registrar, watcher } = await setup({ expires: 2 });
    const dialog = await established(registrar, watcher);
    const refresh = await waitUntil('a refresh', () => registrar.requests('SUBSCRIBE')[1]);
    expect(refresh.headers.get('call-id')).toBe(dialog.callId);
    expect(parseNameAddr(refresh.headers.get('to')!).params.tag).toBe(dialog.tag);
    expect(refresh.headers.get('cseq')).toBe('2 SUBSCRIBE');

    registrar.forget(); // a restart
    const renewed = await waitUntil('a new subscription', () =>
      registrar
        .requests('SUBSCRIBE')
        .find((r) => r.headers.get('call-id') !== dialog.callId && !parseNameAddr(r.headers.get('to')!).params.tag),
    );
    expect(renewed.uri).toBe(AOR);
    await waitUntil('active again', () => registrar.dialogFor(AOR) && watcher.status().subscriptions.active === 1);
    expect(watcher.status().resubscribes).toBe(1);
  });

  it('notices a registrar restart between refreshes through the OPTIONS keepalive and refreshes every subscription', async () => {
    const { registrar, watcher } = await setup({ keepaliveIntervalMs: 100 });
    const dialog = await established(registrar, watcher);
    registrar.mode = 'silent';
    await waitUntil('down', () => watcher.status().registrar === 'down');
    registrar.forget();
    registrar.mode = 'answer';
    await waitUntil('up and re-subscribed', () => {
      const fresh = registrar.dialogFor(AOR);
      return fresh && fresh.callId !== dialog.callId && watcher.status().subscriptions.active === 1;
    });
    expect(watcher.status().resubscribes).toBe(1);
  });

  it('subscribes again at once after NOTIFY terminated;reason=deactivated, later after rejected', async () => {
    const { registrar, watcher } = await setup();
    const dialog = await established(registrar, watcher);
    await registrar.notify(dialog, { state: 'terminated;reason=deactivated' });
    const fresh = await waitUntil('a new dialog', () => {
      const d = registrar.dialogFor(AOR);
      return d && d.callId !== dialog.callId && d;
    });
    await waitUntil('active', () => watcher.status().subscriptions.active === 1);

    await registrar.notify(fresh, { state: 'terminated;reason=rejected' });
    await waitUntil('failed', () => watcher.status().subscriptions.failed === 1);
    expect(watcher.status().lastError?.message).toMatch(/rejected/);
  });

  it('asks again with Min-Expires after 423, and keeps trying with backoff after a refusal', async () => {
    const { registrar, watcher } = await setup({ expires: 30 }, []);
    let refusals = 0;
    registrar.onSubscribe = (request) => {
      if (request.headers.get('expires') === '30') return { status: 423, reason: 'Interval Too Brief', headers: [['Min-Expires', '120']] };
      if (refusals++ < 2) return { status: 403, reason: 'Forbidden' };
      return undefined;
    };
    watcher.watch([MSISDN]);
    await waitUntil('active', () => watcher.status().subscriptions.active === 1);
    const expires = registrar.requests('SUBSCRIBE').map((r) => r.headers.get('expires'));
    expect(expires).toEqual(['30', '120', '120', '120']);
  });

  it('ends its subscriptions with Expires: 0 on stop and on unwatch', async () => {
    const { registrar, watcher } = await setup({}, [MSISDN, '+4915112345679']);
    await waitUntil('two active', () => watcher.status().subscriptions.active === 2);
    watcher.unwatch(['4915112345679']);
    await waitUntil('one ended', () => registrar.requests('SUBSCRIBE').some((r) => r.headers.get('expires') === '0'));
    expect(watcher.status().subscriptions.total).toBe(1);
    await watcher.stop();
    const ends = registrar.requests('SUBSCRIBE').filter((r) => r.headers.get('expires') === '0');
    expect(ends).toHaveLength(2);
    expect(registrar.dialogs.size).toBe(0);
    expect(watcher.status().running).toBe(false);
  });

  it('refuses numbers that are not E.164 and says which', async () => {
    const { watcher } = await setup({}, []);
    expect(watcher.watch(['+4915112345678', 'agent1', '12'])).toEqual({ added: ['+4915112345678'], invalid: ['agent1', '12'] });
  });

  it('takes a burst of NOTIFYs for many subscribers at once', async () => {
    const numbers = Array.from({ length: 300 }, (_, i) => `+49151${String(10_000_000 + i)}`);
    const { registrar, watcher, events } = await setup({ maxInFlight: 64 }, numbers);
    await waitUntil('all active', () => watcher.status().subscriptions.active === numbers.length, 15_000);
    const started = Date.now();
    const answers = await Promise.all(
      [...registrar.dialogs.values()].map((d) =>
        registrar.notify(d, { body: reginfoXml(d.aor, 'active', [{ callId: `boot-${d.aor}`, event: 'created' }]) }),
      ),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await waitUntil('every event', () => events.length === numbers.length);
    expect(new Set(events.map((e) => e.msisdn)).size).toBe(numbers.length);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps parsing what the registrar sends even when onPresence throws', async () => {
    const registrarEvents: string[] = [];
    const { registrar, watcher } = await setup({
      onPresence: (e) => {
        registrarEvents.push(e.state);
        throw new Error('engine down');
      },
    });
    const dialog = await established(registrar, watcher);
    await registrar.notify(dialog, { body: reginfoXml(AOR, 'active', [{ callId: 'b1', event: 'created' }]) });
    await registrar.notify(dialog, { body: reginfoXml(AOR, 'terminated', [{ callId: 'b1', event: 'expired' }]) });
    await waitUntil('both', () => registrarEvents.length === 2);
    expect(registrarEvents).toEqual(['reachable', 'unreachable']);
  });
});

describe('parse of what the watcher sends', () => {
  it('sends well-formed SUBSCRIBEs', async () => {
    const { registrar, watcher } = await setup();
    await established(registrar, watcher);
    const raw = registrar.requests('SUBSCRIBE')[0]!;
    const reparsed = parseSipMessage(
      `SUBSCRIBE ${raw.uri} SIP/2.0\r\n${[...raw.headers].map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`,
    );
    expect(reparsed.headers.get('max-forwards')).toBe('70');
    expect(reparsed.headers.get('cseq')).toBe('1 SUBSCRIBE');
    expect(reparsed.headers.get('via')).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK[0-9a-f]+;rport$/);
  });
});
