/** Table types for kysely. Times are epoch ms; booleans are 0/1 integers. */
import type { Generated } from 'kysely';

export interface SchemaMigrationsTable {
  id: number;
  name: string;
  applied_at: number;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  description: string;
  builtin: string | null;
  permissions: string;
  created_at: number;
  updated_at: number;
}

export interface OperatorsTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role_id: number;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface LoginFailuresTable {
  username: string;
  count: number;
  last_failed_at: number;
  locked_until: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_id: number | null;
  actor_name: string;
  command: string;
  outcome: string;
  target: string | null;
  before_json: string | null;
  after_json: string | null;
  detail: string | null;
}

export interface SettingsTable {
  key: string;
  value_json: string;
  updated_at: number;
}

export interface Schema {
  schema_migrations: SchemaMigrationsTable;
  roles: RolesTable;
  operators: OperatorsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}
