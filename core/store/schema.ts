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
  /** The personal greeting's file in voice/, its length and when it was recorded; null when there is none. */
  greeting_file: string | null;
  greeting_ms: number | null;
  greeting_at: number | null;
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
  /** A greeting recorded in this call, waiting for the subscriber to keep it. */
  greeting_file: string | null;
  greeting_ms: number | null;
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

export interface BillingStateTable {
  key: string;
  value_json: string;
  updated_at: number;
}

export interface TariffPlansTable {
  id: string;
  name: string;
  currency: string;
  version_policy: string;
  created_at: number;
  updated_at: number;
}

export interface TariffVersionsTable {
  plan_id: string;
  number: number;
  status: string;
  effective_from: string;
  version_json: string;
  created_at: number;
  updated_at: number;
  published_at: number | null;
  published_by: string | null;
}

export interface PlanAssignmentsTable {
  id: Generated<number>;
  party: string;
  plan_id: string;
  version: number | null;
  from_at: number;
  to_at: number | null;
  created_at: number;
}

export interface BillingCyclesTable {
  key: string;
  start_at: number;
  end_at: number;
  status: string;
  close_started_at: number | null;
  close_progress: string | null;
  closed_at: number | null;
  closed_by: string | null;
  statements: number;
  rent: number;
  usage: number;
  adjustments: number;
  total: number;
  unbilled_records: number;
}

export interface UsageChargesTable {
  record_id: number;
  cycle_key: string;
  plan_id: string;
  version: number;
  basis: string;
  capped: string;
  free_units: number;
  gross: number;
  amount: number;
}

export interface StatementsTable {
  cycle_key: string;
  party: string;
  plan_id: string | null;
  currency: string;
  rent: number;
  usage_gross: number;
  usage_charged: number;
  cap_waived: number;
  adjustments: number;
  total: number;
  records: number;
  lines_json: string;
  closed_at: number;
}

export interface AdjustmentsTable {
  id: Generated<number>;
  cycle_key: string;
  party: string;
  line_key: string;
  source: string;
  amount: number;
  previous_amount: number | null;
  new_amount: number | null;
  reason: string;
  plan_id: string | null;
  day: string;
  operator: string;
  after_close: number;
  created_at: number;
  /** What the amount is in: the statement's (the plan's) currency. */
  currency: string;
}

export interface ThresholdEventsTable {
  cycle_key: string;
  party: string;
  cap: string;
  percent: number;
  limit_fen: number;
  spent: number;
  record_id: number | null;
  at: number;
  sms_id: number | null;
  created_at: number;
}

export interface ExportFilesTable {
  seq: number;
  day: string;
  filename: string;
  path: string;
  sha256: string;
  rows: number;
  bytes: number;
  created_at: number;
  created_by: string;
}

export interface RollupChargesTable {
  day: string;
  plan_id: string;
  kind: string;
  records: number;
  units: number;
  gross: number;
  charged: number;
}

export interface RollupSubscribersTable {
  day: string;
  plan_id: string;
  starts: number;
  ends: number;
  opened: number;
  closed: number;
}

export interface RollupSmsTable {
  hour: number;
  kind: string;
  queued: number;
  submitted: number;
  delivered: number;
  failed: number;
  expired: number;
}

export interface AgentSipSettingsTable {
  operator_id: number;
  ws_uri: string;
  sip_uri: string;
  sip_user: string;
  password: string;
  display_name: string;
  dtmf_mode: string;
  call_waiting: number;
  wrap_up_seconds: number | null;
  updated_at: number;
}

export interface AgentStatesTable {
  operator_id: number;
  presence: string;
  reason: string | null;
  activity: string;
  since: number;
  online_at: number | null;
  last_call_ended_at: number | null;
  wrap_up_until: number | null;
  reserved_until: number | null;
  current_call_id: number | null;
  updated_at: number;
}

export interface AgentCallsTable {
  id: Generated<number>;
  sip_call_id: string;
  operator_id: number;
  caller: string | null;
  called: string | null;
  session: string | null;
  source: string;
  attempt: number | null;
  offered_at: number;
  answered_at: number | null;
  ended_at: number | null;
  outcome: string | null;
  transfer_target: string | null;
  notes: string;
  updated_at: number;
}

export interface AgentMessagesTable {
  id: Generated<number>;
  operator_id: number;
  sip_call_id: string | null;
  engine_call_id: number;
  called: string;
  caller: string | null;
  callback: string | null;
  text: string;
  created_at: number;
}

export interface DeskSettingsTable {
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
  billing_state: BillingStateTable;
  tariff_plans: TariffPlansTable;
  tariff_versions: TariffVersionsTable;
  plan_assignments: PlanAssignmentsTable;
  billing_cycles: BillingCyclesTable;
  usage_charges: UsageChargesTable;
  statements: StatementsTable;
  adjustments: AdjustmentsTable;
  threshold_events: ThresholdEventsTable;
  export_files: ExportFilesTable;
  rollup_charges: RollupChargesTable;
  rollup_subscribers: RollupSubscribersTable;
  rollup_sms: RollupSmsTable;
  agent_sip_settings: AgentSipSettingsTable;
  agent_states: AgentStatesTable;
  agent_calls: AgentCallsTable;
  agent_messages: AgentMessagesTable;
  desk_settings: DeskSettingsTable;
}
