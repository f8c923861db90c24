/** Privacy, lists, CLIR, call priority and limits, through the network API. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultServiceRules, type ServiceRules } from '../../api/rules';
import { startHarness, type Harness } from '../../server/testing/harness';
import { A, B, C, steps } from './testing';

let h: Harness;
let s: ReturnType<typeof steps>;
beforeEach(async () => {
  h = await startHarness();
  s = steps(h);
});
afterEach(async () => h.stop());

const minute = 60_000;

async function setRules(change: (rules: ServiceRules) => ServiceRules) {
  const admin = await h.admin();
  await admin.send('rules/update', change(structuredClone(defaultServiceRules)));
}

async function requestReachable(callerLanguage: 'en' | 'zh-CN' = 'en') {
  await s.subscribe(A, { language: callerLanguage, services: { missedCallAlert: false, reachableAlert: true } });
  return s.callAndPress(A, B, '4');
}

describe('privacy', () => {
  it('whitelist-only mode tells only whitelisted callers', async () => {
    await s.subscribe(B, { privacy: { mode: 'whitelist', hidden: [] } });
    await s.subscribe(C, { services: { missedCallAlert: false, reachableAlert: true } });
    await h.api('PUT', `/api/v1/subscribers/${B}/whitelist/${C}`);
    // A is not whitelisted: option 4 is not even offered.
    await s.subscribe(A, { services: { missedCallAlert: false, reachableAlert: true } });
    const offered = await s.call(A, B);
    expect(offered.body.action.prompts.map((p) => p.id)).not.toContain('option-4');
    await s.press(offered.body.session, 'hangup');
    await s.callAndPress(C, B, '4');
    await s.powerOn(B);
    expect(await s.texts(A)).toEqual([]);
    expect(await s.texts(C)).toHaveLength(1);
  });

  it('nobody mode tells nobody, and a hidden time window holds back the alert', async () => {
    await s.subscribe(B, { privacy: { mode: 'all', hidden: [{ from: '17:00', to: '18:00' }] } });
    await requestReachable();
    // 17:00 Shanghai time is inside the hidden window.
    await s.powerOn(B);
    expect(await s.texts(A)).toEqual([]);
    const calls = (await h.api('GET', `/api/v1/subscribers/${B}/missed-calls`)).body.calls;
    expect(calls[0]).toMatchObject({ alertStatus: 'suppressed', statusReason: 'inside a hidden time window' });
  });

  it('never reveals a caller with caller ID restricted: unknown number, or no alert by policy', async () => {
    await s.subscribe(B);
    await s.callAndPress(undefined, B, '3', '13700137000#', '1').catch(() => undefined);
    const hidden = await s.call(undefined, B, { clir: true });
    expect(hidden.body.action.prompts.map((p) => p.id)).not.toContain('option-2');
    await s.press(hidden.body.session, '3');
    await s.press(hidden.body.session, '13700137000#');
    await s.press(hidden.body.session, '1');
    await s.powerOn(B);
    const text = (await s.texts(B)).join('\n');
    expect(text).toContain('unknown number called you once');
    expect(text).not.toContain('anonymous');

    await setRules((r) => ({ ...r, clirPolicy: 'no-alert' }));
    await s.powerOff(B);
    h.clock.advance(minute);
    const again = await s.call(undefined, B, { clir: true });
    await s.press(again.body.session, 'timeout');
    await s.powerOn(B);
    expect((await s.texts(B)).filter((t) => t.includes('missed calls'))).toEqual([]);
  });
});

describe('blacklist', () => {
  it('gives a blacklisted caller no menu, no alert and no reachable notice', async () => {
    await s.subscribe(B);
    await h.api('PUT', `/api/v1/subscribers/${B}/blacklist/${A}`);
    await s.subscribe(A, { services: { missedCallAlert: false, reachableAlert: true } });
    const { body } = await s.call(A, B);
    expect(body.action).toMatchObject({ type: 'hangup' });
    await s.powerOn(B);
    expect(await s.texts(B)).toEqual([]);
    expect(await s.texts(A)).toEqual([]);
    expect((await h.api('GET', `/api/v1/subscribers/${B}/missed-calls`)).body.calls[0]).toMatchObject({
      outcome: 'blocked',
      status: 'logged',
    });
  });

  it('refuses a whitelist beyond its limit with a clear error', async () => {
    await s.subscribe(B);
    for (let i = 0; i < 20; i++)
      expect((await h.api('PUT', `/api/v1/subscribers/${B}/whitelist/1370000${String(i).padStart(4, '0')}`)).status).toBe(200);
    const over = await h.api('PUT', `/api/v1/subscribers/${B}/whitelist/13799999999`);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/already holds 20 numbers/);
    expect((await h.api('GET', `/api/v1/subscribers/${B}`)).body.whitelist).toHaveLength(20);
  });
});

describe('call priority', () => {
  it('by default the called party wins: its language and its privacy', async () => {
    await s.subscribe(B, { language: 'zh-CN', privacy: { mode: 'nobody', hidden: [] } });
    await s.subscribe(A, { language: 'en', services: { missedCallAlert: false, reachableAlert: true } });
    const { body } = await s.call(A, B);
    expect(body.action.prompts[0]!.language).toBe('zh-CN');
    expect(body.action.prompts.map((p) => p.id)).not.toContain('option-4');
  });

  it("lets the caller's settings win when the rule says so, per tariff plan too", async () => {
    await setRules((r) => ({ ...r, priorityByTariff: { premium: { dialogue: 'calling', privacy: 'calling', charging: 'calling' } } }));
    await s.subscribe(B, { language: 'zh-CN', privacy: { mode: 'nobody', hidden: [] }, tariff: 'premium' });
    await s.subscribe(A, { language: 'en', services: { missedCallAlert: false, reachableAlert: true } });
    const { body } = await s.call(A, B);
    expect(body.action.prompts[0]!.language).toBe('en');
    await s.press(body.session, '4');
    await s.powerOn(B);
    expect(await s.texts(A)).toEqual(['The user 138 0013 8000 you dialed at 25 Nov 17:00 is now on, please contact him.']);
    const usage = await h.app.core.services.store.db
      .selectFrom('usage_records')
      .select(['party', 'kind'])
      .where('kind', '=', 'reachable-alert')
      .execute();
    expect(usage).toEqual([{ party: A, kind: 'reachable-alert' }]);
  });

  it('charges the called party for its notices by default, and the caller when the rule says calling', async () => {
    await s.subscribe(B);
    await s.subscribe(A, { services: { missedCallAlert: false, reachableAlert: true } });
    await s.callAndPress(A, B, '2');
    await s.powerOn(B);
    await setRules((r) => ({ ...r, priority: { ...r.priority, charging: 'calling' } }));
    await s.powerOff(B);
    h.clock.advance(minute);
    await s.callAndPress(A, B, '2');
    await s.powerOn(B);
    const usage = await h.app.core.services.store.db
      .selectFrom('usage_records')
      .select(['party'])
      .where('kind', '=', 'notification')
      .orderBy('id')
      .execute();
    expect(usage.map((u) => u.party)).toEqual([B, A]);
  });
});

describe('limits', () => {
  it('expires alerts not delivered within 24 hours', async () => {
    await s.subscribe(B);
    await s.callAndPress(A, B, '2');
    h.clock.advance(25 * 60 * minute);
    await s.powerOn(B);
    expect(await s.texts(B)).toEqual([]);
    expect((await h.api('GET', `/api/v1/subscribers/${B}/missed-calls`)).body.calls[0].status).toBe('expired');
  });

  it('sends at most the daily cap of alerts to one called party, and marks the rest', async () => {
    await setRules((r) => ({ ...r, dailyAlertCap: 3 }));
    await s.subscribe(B);
    for (let i = 0; i < 5; i++) await s.callAndPress(`1360000000${i}`, B, '2');
    await s.powerOn(B);
    expect((await h.inbox(B)).filter((m) => m.from.startsWith('+86136'))).toHaveLength(3);
    const suppressed = (await h.api('GET', `/api/v1/subscribers/${B}/missed-calls`)).body.calls.filter(
      (c: { status: string }) => c.status === 'suppressed',
    );
    expect(suppressed).toHaveLength(2);
    expect(suppressed[0].statusReason).toMatch(/daily cap of 3/);
  });

  it('holds SMS during quiet hours and releases them in the morning, updating a held one instead of adding another', async () => {
    await setRules((r) => ({ ...r, quietHours: { enabled: true, from: '16:00', to: '08:00' } }));
    await s.subscribe(B);
    const openingTexts = (await h.inbox(B)).length;
    await s.callAndPress(A, B, '2');
    await s.powerOn(B); // 17:00 Shanghai: quiet
    expect((await h.inbox(B)).length).toBe(openingTexts);
    await s.powerOff(B);
    h.clock.advance(10 * minute);
    await s.callAndPress(A, B, '2');
    await s.powerOn(B);
    const held = await h.app.core.services.store.db
      .selectFrom('sms')
      .selectAll()
      .where('recipient', '=', B)
      .where('kind', '=', 'own-number')
      .execute();
    expect(held).toHaveLength(1);
    expect(held[0]!.state).toBe('queued');
    expect(held[0]!.text).toContain('2 times');
    h.clock.advance(15 * 60 * minute); // 08:10 next day
    await h.settle();
    expect((await h.inbox(B)).filter((m) => m.from === A).map((m) => m.text)).toEqual([
      'I called you 2 times before 25 Nov 17:10 (first at 25 Nov 17:00), and I am waiting for your call back. Please contact me.',
    ]);
  });

  it('treats a redelivered event id as the same event', async () => {
    await s.subscribe(B);
    const first = await h.api('POST', '/api/v1/calls', { id: 'msc-1', caller: A, callee: B, reason: 'power_off', at: h.clock.now() });
    const again = await h.api('POST', '/api/v1/calls', { id: 'msc-1', caller: A, callee: B, reason: 'power_off', at: h.clock.now() });
    expect(again).toEqual(first);
    await s.press(first.body.session, 'timeout');
    const p1 = await s.powerOn(B, { id: 'hlr-7' });
    const p2 = await s.powerOn(B, { id: 'hlr-7' });
    expect(p2).toEqual(p1);
    expect((await s.texts(B)).filter((t) => t.includes('missed calls'))).toHaveLength(1);
    const reused = await h.api('POST', '/api/v1/sms/inbound', { id: 'hlr-7', from: B, to: '06001', text: 'D', at: h.clock.now() });
    expect(reused.status).toBe(409);
    expect(reused.body.error.field).toBe('id');
  });

  it('notifies at once for busy and no-answer calls, where the phone is on', async () => {
    await s.subscribe(B);
    await s.call(A, B, { reason: 'busy' }).then(({ body }) => s.press(body.session, '2'));
    expect((await h.inbox(B)).filter((m) => m.from === A)).toHaveLength(1);
  });
});

describe('SMS self-care', () => {
  it('opens services for a new number, manages lists, privacy and language, and answers anything else with help', async () => {
    expect((await s.sms(C, 'OPEN MCA')).body).toEqual({ command: 'open', replies: 1 });
    expect((await h.inbox(C)).map((m) => m.text)).toEqual(['尊敬的用户，您的来电提醒业务已开通，本业务免费。回复HELP至06001查看指令。']);
    await s.sms(C, 'LANG EN');
    await s.sms(C, 'bl+13900139000');
    await s.sms(C, 'WL+ 138 0013 8000');
    await s.sms(C, 'PRIVACY WL');
    const profile = (await h.api('GET', `/api/v1/subscribers/${C}`)).body;
    expect(profile).toMatchObject({ language: 'en', blacklist: [A], whitelist: [B], privacy: { mode: 'whitelist' } });
    await s.sms(C, 'Q');
    expect((await h.inbox(C)).at(-1)!.text).toBe(
      'Missed-call alerts: on. Reachable alerts: off. Privacy: whitelist only. Missed calls waiting: 0.',
    );
    await s.sms(C, 'what is this');
    expect((await h.inbox(C)).at(-1)!.text).toMatch(/^Commands to 06001: D details/);
    await s.sms(C, 'bl+123');
    expect((await h.inbox(C)).at(-1)!.text).toMatch(/^Not done: Only 3 digits/);
    await s.sms(C, 'CLOSE MCA');
    expect((await h.inbox(C)).at(-1)!.text).toBe('Your missed-call alert service has been closed.');
  });
});

describe('retries of IVR input', () => {
  it('answers a retried key press with the same action instead of advancing the dialogue again', async () => {
    await s.subscribe(B);
    const { body } = await s.call(A, B);
    const first = await h.api('POST', `/api/v1/ivr/${body.session}/input`, { digits: '9', id: 'key-1' });
    const retry = await h.api('POST', `/api/v1/ivr/${body.session}/input`, { digits: '9', id: 'key-1' });
    expect(retry).toEqual(first);
    expect(first.body.action.prompts[0].id).toBe('invalid');
    // A second, new invalid key ends the call (the replay was used once, not twice).
    const second = await h.api('POST', `/api/v1/ivr/${body.session}/input`, { digits: '9', id: 'key-2' });
    expect(second.body.action.type).toBe('hangup');
  });

  it('forgets event ids after a week', async () => {
    await s.subscribe(B);
    await h.api('POST', '/api/v1/presence', { id: 'old-event', msisdn: B, state: 'unreachable', at: h.clock.now() });
    h.clock.advance(8 * 24 * 3_600_000);
    await h.app.core.services.engine.sweep();
    const ids = await h.app.core.services.store.db.selectFrom('network_events').select('id').execute();
    expect(ids).toEqual([]);
  });
});
