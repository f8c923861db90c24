/**
 * Each adjustment keeps the currency its amount is in (a plan may bill in other than CNY): the Adjustments screen
 * formats it, and a manual one is refused when entered in another currency than the subscriber's.
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('adjustments')
    .addColumn('currency', 'text', (c) => c.notNull().defaultTo('CNY'))
    .execute();
  // Earlier adjustments: the currency of the statement they sit beside, else of their plan.
  await sql`
    update adjustments set currency = coalesce(
      (select s.currency from statements s where s.cycle_key = adjustments.cycle_key and s.party = adjustments.party),
      (select p.currency from tariff_plans p where p.id = adjustments.plan_id),
      'CNY')
  `.execute(db);
}
