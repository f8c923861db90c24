/**
 * Self-care calls in the Lab: what the console reads from the IVR's prompts as the dialogue goes on (the subscriber
 * being managed, what the call changed, the voice messages heard and deleted, the greeting) and which keys a prompt offers.
 * The core decides everything; this only follows its answers (core/domain/selfcare-ivr), by prompt id.
 */
import type { IvrActionView } from '../../../core/api/ivr-view';
import type { VoiceSource } from '../../hooks/useVoicePlayer';
import type { CallerMove } from './labStore';

export type PrivacyMode = 'all' | 'whitelist' | 'nobody';

/** One thing a self-care call changed, in the order it happened. */
export type SelfcareChange =
  | { kind: 'pin' }
  | { kind: 'voice-deleted' }
  | { kind: 'privacy'; mode: PrivacyMode }
  | { kind: 'greeting'; change: 'saved' | 'deleted' }
  /** `number` as the caller keyed it (the console formats it). */
  | { kind: 'list'; list: 'black' | 'white'; add: boolean; number: string };

export interface SelfcareProgress {
  /** The subscriber the call manages: the caller's own number, or the number keyed in; null until known. */
  subscriber: string | null;
  /** The caller reached the main menu: the PIN was accepted or chosen. */
  signedIn: boolean;
  changes: SelfcareChange[];
  /** Audio paths of the recordings played in this call (voice messages, the greeting), and of those deleted. */
  heard: string[];
  deleted: string[];
}

const privacyByKey: Record<string, PrivacyMode> = { '1': 'all', '2': 'whitelist', '3': 'nobody' };

const voiceMessagePath = /\/voice-messages\/(\d+)$/;
const greetingPath = /\/subscribers\/([^/]+)\/greeting$/;
const isGreeting = (audio: string): boolean => greetingPath.test(audio);
export const isVoiceMessage = (audio: string): boolean => voiceMessagePath.test(audio);

const promptIds = (action: IvrActionView | null): string[] => (action && action.type !== 'transfer' ? action.prompts.map((p) => p.id) : []);

const audioOf = (action: IvrActionView | null): string[] =>
  action && action.type !== 'transfer' ? action.prompts.flatMap((p) => (p.audio ? [p.audio] : [])) : [];

const keyed = (move: CallerMove): string | null => (move.kind === 'digits' ? move.digits.replace(/#$/, '') : null);

/** Where a self-care call stands after its first answer: from the subscriber's own phone, the caller is the subscriber. */
export function startProgress(caller: string, clir: boolean, first: IvrActionView): SelfcareProgress {
  const asksNumber = promptIds(first).includes('selfcare-identify');
  return { subscriber: clir || asksNumber ? null : caller, signedIn: false, changes: [], heard: audioOf(first), deleted: [] };
}

/** Follows one step: `previous` is what the IVR had said, `move` what the caller did, `next` the IVR's answer. */
export function trackSelfcare(
  progress: SelfcareProgress,
  previous: IvrActionView | null,
  move: CallerMove,
  next: IvrActionView,
): SelfcareProgress {
  const before = promptIds(previous);
  const after = promptIds(next);
  const digits = keyed(move);
  let { subscriber } = progress;
  const changes = [...progress.changes];
  let deleted = [...progress.deleted];

  if (digits !== null && before.includes('selfcare-identify') && !after.includes('selfcare-not-subscriber')) subscriber = digits;
  if (after.includes('selfcare-pin-saved')) changes.push({ kind: 'pin' });
  if (after.includes('selfcare-voice-deleted')) {
    changes.push({ kind: 'voice-deleted' });
    deleted.push(...audioOf(previous));
  }
  if (after.includes('selfcare-greeting-saved')) {
    changes.push({ kind: 'greeting', change: 'saved' });
    // The greeting's address plays the new one now.
    deleted = deleted.filter((audio) => !isGreeting(audio));
  }
  if (after.includes('selfcare-greeting-deleted')) {
    changes.push({ kind: 'greeting', change: 'deleted' });
    deleted.push(...progress.heard.filter((audio) => isGreeting(audio)));
  }
  const mode = digits !== null && before.includes('selfcare-privacy') ? privacyByKey[digits[0] ?? ''] : undefined;
  if (mode && after.includes('selfcare-privacy-saved')) changes.push({ kind: 'privacy', mode });
  const added = after.includes('selfcare-list-added');
  if (digits !== null && (added || after.includes('selfcare-list-removed')))
    changes.push({ kind: 'list', list: after.includes('selfcare-list-white') ? 'white' : 'black', add: added, number: digits });

  const heard = [...new Set([...progress.heard, ...audioOf(next)])];
  const signedIn = progress.signedIn || after.includes('selfcare-main');
  return { subscriber, signedIn, changes, heard, deleted };
}

/** The keys a self-care prompt names: the menus' options. */
const keysByPrompt: Record<string, string[]> = {
  'selfcare-main': ['1', '2', '3', '4', '5', '6', '0'],
  'selfcare-voice-options': ['1', '2', '3', '*'],
  'selfcare-list-black': ['1', '2', '*'],
  'selfcare-list-white': ['1', '2', '*'],
  'selfcare-privacy': ['1', '2', '3', '*'],
  'selfcare-greeting-options': ['1', '2', '3', '*'],
  'selfcare-greeting-options-none': ['2', '*'],
  'selfcare-greeting-review': ['1', '2', '3'],
  'selfcare-greeting-delete-confirm': ['1', '2'],
};

export function selfcareKeys(ids: string[]): string[] {
  return ids.flatMap((id) => keysByPrompt[id] ?? []);
}

const pinPrompts = ['selfcare-enter-pin', 'selfcare-choose-pin', 'selfcare-repeat-pin'];

/** What the caller keys in when the IVR waits for digits ended by a terminator: a PIN or a phone number. */
export function entryKind(ids: string[]): 'pin' | 'number' {
  return ids.some((id) => pinPrompts.includes(id)) ? 'pin' : 'number';
}

/**
 * What the console can play of a recording the IVR names by its network API path: a voice message
 * ('/api/v1/voice-messages/42') or a subscriber's greeting ('/api/v1/subscribers/%2B86…/greeting'); null otherwise
 * (a greeting just recorded is only the media server's to play back).
 */
export function voiceSourceOf(audio: string): VoiceSource | null {
  const voice = voiceMessagePath.exec(audio);
  if (voice) return { callId: Number(voice[1]) };
  const greeting = greetingPath.exec(audio);
  return greeting ? { greetingOf: decodeURIComponent(greeting[1]!) } : null;
}
