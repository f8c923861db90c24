/** The console's view of the running core, and the settings and audit-log commands. */
import { sql } from 'kysely';
import type { Handlers } from './context';
import { exportAuditCsv, listAudit } from './audit';

export const systemHandlers: Pick<
  Handlers,
  'system/status' | 'settings/get' | 'settings/sources' | 'settings/update' | 'audit/list' | 'audit/export-csv'
> = {
  'system/status': async (_input, ctx) => {
    const { services } = ctx;
    const now = services.clock.now();
    const counts = await services.store.db
      .selectFrom('operators')
      .leftJoin('login_failures', 'login_failures.username', 'operators.username')
      .select([
        sql<number>`sum(case when operators.disabled = 0 then 1 else 0 end)`.as('active'),
        sql<number>`sum(operators.disabled)`.as('disabled'),
        sql<number>`sum(case when login_failures.locked_until > ${now} then 1 else 0 end)`.as('locked'),
      ])
      .executeTakeFirstOrThrow();
    return {
      version: services.version,
      startedAt: services.startedAt,
      now,
      store: services.store.status(),
      operators: { active: Number(counts.active ?? 0), disabled: Number(counts.disabled ?? 0), locked: Number(counts.locked ?? 0) },
      connections: services.connectionCount(),
    };
  },

  'settings/get': async (_input, ctx) => ctx.services.settings.get(),

  'settings/sources': async (_input, ctx) => ctx.services.settings.sources(),

  'settings/update': async (input, ctx) => {
    const { settings, clock, bus } = ctx.services;
    await ctx.write(async (trx, audit) => {
      // Read inside the transaction, so two partial updates at once both take effect.
      const before = await settings.readSecurity(trx);
      const security = { ...before, ...input.security };
      await settings.save(trx, 'security', security, clock.now());
      await audit({ target: 'settings:security', before, after: security });
    });
    await settings.load();
    bus.publish('settings/changed', {});
    return settings.get();
  },

  'audit/list': async (input, ctx) => listAudit(ctx.services.store.db, input),

  'audit/export-csv': async (input, ctx) => {
    const { csv, rows } = await exportAuditCsv(ctx.services.store.db, input);
    const stamp = new Date(ctx.services.clock.now()).toISOString().slice(0, 19).replace(/[-:T]/g, '');
    return { filename: `reachback-audit-${stamp}.csv`, csv, rows };
  },
};
