/**
 * Self-care by IVR: loads the facts the pure dialogue needs, and applies
 * what it decides. PIN hashing and checking (scrypt, tens of ms) happen in
 * `prepareSelfcareInput`, before the transaction, so they never hold the
 * store's write lock; the transaction then refuses the input if the
 * dialogue moved on meanwhile. Files let go of (voice messages and greetings
 * deleted or replaced) are returned for removal once the input committed.
 */
import type { z } from 'zod';
import { ApiError } from '../../api';
import type { ivrInput, selfcareCall } from '../../api/engine-types';
import type { IvrAction } from '../../domain/ivr';
import { isRefusal } from '../../domain/ivr';
import { prompt, type IvrLanguage } from '../../domain/ivr-prompts';
import { formatSmsTime } from '../../domain/local-time';
import { formatNational } from '../../domain/msisdn';
import {
  advanceSelfcare,
  enteredNumber,
  enteredPin,
  startSelfcare,
  type PrivacyMode,
  type SelfcareContext,
  type SelfcareEffect,
  type SelfcareState,
} from '../../domain/selfcare-ivr';
import { hashPassword, verifyPassword } from '../access/passwords';
import { rulesOf, type EngineDeps, type Trx } from './deps';
import { e164 } from './numbers';
import { changeList } from './subscribers';
import { newSessionId } from './session-ids';
import { deleteGreeting, greetingColumns, greetingOf, keepGreeting } from './greetings';
import { greetingAudioPath, sessionRecordingPath, voiceAudioPath } from './voice-files';

type SelfcareCall = z.output<typeof selfcareCall>;
type IvrInputBody = z.output<typeof ivrInput>;
type Reader = Pick<Trx, 'selectFrom'>;

/** Consecutive wrong PINs, over any number of calls, that lock the PIN for `pinLockMs`. */
export const pinLockAfter = 5;
export const pinLockMs = 3_600_000;

export interface SelfcareSessionRow {
  session: string;
  caller: string;
  own_phone: number;
  msisdn: string | null;
  state: string;
  authenticated: number;
  /** A greeting recorded in this call and not kept yet. */
  greeting_file: string | null;
  greeting_ms: number | null;
}

/** Work done before the transaction: the PIN verdict, or the hash of a new PIN. */
export interface PreparedInput {
  pinCorrect?: boolean;
  pinHash?: string;
}

async function loadContext(db: Reader, deps: EngineDeps, msisdn: string | null, ownPhone: boolean, at: number): Promise<SelfcareContext> {
  const rules = rulesOf(deps);
  const base = { silenceMs: rules.ivrSilenceMs, defaultCountryCode: rules.defaultCountryCode, ownPhone, voiceMessages: [] };
  const row = msisdn
    ? await db
        .selectFrom('subscribers')
        .select(['msisdn', 'language', 'state', 'pin_hash', 'pin_locked_until', 'privacy_mode', ...greetingColumns])
        .where('msisdn', '=', msisdn)
        .where('state', '!=', 'cancelled')
        .executeTakeFirst()
    : undefined;
  if (!row) return { ...base, language: 'zh-CN', subscriber: null };
  const language: IvrLanguage = row.language === 'en' ? 'en' : 'zh-CN';
  const greeting = greetingOf(row);
  const lists = await db
    .selectFrom('list_entries')
    .select(['list', (eb) => eb.fn.countAll<number>().as('count')])
    .where('msisdn', '=', row.msisdn)
    .groupBy('list')
    .execute();
  const count = (list: string): number => Number(lists.find((l) => l.list === list)?.count ?? 0);
  const messages = await db
    .selectFrom('calls')
    .select(['id', 'caller', 'clir', 'at', 'voice_heard_at'])
    .where('callee', '=', row.msisdn)
    .where('voice_file', 'is not', null)
    .where('voice_deleted_at', 'is', null)
    .orderBy('at')
    .execute();
  // New messages first, each group oldest first, as voicemail systems play them.
  messages.sort((a, b) => Number(a.voice_heard_at !== null) - Number(b.voice_heard_at !== null));
  return {
    ...base,
    language,
    subscriber: {
      msisdn: row.msisdn,
      hasPin: row.pin_hash !== null,
      pinLocked: (row.pin_locked_until ?? 0) > at,
      privacyMode: row.privacy_mode as PrivacyMode,
      listCounts: { black: count('black'), white: count('white') },
      listMax: { black: rules.blacklistMax, white: rules.whitelistMax },
      greeting: greeting && {
        recordedAt: formatSmsTime(greeting.recordedAt, language, rules.timeZone),
        audio: greetingAudioPath(row.msisdn),
      },
    },
    voiceMessages: messages.map((m) => ({
      id: m.id,
      from: m.clir ? prompt('unknown-number', language).text : formatNational(m.caller, rules.defaultCountryCode),
      time: formatSmsTime(m.at, language, rules.timeZone),
      heard: m.voice_heard_at !== null,
      audio: voiceAudioPath(m.id),
    })),
  };
}

