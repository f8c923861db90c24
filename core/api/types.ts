/** Shapes that commands return. Plain data: safe to send over the wire and to import in the renderer. */
import type { Permission } from './permissions';

export type Language = 'en' | 'zh-CN';

export interface RoleRef {
  id: number;
  name: string;
  /** Key of a built-in role (its name is translated by the console), or null. */
  builtin: string | null;
}

/** The signed-in operator, as the console sees itself. */
export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: RoleRef;
  permissions: Permission[];
  mustChangePassword: boolean;
  /** How this installation writes numbers and times, for every screen that shows them. */
  numbering: { defaultCountryCode: string; timeZone: string; voicemailNumber: string };
}

export interface Operator {
  id: number;
  username: string;
  displayName: string;
  role: RoleRef;
  disabled: boolean;
  mustChangePassword: boolean;
  /** Epoch ms until which sign-in is refused after repeated failures, or null. */
  lockedUntil: number | null;
  lastLoginAt: number | null;
  createdAt: number;
}

export interface Role {
  id: number;
  name: string;
  description: string;
  /** Key of a built-in role, or null for a custom role. Built-in roles are read-only. */
  builtin: string | null;
  permissions: Permission[];
  operatorCount: number;
}

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntry {
  id: number;
  at: number;
  actorId: number | null;
  actorName: string;
  command: string;
  outcome: AuditOutcome;
  target: string | null;
  before: unknown;
  after: unknown;
  detail: string | null;
}

export interface Page<T> {
  rows: T[];
  total: number;
}

export interface SecuritySettings {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutAttempts: number;
  lockoutMinutes: number;
  passwordMinLength: number;
}

export interface Settings {
  security: SecuritySettings;
}

/** Where settings come from: fields fixed by the deployment's config file are read-only in the console. */
export interface SettingsSources {
  /** The config file's path, or null when the data dir has none. */
  file: string | null;
  /** Per section, the top-level fields whose value comes from the file. */
  fields: Record<'security' | 'serviceRules' | 'smsc' | 'sip', string[]>;
}

export interface StoreStatus {
  dataDir: string;
  lastSeq: number;
  databaseBytes: number;
  journalBytes: number;
  lastSnapshotAt: number | null;
  lastSnapshotSeq: number;
  recoveredTornTail: boolean;
}

export interface SystemStatus {
  version: string;
  startedAt: number;
  now: number;
  store: StoreStatus;
  operators: { active: number; disabled: number; locked: number };
  connections: number;
}
