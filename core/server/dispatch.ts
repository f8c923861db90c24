/**
 * The API boundary: every command from every client passes here. Order:
 * known command → session → permission (refusals audited) → argument
 * validation → handler. Errors leave as ApiError bodies; unexpected ones are
 * logged with a reference the operator can quote.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { ApiError, commands, isCommandName, type ApiErrorBody, type CommandName } from '../api';
import { auditedWrite, recordAudit } from '../services/audit';
import { loadActor } from '../services/access/auth';
import type { Actor, CommandContext, CoreServices } from '../services/context';
import { handlers } from '../services/handlers';

/** The caller's side of the boundary: one per connection. */
export interface Caller {
  sessionId: string | null;
  origin: string;
  /** Cached for event filtering; refreshed on every command. */
  permissions: ReadonlySet<string>;
}

/** Commands an operator with a one-time password may still use. */
const allowedBeforePasswordChange = new Set<CommandName>([
  'session/me',
  'session/change-password',
  'session/logout',
  'session/resume',
  'session/login',
]);

async function authorize(services: CoreServices, caller: Caller, name: CommandName): Promise<Actor | null> {
  const access = commands[name].access;
  if (access === 'public') return null;
  if (!caller.sessionId) throw new ApiError('unauthenticated', 'Sign in first');
  const found = services.sessions.touchById(caller.sessionId);
  if (!found.ok) {
    caller.sessionId = null;
    throw found.reason === 'expired'
      ? new ApiError('session_expired', 'Your session has expired; sign in again')
      : new ApiError('unauthenticated', 'Sign in first');
  }
  const actor = await loadActor(services, found.session.operatorId);
  if (!actor) {
    services.sessions.end(caller.sessionId);
    caller.sessionId = null;
    throw new ApiError('unauthenticated', 'This account is no longer active; sign in again');
  }
  // Until the one-time password is changed the connection receives no events.
  caller.permissions = actor.mustChangePassword ? new Set() : actor.permissions;
  if (actor.mustChangePassword && !allowedBeforePasswordChange.has(name)) {
    throw new ApiError('password_change_required', 'Change your one-time password before doing anything else');
  }
  if (access !== 'signed-in' && !actor.permissions.has(access)) {
    await recordAudit(
      services,
      { actorId: actor.operatorId, actorName: actor.username, command: name },
      { outcome: 'denied', detail: `missing permission ${access}` },
    );
    throw new ApiError('forbidden', `Your role does not allow this (it needs the "${access}" permission)`, {
      params: { permission: access },
    });
  }
  return actor;
}

function validate(name: CommandName, args: unknown): unknown {
  const schema = commands[name].input as z.ZodType;
  const parsed = schema.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || undefined;
  throw new ApiError('validation', field ? `${field}: ${issue.message}` : issue.message, { field });
}

export async function dispatch(services: CoreServices, caller: Caller, name: string, args: unknown): Promise<unknown> {
  if (!isCommandName(name)) throw new ApiError('unknown_command', `There is no command named "${name}"`);
  const actor = await authorize(services, caller, name);
  const input = validate(name, args);
  const ctx: CommandContext = {
    services,
    command: name,
    actor,
    sessionId: caller.sessionId,
    origin: caller.origin,
    write: (fn) =>
      auditedWrite(services, { actorId: actor?.operatorId ?? null, actorName: actor?.username ?? 'system', command: name }, fn),
    bindSession: (sessionId, permissions) => {
      caller.sessionId = sessionId;
      caller.permissions = permissions ?? new Set();
    },
  };
  const handler = handlers[name] as (input: unknown, ctx: CommandContext) => Promise<unknown>;
  return handler(input, ctx);
}

/** Turns any thrown value into the body sent to the client. */
export function toErrorBody(services: CoreServices, error: unknown, name: string): ApiErrorBody {
  if (error instanceof ApiError) return error.toBody();
  const ref = randomBytes(4).toString('hex');
  services.logger.error('command failed', { command: name, ref, error: (error as Error)?.stack ?? String(error) });
  return {
    code: 'internal',
    message: `The core could not complete this command; its log has the details under reference ${ref}`,
    params: { ref },
  };
}
