/**
 * The IVR dialogue for a call to an unreachable subscriber, as a pure state
 * machine: a state and an input give the next state, the action for the
 * media server, and, when the dialogue decides it, the caller's choice.
 *
 *   1 leave a voice message · 2 leave my own number · 3 enter another callback
 *   number (digits then #, confirmed) · 4 tell me when they are back · 0 operator
 *   silence or hang-up: gave up · an invalid key replays the menu once
 */
import { formatNational, normalizeMsisdn } from './msisdn';
import { prompt, type IvrLanguage, type Prompt } from './ivr-prompts';

export type { IvrLanguage, Prompt } from './ivr-prompts';

export const ivrOptions = ['1', '2', '3', '4', '0'] as const;
export type IvrOption = (typeof ivrOptions)[number];

export type IvrState =
  | { step: 'menu'; replays: number }
  | { step: 'recording' }
  | { step: 'callback-entry'; attempts: number }
  | { step: 'callback-confirm'; number: string; attempts: number }
  | { step: 'ended' };

export type IvrInput = { digits: string } | { event: 'timeout' | 'hangup' | 'recorded' };

export type IvrAction =
  | { type: 'collect'; prompts: Prompt[]; maxDigits: number; timeoutMs: number; terminator?: string }
  | { type: 'record'; prompts: Prompt[]; maxDurationMs: number }
  | { type: 'transfer'; target: 'agents'; headers: Record<string, string> }
  | { type: 'hangup'; prompts: Prompt[] };

export type IvrOutcome =
  | { kind: 'gave-up' }
  | { kind: 'own-number' }
  | { kind: 'callback'; number: string }
  | { kind: 'voice' }
  | { kind: 'reachable-request' }
  | { kind: 'agent' };

export interface IvrContext {
  options: IvrOption[];
  language: IvrLanguage;
  silenceMs: number;
  defaultCountryCode: string;
  /** For the transfer headers the agent desk reads. */
  session: string;
  caller: string | null;
  callee: string;
  /** Whether the voice message was uploaded before `recorded` or a hang-up while recording. */
  hasRecording: boolean;
}

export interface IvrStep {
  state: IvrState;
  action: IvrAction;
  outcome?: IvrOutcome;
}

export type IvrRefusal = { refused: 'ended' | 'recording-missing' | 'bad-input'; message: string };

const maxCallbackAttempts = 3;
const callbackEntryTimeoutMs = 10_000;
/** The longest recording the IVR asks for: a caller's voice message, a subscriber's greeting. */
export const maxRecordingMs = 60_000;

function menu(ctx: IvrContext, replay: boolean, before: Prompt[] = []): IvrAction {
  const prompts = [
    ...before,
    ...(replay ? [prompt('invalid', ctx.language)] : [prompt('unreachable', ctx.language)]),
    ...ctx.options.map((o) => prompt(`option-${o}`, ctx.language)),
    prompt('beep', ctx.language),
  ];
  return { type: 'collect', prompts, maxDigits: 1, timeoutMs: ctx.silenceMs };
}

function hangup(ctx: IvrContext, promptId: string, outcome: IvrOutcome): IvrStep {
  return { state: { step: 'ended' }, action: { type: 'hangup', prompts: [prompt(promptId, ctx.language)] }, outcome };
}

const gaveUp = (ctx: IvrContext): IvrStep => hangup(ctx, 'goodbye', { kind: 'gave-up' });

function enterCallback(ctx: IvrContext, attempts: number, invalid: boolean): IvrStep {
  const prompts = [...(invalid ? [prompt('callback-invalid', ctx.language)] : []), prompt('enter-callback', ctx.language)];
  return {
    state: { step: 'callback-entry', attempts },
    action: { type: 'collect', prompts, maxDigits: 20, timeoutMs: callbackEntryTimeoutMs, terminator: '#' },
  };
}

/**
 * The first step: the menu, or a plain announcement when no option applies. `greeting` is the audio path of the
 * called subscriber's own greeting, played before the menu; a caller who gets no menu (blacklisted, nothing to
 * offer) does not hear it either.
 */
export function startDialogue(ctx: IvrContext, greeting: string | null = null): IvrStep {
  if (!ctx.options.length) return hangup(ctx, 'no-service', { kind: 'gave-up' });
  const before = greeting ? [{ ...prompt('greeting', ctx.language), audio: greeting }] : [];
  return { state: { step: 'menu', replays: 0 }, action: menu(ctx, false, before) };
}

