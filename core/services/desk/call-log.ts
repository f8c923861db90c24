/**
 * The agents' call log: one row per call offered to one agent, opened by the
 * distribution (or by the desk when a call rang the agent directly), and
 * moved on by the softphone's events. Also the log's read model.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { ApiError, type DeskCallOutcome, type DeskCallView, type DeskMessageView, type Page } from '../../api';
import type { AgentCallsTable, Schema } from '../../store/schema';
import type { Trx } from '../engine/deps';

type Db = Kysely<Schema> | Trx;
export type CallRow = Selectable<AgentCallsTable>;

export interface OfferedCall {
  callId: string;
  operatorId: number;
  caller: string | null;
  called: string | null;
  session: string | null;
  source: 'distribution' | 'direct';
  attempt: number | null;
  at: number;
}

export async function findCall(db: Db, operatorId: number, callId: string): Promise<CallRow | undefined> {
  return db
    .selectFrom('agent_calls')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .where('sip_call_id', '=', callId)
    .executeTakeFirst();
}

/** A call rings at an agent's desk. Offered again (the same Call-ID to the same agent), the row starts over. */
export async function openCall(trx: Trx, call: OfferedCall): Promise<CallRow> {
  const fresh = {
    offered_at: call.at,
    answered_at: null,
    ended_at: null,
    outcome: null,
    attempt: call.attempt,
    source: call.source,
    updated_at: call.at,
  };
  await trx
    .insertInto('agent_calls')
    .values({
      sip_call_id: call.callId,
      operator_id: call.operatorId,
      caller: call.caller,
      called: call.called,
      session: call.session,
      transfer_target: null,
      notes: '',
      ...fresh,
    })
    .onConflict((oc) => oc.columns(['sip_call_id', 'operator_id']).doUpdateSet(fresh))
    .execute();
  return (await findCall(trx, call.operatorId, call.callId))!;
}

/** The desk knows the call's headers; what the distribution did not know is filled in. */
export async function completeParties(
  trx: Trx,
  row: CallRow,
  parties: { caller: string | null; called: string | null; session: string | null },
  at: number,
) {
  const missing = {
    ...(row.caller === null && parties.caller ? { caller: parties.caller } : {}),
    ...(row.called === null && parties.called ? { called: parties.called } : {}),
    ...(row.session === null && parties.session ? { session: parties.session } : {}),
  };
  if (!Object.keys(missing).length) return;
  await trx
    .updateTable('agent_calls')
    .set({ ...missing, updated_at: at })
    .where('id', '=', row.id)
    .execute();
  Object.assign(row, missing);
}

export async function markAnswered(trx: Trx, row: CallRow, at: number): Promise<void> {
  // A late answer to a call the core had already given up on (released after a retry) reopens it.
  const change = { answered_at: row.answered_at ?? at, ended_at: null, outcome: null, updated_at: at };
  await trx.updateTable('agent_calls').set(change).where('id', '=', row.id).execute();
  Object.assign(row, change);
}

export type EndReason = 'hangup' | 'rejected' | 'missed' | 'transferred' | 'failed';

export function outcomeOf(answered: boolean, reason: EndReason): DeskCallOutcome {
  if (answered) return reason === 'transferred' ? 'transferred' : 'answered';
  return reason === 'rejected' ? 'rejected' : 'missed';
}

export async function markEnded(trx: Trx, row: CallRow, outcome: DeskCallOutcome, at: number, transferTarget: string | null = null) {
  const change = { outcome, ended_at: row.ended_at ?? at, transfer_target: transferTarget ?? row.transfer_target, updated_at: at };
  await trx.updateTable('agent_calls').set(change).where('id', '=', row.id).execute();
  Object.assign(row, change);
}

export async function setNotes(trx: Trx, operatorId: number, id: number, notes: string, at: number): Promise<CallRow> {
  const row = await trx.selectFrom('agent_calls').selectAll().where('id', '=', id).where('operator_id', '=', operatorId).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `There is no call ${id} in your log`, { field: 'id' });
  await trx.updateTable('agent_calls').set({ notes, updated_at: at }).where('id', '=', id).execute();
  return { ...row, notes, updated_at: at };
}

export interface CallLogQuery {
  page: number;
  pageSize: number;
  from?: number;
  to?: number;
  outcome?: DeskCallOutcome | 'in-progress';
  number?: string;
  operatorId?: number;
}

export async function listCalls(db: Db, q: CallLogQuery): Promise<Page<DeskCallView>> {
  let base = db.selectFrom('agent_calls');
  if (q.operatorId !== undefined) base = base.where('agent_calls.operator_id', '=', q.operatorId);
  if (q.from !== undefined) base = base.where('offered_at', '>=', q.from);
  if (q.to !== undefined) base = base.where('offered_at', '<=', q.to);
  if (q.outcome === 'in-progress') base = base.where('agent_calls.ended_at', 'is', null);
  else if (q.outcome) base = base.where('agent_calls.outcome', '=', q.outcome);
  const digits = q.number?.replace(/\D/g, '');
  if (digits) base = base.where((eb) => eb.or([eb('caller', 'like', `%${digits}%`), eb('called', 'like', `%${digits}%`)]));
  const { n } = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('agent_calls')
    .orderBy('offered_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset(q.page * q.pageSize)
    .execute();
  return { rows: await callViews(db, rows), total: Number(n) };
}

export async function callView(db: Db, row: CallRow): Promise<DeskCallView> {
  return (await callViews(db, [row]))[0]!;
}

/** Rows as the console shows them, with the agent's name and the messages taken on each call. */
export async function callViews(db: Db, rows: CallRow[]): Promise<DeskCallView[]> {
  if (!rows.length) return [];
  const operatorIds = [...new Set(rows.map((r) => r.operator_id))];
  const operators = await db.selectFrom('operators').select(['id', 'username']).where('id', 'in', operatorIds).execute();
  const names = new Map(operators.map((o) => [o.id, o.username]));
  const messages = await db
    .selectFrom('agent_messages')
    .selectAll()
    .where('operator_id', 'in', operatorIds)
    .where(
      'sip_call_id',
      'in',
      rows.map((r) => r.sip_call_id),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    callId: r.sip_call_id,
    operatorId: r.operator_id,
    agent: names.get(r.operator_id) ?? String(r.operator_id),
    caller: r.caller,
    called: r.called,
    session: r.session,
    source: r.source as DeskCallView['source'],
    attempt: r.attempt,
    offeredAt: Number(r.offered_at),
    answeredAt: r.answered_at === null ? null : Number(r.answered_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
    durationMs: r.answered_at !== null && r.ended_at !== null ? Number(r.ended_at) - Number(r.answered_at) : null,
    outcome: r.outcome as DeskCallOutcome | null,
    transferTarget: r.transfer_target,
    notes: r.notes,
    messages: messages.filter((m) => m.operator_id === r.operator_id && m.sip_call_id === r.sip_call_id).map(messageView),
  }));
}

export function messageView(m: Selectable<Schema['agent_messages']>): DeskMessageView {
  return {
    id: m.id,
    called: m.called,
    caller: m.caller,
    callback: m.callback,
    text: m.text,
    at: Number(m.created_at),
    engineCallId: m.engine_call_id,
  };
}
