/** The subscriber's personal greeting, recorded by self-care IVR and played to their callers; its audio is a file in voice/. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('subscribers').addColumn('greeting_file', 'text').execute();
  await db.schema.alterTable('subscribers').addColumn('greeting_ms', 'integer').execute();
  await db.schema.alterTable('subscribers').addColumn('greeting_at', 'bigint').execute();
  // A greeting recorded in a self-care call waits here until the subscriber keeps it (or records again, or cancels).
  await db.schema.alterTable('selfcare_sessions').addColumn('greeting_file', 'text').execute();
  await db.schema.alterTable('selfcare_sessions').addColumn('greeting_ms', 'integer').execute();
}
