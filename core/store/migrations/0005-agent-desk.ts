/** The agent desk: softphone settings per operator, agent states, the agents' call log, messages taken, and the desk's settings. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The password is kept as given: the operator's own browser needs it to register (it is never shown to anyone else).
  await db.schema
    .createTable('agent_sip_settings')
    .addColumn('operator_id', 'integer', (c) => c.primaryKey().references('operators.id').onDelete('cascade'))
    .addColumn('ws_uri', 'text', (c) => c.notNull())
    .addColumn('sip_uri', 'text', (c) => c.notNull())
    .addColumn('sip_user', 'text', (c) => c.notNull().unique())
    .addColumn('password', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('dtmf_mode', 'text', (c) => c.notNull()) // info | rfc2833
    .addColumn('call_waiting', 'integer', (c) => c.notNull())
    .addColumn('wrap_up_seconds', 'integer') // null: the desk's
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agent_states')
    .addColumn('operator_id', 'integer', (c) => c.primaryKey().references('operators.id').onDelete('cascade'))
    .addColumn('presence', 'text', (c) => c.notNull()) // offline | ready | not-ready: what the agent chose
    .addColumn('reason', 'text') // not-ready reason
    .addColumn('activity', 'text', (c) => c.notNull()) // idle | ringing | on-call | wrap-up: what the calls make of it
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('online_at', 'bigint')
    .addColumn('last_call_ended_at', 'bigint')
    .addColumn('wrap_up_until', 'bigint')
    .addColumn('reserved_until', 'bigint') // ringing: released when nobody answered by then
    .addColumn('current_call_id', 'integer') // agent_calls.id
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // One row per call offered to one agent: the same SIP Call-ID appears once per agent tried.
  await db.schema
    .createTable('agent_calls')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('sip_call_id', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'integer', (c) => c.notNull())
    .addColumn('caller', 'text')
    .addColumn('called', 'text')
    .addColumn('session', 'text')
    .addColumn('source', 'text', (c) => c.notNull()) // distribution | direct
    .addColumn('attempt', 'integer')
    .addColumn('offered_at', 'bigint', (c) => c.notNull())
    .addColumn('answered_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('outcome', 'text') // answered | missed | rejected | transferred; null while in progress
    .addColumn('transfer_target', 'text')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('agent_calls_call_agent', ['sip_call_id', 'operator_id'])
    .execute();
  await db.schema.createIndex('agent_calls_operator').on('agent_calls').columns(['operator_id', 'offered_at']).execute();
  await db.schema.createIndex('agent_calls_offered').on('agent_calls').columns(['offered_at']).execute();

  // Messages taken at the desk; each is also an engine call (outcome agent-message) that delivers it.
  await db.schema
    .createTable('agent_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('operator_id', 'integer', (c) => c.notNull())
    .addColumn('sip_call_id', 'text')
    .addColumn('engine_call_id', 'integer', (c) => c.notNull())
    .addColumn('called', 'text', (c) => c.notNull())
    .addColumn('caller', 'text')
    .addColumn('callback', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agent_messages_call').on('agent_messages').columns(['operator_id', 'sip_call_id']).execute();

  // The desk's shared settings as JSON per key.
  await db.schema
    .createTable('desk_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
