/** Self-care by IVR: its sessions, PIN lockout, and voice messages heard or deleted by their owner. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('selfcare_sessions')
    .addColumn('session', 'text', (c) => c.primaryKey())
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('own_phone', 'integer', (c) => c.notNull())
    .addColumn('msisdn', 'text') // the subscriber being managed, once known
    .addColumn('state', 'text', (c) => c.notNull()) // JSON SelfcareState
    .addColumn('authenticated', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .alterTable('subscribers')
    .addColumn('pin_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('subscribers').addColumn('pin_locked_until', 'bigint').execute();
  await db.schema.alterTable('calls').addColumn('voice_heard_at', 'bigint').execute();
  await db.schema.alterTable('calls').addColumn('voice_deleted_at', 'bigint').execute();
}
