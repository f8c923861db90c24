/**
 * Self-care by IVR, as the seed asks: the subscriber dials the voicemail
 * number, proves who they are with a PIN, and then listens to voice
 * messages, manages the blacklist and whitelist, sets privacy, changes
 * the PIN and records the personal greeting their callers hear. A pure state
 * machine like the caller's dialogue: the service loads the facts
 * (subscriber, messages, PIN verdict, a greeting just recorded) into the
 * context and applies the effects the machine returns.
 *
 *   main menu: 1 voice messages · 2 blacklist · 3 whitelist · 4 privacy · 5 change PIN · 6 personal greeting · 0 end
 *   greeting:  1 listen · 2 record (then 1 keep · 2 record again · 3 cancel) · 3 delete (1 confirm · 2 keep) · * back
 */
import { formatNational, normalizeMsisdn } from './msisdn';
import { prompt, type IvrLanguage, type Prompt } from './ivr-prompts';
import { maxRecordingMs, type IvrAction, type IvrInput, type IvrRefusal } from './ivr';

export type ListName = 'black' | 'white';
export type PrivacyMode = 'all' | 'whitelist' | 'nobody';

export type SelfcareState =
  | { step: 'identify'; attempts: number }
  | { step: 'pin'; attempts: number }
  | { step: 'new-pin'; first: string | null; attempts: number; thenMain: boolean }
  | { step: 'main'; replays: number }
  /** The playlist is fixed when the subscriber enters it, so marking one heard does not reorder it. */
  | { step: 'voice'; index: number; playlist: number[] }
  | { step: 'list'; list: ListName }
  | { step: 'list-number'; list: ListName; add: boolean; attempts: number }
  | { step: 'privacy' }
  | { step: 'greeting' }
  | { step: 'greeting-delete' }
  /** Recording a new greeting; the one callers hear stays until the new one is kept. */
  | { step: 'greeting-record' }
  | { step: 'greeting-review' }
  | { step: 'ended' };

export interface VoiceMessageFact {
  id: number;
  /** Already spoken form: the caller's national number, or "an unknown number". */
  from: string;
  time: string;
  heard: boolean;
  audio: string;
}

export interface SelfcareSubscriber {
  msisdn: string;
  hasPin: boolean;
  pinLocked: boolean;
  privacyMode: PrivacyMode;
  listCounts: Record<ListName, number>;
  listMax: Record<ListName, number>;
  /** The greeting callers hear: when it was recorded (spoken form) and its audio path; null when there is none. */
  greeting: { recordedAt: string; audio: string } | null;
}

export interface SelfcareContext {
  language: IvrLanguage;
  silenceMs: number;
  defaultCountryCode: string;
  /** Whether the network asserted that the caller is the subscriber (their own phone, not CLIR). */
  ownPhone: boolean;
  /** The subscriber being managed; in the identify step, the one whose number was just entered (null if none). */
  subscriber: SelfcareSubscriber | null;
  voiceMessages: VoiceMessageFact[];
  /** The service's verdict on the PIN just entered (the pin step only). */
  pinCorrect?: boolean;
  /** Whether the number just entered is on the list already (the list-number step only). */
  enteredListed?: boolean;
  /** The audio path of a greeting recorded in this call and not kept yet; null or absent when there is none. */
  newGreeting?: string | null;
}

export type SelfcareEffect =
  | { kind: 'identified'; msisdn: string }
  | { kind: 'pin-failed' }
  | { kind: 'pin-accepted' }
  | { kind: 'pin-set'; pin: string }
  | { kind: 'voice-heard'; id: number }
  | { kind: 'voice-deleted'; id: number }
  | { kind: 'list'; list: ListName; number: string; add: boolean }
  | { kind: 'privacy'; mode: PrivacyMode }
  /** The greeting recorded in this call replaces the subscriber's. */
  | { kind: 'greeting-kept' }
  /** The greeting recorded in this call is dropped (recorded again, cancelled, or the call ended first). */
  | { kind: 'greeting-discarded' }
  | { kind: 'greeting-deleted' };

export interface SelfcareStep {
  state: SelfcareState;
  action: IvrAction;
  effects: SelfcareEffect[];
}

const maxAttempts = 3;
const entryTimeoutMs = 10_000;
const pinPattern = /^\d{4,8}$/;

