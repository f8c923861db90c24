/** Operator accounts: create, edit, disable, reset password, unlock. */
import type { Kysely, Transaction } from 'kysely';
import { ApiError, type Operator } from '../../api';
import type { Schema } from '../../store/schema';
import { actorOf, type CommandContext, type Handlers } from '../context';
import { generateOneTimePassword, hashPassword } from './passwords';
import { assertAdministratorRemains, assertWithinRights, permissionsOfOperator, permissionsOfRole } from './rights';

type Db = Kysely<Schema> | Transaction<Schema>;

/** An operator with their role and lockout state; callers add columns and conditions. */
export function operatorQuery(db: Db) {
  return db
    .selectFrom('operators')
    .innerJoin('roles', 'roles.id', 'operators.role_id')
    .leftJoin('login_failures', 'login_failures.username', 'operators.username')
    .select([
      'operators.id',
      'operators.username',
      'operators.display_name',
      'operators.disabled',
      'operators.must_change_password',
      'operators.last_login_at',
      'operators.created_at',
      'roles.id as role_id',
      'roles.name as role_name',
      'roles.builtin as role_builtin',
      'login_failures.locked_until',
    ]);
}

type OperatorRow = Awaited<ReturnType<ReturnType<typeof operatorQuery>['executeTakeFirstOrThrow']>>;

function toOperator(row: OperatorRow, now: number): Operator {
  const lockedUntil = row.locked_until !== null && Number(row.locked_until) > now ? Number(row.locked_until) : null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: { id: row.role_id, name: row.role_name, builtin: row.role_builtin },
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    lockedUntil,
    lastLoginAt: row.last_login_at === null ? null : Number(row.last_login_at),
    createdAt: Number(row.created_at),
  };
}

export async function listOperators(db: Db, now: number): Promise<Operator[]> {
  const rows = await operatorQuery(db).orderBy('operators.username').execute();
  return rows.map((r) => toOperator(r, now));
}

