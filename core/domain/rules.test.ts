/** The pure rules: SMS commands, packing, the IVR machine, privacy and priority. */
import { describe, expect, it } from 'vitest';
import { defaultServiceRules } from '../api/rules';
import { composeCalledNotices, pack, type CallForNotice, type ComposeContext } from './compose';
import { advance, startDialogue, type IvrContext, type IvrStep } from './ivr';
import { inWindow, nextLocalTime } from './local-time';
import { chargeParty, offeredOptions, priorityFor, reachableAlertAllowed, type Profile } from './parties';
import { parseSmsCommand } from './sms-commands';
import { analyzeSms } from './sms-encoding';
import { templateSpecs } from './sms-templates';

describe('SMS commands', () => {
  it.each([
    ['D', { command: 'details' }],
    ['  d ', { command: 'details' }],
    ['Ｄ', { command: 'details' }],
    ['详情', { command: 'details' }],
    ['q', { command: 'query' }],
    ['OPEN', { command: 'open', service: 'missedCallAlert' }],
    ['open ra', { command: 'open', service: 'reachableAlert' }],
    ['开通 开机提醒', { command: 'open', service: 'reachableAlert' }],
    ['CLOSE VM', { command: 'close', service: 'voicemail' }],
    ['BL+13900139000', { command: 'blacklist-add', number: '13900139000' }],
    ['bl- +86 139 0013 9000', { command: 'blacklist-remove', number: '+86 139 0013 9000' }],
    ['WL+ 13800138000', { command: 'whitelist-add', number: '13800138000' }],
    ['privacy none', { command: 'privacy', mode: 'nobody' }],
    ['LANG ZH', { command: 'language', language: 'zh-CN' }],
    ['help', { command: 'help' }],
    ['?', { command: 'help' }],
    ['DX', { command: 'unknown', text: 'DX' }],
    ['Dear me', { command: 'unknown', text: 'Dear me' }],
    ['OPEN sesame', { command: 'unknown', text: 'OPEN sesame' }],
  ])('%s', (text, expected) => {
    expect(parseSmsCommand(text, defaultServiceRules.keywordAliases)).toEqual(expected);
  });
});

const ctx: ComposeContext = {
  language: 'en',
  timeZone: 'Asia/Shanghai',
  defaultCountryCode: '86',
  shortCode: '06001',
  queryNumber: '06001',
  voicemailNumber: '06002',
  detailPriceFen: 10,
  detailWindowHours: 24,
  segmentBudget: 1,
  template: (key, language) => templateSpecs[key][language],
};

describe('packing and merging', () => {
  it('packs notices up to the segment budget and starts a new SMS beyond it', () => {
    const texts = Array.from({ length: 5 }, (_, i) => ({ text: 'x'.repeat(60), callIds: [i] }));
    const packed = pack(texts, 1);
    expect(packed.map((p) => p.callIds)).toEqual([[0, 1], [2, 3], [4]]);
    for (const p of packed) expect(analyzeSms(p.text).parts).toBe(1);
  });

  it('merges repeated calls per caller and keeps callers apart', () => {
    const at = Date.UTC(2026, 10, 25, 1, 0);
    const calls: CallForNotice[] = [
      { id: 1, caller: '+8613900139000', clir: false, at, outcome: 'own-number', callback: null, message: null },
      { id: 2, caller: '+8613900139000', clir: false, at: at + 60_000, outcome: 'own-number', callback: null, message: null },
      { id: 3, caller: '+8613700137000', clir: false, at, outcome: 'own-number', callback: null, message: null },
      { id: 4, caller: '+8613700137000', clir: false, at, outcome: 'gave-up', callback: null, message: null },
    ];
    const sms = composeCalledNotices(ctx, calls);
    expect(sms.map((m) => [m.kind, m.sender, m.callIds])).toEqual([
      ['own-number', '+8613900139000', [1, 2]],
      ['own-number', '+8613700137000', [3]],
      ['missed-summary', '06001', [4]],
    ]);
    expect(sms[0]!.text).toBe(
      'I called you 2 times before 25 Nov 09:01 (first at 25 Nov 09:00), and I am waiting for your call back. Please contact me.',
    );
  });
});

