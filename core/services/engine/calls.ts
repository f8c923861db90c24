/**
 * A call to an unreachable subscriber: the network element reports it, the
 * engine runs the IVR dialogue step by step, and the caller's choice is
 * recorded for the notifications that follow.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { ApiError } from '../../api';
import type { callEvent, ivrInput } from '../../api/engine-types';
import { advance, isRefusal, startDialogue, type IvrAction, type IvrContext, type IvrOutcome, type IvrState } from '../../domain/ivr';
import { dialogueLanguage, isBlocked, offeredOptions, priorityFor, type CallFacts } from '../../domain/parties';
import { prepare } from '../../store/prepared';
import type { CallsTable, Schema } from '../../store/schema';
import { rulesOf, type EngineDeps, type Trx } from './deps';
import { e164 } from './numbers';
import { notifyCalledParty } from './notifications';
import { loadProfile } from './profiles';
import { newSessionId } from './session-ids';
import { checkRecording, greetingAudioPath, writeVoiceFile } from './voice-files';

type CallEvent = z.output<typeof callEvent>;
type IvrInputBody = z.output<typeof ivrInput>;

/** Stored with the call: what the dialogue needs to continue. */
interface DialogueRecord {
  state: IvrState;
  context: Omit<IvrContext, 'hasRecording'>;
}

const anonymous = 'anonymous';

/** Calls with these reasons reach a phone that is on: the notice goes out as soon as the caller has chosen. */
const reachableReasons = new Set(['busy', 'no_answer']);

export async function startCall(trx: Trx, deps: EngineDeps, event: CallEvent): Promise<{ session: string; action: IvrAction }> {
  const rules = rulesOf(deps);
  const callee = e164(event.callee, 'callee', rules.defaultCountryCode);
  if (!event.caller && !event.clir) throw new ApiError('validation', 'caller: required unless clir is true', { field: 'caller' });
  const caller = event.caller ? e164(event.caller, 'caller', rules.defaultCountryCode) : anonymous;
  const called = await loadProfile(trx, callee, { of: caller });
  const calling = caller === anonymous ? null : await loadProfile(trx, caller, 'none');
  if (!called && !(calling?.active && calling.services.reachableAlert)) {
    throw new ApiError('not_found', `${callee} is not a subscriber and the caller has no reachable-alert service`, { field: 'callee' });
  }
  const facts: CallFacts = { caller, clir: event.clir, at: event.at };
  const priority = priorityFor(rules, called, calling);
  const session = newSessionId();
  const context: DialogueRecord['context'] = {
    options: offeredOptions(rules, priority, called, calling, facts),
    language: dialogueLanguage(priority, called, calling, 'zh-CN'),
    silenceMs: rules.ivrSilenceMs,
    defaultCountryCode: rules.defaultCountryCode,
    session,
    caller: event.clir ? null : caller,
    callee,
  };
  // Only an active subscriber's greeting plays: a suspended one has no service in effect.
  const greeting = called?.active && called.hasGreeting ? greetingAudioPath(callee) : null;
  const first = startDialogue({ ...context, hasRecording: false }, greeting);
  const blocked = isBlocked(called, facts);
  const ended = first.state.step === 'ended';
  await insertCall.run(trx, {
    session,
    caller,
    callee,
    clir: event.clir ? 1 : 0,
    reason: event.reason,
    at: event.at,
    ivr_state: JSON.stringify({ state: first.state, context } satisfies DialogueRecord),
    outcome: ended ? (blocked ? 'blocked' : 'no-service') : 'in-ivr',
    status: ended ? 'logged' : 'open',
    status_reason: ended ? (blocked ? 'caller is on the blacklist' : 'no option applies to this call') : null,
    ended_at: ended ? event.at : null,
  });
  if (!reachableReasons.has(event.reason)) await markUnreachable(trx, callee, event.at);
  return { session, action: first.action };
}

/** A call forwarded on not-reachable tells us the subscriber is off, unless a newer presence event says otherwise. */
async function markUnreachable(trx: Trx, msisdn: string, at: number): Promise<void> {
  await upsertUnreachable.run(trx, { msisdn, at });
}