export async function getOperator(db: Db, id: number, now: number): Promise<Operator> {
  const row = await operatorQuery(db).where('operators.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `There is no operator with id ${id}`, { field: 'id' });
  return toOperator(row, now);
}

async function assertRoleExists(trx: Transaction<Schema>, roleId: number): Promise<void> {
  const role = await trx.selectFrom('roles').select('id').where('id', '=', roleId).executeTakeFirst();
  if (!role) throw new ApiError('validation', `There is no role with id ${roleId}`, { field: 'roleId' });
}

/** A one-time password and its hash, made before any transaction: scrypt must not hold the store's lock. */
export async function newOneTimeCredential(): Promise<{ oneTimePassword: string; hash: string }> {
  const oneTimePassword = generateOneTimePassword();
  return { oneTimePassword, hash: await hashPassword(oneTimePassword) };
}

export async function createOperatorRow(
  trx: Transaction<Schema>,
  fields: { username: string; displayName: string; roleId: number },
  passwordHash: string,
  now: number,
): Promise<number> {
  const clash = await trx.selectFrom('operators').select('id').where('username', '=', fields.username).executeTakeFirst();
  if (clash) throw new ApiError('conflict', `The username "${fields.username}" is already taken`, { field: 'username' });
  const result = await trx
    .insertInto('operators')
    .values({
      username: fields.username,
      display_name: fields.displayName,
      role_id: fields.roleId,
      password_hash: passwordHash,
      must_change_password: 1,
      disabled: 0,
      last_login_at: null,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export const operatorHandlers: Pick<
  Handlers,
  'operators/list' | 'operators/create' | 'operators/update' | 'operators/reset-password' | 'operators/unlock'
> = {
  'operators/list': async (_input, ctx) => listOperators(ctx.services.store.db, ctx.services.clock.now()),

  'operators/create': async (input, ctx) => {
    const actor = actorOf(ctx);
    const now = ctx.services.clock.now();
    const { oneTimePassword, hash } = await newOneTimeCredential();
    const result = await ctx.write(async (trx, audit) => {
      await assertRoleExists(trx, input.roleId);
      assertWithinRights(actor.permissions, await permissionsOfRole(trx, input.roleId), 'This role');
      const id = await createOperatorRow(trx, input, hash, now);
      const operator = await getOperator(trx, id, now);
      await audit({ target: `operator:${operator.username}`, after: operator });
      return { operator, oneTimePassword };
    });
    ctx.services.bus.publish('operators/changed', { id: result.operator.id });
    return result;
  },

  'operators/update': async (input, ctx) => {
    const actor = actorOf(ctx);
    const now = ctx.services.clock.now();
    if (input.id === actor.operatorId && input.disabled) {
      throw new ApiError('conflict', 'You cannot disable your own account', { field: 'disabled' });
    }
    const { before, after } = await ctx.write(async (trx, audit) => {
      const before = await getOperator(trx, input.id, now);
      assertWithinRights(actor.permissions, await permissionsOfOperator(trx, input.id), 'This operator’s role');
      if (input.roleId !== undefined) {
        await assertRoleExists(trx, input.roleId);
        assertWithinRights(actor.permissions, await permissionsOfRole(trx, input.roleId), 'The new role');
      }
      await trx
        .updateTable('operators')
        .set({
          ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
          ...(input.roleId !== undefined ? { role_id: input.roleId } : {}),
          ...(input.disabled !== undefined ? { disabled: input.disabled ? 1 : 0 } : {}),
          updated_at: now,
        })
        .where('id', '=', input.id)
        .execute();
      await assertAdministratorRemains(trx);
      const after = await getOperator(trx, input.id, now);
      await audit({ target: `operator:${after.username}`, before, after });
      return { before, after };
    });
    if (after.disabled && !before.disabled) endSessions(ctx, input.id, 'disabled');
    else if (after.role.id !== before.role.id) refreshSessions(ctx, [input.id]);
    ctx.services.bus.publish('operators/changed', { id: input.id });
    return after;
  },

  'operators/reset-password': async (input, ctx) => {
    const actor = actorOf(ctx);
    const now = ctx.services.clock.now();
    const { oneTimePassword, hash } = await newOneTimeCredential();
    await ctx.write(async (trx, audit) => {
      const operator = await getOperator(trx, input.id, now);
      // Resetting someone's password is acting as them: only for operators with no more rights than yours.
      assertWithinRights(actor.permissions, await permissionsOfOperator(trx, input.id), 'This operator’s role');
      await trx
        .updateTable('operators')
        .set({ password_hash: hash, must_change_password: 1, updated_at: now })
        .where('id', '=', input.id)
        .execute();
      await trx.deleteFrom('login_failures').where('username', '=', operator.username).execute();
      await audit({ target: `operator:${operator.username}`, detail: 'password reset; a one-time password was issued' });
    });
    endSessions(ctx, input.id, 'password-reset');
    ctx.services.bus.publish('operators/changed', { id: input.id });
    return { oneTimePassword };
  },

  'operators/unlock': async (input, ctx) => {
    const now = ctx.services.clock.now();
    const after = await ctx.write(async (trx, audit) => {
      const before = await getOperator(trx, input.id, now);
      await trx.deleteFrom('login_failures').where('username', '=', before.username).execute();
      const after = await getOperator(trx, input.id, now);
      await audit({
        target: `operator:${before.username}`,
        before: { lockedUntil: before.lockedUntil },
        after: { lockedUntil: after.lockedUntil },
      });
      return after;
    });
    ctx.services.bus.publish('operators/changed', { id: input.id });
    return after;
  },
};

function endSessions(ctx: CommandContext, operatorId: number, reason: 'disabled' | 'password-reset'): void {
  const ended = ctx.services.sessions.endForOperator(operatorId);
  if (ended.length) ctx.services.bus.publish('session/ended', { reason }, ended);
}

/** Tells the consoles of these operators that their permissions changed, so they reload them. */
export function refreshSessions(ctx: CommandContext, operatorIds: number[]): void {
  const sessions = ctx.services.sessions.sessionsOf(new Set(operatorIds));
  if (sessions.length) ctx.services.bus.publish('session/refresh', {}, sessions);
}
