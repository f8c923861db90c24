/**
 * The command map: every call a client can make to the core. Each entry has
 * an input schema (validated on the server, typed on the client), the result
 * type, the permission it needs, and whether it changes state (and is audited).
 *
 * 'public' commands run without a session; 'signed-in' needs only a session.
 */
import { z } from 'zod';
import { billingCommands } from './billing-commands';
import { command } from './command-spec';
import { deskCommands } from './desk-commands';
import { allPermissions, type Permission } from './permissions';
import {
  callReasons,
  ivrInput,
  sessionId,
  subscriberInput,
  type EngineStats,
  type ImportJob,
  type NetworkTokenInfo,
  type SubscriberDetail,
  type SubscriberSummary,
  type TemplateEntry,
  type VirtualHandset,
} from './engine-types';
import {
  sipSettingsSchema,
  smscSettingsSchema,
  type SipSettings,
  type SipStatusView,
  type SmscSettings,
  type SmscStatusView,
} from './network-settings';
import { serviceRulesSchema, type ServiceRules } from './rules';
import type { AuditEntry, Me, Operator, Page, Role, RoleRef, Settings, SettingsSources, SystemStatus } from './types';
import type { IvrActionView } from './ivr-view';

export { command, type Access, type CommandSpec } from './command-spec';

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
/** A phone number as typed; the core normalises it to E.164 and names the field when it cannot. */
const msisdn = z.string().trim().min(1, 'Required').max(40);

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

  /** Which settings the deployment's config file fixes: the console shows them read-only. */
  'settings/sources': command<SettingsSources>()({ input: z.object({}), access: 'signed-in', mutates: false }),
  'settings/get': command<Settings>()({ input: z.object({}), access: 'settings.read', mutates: false }),
  'settings/update': command<Settings>()({
    input: z.object({ security: securitySettings.partial() }),
    access: 'settings.manage',
    mutates: true,
  }),

  'subscribers/search': command<Page<SubscriberSummary>>()({
    input: z.object({
      query: z.string().trim().max(40).default(''),
      state: z.enum(['active', 'suspended', 'cancelled']).optional(),
      page: z.number().int().nonnegative().default(0),
      pageSize: z.number().int().min(1).max(100).default(25),
    }),
    access: 'subscribers.read',
    mutates: false,
  }),
  'subscribers/get': command<SubscriberDetail>()({ input: z.object({ msisdn }), access: 'subscribers.read', mutates: false }),
  'subscribers/provision': command<SubscriberDetail>()({
    /** createOnly: refuse (conflict) when the number is already a subscriber, instead of replacing its settings. */
    input: subscriberInput.extend({ msisdn, createOnly: z.boolean().default(false) }),
    access: 'subscribers.manage',
    mutates: true,
  }),
  'subscribers/list-change': command<SubscriberDetail>()({
    input: z.object({ msisdn, list: z.enum(['blacklist', 'whitelist']), number: msisdn, add: z.boolean() }),
    access: 'subscribers.manage',
    mutates: true,
  }),
  'subscribers/voice-message': command<{ callId: number; wavBase64: string; durationMs: number }>()({
    input: z.object({ callId: id }),
    access: 'voice.listen',
    mutates: false,
  }),
  /** The personal greeting the subscriber recorded by self-care IVR, as their callers hear it; listening is audited. */
  'subscribers/greeting': command<{ msisdn: string; wavBase64: string; durationMs: number }>()({
    input: z.object({ msisdn }),
    access: 'voice.listen',
    mutates: false,
  }),
  'subscribers/greeting-delete': command<SubscriberDetail>()({
    input: z.object({ msisdn }),
    access: 'subscribers.manage',
    mutates: true,
  }),

  'lab/call': command<{ session: string; action: IvrActionView }>()({
    input: z.object({
      caller: msisdn.optional(),
      callee: msisdn,
      reason: z.enum(callReasons).default('power_off'),
      clir: z.boolean().default(false),
    }),
    access: 'lab.use',
    mutates: true,
  }),
  /** A call to the voicemail number: the subscriber's self-care IVR, driven with lab/ivr. */
  'lab/selfcare-call': command<{ session: string; action: IvrActionView }>()({
    input: z.object({ caller: msisdn.optional(), clir: z.boolean().default(false) }),
    access: 'lab.use',
    mutates: true,
  }),
  'lab/ivr': command<{ action: IvrActionView; outcome: string | null }>()({
    input: z.object({ session: sessionId, input: ivrInput }),
    access: 'lab.use',
    mutates: true,
  }),
  /** Records a short test tone as the caller's voice message (the Lab has no microphone path to the IVR). */
  'lab/record': command<{ durationMs: number }>()({
    input: z.object({
      session: sessionId,
      seconds: z.number().int().min(1).max(30).default(3),
    }),
    access: 'lab.use',
    mutates: true,
  }),
  'lab/presence': command<{ notices: number; reachableAlerts: number }>()({
    input: z.object({ msisdn, state: z.enum(['reachable', 'unreachable']) }),
    access: 'lab.use',
    mutates: true,
  }),
  'lab/sms': command<{ command: string; replies: number }>()({
    input: z.object({ from: msisdn, text: z.string().max(1600) }),
    access: 'lab.use',
    mutates: true,
  }),
  'lab/handsets': command<VirtualHandset[]>()({
    /** only: just these numbers; otherwise also every number that took part recently. */
    input: z.object({ numbers: z.array(msisdn).max(20).default([]), only: z.boolean().default(false) }),
    access: 'lab.use',
    mutates: false,
  }),
  /** Settings → SMSC; the password is never sent back (hasPassword says whether one is set). */
  'smsc/get': command<{ settings: SmscSettings; hasPassword: boolean }>()({
    input: z.object({}),
    access: 'network.manage',
    mutates: false,
  }),
  /** An empty or missing link password keeps the saved one. Applying restarts the link; the virtual SMSC takes over when disabled. */
  'smsc/update': command<{ settings: SmscSettings; hasPassword: boolean }>()({
    input: smscSettingsSchema,
    access: 'network.manage',
    mutates: true,
  }),
  /** The network links' health and counters, for Settings → SMSC and the dashboard. */
  'network/status': command<{ smsc: SmscStatusView; sip: SipStatusView }>()({ input: z.object({}), access: 'signed-in', mutates: false }),
  /** Settings → SIP: power-on from registration events (RFC 3680); applying restarts the watcher. */
  'sip/get': command<SipSettings>()({ input: z.object({}), access: 'network.manage', mutates: false }),
  'sip/update': command<SipSettings>()({ input: sipSettingsSchema, access: 'network.manage', mutates: true }),
  'engine/stats': command<EngineStats>()({ input: z.object({}), access: 'subscribers.read', mutates: false }),

  'templates/list': command<TemplateEntry[]>()({ input: z.object({}), access: 'templates.manage', mutates: false }),
  'templates/update': command<TemplateEntry>()({
    input: z.object({
      key: z.string().max(60),
      language: z.enum(['en', 'zh-CN']),
      text: z.string().min(1, 'Required').max(1000).nullable(),
    }),
    access: 'templates.manage',
    mutates: true,
  }),
  'rules/get': command<ServiceRules>()({ input: z.object({}), access: 'rules.read', mutates: false }),
  'rules/update': command<ServiceRules>()({ input: serviceRulesSchema, access: 'rules.manage', mutates: true }),

  'network-tokens/list': command<NetworkTokenInfo[]>()({ input: z.object({}), access: 'network.manage', mutates: false }),
  'network-tokens/create': command<{ token: string; info: NetworkTokenInfo }>()({
    input: z.object({ name: z.string().trim().min(2, 'Use at least 2 characters').max(60) }),
    access: 'network.manage',
    mutates: true,
  }),
  'network-tokens/revoke': command<NetworkTokenInfo>()({ input: z.object({ id }), access: 'network.manage', mutates: true }),

  'provisioning/import': command<ImportJob>()({
    input: z.object({
      csv: z
        .string()
        .min(1, 'The file is empty')
        .max(10 * 1024 * 1024, 'The file is larger than 10 MB'),
    }),
    access: 'provisioning.bulk',
    mutates: true,
  }),
  'provisioning/cancel': command<ImportJob>()({ input: z.object({ id: z.string().max(40) }), access: 'provisioning.bulk', mutates: true }),
  'provisioning/jobs': command<ImportJob[]>()({ input: z.object({}), access: 'provisioning.bulk', mutates: false }),
  ...billingCommands,
  ...deskCommands,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export type CommandArgs<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type CommandResult<N extends CommandName> = NonNullable<Commands[N]['result']>;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}
