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

export interface SubscribersTable {
  msisdn: string;
  language: string;
  state: string;
  state_since: number;
  tariff: string | null;
  missed_call_alert: number;
  reachable_alert: number;
  voicemail: number;
  privacy_mode: string;
  privacy_hidden: string;
  pin_hash: string | null;
  pin_failures: Generated<number>;
  pin_locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface ListEntriesTable {
  msisdn: string;
  list: string;
  number: string;
  added_at: number;
}

export interface PresenceTable {
  msisdn: string;
  state: string;
  at: number;
}

export interface CallsTable {
  id: Generated<number>;
  session: string;
  caller: string;
  callee: string;
  clir: number;
  reason: string;
  at: number;
  ivr_state: string;
  outcome: string;
  callback: string | null;
  message: string | null;
  voice_file: string | null;
  voice_ms: number | null;
  status: string;
  status_reason: string | null;
  alert_status: string | null;
  ended_at: number | null;
  notified_at: number | null;
  voice_heard_at: number | null;
  voice_deleted_at: number | null;
}

export interface SelfcareSessionsTable {
  session: string;
  caller: string;
  own_phone: number;
  msisdn: string | null;
  state: string;
  authenticated: number;
  started_at: number;
  ended_at: number | null;
}

export interface DigestsTable {
  id: Generated<number>;
  msisdn: string;
  call_ids: string;
  sent_at: number;
  expires_at: number;
  detailed_at: number | null;
}

export interface SmsTable {
  id: Generated<number>;
  kind: string;
  sender: string;
  recipient: string;
  text: string;
  encoding: string;
  parts: number;
  state: string;
  merge_key: string | null;
  call_ids: string;
  charge_party: string;
  chargeable: number;
  hold_until: number | null;
  attempts: number;
  next_attempt_at: number;
  expires_at: number;
  smsc_id: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export interface VirtualInboxTable {
  id: Generated<number>;
  sms_id: number;
  sender: string;
  recipient: string;
  text: string;
  encoding: string;
  parts: number;
  at: number;
}

export interface UsageRecordsTable {
  id: Generated<number>;
  party: string;
  kind: string;
  chargeable: number;
  quantity: number;
  at: number;
  sms_id: number | null;
  call_id: number | null;
  detail: string | null;
}

export interface SmsTemplatesTable {
  key: string;
  language: string;
  text: string;
  updated_at: number;
}

export interface NetworkTokensTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  hint: string;
  source: string;
  created_at: number;
  revoked_at: number | null;
}

export interface NetworkEventsTable {
  id: string;
  endpoint: string;
  status: number;
  response: string;
  at: number;
}

export interface Schema {
  schema_migrations: SchemaMigrationsTable;
  roles: RolesTable;
  operators: OperatorsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  subscribers: SubscribersTable;
  list_entries: ListEntriesTable;
  presence: PresenceTable;
  calls: CallsTable;
  selfcare_sessions: SelfcareSessionsTable;
  digests: DigestsTable;
  sms: SmsTable;
  virtual_inbox: VirtualInboxTable;
  usage_records: UsageRecordsTable;
  sms_templates: SmsTemplatesTable;
  network_tokens: NetworkTokensTable;
  network_events: NetworkEventsTable;
}
