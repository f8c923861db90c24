/**
 * Agent states, one row per agent. The agent chooses a presence (Ready, Not
 * ready with a reason; Offline is set by the core when they sign out); the
 * calls lay an activity over it (ringing, on call, wrap-up). Each change is
 * made inside the caller's transaction and returns whether the shown state
 * changed, so the caller can announce it once the write is durable.
 */
import type { Selectable } from 'kysely';
import type { DeskActivity, DeskAgentState, DeskPresence } from '../../api/desk-types';
import type { AgentStatesTable } from '../../store/schema';
import type { Trx } from '../engine/deps';

export type StateRow = Selectable<AgentStatesTable>;

export function shownState(row: Pick<StateRow, 'presence' | 'activity'>): DeskAgentState {
  return row.activity === 'idle' ? (row.presence as DeskPresence) : (row.activity as Exclude<DeskActivity, 'idle'>);
}

/** The moment a Ready agent started waiting: distribution offers calls to the longest waiting first. */
export function idleSince(row: StateRow): number | null {
  if (row.presence !== 'ready' || row.activity !== 'idle') return null;
  // A new shift starts afresh: a call ended yesterday does not put the agent first today.
  return Math.max(Number(row.last_call_ended_at ?? 0), Number(row.online_at ?? 0));
}

export async function loadState(trx: Trx, operatorId: number): Promise<StateRow> {
  const row = await trx.selectFrom('agent_states').selectAll().where('operator_id', '=', operatorId).executeTakeFirst();
  if (row) return row;
  const fresh: StateRow = {
    operator_id: operatorId,
    presence: 'offline',
    reason: null,
    activity: 'idle',
    since: 0,
    online_at: null,
    last_call_ended_at: null,
    wrap_up_until: null,
    reserved_until: null,
    current_call_id: null,
    updated_at: 0,
  };
  await trx.insertInto('agent_states').values(fresh).execute();
  return fresh;
}

export type StateChange = Partial<Omit<StateRow, 'operator_id' | 'since' | 'updated_at'>>;

/** Applies a change; `since` moves only when the state shown to people changes. Returns true when it did. */
export async function changeState(trx: Trx, row: StateRow, change: StateChange, at: number): Promise<boolean> {
  const next = { ...row, ...change };
  const moved = shownState(next) !== shownState(row) || next.reason !== row.reason;
  await trx
    .updateTable('agent_states')
    .set({ ...change, ...(moved ? { since: at } : {}), updated_at: at })
    .where('operator_id', '=', row.operator_id)
    .execute();
  Object.assign(row, change, moved ? { since: at } : {}, { updated_at: at });
  return moved;
}

/** Offline → Not ready: the agent opened the desk. Any other state stays as it is. */
export async function signIn(trx: Trx, row: StateRow, at: number): Promise<boolean> {
  if (row.presence !== 'offline') return false;
  return changeState(trx, row, { presence: 'not-ready', reason: null, online_at: at }, at);
}

/** The agent signed out or their session ended: calls still open at the desk end with them. */
export async function signOff(trx: Trx, row: StateRow, at: number): Promise<boolean> {
  await trx
    .updateTable('agent_calls')
    .set((eb) => ({
      outcome: eb.case().when('answered_at', 'is', null).then('missed').else('answered').end(),
      ended_at: at,
      updated_at: at,
    }))
    .where('operator_id', '=', row.operator_id)
    .where('ended_at', 'is', null)
    .execute();
  return changeState(
    trx,
    row,
    { presence: 'offline', reason: null, activity: 'idle', wrap_up_until: null, reserved_until: null, current_call_id: null },
    at,
  );
}

/** What the agent chose. Wrap-up ends with it; ringing and talking go on, and the choice applies once they are over. */
export async function choosePresence(trx: Trx, row: StateRow, presence: 'ready' | 'not-ready', reason: string | null, at: number) {
  const endsWrapUp = row.activity === 'wrap-up' ? { activity: 'idle', wrap_up_until: null } : {};
  const online = row.presence === 'offline' ? { online_at: at } : {};
  return changeState(trx, row, { presence, reason, ...endsWrapUp, ...online }, at);
}

/**
 * After a call event: the activity follows the calls still open at the desk (talking before ringing). When none is
 * left, an answered call that just ended starts the wrap-up; otherwise the agent is back to what they chose.
 */
export async function settleActivity(
  trx: Trx,
  row: StateRow,
  at: number,
  options: { answeredCallEnded: boolean; wrapUpSeconds: number; reservationSeconds: number },
): Promise<boolean> {
  const open = await trx
    .selectFrom('agent_calls')
    .select(['id', 'answered_at'])
    .where('operator_id', '=', row.operator_id)
    .where('ended_at', 'is', null)
    .orderBy('offered_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const talking = open.find((c) => c.answered_at !== null);
  const ended = options.answeredCallEnded ? { last_call_ended_at: at } : {};
  if (talking)
    return changeState(
      trx,
      row,
      { activity: 'on-call', current_call_id: talking.id, reserved_until: null, wrap_up_until: null, ...ended },
      at,
    );
  if (open.length) {
    const reservedUntil = row.activity === 'ringing' && row.reserved_until ? row.reserved_until : at + options.reservationSeconds * 1000;
    return changeState(trx, row, { activity: 'ringing', current_call_id: open[0]!.id, reserved_until: reservedUntil, ...ended }, at);
  }
  if (options.answeredCallEnded && options.wrapUpSeconds > 0)
    return changeState(
      trx,
      row,
      { activity: 'wrap-up', wrap_up_until: at + options.wrapUpSeconds * 1000, reserved_until: null, current_call_id: null, ...ended },
      at,
    );
  // A wrap-up already running is not cut short by a call that was only offered.
  if (row.activity === 'wrap-up' && !options.answeredCallEnded)
    return changeState(trx, row, { reserved_until: null, current_call_id: null }, at);
  return changeState(trx, row, { activity: 'idle', wrap_up_until: null, reserved_until: null, current_call_id: null, ...ended }, at);
}