export async function startSelfcareCall(trx: Trx, deps: EngineDeps, event: SelfcareCall): Promise<{ session: string; action: IvrAction }> {
  const rules = rulesOf(deps);
  if (!event.caller && !event.clir) throw new ApiError('validation', 'caller: required unless clir is true', { field: 'caller' });
  const caller = event.caller && !event.clir ? e164(event.caller, 'caller', rules.defaultCountryCode) : 'anonymous';
  const ownContext = caller === 'anonymous' ? null : await loadContext(trx, deps, caller, true, event.at);
  const ownPhone = Boolean(ownContext?.subscriber);
  const context = ownContext?.subscriber ? ownContext : await loadContext(trx, deps, null, false, event.at);
  const first = startSelfcare(context);
  const session = newSessionId();
  await trx
    .insertInto('selfcare_sessions')
    .values({
      session,
      caller,
      own_phone: ownPhone ? 1 : 0,
      msisdn: ownPhone ? caller : null,
      state: JSON.stringify(first.state),
      authenticated: 0,
      started_at: event.at,
      ended_at: first.state.step === 'ended' ? event.at : null,
    })
    .execute();
  return { session, action: first.action };
}

export function findSelfcareSession(db: Reader, session: string): Promise<SelfcareSessionRow | undefined> {
  return db
    .selectFrom('selfcare_sessions')
    .select(['session', 'caller', 'own_phone', 'msisdn', 'state', 'authenticated', 'greeting_file', 'greeting_ms'])
    .where('session', '=', session)
    .executeTakeFirst();
}

/** The subscriber an input is about: the managed one, or in the identify step the number just entered. */
function targetOf(row: SelfcareSessionRow, state: SelfcareState, input: IvrInputBody, defaultCountryCode: string): string | null {
  if (state.step === 'identify' && 'digits' in input) return enteredNumber(input.digits, defaultCountryCode);
  return row.msisdn;
}

export async function prepareSelfcareInput(deps: EngineDeps, row: SelfcareSessionRow, input: IvrInputBody): Promise<PreparedInput> {
  const state = JSON.parse(row.state) as SelfcareState;
  if (!('digits' in input) || !row.msisdn) return {};
  if (state.step === 'pin') {
    const subscriber = await deps.store.db
      .selectFrom('subscribers')
      .select(['pin_hash', 'pin_locked_until'])
      .where('msisdn', '=', row.msisdn)
      .executeTakeFirst();
    // A locked PIN is not even checked: no answer leaks while locked.
    if (!subscriber?.pin_hash || (subscriber.pin_locked_until ?? 0) > deps.clock.now()) return { pinCorrect: false };
    return { pinCorrect: await verifyPassword(enteredPin(input.digits), subscriber.pin_hash) };
  }
  if (state.step === 'new-pin' && state.first !== null && enteredPin(input.digits) === state.first)
    return { pinHash: await hashPassword(state.first) };
  return {};
}

