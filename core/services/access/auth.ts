/**
 * Sign-in, sessions and the signed-in operator's own account.
 *
 * Failed attempts are counted per username as typed, whether or not it
 * exists, and an unknown username costs the same scrypt time as a known one:
 * neither the error, the lockout nor the timing tells an attacker which
 * usernames exist.
 */
import { ApiError, type Me } from '../../api';
import { checkPasswordPolicy } from '../../domain/password-policy';
import { auditedWrite, recordAudit } from '../audit';
import type { Actor, CoreServices, Handlers } from '../context';
import { actorOf } from '../context';
import { operatorQuery } from './operators';
import { hashPassword, timingDummyHash, verifyPassword } from './passwords';
import { rolePermissions } from './rights';

/** Loads an operator with their role's permissions; null if missing or disabled. */
export async function loadActor(services: CoreServices, operatorId: number): Promise<Actor | null> {
  const row = await operatorQuery(services.store.db).select('roles.permissions').where('operators.id', '=', operatorId).executeTakeFirst();
  if (!row || row.disabled) return null;
  return {
    operatorId: row.id,
    username: row.username,
    displayName: row.display_name,
    roleId: row.role_id,
    roleName: row.role_name,
    roleBuiltin: row.role_builtin,
    permissions: new Set(rolePermissions({ builtin: row.role_builtin, permissions: row.permissions })),
    mustChangePassword: row.must_change_password === 1,
  };
}

export function toMe(actor: Actor, rules: Me['numbering']): Me {
  return {
    id: actor.operatorId,
    username: actor.username,
    displayName: actor.displayName,
    role: { id: actor.roleId, name: actor.roleName, builtin: actor.roleBuiltin },
    permissions: [...actor.permissions].sort(),
    mustChangePassword: actor.mustChangePassword,
    numbering: { defaultCountryCode: rules.defaultCountryCode, timeZone: rules.timeZone, voicemailNumber: rules.voicemailNumber },
  };
}

const invalidCredentials = () => new ApiError('invalid_credentials', 'The username or password is incorrect');

function lockedError(lockedUntil: number, now: number): ApiError {
  const minutes = Math.max(1, Math.ceil((lockedUntil - now) / 60_000));
  return new ApiError(
    'account_locked',
    `Too many failed sign-in attempts. Try again in ${minutes} minute(s) or ask an administrator to unlock the account`,
    {
      params: { minutes },
    },
  );
}

/** The lock on a username as stored, if it is still in force at `now`. */
function activeLock(row: { locked_until: number | null } | undefined, now: number): number | null {
  return row?.locked_until && Number(row.locked_until) > now ? Number(row.locked_until) : null;
}

async function login(services: CoreServices, username: string, password: string, origin: string) {
  const now = services.clock.now();
  const security = services.settings.security;
  const who = { actorName: username, command: 'session/login' };
  const lockedAtStart = activeLock(
    await services.store.db.selectFrom('login_failures').selectAll().where('username', '=', username).executeTakeFirst(),
    now,
  );
  if (lockedAtStart) {
    await recordAudit(services, { ...who, actorId: null }, { outcome: 'denied', detail: `locked; from ${origin}` });
    throw lockedError(lockedAtStart, now);
  }

  const operator = await services.store.db
    .selectFrom('operators')
    .select(['id', 'password_hash', 'disabled'])
    .where('username', '=', username)
    .executeTakeFirst();
  const passwordOk = await verifyPassword(password, operator?.password_hash ?? (await timingDummyHash()));

  if (!operator || !passwordOk) {
    // Counted inside the transaction: parallel attempts each see the count the one before them left.
    const lockedUntil = await auditedWrite(services, { ...who, actorId: operator?.id ?? null }, async (trx, audit) => {
      const row = await trx.selectFrom('login_failures').selectAll().where('username', '=', username).executeTakeFirst();
      // A count from an old, finished lockout starts again.
      const previous = row && !(row.locked_until && Number(row.locked_until) <= now) ? row.count : 0;
      const count = previous + 1;
      const lockUntil = activeLock(row, now) ?? (count >= security.lockoutAttempts ? now + security.lockoutMinutes * 60_000 : null);
      await trx
        .insertInto('login_failures')
        .values({ username, count, last_failed_at: now, locked_until: lockUntil })
        .onConflict((oc) => oc.column('username').doUpdateSet({ count, last_failed_at: now, locked_until: lockUntil }))
        .execute();
      await audit({
        outcome: 'failed',
        detail: `wrong username or password (attempt ${count}); from ${origin}${lockUntil ? '; sign-in locked' : ''}`,
      });
      return lockUntil;
    });
    if (lockedUntil) throw lockedError(lockedUntil, now);
    throw invalidCredentials();
  }
  if (operator.disabled) {
    await recordAudit(services, { ...who, actorId: operator.id }, { outcome: 'denied', detail: `account disabled; from ${origin}` });
    throw new ApiError('forbidden', 'This account is disabled. Ask an administrator to enable it');
  }

  const actor = await loadActor(services, operator.id);
  if (!actor) throw invalidCredentials();
  // A lock set by parallel wrong attempts while this one was hashing still holds.
  const lockedMeanwhile = await auditedWrite(services, { ...who, actorId: operator.id }, async (trx, audit) => {
    const locked = activeLock(await trx.selectFrom('login_failures').selectAll().where('username', '=', username).executeTakeFirst(), now);
    if (locked) {
      await audit({ outcome: 'denied', detail: `locked; from ${origin}` });
      return locked;
    }
    await trx.deleteFrom('login_failures').where('username', '=', username).execute();
    await trx.updateTable('operators').set({ last_login_at: now }).where('id', '=', operator.id).execute();
    await audit({ detail: `signed in from ${origin}` });
    return null;
  });
  if (lockedMeanwhile) throw lockedError(lockedMeanwhile, now);
  const { token, session } = services.sessions.create(operator.id);
  return { token, sessionId: session.id, me: toMe(actor, services.settings.serviceRules), permissions: actor.permissions };
}

