/**
 * What the Lab remembers while the operator moves between screens: the call form, the IVR dialogue in progress,
 * the numbers used so far (their handsets stay on screen) and the SMS the operator sent from them.
 */
import { create } from 'zustand';
import type { IvrActionView } from '../../../core/api/ivr-view';
import type { callReasons } from '../../../core/api/engine-types';
import { startProgress, trackSelfcare, type SelfcareProgress } from './selfcare';

export type CallReason = (typeof callReasons)[number];

/** What the caller did at one step of the dialogue. */
export type CallerMove =
  { kind: 'digits'; digits: string } | { kind: 'timeout' } | { kind: 'hangup' } | { kind: 'recorded'; seconds: number };

export type Turn = { id: number; who: 'ivr'; action: IvrActionView } | { id: number; who: 'caller'; move: CallerMove };

interface DialogueBase {
  session: string;
  /** E.164 when the console could read the number, otherwise as typed. */
  caller: string;
  clir: boolean;
  startedAt: number;
  /** The most recent steps, oldest first; the last IVR turn holds the current action. */
  turns: Turn[];
  outcome: string | null;
}

/** A call to a subscriber who does not answer: the caller's IVR. */
export interface MissedCallDialogue extends DialogueBase {
  kind: 'missed';
  callee: string;
  reason: CallReason;
}

/** A call to the voicemail number: the subscriber's self-care IVR. */
export interface SelfcareDialogue extends DialogueBase {
  kind: 'selfcare';
  /** The number dialled, when the operator may read the service rules. */
  voicemailNumber: string | null;
  /** Followed over the whole call, as the transcript keeps only the latest turns. */
  progress: SelfcareProgress;
}

export type Dialogue = MissedCallDialogue | SelfcareDialogue;

export type DialogueStart =
  | Pick<MissedCallDialogue, 'kind' | 'session' | 'caller' | 'clir' | 'callee' | 'reason'>
  | Pick<SelfcareDialogue, 'kind' | 'session' | 'caller' | 'clir' | 'voicemailNumber'>;

export interface SentSms {
  id: number;
  /** The handset it was sent from (E.164). */
  from: string;
  text: string;
  at: number;
  /** How the core read it (details, help, open, …) and how many replies it queued; null until it answers. */
  command: string | null;
  replies: number | null;
}

export type CallMode = 'missed' | 'selfcare';

export interface CallForm {
  mode: CallMode;
  caller: string;
  callee: string;
  reason: CallReason;
  clir: boolean;
  /** The handset that calls the voicemail number (self-care). */
  from: string;
}

const historyLength = 14;
const maxNumbers = 12;
const maxSent = 60;

export const demoNumbers = { caller: '139 0013 9000', callee: '138 0013 8000' } as const;

const initialForm: CallForm = {
  mode: 'missed',
  caller: demoNumbers.caller,
  callee: demoNumbers.callee,
  reason: 'power_off',
  clir: false,
  // The story's subscriber: the one with voice messages to listen to.
  from: demoNumbers.callee,
};

interface LabState {
  /** The operator this state belongs to; another sign-in starts afresh. */
  owner: number | null;
  form: CallForm;
  dialogue: Dialogue | null;
  /** The called number (as typed) of the last call the core refused because it does not subscribe. */
  notSubscriber: string | null;
  /** Numbers that took part in Lab calls (E.164), most recent first. */
  numbers: string[];
  sent: SentSms[];
  claim(owner: number | null): void;
  setForm(patch: Partial<CallForm>): void;
  startDialogue(dialogue: DialogueStart, action: IvrActionView): void;
  /** Adds what the caller did and how the IVR answered. */
  advance(session: string, move: CallerMove, action: IvrActionView, outcome: string | null): void;
  closeDialogue(): void;
  setNotSubscriber(callee: string | null): void;
  rememberNumbers(numbers: string[]): void;
  forgetNumbers(): void;
  /** Shows an SMS the operator is sending from a handset, stamped with the current time; returns its id. */
  addSent(from: string, text: string): number;
  /** The core's answer to a sent SMS, or null when it was refused (the message is withdrawn). */
  settleSent(id: number, answer: { command: string; replies: number } | null): void;
}

let nextId = 1;

export const useLab = create<LabState>()((set, get) => ({
  owner: null,
  form: initialForm,
  dialogue: null,
  notSubscriber: null,
  numbers: [],
  sent: [],
  claim(owner) {
    if (get().owner !== owner) set({ owner, form: initialForm, dialogue: null, notSubscriber: null, numbers: [], sent: [] });
  },
  setForm(patch) {
    set((s) => ({ form: { ...s.form, ...patch } }));
  },
  startDialogue(start, action) {
    const common = { startedAt: Date.now(), turns: [{ id: nextId++, who: 'ivr', action } as Turn], outcome: null };
    set({
      notSubscriber: null,
      dialogue:
        start.kind === 'missed'
          ? { ...start, ...common }
          : { ...start, ...common, progress: startProgress(start.caller, start.clir, action) },
    });
  },
  advance(session, move, action, outcome) {
    set((s) => {
      const dialogue = s.dialogue;
      if (!dialogue || dialogue.session !== session) return s;
      const turns: Turn[] = [...dialogue.turns, { id: nextId++, who: 'caller', move }, { id: nextId++, who: 'ivr', action }];
      const next = { turns: turns.slice(-historyLength), outcome: outcome ?? dialogue.outcome };
      return {
        dialogue:
          dialogue.kind === 'missed'
            ? { ...dialogue, ...next }
            : { ...dialogue, ...next, progress: trackSelfcare(dialogue.progress, currentAction(dialogue), move, action) },
      };
    });
  },
  closeDialogue() {
    set({ dialogue: null });
  },
  setNotSubscriber(callee) {
    set(callee === null ? { notSubscriber: null } : { notSubscriber: callee, dialogue: null });
  },
  rememberNumbers(numbers) {
    set((s) => ({ numbers: [...new Set([...numbers, ...s.numbers])].slice(0, maxNumbers) }));
  },
  forgetNumbers() {
    set({ numbers: [] });
  },
  addSent(from, text) {
    const id = nextId++;
    set((s) => ({ sent: [...s.sent, { id, from, text, at: Date.now(), command: null, replies: null }].slice(-maxSent) }));
    return id;
  },
  settleSent(id, answer) {
    set((s) => ({ sent: answer ? s.sent.map((m) => (m.id === id ? { ...m, ...answer } : m)) : s.sent.filter((m) => m.id !== id) }));
  },
}));

/** The action the IVR is playing now. */
export function currentAction(dialogue: Dialogue): IvrActionView | null {
  for (let i = dialogue.turns.length - 1; i >= 0; i--) {
    const turn = dialogue.turns[i]!;
    if (turn.who === 'ivr') return turn.action;
  }
  return null;
}

/** A hang-up or a transfer ends the Lab's part of the call. */
export function isEnded(dialogue: Dialogue): boolean {
  const action = currentAction(dialogue);
  return action === null || action.type === 'hangup' || action.type === 'transfer';
}
