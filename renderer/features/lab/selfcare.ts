/**
 * Self-care calls in the Lab: what the console reads from the IVR's prompts as the dialogue goes on (the subscriber
 * being managed, what the call changed, the voice messages heard and deleted) and which keys a prompt offers.
 * The core decides everything; this only follows its answers (core/domain/selfcare-ivr), by prompt id.
 */
import type { IvrActionView } from '../../../core/api/ivr-view';
import type { CallerMove } from './labStore';

export type PrivacyMode = 'all' | 'whitelist' | 'nobody';

/** One thing a self-care call changed, in the order it happened. */
export type SelfcareChange =
  | { kind: 'pin' }
  | { kind: 'voice-deleted' }
  | { kind: 'privacy'; mode: PrivacyMode }
  /** `number` as the caller keyed it (the console formats it). */
  | { kind: 'list'; list: 'black' | 'white'; add: boolean; number: string };

export interface SelfcareProgress {
  /** The subscriber the call manages: the caller's own number, or the number keyed in; null until known. */
  subscriber: string | null;
  /** The caller reached the main menu: the PIN was accepted or chosen. */
  signedIn: boolean;
  changes: SelfcareChange[];
  /** Audio paths of the voice messages played in this call, and of those deleted. */
  heard: string[];
  deleted: string[];
}

const privacyByKey: Record<string, PrivacyMode> = { '1': 'all', '2': 'whitelist', '3': 'nobody' };

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
  const deleted = [...progress.deleted];

  if (digits !== null && before.includes('selfcare-identify') && !after.includes('selfcare-not-subscriber')) subscriber = digits;
  if (after.includes('selfcare-pin-saved')) changes.push({ kind: 'pin' });
  if (after.includes('selfcare-voice-deleted')) {
    changes.push({ kind: 'voice-deleted' });
    deleted.push(...audioOf(previous));
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
  'selfcare-main': ['1', '2', '3', '4', '5', '0'],
  'selfcare-voice-options': ['1', '2', '3', '*'],
  'selfcare-list-black': ['1', '2', '*'],
  'selfcare-list-white': ['1', '2', '*'],
  'selfcare-privacy': ['1', '2', '3', '*'],
};

export function selfcareKeys(ids: string[]): string[] {
  return ids.flatMap((id) => keysByPrompt[id] ?? []);
}

const pinPrompts = ['selfcare-enter-pin', 'selfcare-choose-pin', 'selfcare-repeat-pin'];

/** What the caller keys in when the IVR waits for digits ended by a terminator: a PIN or a phone number. */
export function entryKind(ids: string[]): 'pin' | 'number' {
  return ids.some((id) => pinPrompts.includes(id)) ? 'pin' : 'number';
}

/** The call id of a voice message from its network API path ('/api/v1/voice-messages/42' → 42). */
export function voiceCallId(audio: string): number | null {
  const match = /\/voice-messages\/(\d+)$/.exec(audio);
  return match ? Number(match[1]) : null;
}