/** One key press or event in a self-care call; returns the next action and voice files to delete once committed. */
export async function selfcareStep(
  trx: Trx,
  deps: EngineDeps,
  prepared: { row: SelfcareSessionRow; input: PreparedInput },
  input: IvrInputBody,
  at: number,
): Promise<{ action: IvrAction; deletedFiles: string[]; changed: string | null }> {
  const rules = rulesOf(deps);
  const row = await findSelfcareSession(trx, prepared.row.session);
  if (!row) throw new ApiError('not_found', `There is no IVR session ${prepared.row.session}`, { field: 'session' });
  if (row.state !== prepared.row.state)
    throw new ApiError('conflict', 'The dialogue moved on while this input was checked; send it again', { field: 'session' });
  const state = JSON.parse(row.state) as SelfcareState;
  // Nothing about a subscriber is loaded for a caller who has not proved who they are, except to ask for the PIN.
  const target = targetOf(row, state, input, rules.defaultCountryCode);
  const context = await loadContext(trx, deps, target, row.own_phone === 1, at);
  if (state.step === 'list-number' && 'digits' in input && context.subscriber) {
    const number = enteredNumber(input.digits, rules.defaultCountryCode);
    const listed = number
      ? await trx
          .selectFrom('list_entries')
          .select('number')
          .where('msisdn', '=', context.subscriber.msisdn)
          .where('list', '=', state.list)
          .where('number', '=', number)
          .executeTakeFirst()
      : undefined;
    context.enteredListed = listed !== undefined;
  }
  context.newGreeting = row.greeting_file ? sessionRecordingPath(row.session) : null;
  const step = advanceSelfcare(state, input, { ...context, pinCorrect: prepared.input.pinCorrect });
  if (isRefusal(step)) {
    const field = step.refused !== 'bad-input' ? 'session' : 'event' in input ? 'event' : 'digits';
    throw new ApiError(step.refused === 'bad-input' ? 'validation' : 'conflict', step.message, { field });
  }
  let msisdn = row.msisdn;
  let authenticated = row.authenticated;
  const deletedFiles: string[] = [];
  for (const effect of step.effects) {
    if (effect.kind === 'identified') msisdn = effect.msisdn;
    else if (effect.kind === 'pin-accepted') authenticated = 1;
    else if (effect.kind === 'pin-set') authenticated = 1;
    const file = await applyEffect(trx, deps, { row, msisdn: msisdn! }, effect, prepared.input, at);
    if (file) deletedFiles.push(file);
  }
  // A recording kept or dropped leaves the session (kept, it is the subscriber's now).
  const recordingDone = step.effects.some((e) => e.kind === 'greeting-kept' || e.kind === 'greeting-discarded');
  await trx
    .updateTable('selfcare_sessions')
    .set({
      state: JSON.stringify(step.state),
      msisdn,
      authenticated,
      ended_at: step.state.step === 'ended' ? at : null,
      ...(recordingDone ? { greeting_file: null, greeting_ms: null } : {}),
    })
    .where('session', '=', row.session)
    .execute();
  // Whose settings or messages this input changed, for the screens showing that subscriber.
  const changed = step.effects.some((e) => !quietEffects.has(e.kind)) ? msisdn : null;
  return { action: step.action, deletedFiles, changed };
}

/** Effects that change nothing a screen shows. */
const quietEffects = new Set<SelfcareEffect['kind']>(['identified', 'pin-accepted', 'greeting-discarded']);

async function applyEffect(
  trx: Trx,
  deps: EngineDeps,
  { row, msisdn }: { row: SelfcareSessionRow; msisdn: string },
  effect: SelfcareEffect,
  prepared: PreparedInput,
  at: number,
): Promise<string | null> {
  switch (effect.kind) {
    case 'identified':
      return null;
    case 'pin-failed': {
      const row = await trx.selectFrom('subscribers').select('pin_failures').where('msisdn', '=', msisdn).executeTakeFirstOrThrow();
      const failures = row.pin_failures + 1;
      await trx
        .updateTable('subscribers')
        .set({ pin_failures: failures, ...(failures >= pinLockAfter ? { pin_locked_until: at + pinLockMs, pin_failures: 0 } : {}) })
        .where('msisdn', '=', msisdn)
        .execute();
      if (failures >= pinLockAfter) deps.logger.warn('self-care PIN locked after wrong attempts', { msisdn, failures });
      return null;
    }
    case 'pin-accepted':
      await trx.updateTable('subscribers').set({ pin_failures: 0 }).where('msisdn', '=', msisdn).execute();
      return null;
    case 'pin-set':
      if (!prepared.pinHash) throw new ApiError('conflict', 'The new PIN was not prepared; send the input again', { field: 'digits' });
      await trx
        .updateTable('subscribers')
        .set({ pin_hash: prepared.pinHash, pin_failures: 0, pin_locked_until: null, updated_at: at })
        .where('msisdn', '=', msisdn)
        .execute();
      return null;
    case 'voice-heard':
      await trx
        .updateTable('calls')
        .set({ voice_heard_at: at })
        .where('id', '=', effect.id)
        .where('callee', '=', msisdn)
        .where('voice_heard_at', 'is', null)
        .execute();
      return null;
    case 'voice-deleted': {
      const call = await trx
        .updateTable('calls')
        .set({ voice_deleted_at: at })
        .where('id', '=', effect.id)
        .where('callee', '=', msisdn)
        .returning('voice_file')
        .executeTakeFirst();
      return call?.voice_file ?? null;
    }
    case 'list':
      await changeList(trx, deps, msisdn, effect.list === 'black' ? 'blacklist' : 'whitelist', effect.number, effect.add, at);
      return null;
    case 'privacy':
      await trx.updateTable('subscribers').set({ privacy_mode: effect.mode, updated_at: at }).where('msisdn', '=', msisdn).execute();
      return null;
    case 'greeting-kept':
      return keepGreeting(trx, row, msisdn, at);
    case 'greeting-discarded':
      return row.greeting_file;
    case 'greeting-deleted':
      return (await deleteGreeting(trx, msisdn, at))?.file ?? null;
  }
}
