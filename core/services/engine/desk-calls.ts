/**
 * The engine's side of the agent desk: a message an agent took becomes a
 * manual-seat call (outcome agent-message, the text as written), and a call
 * the desk could not take becomes a missed call, as if the caller gave up.
 * Both are then notified like any other call: when the called party is
 * reachable, or at once when they already are.
 */
import { ApiError } from '../../api';
import { deskMessageRefusal } from '../../domain/desk-privacy';
import { isBlocked } from '../../domain/parties';
import type { EngineDeps, Trx } from './deps';
import { notifyCalledParty } from './notifications';
import { loadProfile } from './profiles';
import { newSessionId } from './session-ids';

const anonymous = 'anonymous';

/** A row made at the desk has no dialogue to continue: IVR input for its session is refused as ended. */
const noDialogue = JSON.stringify({ state: { step: 'ended' }, context: null });

/**
 * The desk does not know why the called party missed the call; their presence says whether the notice can go now
 * (a reachable phone that did not answer) or waits for the next power-on.
 */
async function isReachable(trx: Trx, msisdn: string): Promise<boolean> {
  const presence = await trx.selectFrom('presence').select('state').where('msisdn', '=', msisdn).executeTakeFirst();
  return presence?.state === 'reachable';
}

async function insertDeskCall(
  trx: Trx,
  call: {
    caller: string | null;
    callee: string;
    at: number;
    outcome: 'agent-message' | 'gave-up';
    message: string | null;
    callback: string | null;
  },
  reachable: boolean,
): Promise<number> {
  const result = await trx
    .insertInto('calls')
    .values({
      session: newSessionId(),
      caller: call.caller ?? anonymous,
      callee: call.callee,
      clir: call.caller ? 0 : 1,
      reason: reachable ? 'no_answer' : 'power_off',
      at: call.at,
      ivr_state: noDialogue,
      outcome: call.outcome,
      callback: call.callback,
      message: call.message,
      voice_file: null,
      voice_ms: null,
      status: 'pending',
      status_reason: null,
      alert_status: null,
      ended_at: call.at,
      notified_at: null,
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Sends the notices now when the called party is reachable; otherwise the next power-on does. */
async function deliverIfReachable(trx: Trx, deps: EngineDeps, callee: string, reachable: boolean, at: number): Promise<void> {
  deps.bus.publish('calls/changed', { callee });
  if (reachable) await notifyCalledParty(trx, deps, callee, at);
}

export interface AgentMessage {
  /** E.164 */
  called: string;
  /** E.164, or null when unknown or withheld. */
  caller: string | null;
  callback: string | null;
  text: string;
  /** The IVR session the caller was transferred from: its call carries the message instead of a new one. */
  session: string | null;
  at: number;
}

/**
 * Records a message for the called party. Refused (naming the field) when they are not an active subscriber
 * with the missed-call alert, or when they blacklisted the caller.
 */
export async function recordAgentMessage(
  trx: Trx,
  deps: EngineDeps,
  message: AgentMessage,
): Promise<{ engineCallId: number; delivery: 'now' | 'when-reachable' }> {
  const called = await loadProfile(trx, message.called, { of: message.caller ?? anonymous });
  if (!called)
    throw new ApiError('not_found', `${message.called} is not a subscriber: messages can only be taken for subscribers`, {
      field: 'called',
    });
  const refusal = deskMessageRefusal(called, message.caller);
  if (refusal) throw new ApiError('conflict', refusal.text, { field: refusal.field, params: { reason: refusal.reason } });
  const reachable = await isReachable(trx, message.called);
  // The caller pressed 0 and the call waits as a missed call: the message replaces it rather than adding a second notice.
  const transferred = message.session
    ? await trx
        .selectFrom('calls')
        .select('id')
        .where('session', '=', message.session)
        .where('callee', '=', message.called)
        .where('outcome', '=', 'agent')
        .where('status', '=', 'pending')
        .executeTakeFirst()
    : undefined;
  let engineCallId: number;
  if (transferred) {
    await trx
      .updateTable('calls')
      .set({ outcome: 'agent-message', message: message.text, callback: message.callback })
      .where('id', '=', transferred.id)
      .execute();
    engineCallId = transferred.id;
  } else {
    engineCallId = await insertDeskCall(
      trx,
      { ...message, callee: message.called, outcome: 'agent-message', message: message.text },
      reachable,
    );
  }
  await deliverIfReachable(trx, deps, message.called, reachable, message.at);
  return { engineCallId, delivery: reachable ? 'now' : 'when-reachable' };
}

export type NoAgentRecord = 'ivr-call' | 'recorded' | 'already-recorded' | 'not-a-subscriber' | 'unknown-parties' | 'blocked';

/**
 * No agent took the call: the called party learns of it as a missed call, as if the caller gave up. A caller who
 * came from the IVR (pressed 0) is already one; otherwise a gave-up call is recorded once per SIP Call-ID.
 */
export async function recordNoAgentCall(
  trx: Trx,
  deps: EngineDeps,
  call: { callId: string; caller: string | null; called: string | null; session: string | null; at: number },
): Promise<NoAgentRecord> {
  if (call.session && (await trx.selectFrom('calls').select('id').where('session', '=', call.session).executeTakeFirst()))
    return 'ivr-call';
  if (!call.caller || !call.called) return 'unknown-parties';
  const called = await loadProfile(trx, call.called, { of: call.caller });
  if (!called) return 'not-a-subscriber';
  if (isBlocked(called, { caller: call.caller, clir: false, at: call.at })) return 'blocked';
  // The proxy may ask again for the same call (another attempt): one missed call per Call-ID.
  const eventId = `agents/no-agent:${call.callId}`;
  if (await trx.selectFrom('network_events').select('id').where('id', '=', eventId).executeTakeFirst()) return 'already-recorded';
  const reachable = await isReachable(trx, call.called);
  const id = await insertDeskCall(
    trx,
    { caller: call.caller, callee: call.called, at: call.at, outcome: 'gave-up', message: null, callback: null },
    reachable,
  );
  await trx
    .insertInto('network_events')
    .values({ id: eventId, endpoint: 'agents/route', status: 200, response: JSON.stringify({ callId: id }), at: call.at })
    .execute();
  await deliverIfReachable(trx, deps, call.called, reachable, call.at);
  return 'recorded';
}
