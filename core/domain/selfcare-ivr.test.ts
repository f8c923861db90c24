/** The self-care dialogue's personal greeting menu: listen, record (keep, record again, cancel), delete, back. */
import { describe, expect, it } from 'vitest';
import { isRefusal, maxRecordingMs, type IvrInput } from './ivr';
import { advanceSelfcare, type SelfcareContext, type SelfcareState, type SelfcareStep } from './selfcare-ivr';

const kept = '/api/v1/subscribers/%2B8613800138000/greeting';
const recorded = '/api/v1/ivr/5d0c9a3e41b7f2a6c8e91d04/recording';

function context(greeting: boolean, over: Partial<SelfcareContext> = {}): SelfcareContext {
  return {
    language: 'en',
    silenceMs: 5000,
    defaultCountryCode: '86',
    ownPhone: true,
    subscriber: {
      msisdn: '+8613800138000',
      hasPin: true,
      pinLocked: false,
      privacyMode: 'all',
      listCounts: { black: 0, white: 0 },
      listMax: { black: 20, white: 20 },
      greeting: greeting ? { recordedAt: '25 Nov 17:00', audio: kept } : null,
    },
    voiceMessages: [],
    ...over,
  };
}

const withGreeting = context(true);
const withoutGreeting = context(false);
/** While a new greeting waits to be kept. */
const waiting = (ctx: SelfcareContext): SelfcareContext => ({ ...ctx, newGreeting: recorded });

const key = (digits: string): IvrInput => ({ digits });

function step(state: SelfcareState, input: IvrInput, ctx: SelfcareContext): SelfcareStep {
  const next = advanceSelfcare(state, input, ctx);
  if (isRefusal(next)) throw new Error(`refused: ${next.message}`);
  return next;
}

const ids = (s: SelfcareStep): string[] => (s.action.type === 'transfer' ? [] : s.action.prompts.map((p) => p.id));
const main: SelfcareState = { step: 'main', replays: 0 };
const menu: SelfcareState = { step: 'greeting' };
const recording: SelfcareState = { step: 'greeting-record' };
const review: SelfcareState = { step: 'greeting-review' };

