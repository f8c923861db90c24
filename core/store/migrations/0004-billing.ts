/**
 * Billing: tariff plans and versions, plan assignments, cycles, charge lines,
 * statements, adjustments, threshold events, export files and the rollups
 * that reports read.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The billing settings and the rating watermark, as JSON per key.
  await db.schema
    .createTable('billing_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tariff_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('version_policy', 'text', (c) => c.notNull()) // apply-to-all | grandfather
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // A version's items as the domain's JSON (validated on every save); published versions never change.
  await db.schema
    .createTable('tariff_versions')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('tariff_plans.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | published
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('version_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint')
    .addColumn('published_by', 'text')
    .addPrimaryKeyConstraint('tariff_versions_pk', ['plan_id', 'number'])
    .execute();

  // A subscriber's time on a plan: [from_at, to_at), to_at null while it lasts.
  await db.schema
    .createTable('plan_assignments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer') // grandfathered plans: the version given
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('to_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('plan_assignments_party').on('plan_assignments').columns(['party', 'from_at']).execute();
  await db.schema.createIndex('plan_assignments_plan').on('plan_assignments').columns(['plan_id', 'to_at']).execute();

  await db.schema
    .createTable('billing_cycles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | closing | closed
    .addColumn('close_started_at', 'bigint')
    .addColumn('close_progress', 'text') // the last subscriber whose statement is written, to resume a close
    .addColumn('closed_at', 'bigint')
    .addColumn('closed_by', 'text')
    .addColumn('statements', 'integer', (c) => c.notNull())
    .addColumn('rent', 'bigint', (c) => c.notNull())
    .addColumn('usage', 'bigint', (c) => c.notNull())
    .addColumn('adjustments', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('unbilled_records', 'integer', (c) => c.notNull())
    .execute();

  // One charge line per usage record, keyed by the record (lineKey usage:<id>); upserted by rating.
  await db.schema
    .createTable('usage_charges')
    .addColumn('record_id', 'integer', (c) => c.primaryKey())
    .addColumn('cycle_key', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('capped', 'text', (c) => c.notNull())
    .addColumn('free_units', 'integer', (c) => c.notNull())
    .addColumn('gross', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .execute();
  // The daily export and the closing scan read records by time.
  await db.schema.createIndex('usage_records_at').on('usage_records').column('at').execute();

  // Frozen at the close, never updated: the totals as columns, rent lines and usage by kind as JSON.
  await db.schema
    .createTable('statements')
    .addColumn('cycle_key', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text') // the plan at the end of the cycle
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('rent', 'bigint', (c) => c.notNull())
    .addColumn('usage_gross', 'bigint', (c) => c.notNull())
    .addColumn('usage_charged', 'bigint', (c) => c.notNull())
    .addColumn('cap_waived', 'bigint', (c) => c.notNull())
    .addColumn('adjustments', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('records', 'integer', (c) => c.notNull())
    .addColumn('lines_json', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('statements_pk', ['cycle_key', 'party'])
    .execute();
  // Top subscribers per cycle, and per plan (a plan's subscribers may all be at the bottom of the totals).
  // A subscriber's statements are found by cycle through the key: each index more slows the close.
  await db.schema.createIndex('statements_total').on('statements').columns(['cycle_key', 'total']).execute();
  await db.schema.createIndex('statements_plan_total').on('statements').columns(['cycle_key', 'plan_id', 'total']).execute();

  await db.schema
    .createTable('adjustments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('cycle_key', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('line_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // rerate | manual
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('previous_amount', 'bigint')
    .addColumn('new_amount', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text')
    .addColumn('day', 'text', (c) => c.notNull()) // the local day its revenue counts on (within its cycle)
    .addColumn('operator', 'text', (c) => c.notNull())
    .addColumn('after_close', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('adjustments_cycle').on('adjustments').columns(['cycle_key', 'party']).execute();
  await db.schema.createIndex('adjustments_party').on('adjustments').columns(['party', 'cycle_key']).execute();
  await db.schema.createIndex('adjustments_created').on('adjustments').column('created_at').execute();

  // Each threshold once per cycle, cap and percent: the warning SMS is never sent twice.
  await db.schema
    .createTable('threshold_events')
    .addColumn('cycle_key', 'text', (c) => c.notNull())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('cap', 'text', (c) => c.notNull()) // usage | total
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('limit_fen', 'bigint', (c) => c.notNull())
    .addColumn('spent', 'bigint', (c) => c.notNull())
    .addColumn('record_id', 'integer')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('sms_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('threshold_events_pk', ['cycle_key', 'party', 'cap', 'percent'])
    .execute();

  await db.schema
    .createTable('export_files')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('day', 'text', (c) => c.notNull().unique())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  // Rollups: reports read these, never the lines. Kept in step with every line written, in the same transaction.
  await db.schema
    .createTable('rollup_charges')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // a usage kind, 'rent' or 'adjustment'
    .addColumn('records', 'integer', (c) => c.notNull())
    .addColumn('units', 'integer', (c) => c.notNull())
    .addColumn('gross', 'bigint', (c) => c.notNull())
    .addColumn('charged', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_charges_pk', ['day', 'plan_id', 'kind'])
    .execute();
  await db.schema
    .createTable('rollup_subscribers')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('starts', 'integer', (c) => c.notNull()) // assignments starting (opened or moved in)
    .addColumn('ends', 'integer', (c) => c.notNull()) // assignments ending (closed or moved out)
    .addColumn('opened', 'integer', (c) => c.notNull())
    .addColumn('closed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_subscribers_pk', ['day', 'plan_id'])
    .execute();
  // Per UTC hour (hours since the epoch), so any report day in a whole-hour time zone is a sum of hours.
  await db.schema
    .createTable('rollup_sms')
    .addColumn('hour', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('queued', 'integer', (c) => c.notNull())
    .addColumn('submitted', 'integer', (c) => c.notNull())
    .addColumn('delivered', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('expired', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_sms_pk', ['hour', 'kind'])
    .execute();
}