// The statements every call event runs, built once (see store/prepared).
type NewCall = Pick<
  Insertable<CallsTable>,
  'session' | 'caller' | 'callee' | 'clir' | 'reason' | 'at' | 'ivr_state' | 'outcome' | 'status' | 'status_reason' | 'ended_at'
>;
const insertCall = prepare((db: Kysely<Schema>, v: NewCall) =>
  db.insertInto('calls').values({
    session: v.session,
    caller: v.caller,
    callee: v.callee,
    clir: v.clir,
    reason: v.reason,
    at: v.at,
    ivr_state: v.ivr_state,
    outcome: v.outcome,
    status: v.status,
    status_reason: v.status_reason,
    ended_at: v.ended_at,
    callback: null,
    message: null,
    voice_file: null,
    voice_ms: null,
    alert_status: null,
    notified_at: null,
  }),
);
const upsertUnreachable = prepare((db: Kysely<Schema>, v: { msisdn: string; at: number }) =>
  db
    .insertInto('presence')
    .values({ msisdn: v.msisdn, state: 'unreachable', at: v.at })
    .onConflict((oc) => oc.column('msisdn').doUpdateSet({ state: 'unreachable', at: v.at }).where('presence.at', '<', v.at)),
);

async function loadCall(trx: Trx, session: string): Promise<Selectable<CallsTable>> {
  const call = await trx.selectFrom('calls').selectAll().where('session', '=', session).executeTakeFirst();
  if (!call) throw new ApiError('not_found', `There is no IVR session ${session}`, { field: 'session' });
  return call;
}

const outcomeColumns = (outcome: IvrOutcome): { outcome: string; callback?: string; alert_status?: string } => {
  switch (outcome.kind) {
    case 'callback':
      return { outcome: 'callback', callback: outcome.number };
    case 'reachable-request':
      return { outcome: 'reachable-request', alert_status: 'pending' };
    default:
      return { outcome: outcome.kind };
  }
};

export async function ivrStep(
  trx: Trx,
  deps: EngineDeps,
  session: string,
  input: IvrInputBody,
  at: number,
): Promise<{ action: IvrAction; outcome: string | null }> {
  const call = await loadCall(trx, session);
  const record = JSON.parse(call.ivr_state) as DialogueRecord;
  const step = advance(record.state, input, { ...record.context, hasRecording: call.voice_file !== null });
  if (isRefusal(step)) {
    const field = step.refused !== 'bad-input' ? 'session' : 'event' in input ? 'event' : 'digits';
    throw new ApiError(step.refused === 'bad-input' ? 'validation' : 'conflict', step.message, { field });
  }
  const finished = step.outcome ? outcomeColumns(step.outcome) : null;
  await trx
    .updateTable('calls')
    .set({
      ivr_state: JSON.stringify({ ...record, state: step.state }),
      ...(finished ? { ...finished, status: 'pending', ended_at: at } : {}),
    })
    .where('id', '=', call.id)
    .execute();
  if (finished) {
    deps.bus.publish('calls/changed', { callee: call.callee });
    if (reachableReasons.has(call.reason)) await notifyCalledParty(trx, deps, call.callee, at);
  }
  return { action: step.action, outcome: finished?.outcome ?? null };
}

/** Keeps the caller's voice message as a file (fsynced) and links it to the call. */
export async function storeRecording(deps: EngineDeps, session: string, bytes: Buffer): Promise<{ durationMs: number }> {
  const call = await deps.store.db.selectFrom('calls').select(['id', 'ivr_state']).where('session', '=', session).executeTakeFirst();
  if (!call) throw new ApiError('not_found', `There is no IVR session ${session}`, { field: 'session' });
  const state = (JSON.parse(call.ivr_state) as DialogueRecord).state;
  if (state.step !== 'recording')
    throw new ApiError('conflict', 'This session is not recording; press 1 in the menu first', { field: 'session' });
  const durationMs = checkRecording(bytes);
  const file = `${session}.wav`;
  await writeVoiceFile(deps, file, bytes);
  await deps.store.write((trx) =>
    trx.updateTable('calls').set({ voice_file: file, voice_ms: durationMs }).where('id', '=', call.id).execute(),
  );
  return { durationMs };
}