describe('the IVR machine', () => {
  const ivr: IvrContext = {
    options: ['2', '3', '0'],
    language: 'en',
    silenceMs: 2000,
    defaultCountryCode: '86',
    session: 's',
    caller: '+8613900139000',
    callee: '+8613800138000',
    hasRecording: false,
  };
  const run = (...inputs: (string | 'timeout' | 'hangup')[]) =>
    inputs.reduce<IvrStep>(
      (step, input) => advance(step.state, /^[0-9*#]+$/.test(input) ? { digits: input } : { event: input as 'timeout' }, ivr) as IvrStep,
      startDialogue(ivr),
    );

  it('ignores options not offered, like any invalid key, and gives up after the replay', () => {
    expect(run('4').action).toMatchObject({
      type: 'collect',
      prompts: expect.arrayContaining([expect.objectContaining({ id: 'invalid' })]),
    });
    expect(run('4', '9').outcome).toEqual({ kind: 'gave-up' });
  });

  it('gives three tries for a callback number, then gives up', () => {
    expect(run('3', '1#', '2#', '3#').outcome).toEqual({ kind: 'gave-up' });
    expect(run('3', '1#', '13700137000#', '1').outcome).toEqual({ kind: 'callback', number: '+8613700137000' });
    expect(run('3', '13700137000#', '2', '13600136000#', '1').outcome).toEqual({ kind: 'callback', number: '+8613600136000' });
  });

  it('refuses input after the end', () => {
    expect(advance(run('2').state, { digits: '1' }, ivr)).toMatchObject({ refused: 'ended' });
  });

  it("plays the called subscriber's greeting before the menu, only when there is a menu, and not on the replay", () => {
    const audio = '/api/v1/subscribers/%2B8613800138000/greeting';
    const first = startDialogue(ivr, audio);
    expect(first.action.type === 'collect' && first.action.prompts.map((p) => p.id)).toEqual([
      'greeting',
      'unreachable',
      'option-2',
      'option-3',
      'option-0',
      'beep',
    ]);
    expect(first.action.type === 'collect' && first.action.prompts[0]).toMatchObject({ language: 'en', audio });
    const replay = advance(first.state, { digits: '9' }, ivr) as IvrStep;
    expect(replay.action.type === 'collect' && replay.action.prompts.some((p) => p.audio)).toBe(false);
    // No menu (a blacklisted caller, nothing to offer): the plain announcement, without the greeting.
    const none = startDialogue({ ...ivr, options: [] }, audio);
    expect(none.action.type === 'hangup' && none.action.prompts.map((p) => p.id)).toEqual(['no-service']);
  });
});

const profile = (msisdn: string, over: Partial<Profile> = {}): Profile => ({
  msisdn,
  active: true,
  language: 'en',
  tariff: null,
  services: { missedCallAlert: true, reachableAlert: true, voicemail: false },
  privacy: { mode: 'all', hidden: [] },
  whitelist: new Set(),
  blacklist: new Set(),
  hasGreeting: false,
  ...over,
});

describe('privacy and priority', () => {
  const rules = defaultServiceRules;
  const b = profile('+8613800138000');
  const a = profile('+8613900139000');
  const call = { caller: a.msisdn, clir: false, at: 0 };

  it('offers 2 only to callers who show their number, and 4 only to reachable-alert subscribers', () => {
    expect(offeredOptions(rules, rules.priority, b, a, call)).toEqual(['2', '3', '4', '0']);
    expect(offeredOptions(rules, rules.priority, b, a, { ...call, clir: true })).toEqual(['3', '0']);
    expect(offeredOptions(rules, rules.priority, b, null, call)).toEqual(['2', '3', '0']);
  });

  it('judges hidden windows only when the subscriber is back', () => {
    const hidden = profile(b.msisdn, { privacy: { mode: 'all', hidden: [{ from: '22:00', to: '07:00' }] } });
    expect(reachableAlertAllowed(rules, rules.priority, hidden, a, call, null).allowed).toBe(true);
    const night = Date.UTC(2026, 10, 25, 15, 30); // 23:30 in Shanghai
    expect(reachableAlertAllowed(rules, rules.priority, hidden, a, call, night)).toEqual({
      allowed: false,
      reason: 'inside a hidden time window',
    });
  });

  it('applies a tariff override over the global rule and charges the winner', () => {
    const withPlan = profile(b.msisdn, { tariff: 'gold' });
    const priority = priorityFor({ ...rules, priorityByTariff: { gold: { charging: 'calling' } } }, withPlan, a);
    expect(priority).toEqual({ dialogue: 'called', privacy: 'called', charging: 'calling' });
    expect(chargeParty(priority, withPlan, a, 'called')).toBe(a.msisdn);
    expect(chargeParty(priority, withPlan, null, 'called')).toBe(b.msisdn);
  });
});

describe('local time', () => {
  it('handles windows across midnight and finds the next morning', () => {
    expect(inWindow(23 * 60, '22:00', '07:00')).toBe(true);
    expect(inWindow(12 * 60, '22:00', '07:00')).toBe(false);
    const at = Date.UTC(2026, 10, 25, 15, 0); // 23:00 in Shanghai
    expect(new Date(nextLocalTime(at, '08:00', 'Asia/Shanghai')).toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });
});
