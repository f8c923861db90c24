/** Subscribers, their lists, calls and IVR sessions, outbound SMS, usage records, network tokens and idempotency. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscribers')
    .addColumn('msisdn', 'text', (c) => c.primaryKey())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // active | suspended | cancelled
    .addColumn('state_since', 'bigint', (c) => c.notNull())
    .addColumn('tariff', 'text')
    .addColumn('missed_call_alert', 'integer', (c) => c.notNull())
    .addColumn('reachable_alert', 'integer', (c) => c.notNull())
    .addColumn('voicemail', 'integer', (c) => c.notNull())
    .addColumn('privacy_mode', 'text', (c) => c.notNull()) // all | whitelist | nobody
    .addColumn('privacy_hidden', 'text', (c) => c.notNull()) // JSON [{from,to}]
    .addColumn('pin_hash', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('list_entries')
    .addColumn('msisdn', 'text', (c) => c.notNull().references('subscribers.msisdn').onDelete('cascade'))
    .addColumn('list', 'text', (c) => c.notNull()) // black | white
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('list_entries_pk', ['msisdn', 'list', 'number'])
    .execute();

  // Reachability as the network last reported it, for any number (subscriber or not).
  await db.schema
    .createTable('presence')
    .addColumn('msisdn', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull()) // reachable | unreachable
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calls')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('session', 'text', (c) => c.notNull().unique())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('callee', 'text', (c) => c.notNull())
    .addColumn('clir', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('ivr_state', 'text', (c) => c.notNull()) // JSON of the dialogue state
    .addColumn('outcome', 'text', (c) => c.notNull()) // in-ivr | gave-up | own-number | callback | voice | reachable-request | agent | agent-message | blocked | no-service
    .addColumn('callback', 'text')
    .addColumn('message', 'text')
    .addColumn('voice_file', 'text')
    .addColumn('voice_ms', 'integer')
    .addColumn('status', 'text', (c) => c.notNull()) // open | pending | notified | expired | suppressed | logged
    .addColumn('status_reason', 'text')
    .addColumn('alert_status', 'text') // option 4: pending | sent | suppressed | expired
    .addColumn('ended_at', 'bigint')
    .addColumn('notified_at', 'bigint')
    .execute();
  await db.schema.createIndex('calls_callee_status').on('calls').columns(['callee', 'status', 'at']).execute();
  await db.schema.createIndex('calls_callee_alert').on('calls').columns(['callee', 'alert_status', 'at']).execute();

  // The gave-up summary: its D window, and the calls a D reply details.
  await db.schema
    .createTable('digests')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('msisdn', 'text', (c) => c.notNull())
    .addColumn('call_ids', 'text', (c) => c.notNull()) // JSON
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('detailed_at', 'bigint')
    .execute();
  await db.schema.createIndex('digests_msisdn').on('digests').columns(['msisdn', 'sent_at']).execute();

  await db.schema
    .createTable('sms')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('parts', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // queued | submitting | submitted | delivered | failed | expired
    .addColumn('merge_key', 'text')
    .addColumn('call_ids', 'text', (c) => c.notNull()) // JSON
    .addColumn('charge_party', 'text', (c) => c.notNull())
    .addColumn('chargeable', 'integer', (c) => c.notNull())
    .addColumn('hold_until', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('smsc_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sms_state_next').on('sms').columns(['state', 'next_attempt_at']).execute();
  await db.schema.createIndex('sms_recipient').on('sms').columns(['recipient', 'created_at']).execute();
  await db.schema.createIndex('sms_merge_key').on('sms').columns(['merge_key', 'state']).execute();

  // What the built-in virtual SMSC delivered: the virtual handsets of the Lab.
  await db.schema
    .createTable('virtual_inbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('sms_id', 'integer', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('parts', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('virtual_inbox_recipient').on('virtual_inbox').columns(['recipient', 'id']).execute();

  await db.schema
    .createTable('usage_records')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('chargeable', 'integer', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('sms_id', 'integer')
    .addColumn('call_id', 'integer')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('usage_party_at').on('usage_records').columns(['party', 'at']).execute();

  await db.schema
    .createTable('sms_templates')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sms_templates_pk', ['key', 'language'])
    .execute();

  await db.schema
    .createTable('network_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hint', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // console | environment
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();

  // The first answer to each network event id, so a redelivered event changes nothing.
  await db.schema
    .createTable('network_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}