export function advance(state: IvrState, input: IvrInput, ctx: IvrContext): IvrStep | IvrRefusal {
  if (state.step === 'ended')
    return { refused: 'ended', message: 'This IVR session has ended; the caller hung up or the dialogue finished' };
  const event = 'event' in input ? input.event : null;
  const digits = 'digits' in input ? input.digits : '';
  if (!event && !/^[0-9*#]{1,32}$/.test(digits)) return { refused: 'bad-input', message: 'digits must be 1–32 of 0-9, * and #' };

  switch (state.step) {
    case 'menu': {
      if (event === 'timeout' || event === 'hangup') return gaveUp(ctx);
      if (event === 'recorded') return { refused: 'bad-input', message: 'No recording was asked for' };
      const choice = digits[0] as IvrOption;
      if (!ctx.options.includes(choice)) {
        if (state.replays >= 1) return gaveUp(ctx);
        return { state: { step: 'menu', replays: state.replays + 1 }, action: menu(ctx, true) };
      }
      switch (choice) {
        case '1':
          return {
            state: { step: 'recording' },
            action: {
              type: 'record',
              prompts: [prompt('record-after-beep', ctx.language), prompt('beep', ctx.language)],
              maxDurationMs: maxRecordingMs,
            },
          };
        case '2':
          return hangup(ctx, 'thanks-own-number', { kind: 'own-number' });
        case '3':
          return enterCallback(ctx, 1, false);
        case '4':
          return hangup(ctx, 'thanks-reachable', { kind: 'reachable-request' });
        case '0':
          return {
            state: { step: 'ended' },
            action: {
              type: 'transfer',
              target: 'agents',
              headers: {
                'X-Reachback-Session': ctx.session,
                'X-Reachback-Called': ctx.callee,
                'X-Reachback-Caller': ctx.caller ?? 'anonymous',
              },
            },
            outcome: { kind: 'agent' },
          };
      }
      return gaveUp(ctx);
    }

    case 'recording': {
      if (event === 'recorded' || event === 'hangup') {
        if (ctx.hasRecording) return hangup(ctx, 'thanks-voice', { kind: 'voice' });
        if (event === 'recorded')
          return { refused: 'recording-missing', message: 'Upload the recording (PUT …/recording) before sending the recorded event' };
        return gaveUp(ctx);
      }
      if (event === 'timeout') return ctx.hasRecording ? hangup(ctx, 'thanks-voice', { kind: 'voice' }) : gaveUp(ctx);
      return { refused: 'bad-input', message: 'A recording is in progress; send the recorded or hangup event' };
    }

    case 'callback-entry': {
      if (event === 'hangup' || event === 'timeout') return gaveUp(ctx);
      if (event === 'recorded') return { refused: 'bad-input', message: 'No recording was asked for' };
      const entered = digits.replace(/#$/, '');
      const number = /^\d+$/.test(entered) ? normalizeMsisdn(entered, ctx.defaultCountryCode) : null;
      if (!number?.ok) {
        if (state.attempts >= maxCallbackAttempts) return gaveUp(ctx);
        return enterCallback(ctx, state.attempts + 1, true);
      }
      const spoken = formatNational(number.e164, ctx.defaultCountryCode);
      return {
        state: { step: 'callback-confirm', number: number.e164, attempts: state.attempts },
        action: {
          type: 'collect',
          prompts: [prompt('callback-confirm', ctx.language, { number: spoken })],
          maxDigits: 1,
          timeoutMs: ctx.silenceMs,
        },
      };
    }

    case 'callback-confirm': {
      if (event === 'hangup' || event === 'timeout') return gaveUp(ctx);
      if (event === 'recorded') return { refused: 'bad-input', message: 'No recording was asked for' };
      if (digits[0] === '1') return hangup(ctx, 'thanks-callback', { kind: 'callback', number: state.number });
      if (state.attempts >= maxCallbackAttempts) return gaveUp(ctx);
      return enterCallback(ctx, state.attempts + 1, false);
    }
  }
}

export function isRefusal<T extends object>(step: T | IvrRefusal): step is IvrRefusal {
  return 'refused' in step;
}
