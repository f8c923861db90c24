/** Roles: built-in ones (permissions defined in code, read-only) and custom ones (a permission set stored per role). */
import type { Kysely, Transaction } from 'kysely';
import { ApiError, builtinRoles, type Role } from '../../api';
import type { Schema } from '../../store/schema';
import { actorOf, type Handlers } from '../context';
import { refreshSessions } from './operators';
import { assertAdministratorRemains, assertWithinRights, rolePermissions } from './rights';

/** Creates any built-in role rows that are missing; run at every start. */
export async function ensureBuiltinRoles(trx: Transaction<Schema>, now: number): Promise<void> {
  const existing = new Set(
    (await trx.selectFrom('roles').select('builtin').where('builtin', 'is not', null).execute()).map((r) => r.builtin),
  );
  const taken = new Set((await trx.selectFrom('roles').select('name').execute()).map((r) => r.name));
  for (const [key, spec] of Object.entries(builtinRoles)) {
    if (existing.has(key)) continue;
    // A role added by an upgrade must not fail the start because an operator already made one of that name.
    let name: string = spec.name;
    for (let n = 2; taken.has(name); n++) name = `${spec.name} (built-in${n > 2 ? ` ${n - 1}` : ''})`;
    taken.add(name);
    await trx
      .insertInto('roles')
      .values({ name, description: '', builtin: key, permissions: '[]', created_at: now, updated_at: now })
      .execute();
  }
}

export async function listRoles(db: Kysely<Schema> | Transaction<Schema>): Promise<Role[]> {
  const rows = await db
    .selectFrom('roles')
    .leftJoin('operators', 'operators.role_id', 'roles.id')
    .select(['roles.id', 'roles.name', 'roles.description', 'roles.builtin', 'roles.permissions'])
    .select((eb) => eb.fn.count<number>('operators.id').as('operatorCount'))
    .groupBy('roles.id')
    .orderBy('roles.builtin', 'desc')
    .orderBy('roles.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    builtin: r.builtin,
    permissions: rolePermissions(r),
    operatorCount: Number(r.operatorCount),
  }));
}

async function getRole(trx: Transaction<Schema>, id: number): Promise<Role> {
  const role = (await listRoles(trx)).find((r) => r.id === id);
  if (!role) throw new ApiError('not_found', `There is no role with id ${id}`, { field: 'id' });
  return role;
}

async function assertNameFree(trx: Transaction<Schema>, name: string, exceptId?: number): Promise<void> {
  const clash = await trx.selectFrom('roles').select('id').where('name', '=', name).executeTakeFirst();
  if (clash && clash.id !== exceptId) throw new ApiError('conflict', `A role named "${name}" already exists`, { field: 'name' });
}

export const roleHandlers: Pick<Handlers, 'roles/list' | 'roles/options' | 'roles/create' | 'roles/update' | 'roles/delete'> = {
  'roles/list': async (_input, ctx) => listRoles(ctx.services.store.db),

  'roles/options': async (_input, ctx) =>
    ctx.services.store.db.selectFrom('roles').select(['id', 'name', 'builtin']).orderBy('builtin', 'desc').orderBy('name').execute(),

  'roles/create': async (input, ctx) => {
    const actor = actorOf(ctx);
    assertWithinRights(actor.permissions, input.permissions, 'This role');
    const role = await ctx.write(async (trx, audit) => {
      await assertNameFree(trx, input.name);
      const now = ctx.services.clock.now();
      const permissions = [...new Set(input.permissions)].sort();
      const result = await trx
        .insertInto('roles')
        .values({
          name: input.name,
          description: input.description,
          builtin: null,
          permissions: JSON.stringify(permissions),
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirstOrThrow();
      const created = await getRole(trx, Number(result.insertId));
      await audit({ target: `role:${created.id}`, after: created });
      return created;
    });
    ctx.services.bus.publish('roles/changed', { id: role.id });
    return role;
  },

  'roles/update': async (input, ctx) => {
    const actor = actorOf(ctx);
    const role = await ctx.write(async (trx, audit) => {
      const before = await getRole(trx, input.id);
      if (before.builtin) throw new ApiError('conflict', 'Built-in roles cannot be changed; create a custom role instead', { field: 'id' });
      assertWithinRights(actor.permissions, [...before.permissions, ...(input.permissions ?? [])], 'This role');
      if (input.name !== undefined) await assertNameFree(trx, input.name, input.id);
      await trx
        .updateTable('roles')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.permissions !== undefined ? { permissions: JSON.stringify([...new Set(input.permissions)].sort()) } : {}),
          updated_at: ctx.services.clock.now(),
        })
        .where('id', '=', input.id)
        .execute();
      await assertAdministratorRemains(trx);
      const after = await getRole(trx, input.id);
      await audit({ target: `role:${input.id}`, before, after });
      return after;
    });
    ctx.services.bus.publish('roles/changed', { id: role.id });
    const holders = await ctx.services.store.db.selectFrom('operators').select('id').where('role_id', '=', role.id).execute();
    refreshSessions(
      ctx,
      holders.map((h) => h.id),
    );
    return role;
  },

  'roles/delete': async (input, ctx) => {
    const actor = actorOf(ctx);
    await ctx.write(async (trx, audit) => {
      const before = await getRole(trx, input.id);
      assertWithinRights(actor.permissions, before.permissions, 'This role');
      if (before.builtin) throw new ApiError('conflict', 'Built-in roles cannot be deleted', { field: 'id' });
      if (before.operatorCount > 0) {
        throw new ApiError('conflict', `${before.operatorCount} operator(s) still have this role; give them another role first`, {
          field: 'id',
          params: { count: before.operatorCount },
        });
      }
      await trx.deleteFrom('roles').where('id', '=', input.id).execute();
      await audit({ target: `role:${input.id}`, before });
    });
    ctx.services.bus.publish('roles/changed', { id: input.id });
    return { ok: true };
  },
};
