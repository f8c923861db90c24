/**
 * Every service of the seed, end to end through the network API and the
 * virtual SMSC, in English and Chinese.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../server/testing/harness';
import { A, B, C, steps, testWav } from './testing';

let h: Harness;
let s: ReturnType<typeof steps>;
beforeEach(async () => {
  h = await startHarness();
  s = steps(h);
});
afterEach(async () => h.stop());

const minute = 60_000;

describe('subscribers', () => {
  it('accepts national and international forms, stores E.164 and sends a free opening reminder once per service', async () => {
    const created = await h.api('PUT', '/api/v1/subscribers/13800138000', {
      services: { missedCallAlert: true, reachableAlert: true },
      language: 'zh-CN',
    });
    expect(created.status).toBe(201);
    expect(created.body.msisdn).toBe(B);
    const again = await h.api('PUT', '/api/v1/subscribers/+86%20138%200013%208000', {
      services: { missedCallAlert: true, reachableAlert: true },
      language: 'zh-CN',
    });
    expect(again.status).toBe(200);
    const inbox = await h.inbox(B);
    expect(inbox.map((m) => m.text)).toEqual([
      '尊敬的用户，您的来电提醒业务已开通，本业务免费。回复HELP至06001查看指令。',
      '尊敬的用户，您的开机提醒业务已开通，本业务免费。回复HELP至06001查看指令。',
    ]);
    expect(inbox[0]!.encoding).toBe('ucs2');
    expect((await h.api('GET', '/api/v1/subscribers/008613800138000')).body.services).toEqual({
      missedCallAlert: true,
      reachableAlert: true,
      voicemail: false,
    });
    const closed = await h.api('DELETE', `/api/v1/subscribers/${B}/services/reachableAlert`);
    expect(closed.body.services.reachableAlert).toBe(false);
  });
});

describe('the IVR dialogue', () => {
  it('offers the options that apply and replays the menu once on an invalid key', async () => {
    await s.subscribe(B, { services: { missedCallAlert: true, reachableAlert: false, voicemail: true } });
    await s.subscribe(A, { services: { missedCallAlert: false, reachableAlert: true } });
    const { body } = await s.call(A, B);
    expect(body.action.type).toBe('collect');
    expect(body.action.prompts.map((p) => p.id)).toEqual([
      'unreachable',
      'option-1',
      'option-2',
      'option-3',
      'option-4',
      'option-0',
      'beep',
    ]);
    const replay = await s.press(body.session, '9');
    expect(replay.body.action.prompts[0]!.id).toBe('invalid');
    const gaveUp = await s.press(body.session, '9');
    expect(gaveUp.body.action).toMatchObject({ type: 'hangup' });
    const after = await s.press(body.session, '2');
    expect(after.status).toBe(409);
  });

  it('transfers to the agents with the parties in headers when the caller presses 0', async () => {
    await s.subscribe(B);
    const { last } = await s.callAndPress(A, B, '0');
    expect(last!.body.action).toMatchObject({
      type: 'transfer',
      target: 'agents',
      headers: { 'X-Reachback-Called': B, 'X-Reachback-Caller': A },
    });
  });

  it('validates and confirms another callback number', async () => {
    await s.subscribe(B);
    const { body } = await s.call(A, B);
    await s.press(body.session, '3');
    const invalid = await s.press(body.session, '12345#');
    expect(invalid.body.action.prompts.map((p) => p.id)).toEqual(['callback-invalid', 'enter-callback']);
    const confirm = await s.press(body.session, '13700137000#');
    expect(confirm.body.action.prompts[0]!.text).toContain('137 0013 7000');
    const done = await s.press(body.session, '1');
    expect(done.body.action.prompts[0]!.id).toBe('thanks-callback');
  });
});

describe.each([
  ['en', 'I called you 3 times before 25 Nov 17:20 (first at 25 Nov 17:00), and I am waiting for your call back. Please contact me.'],
  ['zh-CN', '我在11月25日 17:20前给您打过3次电话（首次11月25日 17:00），正在等您回电，请与我联系。'],
] as const)('notifications in %s', (language, ownNumberText) => {
  it('option 2: merges repeated calls from one caller into one SMS that shows the caller as sender', async () => {
    await s.subscribe(B, { language });
    for (let i = 0; i < 3; i++) {
      await s.callAndPress(A, B, '2');
      h.clock.advance(10 * minute);
    }
    await s.powerOn(B);
    const inbox = (await h.inbox(B)).filter((m) => m.from === A);
    expect(inbox.map((m) => m.text)).toEqual([ownNumberText]);
  });

  it('option 3, a voice message and gave-up calls each get their wording', async () => {
    await s.subscribe(B, { language, services: { missedCallAlert: true, reachableAlert: false, voicemail: true } });
    await s.callAndPress(A, B, '3', '13700137000#', '1');
    const voice = await s.call(C, B);
    await s.press(voice.body.session, '1');
    const wav = testWav(1000);
    const upload = await h.api('PUT', `/api/v1/ivr/${voice.body.session}/recording`, wav, { 'content-type': 'audio/wav' });
    expect(upload.body).toEqual({ durationMs: 1000 });
    await s.press(voice.body.session, 'recorded');
    await s.callAndPress('13600136000', B, 'timeout');
    await s.callAndPress('13600136000', B, 'hangup');
    await s.powerOn(B);
    const texts = await s.texts(B);
    if (language === 'en') {
      expect(texts).toEqual([
        '139 0013 9000 called you once before 25 Nov 17:00. Please dial 137 0013 7000 to contact him.\n137 0013 7000 left you a voice message at 25 Nov 17:00. Call 06002 to listen to it.',
        'You have 2 missed calls. For details, reply D to 06001 within 24 hours, or call 06001 for enquiry (each detail message is 0.10 yuan). This message is free.',
      ]);
    } else {
      expect(texts).toEqual([
        '139 0013 9000在11月25日 17:00前给您打过1次电话，请拨打137 0013 7000与其联系。\n137 0013 7000于11月25日 17:00给您留了语音留言，请拨打06002收听。',
        '您有2个未接来电。如需详情，请在24小时内回复D至06001，或拨打06001查询（每条详情信息0.10元）。本条信息免费。',
      ]);
    }
  });

  it('a D reply within the window returns the detail SMS, charged; afterwards a clear message', async () => {
    await s.subscribe(B, { language });
    await s.callAndPress(A, B, 'timeout');
    h.clock.advance(5 * minute);
    await s.callAndPress(A, B, 'hangup');
    await s.callAndPress(C, B, 'timeout');
    await s.powerOn(B);
    const reply = await s.sms(B, language === 'en' ? 'd' : '详情');
    expect(reply.body).toEqual({ command: 'details', replies: 1 });
    const detail = (await s.texts(B)).at(-1)!;
    expect(detail).toBe(
      language === 'en'
        ? 'Missed calls:\n139 0013 9000: 2 times, last 25 Nov 17:05 (first at 25 Nov 17:00)\n137 0013 7000: once, last 25 Nov 17:05'
        : '未接来电：\n139 0013 9000：2次，最近11月25日 17:05（首次11月25日 17:00）\n137 0013 7000：1次，最近11月25日 17:05',
    );
    h.clock.advance(25 * 60 * minute);
    await s.sms(B, 'D');
    expect((await s.texts(B)).at(-1)).toMatch(language === 'en' ? /no longer available/ : /已过期/);
  });

  it('a caller who pressed 4 hears back when the subscriber is on', async () => {
    await s.subscribe(B, { language });
    await s.subscribe(A, { language, services: { missedCallAlert: false, reachableAlert: true } });
    await s.callAndPress(A, B, '4');
    h.clock.advance(30 * minute);
    await s.powerOn(B);
    expect(await s.texts(A)).toEqual([
      language === 'en'
        ? 'The user 138 0013 8000 you dialed at 25 Nov 17:00 is now on, please contact him.'
        : '您在11月25日 17:00拨打的用户138 0013 8000现已开机，请与其联系。',
    ]);
  });
});

describe('D replies', () => {
  it('with nothing pending answers clearly and charges nothing', async () => {
    await s.subscribe(B);
    await s.sms(B, 'D');
    expect((await s.texts(B)).at(-1)).toBe('You have no missed calls waiting. This message is free.');
    const usage = await h.app.core.services.store.db
      .selectFrom('usage_records')
      .selectAll()
      .where('party', '=', B)
      .where('chargeable', '=', 1)
      .where('kind', '=', 'missed-detail')
      .execute();
    expect(usage).toEqual([]);
  });

  it('records a chargeable detail usage for the reader and a free one for the summary', async () => {
    await s.subscribe(B);
    await s.callAndPress(A, B, 'timeout');
    await s.powerOn(B);
    await s.sms(B, 'D');
    const usage = await h.app.core.services.store.db
      .selectFrom('usage_records')
      .select(['kind', 'chargeable', 'party'])
      .where('party', '=', B)
      .orderBy('id')
      .execute();
    expect(usage).toEqual([
      { kind: 'service-opened', chargeable: 1, party: B },
      { kind: 'opening-reminder', chargeable: 0, party: B },
      { kind: 'missed-summary', chargeable: 0, party: B },
      { kind: 'missed-detail', chargeable: 1, party: B },
    ]);
  });
});

describe('the SMS dispatcher', () => {
  it('sends what a transaction queued without waiting for its tick, and logs no failed pass', async () => {
    await s.subscribe(B);
    await s.callAndPress(A, B, 'timeout');
    await s.powerOn(B);
    expect((await s.texts(B)).length).toBe(1);
    expect(h.logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });
});
