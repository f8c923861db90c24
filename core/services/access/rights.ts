/** What a role grants, and the rule that someone must always be able to administer access. */
import type { Transaction } from 'kysely';
import { ApiError, builtinRoles, isPermission, type BuiltinRoleKey, type Permission } from '../../api';
import type { Schema } from '../../store/schema';

export function rolePermissions(row: { builtin: string | null; permissions: string }): Permission[] {
  if (row.builtin && row.builtin in builtinRoles) return [...builtinRoles[row.builtin as BuiltinRoleKey].permissions];
  return (JSON.parse(row.permissions) as string[]).filter(isPermission);
}

/**
 * At least one enabled operator must keep the rights to manage operators and
 * roles, or nobody could ever fix access again. Checked inside the changing
 * transaction, so a violating change is rolled back.
 */
export async function assertAdministratorRemains(trx: Transaction<Schema>): Promise<void> {
  const rows = await trx
    .selectFrom('operators')
    .innerJoin('roles', 'roles.id', 'operators.role_id')
    .select(['roles.builtin', 'roles.permissions'])
    .where('operators.disabled', '=', 0)
    .execute();
  const ok = rows.some((r) => {
    const p = rolePermissions(r);
    return p.includes('operators.manage') && p.includes('roles.manage');
  });
  if (!ok) {
    throw new ApiError(
      'conflict',
      'This would leave no enabled operator who can manage operators and roles; keep at least one administrator',
    );
  }
}

/**
 * Nobody hands out more than they hold: assigning a role, creating or
 * resetting an operator of a role, or editing a role is refused when the
 * role grants a permission the caller lacks. Otherwise "manage operators"
 * alone would be a path to system administrator.
 */
export function assertWithinRights(holder: ReadonlySet<Permission>, granted: readonly Permission[], what: string): void {
  const missing = granted.filter((p) => !holder.has(p));
  if (missing.length) {
    throw new ApiError('forbidden', `${what} involves rights you do not have yourself (${missing.join(', ')})`, {
      params: { permission: missing[0]! },
    });
  }
}

export async function permissionsOfRole(trx: Transaction<Schema>, roleId: number): Promise<Permission[]> {
  const row = await trx.selectFrom('roles').select(['builtin', 'permissions']).where('id', '=', roleId).executeTakeFirst();
  return row ? rolePermissions(row) : [];
}

export async function permissionsOfOperator(trx: Transaction<Schema>, operatorId: number): Promise<Permission[]> {
  const row = await trx
    .selectFrom('operators')
    .innerJoin('roles', 'roles.id', 'operators.role_id')
    .select(['roles.builtin', 'roles.permissions'])
    .where('operators.id', '=', operatorId)
    .executeTakeFirst();
  return row ? rolePermissions(row) : [];
}