/** The number being entered, normalised: what the service loads as the subscriber in the identify step. */
export function enteredNumber(digits: string, defaultCountryCode: string): string | null {
  const entered = digits.replace(/#$/, '');
  if (!/^\d+$/.test(entered)) return null;
  const number = normalizeMsisdn(entered, defaultCountryCode);
  return number.ok ? number.e164 : null;
}

/** The PIN the subscriber typed, without the terminating #. */
export const enteredPin = (digits: string): string => digits.replace(/#$/, '');

const say = (ctx: SelfcareContext, id: string, values?: Record<string, string>): Prompt => prompt(id, ctx.language, values);

function collect(ctx: SelfcareContext, prompts: Prompt[], entry = false): IvrAction {
  return entry
    ? { type: 'collect', prompts, maxDigits: 20, timeoutMs: entryTimeoutMs, terminator: '#' }
    : { type: 'collect', prompts, maxDigits: 1, timeoutMs: ctx.silenceMs };
}

function end(ctx: SelfcareContext, promptIds: string[], effects: SelfcareEffect[] = []): SelfcareStep {
  return { state: { step: 'ended' }, action: { type: 'hangup', prompts: promptIds.map((id) => say(ctx, id)) }, effects };
}

function mainMenu(ctx: SelfcareContext, before: Prompt[] = [], effects: SelfcareEffect[] = []): SelfcareStep {
  return { state: { step: 'main', replays: 0 }, action: collect(ctx, [...before, say(ctx, 'selfcare-main')]), effects };
}

function askPin(ctx: SelfcareContext, attempts: number, before: Prompt[] = [], effects: SelfcareEffect[] = []): SelfcareStep {
  return { state: { step: 'pin', attempts }, action: collect(ctx, [...before, say(ctx, 'selfcare-enter-pin')], true), effects };
}

function choosePin(ctx: SelfcareContext, attempts: number, thenMain: boolean, before: Prompt[] = []): SelfcareStep {
  return {
    state: { step: 'new-pin', first: null, attempts, thenMain },
    action: collect(ctx, [...before, say(ctx, 'selfcare-choose-pin')], true),
    effects: [],
  };
}

/** Where a known subscriber goes first: the PIN, or choosing one from their own phone. */
function authenticate(ctx: SelfcareContext, subscriber: SelfcareSubscriber, before: Prompt[], effects: SelfcareEffect[]): SelfcareStep {
  if (subscriber.pinLocked) return end(ctx, ['selfcare-pin-locked'], effects);
  if (subscriber.hasPin) return askPin(ctx, 1, before, effects);
  if (!ctx.ownPhone) return end(ctx, ['selfcare-no-pin'], effects);
  const step = choosePin(ctx, 1, true, before);
  return { ...step, effects };
}

export function startSelfcare(ctx: SelfcareContext): SelfcareStep {
  const welcome = [say(ctx, 'selfcare-welcome')];
  if (ctx.ownPhone && ctx.subscriber) return authenticate(ctx, ctx.subscriber, welcome, []);
  return { state: { step: 'identify', attempts: 1 }, action: collect(ctx, [...welcome, say(ctx, 'selfcare-identify')], true), effects: [] };
}

/** Plays the message at `index` of the playlist, skipping ones deleted since; numbers stay those announced at the start. */
function voiceMessage(ctx: SelfcareContext, playlist: number[], from: number, before: Prompt[] = []): SelfcareStep {
  let index = from;
  while (index < playlist.length && !ctx.voiceMessages.some((m) => m.id === playlist[index])) index++;
  const message = ctx.voiceMessages.find((m) => m.id === playlist[index]);
  if (!message) return mainMenu(ctx, [...before, say(ctx, 'selfcare-voice-end')]);
  return {
    state: { step: 'voice', index, playlist },
    action: collect(ctx, [
      ...before,
      say(ctx, 'selfcare-voice-header', { n: String(index + 1), from: message.from, time: message.time }),
      { ...say(ctx, 'selfcare-voice-audio'), audio: message.audio },
      say(ctx, 'selfcare-voice-options'),
    ]),
    effects: message.heard ? [] : [{ kind: 'voice-heard', id: message.id }],
  };
}

function listMenu(ctx: SelfcareContext, list: ListName, counts: Record<ListName, number>, before: Prompt[] = []): SelfcareStep {
  return {
    state: { step: 'list', list },
    action: collect(ctx, [...before, say(ctx, `selfcare-list-${list}`, { count: String(counts[list]) })]),
    effects: [],
  };
}

function privacyMenu(ctx: SelfcareContext, mode: PrivacyMode): SelfcareStep {
  const current = say(ctx, `privacy-${mode}`).text;
  return { state: { step: 'privacy' }, action: collect(ctx, [say(ctx, 'selfcare-privacy', { mode: current })]), effects: [] };
}

const privacyByKey: Record<string, PrivacyMode> = { '1': 'all', '2': 'whitelist', '3': 'nobody' };

/** Whether a greeting is set and since when, then the keys that apply: listening and deleting need one. */
function greetingMenu(ctx: SelfcareContext, before: Prompt[] = [], effects: SelfcareEffect[] = []): SelfcareStep {
  const greeting = ctx.subscriber!.greeting;
  const status = greeting ? say(ctx, 'selfcare-greeting-set', { time: greeting.recordedAt }) : say(ctx, 'selfcare-greeting-none');
  const options = say(ctx, greeting ? 'selfcare-greeting-options' : 'selfcare-greeting-options-none');
  return { state: { step: 'greeting' }, action: collect(ctx, [...before, status, options]), effects };
}

function recordGreeting(ctx: SelfcareContext, effects: SelfcareEffect[] = []): SelfcareStep {
  return {
    state: { step: 'greeting-record' },
    action: { type: 'record', prompts: [say(ctx, 'selfcare-greeting-record'), say(ctx, 'beep')], maxDurationMs: maxRecordingMs },
    effects,
  };
}

/** Plays the greeting just recorded back before the subscriber decides to keep it. */
function reviewGreeting(ctx: SelfcareContext, audio: string): SelfcareStep {
  return {
    state: { step: 'greeting-review' },
    action: collect(ctx, [{ ...say(ctx, 'selfcare-greeting-new'), audio }, say(ctx, 'selfcare-greeting-review')]),
    effects: [],
  };
}

/** Steps whose silence is not the end of the call: a menu replays, voice messages go on, a recording may be done. */
const silenceGoesOn = new Set<SelfcareState['step']>(['main', 'voice', 'greeting-record']);

export function advanceSelfcare(state: SelfcareState, input: IvrInput, ctx: SelfcareContext): SelfcareStep | IvrRefusal {
  if (state.step === 'ended') return { refused: 'ended', message: 'This self-care session has ended' };
  const event = 'event' in input ? input.event : null;
  if (event === 'recorded' && state.step !== 'greeting-record')
    return { refused: 'bad-input', message: 'No recording was asked for; send digits, timeout or hangup' };
  const digits = 'digits' in input ? input.digits : '';
  if (!event && !/^[0-9*#]{1,32}$/.test(digits)) return { refused: 'bad-input', message: 'digits must be 1–32 of 0-9, * and #' };
  // A greeting recorded and not kept goes with the call; the one callers hear stays.
  const dropNewGreeting: SelfcareEffect[] = ctx.newGreeting ? [{ kind: 'greeting-discarded' }] : [];
  if (event === 'hangup') return end(ctx, [], dropNewGreeting);
  if (event === 'timeout' && !silenceGoesOn.has(state.step)) return end(ctx, ['goodbye'], dropNewGreeting);

  switch (state.step) {
    case 'identify': {
      const subscriber = ctx.subscriber;
      if (subscriber && enteredNumber(digits, ctx.defaultCountryCode) === subscriber.msisdn)
        return authenticate(ctx, subscriber, [], [{ kind: 'identified', msisdn: subscriber.msisdn }]);
      if (state.attempts >= maxAttempts) return end(ctx, ['selfcare-not-subscriber', 'goodbye']);
      return {
        state: { step: 'identify', attempts: state.attempts + 1 },
        action: collect(ctx, [say(ctx, 'selfcare-not-subscriber'), say(ctx, 'selfcare-identify')], true),
        effects: [],
      };
    }

    case 'pin': {
      if (ctx.subscriber?.pinLocked) return end(ctx, ['selfcare-pin-locked']);
      if (ctx.pinCorrect) return mainMenu(ctx, [], [{ kind: 'pin-accepted' }]);
      if (state.attempts >= maxAttempts) return end(ctx, ['selfcare-wrong-pin', 'goodbye'], [{ kind: 'pin-failed' }]);
      return askPin(ctx, state.attempts + 1, [say(ctx, 'selfcare-wrong-pin')], [{ kind: 'pin-failed' }]);
    }

    case 'new-pin': {
      const pin = enteredPin(digits);
      const retry = (reason: string): SelfcareStep =>
        state.attempts >= maxAttempts
          ? state.thenMain
            ? end(ctx, [reason, 'goodbye'])
            : mainMenu(ctx, [say(ctx, reason)])
          : choosePin(ctx, state.attempts + 1, state.thenMain, [say(ctx, reason)]);
      if (!pinPattern.test(pin)) return retry('selfcare-pin-invalid');
      if (state.first === null) {
        return {
          state: { ...state, first: pin },
          action: collect(ctx, [say(ctx, 'selfcare-repeat-pin')], true),
          effects: [],
        };
      }
      if (pin !== state.first) return retry('selfcare-pin-mismatch');
      return mainMenu(ctx, [say(ctx, 'selfcare-pin-saved')], [{ kind: 'pin-set', pin }]);
    }

    case 'main': {
      const subscriber = ctx.subscriber!;
      if (event === 'timeout' || digits[0] === '0') return end(ctx, ['goodbye']);
      switch (digits[0]) {
        case '1': {
          const unheard = ctx.voiceMessages.filter((m) => !m.heard).length;
          if (!ctx.voiceMessages.length) return mainMenu(ctx, [say(ctx, 'selfcare-no-voice')]);
          const count = say(ctx, 'selfcare-voice-count', { count: String(ctx.voiceMessages.length), unheard: String(unheard) });
          return voiceMessage(
            ctx,
            ctx.voiceMessages.map((m) => m.id),
            0,
            [count],
          );
        }
        case '2':
          return listMenu(ctx, 'black', subscriber.listCounts);
        case '3':
          return listMenu(ctx, 'white', subscriber.listCounts);
        case '4':
          return privacyMenu(ctx, subscriber.privacyMode);
        case '5':
          return choosePin(ctx, 1, false);
        case '6':
          return greetingMenu(ctx);
      }
      if (state.replays >= 1) return end(ctx, ['goodbye']);
      return {
        state: { step: 'main', replays: state.replays + 1 },
        action: collect(ctx, [say(ctx, 'invalid'), say(ctx, 'selfcare-main')]),
        effects: [],
      };
    }

    case 'voice': {
      const { playlist, index } = state;
      const message = ctx.voiceMessages.find((m) => m.id === playlist[index]);
      if (event === 'timeout' || digits[0] === '2') return voiceMessage(ctx, playlist, index + 1);
      if (digits[0] === '*' || !message) return mainMenu(ctx);
      if (digits[0] === '1') return voiceMessage(ctx, playlist, index);
      if (digits[0] === '3') {
        const remaining = { ...ctx, voiceMessages: ctx.voiceMessages.filter((m) => m.id !== message.id) };
        const next = voiceMessage(remaining, playlist, index + 1, [say(ctx, 'selfcare-voice-deleted')]);
        return { ...next, effects: [{ kind: 'voice-deleted', id: message.id }, ...next.effects] };
      }
      return voiceMessage(ctx, playlist, index, [say(ctx, 'invalid')]);
    }

    case 'list': {
      if (digits[0] === '1' || digits[0] === '2') {
        const add = digits[0] === '1';
        const subscriber = ctx.subscriber!;
        if (add && subscriber.listCounts[state.list] >= subscriber.listMax[state.list])
          return listMenu(ctx, state.list, subscriber.listCounts, [say(ctx, 'selfcare-list-full')]);
        return {
          state: { step: 'list-number', list: state.list, add, attempts: 1 },
          action: collect(ctx, [say(ctx, 'selfcare-list-enter')], true),
          effects: [],
        };
      }
      if (digits[0] === '*') return mainMenu(ctx);
      return listMenu(ctx, state.list, ctx.subscriber!.listCounts, [say(ctx, 'invalid')]);
    }

    case 'list-number': {
      const number = enteredNumber(digits, ctx.defaultCountryCode);
      if (!number) {
        if (state.attempts >= maxAttempts) return mainMenu(ctx, [say(ctx, 'callback-invalid')]);
        return {
          state: { ...state, attempts: state.attempts + 1 },
          action: collect(ctx, [say(ctx, 'callback-invalid'), say(ctx, 'selfcare-list-enter')], true),
          effects: [],
        };
      }
      const spoken = formatNational(number, ctx.defaultCountryCode);
      if (number === ctx.subscriber!.msisdn || (!state.add && !ctx.enteredListed)) {
        const why = number === ctx.subscriber!.msisdn ? 'selfcare-list-own' : 'selfcare-list-not-found';
        return listMenu(ctx, state.list, ctx.subscriber!.listCounts, [say(ctx, why, { number: spoken })]);
      }
      const counts = { ...ctx.subscriber!.listCounts };
      if (state.add !== ctx.enteredListed) counts[state.list] += state.add ? 1 : -1;
      const done = say(ctx, state.add ? 'selfcare-list-added' : 'selfcare-list-removed', { number: spoken });
      const next = listMenu(ctx, state.list, counts, [done]);
      return { ...next, effects: [{ kind: 'list', list: state.list, number, add: state.add }] };
    }

    case 'privacy': {
      const mode = privacyByKey[digits[0] ?? ''];
      if (mode) {
        const saved = say(ctx, 'selfcare-privacy-saved', { mode: say(ctx, `privacy-${mode}`).text });
        return mainMenu(ctx, [saved], [{ kind: 'privacy', mode }]);
      }
      if (digits[0] === '*') return mainMenu(ctx);
      return privacyMenu(ctx, ctx.subscriber!.privacyMode);
    }

    case 'greeting': {
      const greeting = ctx.subscriber!.greeting;
      if (digits[0] === '*') return mainMenu(ctx);
      if (digits[0] === '2') return recordGreeting(ctx);
      if (greeting && digits[0] === '1') {
        const played = { ...say(ctx, 'selfcare-greeting-audio'), audio: greeting.audio };
        return { state, action: collect(ctx, [played, say(ctx, 'selfcare-greeting-options')]), effects: [] };
      }
      if (greeting && digits[0] === '3')
        return { state: { step: 'greeting-delete' }, action: collect(ctx, [say(ctx, 'selfcare-greeting-delete-confirm')]), effects: [] };
      return greetingMenu(ctx, [say(ctx, 'invalid')]);
    }

    case 'greeting-delete': {
      // Deleted meanwhile (from the console): the menu says there is none.
      if (digits[0] === '1' && !ctx.subscriber!.greeting) return greetingMenu(ctx);
      if (digits[0] === '1') return mainMenu(ctx, [say(ctx, 'selfcare-greeting-deleted')], [{ kind: 'greeting-deleted' }]);
      if (digits[0] === '2') return greetingMenu(ctx, [say(ctx, 'selfcare-greeting-unchanged')]);
      return { state, action: collect(ctx, [say(ctx, 'invalid'), say(ctx, 'selfcare-greeting-delete-confirm')]), effects: [] };
    }

    case 'greeting-record': {
      // The media server ends the recording at # or the time limit and sends recorded (or a timeout), after the upload.
      if (event === 'recorded' || event === 'timeout') {
        if (ctx.newGreeting) return reviewGreeting(ctx, ctx.newGreeting);
        if (event === 'recorded')
          return { refused: 'recording-missing', message: 'Upload the recording (PUT …/recording) before sending the recorded event' };
        return greetingMenu(ctx, [say(ctx, 'selfcare-greeting-not-recorded')]);
      }
      return { refused: 'bad-input', message: 'A recording is in progress; send the recorded or hangup event' };
    }

    case 'greeting-review': {
      if (!ctx.newGreeting) return greetingMenu(ctx);
      switch (digits[0]) {
        case '1':
          return mainMenu(ctx, [say(ctx, 'selfcare-greeting-saved')], [{ kind: 'greeting-kept' }]);
        case '2':
          return recordGreeting(ctx, [{ kind: 'greeting-discarded' }]);
        case '3':
          return greetingMenu(ctx, [say(ctx, 'selfcare-greeting-unchanged')], [{ kind: 'greeting-discarded' }]);
      }
      return { state, action: collect(ctx, [say(ctx, 'invalid'), say(ctx, 'selfcare-greeting-review')]), effects: [] };
    }
  }
}