describe('the personal greeting menu', () => {
  it('says whether a greeting is set and since when, and offers only what applies', () => {
    const set = step(main, key('6'), withGreeting);
    expect(set.state).toEqual(menu);
    expect(ids(set)).toEqual(['selfcare-greeting-set', 'selfcare-greeting-options']);
    expect(set.action.type === 'collect' && set.action.prompts[0]!.text).toBe('Your personal greeting was recorded on 25 Nov 17:00.');

    const none = step(main, key('6'), withoutGreeting);
    expect(ids(none)).toEqual(['selfcare-greeting-none', 'selfcare-greeting-options-none']);
    // Listening and deleting need a greeting.
    expect(ids(step(menu, key('1'), withoutGreeting))).toEqual(['invalid', 'selfcare-greeting-none', 'selfcare-greeting-options-none']);
    expect(ids(step(menu, key('3'), withoutGreeting))).toEqual(['invalid', 'selfcare-greeting-none', 'selfcare-greeting-options-none']);
  });

  it('plays the greeting from its audio path, and star goes back to the main menu', () => {
    const played = step(menu, key('1'), withGreeting);
    expect(played.state).toEqual(menu);
    expect(played.action.type === 'collect' && played.action.prompts[0]).toMatchObject({ id: 'selfcare-greeting-audio', audio: kept });
    expect(ids(played)).toEqual(['selfcare-greeting-audio', 'selfcare-greeting-options']);
    expect(played.effects).toEqual([]);
    const back = step(menu, key('*'), withGreeting);
    expect(back.state).toEqual(main);
    expect(ids(back)).toEqual(['selfcare-main']);
    expect(ids(step(menu, key('9'), withGreeting))).toEqual(['invalid', 'selfcare-greeting-set', 'selfcare-greeting-options']);
  });

  it('records with the voice message limit, plays the new greeting back and keeps it on 1', () => {
    const record = step(menu, key('2'), withGreeting);
    expect(record.state).toEqual(recording);
    expect(record.action).toMatchObject({ type: 'record', maxDurationMs: maxRecordingMs });
    expect(ids(record)).toEqual(['selfcare-greeting-record', 'beep']);

    const heard = step(recording, { event: 'recorded' }, waiting(withGreeting));
    expect(heard.state).toEqual(review);
    expect(heard.action.type === 'collect' && heard.action.prompts[0]).toMatchObject({ id: 'selfcare-greeting-new', audio: recorded });
    expect(ids(heard)).toEqual(['selfcare-greeting-new', 'selfcare-greeting-review']);
    expect(heard.effects).toEqual([]);

    const keep = step(review, key('1'), waiting(withGreeting));
    expect(keep.state).toEqual(main);
    expect(ids(keep)).toEqual(['selfcare-greeting-saved', 'selfcare-main']);
    expect(keep.effects).toEqual([{ kind: 'greeting-kept' }]);
  });

  it('records again on 2 and cancels on 3, dropping the new recording each time', () => {
    const again = step(review, key('2'), waiting(withGreeting));
    expect(again.state).toEqual(recording);
    expect(again.action.type).toBe('record');
    expect(again.effects).toEqual([{ kind: 'greeting-discarded' }]);

    const cancel = step(review, key('3'), waiting(withGreeting));
    expect(cancel.state).toEqual(menu);
    expect(ids(cancel)).toEqual(['selfcare-greeting-unchanged', 'selfcare-greeting-set', 'selfcare-greeting-options']);
    expect(cancel.effects).toEqual([{ kind: 'greeting-discarded' }]);

    const invalid = step(review, key('7'), waiting(withGreeting));
    expect(invalid.state).toEqual(review);
    expect(ids(invalid)).toEqual(['invalid', 'selfcare-greeting-review']);
    expect(invalid.effects).toEqual([]);
  });

  it('a hang-up while recording or reviewing keeps the old greeting and drops the new one', () => {
    const hangup = step(recording, { event: 'hangup' }, waiting(withGreeting));
    expect(hangup.state).toEqual({ step: 'ended' });
    expect(hangup.effects).toEqual([{ kind: 'greeting-discarded' }]);
    // Nothing was uploaded yet: nothing to drop.
    expect(step(recording, { event: 'hangup' }, withGreeting).effects).toEqual([]);
    expect(step(review, { event: 'hangup' }, waiting(withGreeting)).effects).toEqual([{ kind: 'greeting-discarded' }]);
  });

  it('on a timeout: the recording is reviewed if it was uploaded; the menus end the call', () => {
    expect(step(recording, { event: 'timeout' }, waiting(withGreeting)).state).toEqual(review);
    const nothing = step(recording, { event: 'timeout' }, withGreeting);
    expect(nothing.state).toEqual(menu);
    expect(ids(nothing)[0]).toBe('selfcare-greeting-not-recorded');
    const silentMenu = step(menu, { event: 'timeout' }, withGreeting);
    expect(silentMenu.state).toEqual({ step: 'ended' });
    expect(ids(silentMenu)).toEqual(['goodbye']);
    expect(step(review, { event: 'timeout' }, waiting(withGreeting)).effects).toEqual([{ kind: 'greeting-discarded' }]);
  });

  it('refuses keys while recording, recorded before the upload, and recorded anywhere else', () => {
    expect(advanceSelfcare(recording, key('1'), withGreeting)).toMatchObject({ refused: 'bad-input' });
    expect(advanceSelfcare(recording, { event: 'recorded' }, withGreeting)).toMatchObject({ refused: 'recording-missing' });
    expect(advanceSelfcare(main, { event: 'recorded' }, withGreeting)).toMatchObject({ refused: 'bad-input' });
    expect(advanceSelfcare(menu, { event: 'recorded' }, withGreeting)).toMatchObject({ refused: 'bad-input' });
  });

  it('deletes the greeting only once confirmed', () => {
    const confirm = step(menu, key('3'), withGreeting);
    expect(confirm.state).toEqual({ step: 'greeting-delete' });
    expect(ids(confirm)).toEqual(['selfcare-greeting-delete-confirm']);
    const keep = step(confirm.state, key('2'), withGreeting);
    expect(keep.state).toEqual(menu);
    expect(ids(keep)).toEqual(['selfcare-greeting-unchanged', 'selfcare-greeting-set', 'selfcare-greeting-options']);
    expect(keep.effects).toEqual([]);
    expect(ids(step(confirm.state, key('5'), withGreeting))).toEqual(['invalid', 'selfcare-greeting-delete-confirm']);
    const deleted = step(confirm.state, key('1'), withGreeting);
    expect(deleted.state).toEqual(main);
    expect(ids(deleted)).toEqual(['selfcare-greeting-deleted', 'selfcare-main']);
    expect(deleted.effects).toEqual([{ kind: 'greeting-deleted' }]);
    // Deleted from the console meanwhile: nothing left to delete.
    const gone = step(confirm.state, key('1'), withoutGreeting);
    expect(gone.effects).toEqual([]);
    expect(ids(gone)).toEqual(['selfcare-greeting-none', 'selfcare-greeting-options-none']);
  });

  it('speaks Chinese to a Chinese subscriber', () => {
    const zh = step(main, key('6'), context(true, { language: 'zh-CN' }));
    expect(zh.action.type === 'collect' && zh.action.prompts.map((p) => p.text)).toEqual([
      '您的个人问候语录制于25 Nov 17:00。',
      '收听请按1，重新录制请按2，删除请按3，返回主菜单请按星号键。',
    ]);
  });
});