export const authHandlers: Pick<
  Handlers,
  'session/login' | 'session/resume' | 'session/logout' | 'session/me' | 'session/change-password'
> = {
  'session/login': async (input, ctx) => {
    const { token, sessionId, me, permissions } = await login(ctx.services, input.username, input.password, ctx.origin);
    ctx.bindSession(sessionId, me.mustChangePassword ? new Set() : permissions);
    return { token, me };
  },

  'session/resume': async (input, ctx) => {
    const found = ctx.services.sessions.touch(input.token);
    if (!found.ok) {
      throw found.reason === 'expired'
        ? new ApiError('session_expired', 'Your session has expired; sign in again')
        : new ApiError('unauthenticated', 'This session is no longer valid; sign in again');
    }
    const actor = await loadActor(ctx.services, found.session.operatorId);
    if (!actor) {
      ctx.services.sessions.end(found.session.id);
      throw new ApiError('unauthenticated', 'This account is no longer active; sign in again');
    }
    ctx.bindSession(found.session.id, actor.mustChangePassword ? new Set() : actor.permissions);
    return { me: toMe(actor, ctx.services.settings.serviceRules) };
  },

  'session/logout': async (_input, ctx) => {
    const actor = actorOf(ctx);
    const ended = ctx.sessionId;
    ctx.bindSession(null);
    if (ended) {
      ctx.services.sessions.end(ended);
      // Other windows using the same session (it can be resumed elsewhere) are told too.
      ctx.services.bus.publish('session/ended', { reason: 'logout' }, [ended]);
    }
    await recordAudit(
      ctx.services,
      { actorId: actor.operatorId, actorName: actor.username, command: 'session/logout' },
      { detail: 'signed out' },
    );
    return { ok: true };
  },

  'session/me': async (_input, ctx) => toMe(actorOf(ctx), ctx.services.settings.serviceRules),

  'session/change-password': async (input, ctx) => {
    const actor = actorOf(ctx);
    const services = ctx.services;
    const row = await services.store.db
      .selectFrom('operators')
      .select('password_hash')
      .where('id', '=', actor.operatorId)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(input.currentPassword, row.password_hash))) {
      throw new ApiError('validation', 'The current password is incorrect', { field: 'currentPassword' });
    }
    if (input.newPassword === input.currentPassword) {
      throw new ApiError('validation', 'Choose a password different from the current one', { field: 'newPassword' });
    }
    const problem = checkPasswordPolicy(input.newPassword, actor.username, services.settings.security.passwordMinLength);
    if (problem) throw new ApiError('validation', problem.message, { field: 'newPassword', params: problem.params });
    const hash = await hashPassword(input.newPassword);
    await ctx.write(async (trx, audit) => {
      await trx
        .updateTable('operators')
        .set({ password_hash: hash, must_change_password: 0, updated_at: services.clock.now() })
        .where('id', '=', actor.operatorId)
        .execute();
      await audit({ target: `operator:${actor.username}`, detail: 'password changed' });
    });
    // Other sessions of this operator end; this one stays.
    const ended = services.sessions.endForOperator(actor.operatorId, ctx.sessionId ?? undefined);
    if (ended.length) services.bus.publish('session/ended', { reason: 'password-reset' }, ended);
    return { ok: true };
  },
};
