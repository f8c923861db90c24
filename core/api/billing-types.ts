/** Shapes the billing commands return. Amounts are integer minor units (fen for CNY); times are epoch ms. */
import type { Statement } from '../domain/billing/statement';
import type { TariffPlan, VersionPolicy, VersionStatus } from '../domain/billing/tariff';
import type { WhatIfResult } from '../domain/billing/what-if';
import type { CapKind, ThresholdEvent } from '../domain/billing/capping';
import type { CapEffect, ChargeBasis } from '../domain/billing/rating';

/** The billing section of the settings (kept by the billing service). */
export interface BillingSettings {
  /** Day of the month (1–28) on which a cycle ends and the next begins, at local midnight. */
  closeDay: number;
  /** The operator's time zone: cycle and report days begin at its midnight. */
  timeZone: string;
  /** Folder the daily charge export is written to; null until configured. */
  exportDir: string | null;
  /** Send the free threshold-warning SMS when a cap threshold is reached. */
  warningSms: boolean;
  /** Close each cycle automatically once it has ended (otherwise a billing admin closes it). */
  autoClose: boolean;
  /** Write the previous day's export file automatically (needs exportDir). */
  autoExport: boolean;
  /**
   * The plan a new subscriber takes when they name none (opened by SMS or the self-care IVR, or provisioned without a
   * tariff); null: they are not billed until a plan is set.
   */
  defaultPlan: string | null;
}

export interface TariffVersionInfo {
  number: number;
  status: VersionStatus;
  effectiveFrom: string;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  publishedBy: string | null;
}

export interface TariffPlanSummary {
  id: string;
  name: string;
  currency: string;
  versionPolicy: VersionPolicy;
  versions: TariffVersionInfo[];
  /** The published version in force now (for new subscribers on grandfathered plans), or null. */
  inForce: number | null;
  /** Subscribers on the plan now (open plan assignments). */
  subscribers: number;
  createdAt: number;
  updatedAt: number;
}

export interface TariffPlanDetail extends TariffPlanSummary {
  /** The plan with every version, as the editor saves it back (tariffs/update). */
  plan: TariffPlan;
}

/** One field that differs between two versions, by dotted path (e.g. 'usagePrices.missed-detail'). */
export interface VersionChange {
  field: string;
  /** undefined when the field is absent on that side. */
  before: unknown;
  after: unknown;
}

export interface VersionDiff {
  planId: string;
  from: number;
  to: number;
  changes: VersionChange[];
}

export interface WhatIfReport extends WhatIfResult {
  planId: string;
  cycle: string;
  /** The version simulated: a draft's number, or null for an unsaved draft sent with the request. */
  version: number | null;
  /** Subscribers with time on the plan in the cycle (the ones simulated). */
  subscribers: number;
}

export type CycleStatus = 'open' | 'closing' | 'closed';

export interface BillingCycleInfo {
  key: string;
  start: number;
  end: number;
  startDay: string;
  endDay: string;
  status: CycleStatus;
  /** Ended and not closed yet. */
  canClose: boolean;
  closedAt: number | null;
  closedBy: string | null;
  statements: number;
  /** At the close: sums of the statements. */
  rent: number;
  usage: number;
  adjustments: number;
  total: number;
  /** Adjustments made after the close (closed statements are never edited). */
  laterAdjustments: number;
  /** Usage records of the cycle charged to numbers with no plan: not billed, counted here. */
  unbilledRecords: number;
}

/** Why a number's records were left unrated. */
export type RatingSkipCode = 'not-a-subscriber' | 'no-plan' | 'no-plan-in-cycle' | 'plan-time-invalid';

export interface RatingRun {
  /** Usage records taken by this run. */
  records: number;
  parties: number;
  /** Fen charged for those records. */
  charged: number;
  /** Subscribers whose cycle was rated again from its start (plan or date change, late record, restart). */
  reratedParties: number;
  thresholds: number;
  warningsSent: number;
  /** Records of a closing or closed cycle: left for a rerate, which turns them into adjustments. */
  lateRecords: number;
  /** Records left unrated, by number, with the reason (unknown subscriber, no plan): `code` for the console's wording. */
  skipped: { party: string; records: number; code: RatingSkipCode; reason: string }[];
  /** Usage records up to this id are rated. */
  ratedThrough: number;
}

export type AdjustmentSource = 'rerate' | 'manual';

export interface AdjustmentInfo {
  id: number;
  cycle: string;
  party: string;
  /** The charge line it corrects ('usage:<record id>', 'rent:…'), or 'manual:<id>'. */
  key: string;
  source: AdjustmentSource;
  /** Minor units of `currency` (fen for CNY): positive charges more, negative refunds. */
  amount: number;
  currency: string;
  previousAmount: number | null;
  newAmount: number | null;
  reason: string;
  planId: string | null;
  operator: string;
  at: number;
  /** Made after the cycle closed: shown beside the statement, never in it. */
  afterClose: boolean;
}

export interface RerateResult {
  cycle: string;
  /** Subscribers compared. */
  parties: number;
  adjustments: number;
  /** Sum of the new adjustments, fen. */
  total: number;
}

