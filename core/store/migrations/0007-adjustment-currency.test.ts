/** Adjustments made before 0007 get the currency of the statement beside them, else of their plan, else CNY. */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../logger';
import type { Schema } from '../schema';
import { Store } from '../store';
import { tempDir } from '../testing/temp-dir';
import { migrations } from './index';

const temps: { cleanup(): void }[] = [];
afterEach(() => temps.splice(0).forEach((t) => t.cleanup()));

describe('migration 0007: adjustment currency', () => {
  it('fills the currency of earlier adjustments from their statement, their plan, or CNY', async () => {
    const temp = tempDir('reachback-migration-');
    temps.push(temp);
    const before = await Store.open({ dataDir: temp.dir, migrations: migrations.filter((m) => m.id < 7), logger: memoryLogger() });
    await before.write(async (trx) => {
      await sql`insert into tariff_plans (id, name, currency, version_policy, created_at, updated_at) values ('yen', 'Yen', 'JPY', 'apply-to-all', 0, 0)`.execute(
        trx,
      );
      await sql`insert into statements (cycle_key, party, plan_id, currency, rent, usage_gross, usage_charged, cap_waived, adjustments, total, records, lines_json, closed_at)
        values ('2026-10', '+8613800138001', 'yen', 'HKD', 0, 0, 0, 0, 0, 0, 0, '{}', 0)`.execute(trx);
      for (const [party, plan] of [
        ['+8613800138001', 'yen'],
        ['+8613800138002', 'yen'],
        ['+8613800138003', null],
      ]) {
        await sql`insert into adjustments (cycle_key, party, line_key, source, amount, previous_amount, new_amount, reason, plan_id, day, operator, after_close, created_at)
          values ('2026-10', ${party}, 'manual:1', 'manual', -100, null, null, 'test', ${plan}, '2026-10-01', 'admin', 1, 0)`.execute(trx);
      }
    });
    await before.close();
    const after = await Store.open<Schema>({ dataDir: temp.dir, migrations, logger: memoryLogger() });
    const rows = await after.db.selectFrom('adjustments').select(['party', 'currency']).orderBy('party').execute();
    expect(rows).toEqual([
      { party: '+8613800138001', currency: 'HKD' },
      { party: '+8613800138002', currency: 'JPY' },
      { party: '+8613800138003', currency: 'CNY' },
    ]);
    await after.close();
  });
});
