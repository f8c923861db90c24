/**
 * The command map: every call a client can make to the core. Each entry has
 * an input schema (validated on the server, typed on the client), the result
 * type, the permission it needs, and whether it changes state (and is audited).
 *
 * 'public' commands run without a session; 'signed-in' needs only a session.
 */
import { z } from 'zod';
import { allPermissions, type Permission } from './permissions';
import type { AuditEntry, Me, Operator, Page, Role, RoleRef, Settings, SystemStatus } from './types';

export type Access = 'public' | 'signed-in' | Permission;

export interface CommandSpec<Input extends z.ZodType, Result> {
  input: Input;
  access: Access;
  mutates: boolean;
  /** Type-only marker for the result; never set at runtime. */
  result?: Result;
}

function command<Result>() {
  return <Input extends z.ZodType>(spec: Omit<CommandSpec<Input, Result>, 'result'>): CommandSpec<Input, Result> => spec;
}

const id = z.number().int().positive();
const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, 'Use 3–32 letters, digits, dots, dashes or underscores, starting with a letter or digit');
const displayName = z.string().trim().min(1, 'Required').max(80);
const password = z.string().min(1, 'Required').max(200);
const permissionList = z.array(z.enum(allPermissions as [Permission, ...Permission[]])).max(500);
const roleName = z.string().trim().min(2, 'Use at least 2 characters').max(60);
const description = z.string().trim().max(300);
const epochMs = z.number().int().nonnegative();

export const auditQuery = z.object({
  page: z.number().int().nonnegative().default(0),
  pageSize: z.number().int().min(1).max(100).default(50),
  sort: z.enum(['asc', 'desc']).default('desc'),
  actor: z.string().trim().max(64).optional(),
  command: z.string().trim().max(64).optional(),
  outcome: z.enum(['ok', 'denied', 'failed']).optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  text: z.string().trim().max(200).optional(),
});
export type AuditQuery = z.input<typeof auditQuery>;

export const securitySettings = z.object({
  sessionIdleMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  sessionMaxHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 7),
  lockoutAttempts: z.number().int().min(3).max(20),
  lockoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  passwordMinLength: z.number().int().min(8).max(128),
});

export const commands = {
  'session/login': command<{ token: string; me: Me }>()({
    input: z.object({ username: z.string().trim().toLowerCase().min(1, 'Required').max(64), password }),
    access: 'public',
    mutates: false,
  }),
  'session/resume': command<{ me: Me }>()({
    input: z.object({ token: z.string().min(16).max(200) }),
    access: 'public',
    mutates: false,
  }),
  'session/logout': command<{ ok: true }>()({ input: z.object({}), access: 'signed-in', mutates: false }),
  'session/me': command<Me>()({ input: z.object({}), access: 'signed-in', mutates: false }),
  'session/change-password': command<{ ok: true }>()({
    input: z.object({ currentPassword: password, newPassword: password }),
    access: 'signed-in',
    mutates: true,
  }),
  'system/status': command<SystemStatus>()({ input: z.object({}), access: 'signed-in', mutates: false }),

  'operators/list': command<Operator[]>()({ input: z.object({}), access: 'operators.read', mutates: false }),
  'operators/create': command<{ operator: Operator; oneTimePassword: string }>()({
    input: z.object({ username, displayName, roleId: id }),
    access: 'operators.manage',
    mutates: true,
  }),
  'operators/update': command<Operator>()({
    input: z.object({ id, displayName: displayName.optional(), roleId: id.optional(), disabled: z.boolean().optional() }),
    access: 'operators.manage',
    mutates: true,
  }),
  'operators/reset-password': command<{ oneTimePassword: string }>()({
    input: z.object({ id }),
    access: 'operators.manage',
    mutates: true,
  }),
  'operators/unlock': command<Operator>()({ input: z.object({ id }), access: 'operators.manage', mutates: true }),

  'roles/list': command<Role[]>()({ input: z.object({}), access: 'roles.read', mutates: false }),
  /** The roles an operator can be given; for the operator editor, without the permission matrix. */
  'roles/options': command<RoleRef[]>()({ input: z.object({}), access: 'operators.read', mutates: false }),
  'roles/create': command<Role>()({
    input: z.object({ name: roleName, description: description.default(''), permissions: permissionList }),
    access: 'roles.manage',
    mutates: true,
  }),
  'roles/update': command<Role>()({
    input: z.object({ id, name: roleName.optional(), description: description.optional(), permissions: permissionList.optional() }),
    access: 'roles.manage',
    mutates: true,
  }),
  'roles/delete': command<{ ok: true }>()({ input: z.object({ id }), access: 'roles.manage', mutates: true }),

  'audit/list': command<Page<AuditEntry>>()({ input: auditQuery, access: 'audit.read', mutates: false }),
  'audit/export-csv': command<{ filename: string; csv: string; rows: number }>()({
    input: auditQuery.omit({ page: true, pageSize: true }),
    access: 'audit.read',
    mutates: false,
  }),

  'settings/get': command<Settings>()({ input: z.object({}), access: 'settings.read', mutates: false }),
  'settings/update': command<Settings>()({
    input: z.object({ security: securitySettings.partial() }),
    access: 'settings.manage',
    mutates: true,
  }),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandArgs<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandResult<N extends CommandName> = NonNullable<Commands[N]['result']>;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