export interface StatementSummary {
  party: string;
  cycle: string;
  /** closed: the frozen statement; open: a preview of the charges so far (changes until the close). */
  status: 'closed' | 'open';
  from: number;
  to: number;
  currency: string;
  planId: string | null;
  rent: number;
  usage: number;
  capWaived: number;
  adjustments: number;
  total: number;
  laterAdjustments: number;
  /** total + laterAdjustments: what the subscriber owes for the cycle now. */
  balance: number;
  closedAt: number | null;
}

export interface ThresholdInfo extends ThresholdEvent {
  /** The warning SMS, or null when none was sent (warnings off, reached by the rent alone or with a higher one). */
  smsId: number | null;
}

export interface StatementView extends StatementSummary {
  statement: Statement;
  laterAdjustmentLines: AdjustmentInfo[];
  thresholds: ThresholdInfo[];
}

/** One usage record of a statement with its charge: the answer to "why was I charged?". */
export interface ChargeLineView {
  recordId: number;
  at: number;
  kind: string;
  quantity: number;
  chargeable: boolean;
  /** null when the record is not rated yet. */
  planId: string | null;
  version: number | null;
  basis: ChargeBasis | null;
  freeUnits: number;
  gross: number;
  amount: number;
  capped: CapEffect;
}

export interface ExportFileInfo {
  seq: number;
  /** The local day the file covers. */
  day: string;
  filename: string;
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
  createdAt: number;
  createdBy: string;
}

export interface ExportChunk {
  seq: number;
  filename: string;
  totalBytes: number;
  offset: number;
  /** The bytes from offset, base64 (the file starts with a UTF-8 byte order mark). */
  base64: string;
  done: boolean;
}

export type ReportGranularity = 'day' | 'month' | 'cycle';

export interface MoneyTotal {
  currency: string;
  records: number;
  units: number;
  gross: number;
  charged: number;
}

export interface RevenueRow extends MoneyTotal {
  period: string;
  /** The plan, usage kind or service, per the report's `by`; 'all' for totals. */
  key: string;
}

export interface RevenueReport {
  from: string;
  to: string;
  granularity: ReportGranularity;
  by: 'total' | 'plan' | 'kind' | 'service';
  rows: RevenueRow[];
  /** One per currency (plans may differ). */
  totals: MoneyTotal[];
}

export interface SubscriberCountRow {
  period: string;
  /** On a plan at the end of the period. */
  active: number;
  opened: number;
  closed: number;
  /** Moved onto (in) or off (out) the filtered plan from another plan; 0 without a plan filter. */
  movedIn: number;
  movedOut: number;
}

export interface SubscriberCountReport {
  from: string;
  to: string;
  granularity: ReportGranularity;
  rows: SubscriberCountRow[];
}

export interface SmsVolumeRow {
  period: string;
  /** SMS kind, or 'all'. */
  kind: string;
  queued: number;
  submitted: number;
  delivered: number;
  failed: number;
  expired: number;
  /** delivered / submitted, 0–1; null when nothing was submitted. */
  deliveryRate: number | null;
}

export interface SmsVolumeReport {
  from: string;
  to: string;
  granularity: ReportGranularity;
  rows: SmsVolumeRow[];
}

export interface DReplyRow {
  period: string;
  /** Free gave-up summaries sent. */
  summaries: number;
  /** Detail SMS sent in answer to D. */
  details: number;
  /** details / summaries, 0–1; null without summaries. */
  conversion: number | null;
}

export interface DReplyReport {
  from: string;
  to: string;
  granularity: ReportGranularity;
  rows: DReplyRow[];
}

export interface TopSubscriberRow {
  party: string;
  planId: string | null;
  currency: string;
  cycles: number;
  rent: number;
  usage: number;
  adjustments: number;
  total: number;
}

/** A plan's caps in a cycle: those of the version in force at its end (now, while it is open). */
export interface CapPlanInfo {
  planId: string;
  name: string;
  currency: string;
  version: number;
  /** Fen; null: no such cap. */
  usageCap: number | null;
  totalCap: number | null;
  /** Percentages of a cap that send the warning SMS. */
  thresholds: number[];
  /** Fen the caps waived on this plan in the cycle. */
  waived: number;
}

/** A subscriber's highest threshold reached of one cap in the cycle. */
export interface CappingRow {
  party: string;
  /** The plan the subscriber was on when the threshold was reached (null: no plan then). */
  planId: string | null;
  currency: string;
  cap: CapKind;
  percent: number;
  /** The cap, and what counted toward it when the threshold was reached (fen). */
  limit: number;
  spent: number;
  at: number;
  /** The warning SMS and its state; null when none was sent (warnings off, reached by the rent alone, or after the cycle). */
  smsId: number | null;
  smsState: string | null;
  /** Fen the caps waived on the subscriber's usage in the cycle so far. */
  waived: number;
}

export interface CappingReport {
  cycle: BillingCycleInfo;
  plans: CapPlanInfo[];
  /** Subscribers who reached each threshold of each cap in the cycle (whatever the filters). */
  counts: { cap: CapKind; percent: number; subscribers: number }[];
  /** Subscribers whose highest threshold reached is below 100 % (warned), and at 100 % of a cap (capped). */
  warned: number;
  capped: number;
  /** Fen waived by the caps in the cycle, per currency. */
  waived: { currency: string; amount: number }[];
  /** One row per subscriber and cap, filtered and paged. */
  rows: CappingRow[];
  total: number;
}
