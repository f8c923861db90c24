/**
 * Billing commands: tariff plans, cycles, rating, statements, adjustments,
 * exports and reports. Spread into the command map in commands.ts.
 *
 * Access: billing.read sees plans, cycles, reports and exports; billing.manage
 * changes them (plans, settings, rating, closing, rerating, adjustments,
 * exports); statements.read reads a subscriber's statements (customer service).
 */
import { z } from 'zod';
import { cycleConfigSchema, daysBetween, isLocalDate } from '../domain/billing/cycle';
import { tariffPlanSchema, tariffVersionSchema } from '../domain/billing/tariff';
import { isKnownCurrency } from '../domain/billing/money';
import type {
  AdjustmentInfo,
  BillingCycleInfo,
  BillingSettings,
  CappingReport,
  ChargeLineView,
  DReplyReport,
  ExportChunk,
  ExportFileInfo,
  RatingRun,
  RerateResult,
  RevenueReport,
  SmsVolumeReport,
  StatementSummary,
  StatementView,
  SubscriberCountReport,
  TariffPlanDetail,
  TariffPlanSummary,
  TopSubscriberRow,
  VersionDiff,
  WhatIfReport,
} from './billing-types';
import { command } from './command-spec';
import type { Page } from './types';

export const billingSettingsSchema = z.object({
  closeDay: cycleConfigSchema.shape.closeDay,
  timeZone: cycleConfigSchema.shape.timeZone,
  exportDir: z.string().trim().min(1, 'Enter a folder, or leave it unset').max(500).nullable(),
  warningSms: z.boolean(),
  autoClose: z.boolean(),
  autoExport: z.boolean(),
  defaultPlan: z.string().trim().min(1, 'Choose a plan, or none').max(60).nullable(),
});

export const defaultBillingSettings: BillingSettings = {
  closeDay: 1,
  timeZone: 'Asia/Shanghai',
  exportDir: null,
  warningSms: true,
  autoClose: false,
  autoExport: false,
  defaultPlan: null,
};

const planId = z.string().trim().min(1, 'Required').max(60);
const versionNumber = z.number().int().positive();
const cycleKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use a cycle YYYY-MM');
const localDate = z.string().refine(isLocalDate, 'Use a date YYYY-MM-DD');
/** A phone number as typed; the core normalises it to E.164. */
const msisdn = z.string().trim().min(1, 'Required').max(40);
const reason = z.string().trim().min(1, 'Give the reason').max(500);
const page = { page: z.number().int().nonnegative().default(0), pageSize: z.number().int().min(1).max(500).default(50) };

/** Reports cover at most about three years, so every report stays a small read of the rollups. */
const maxReportDays = 1100;
const granularity = z.enum(['day', 'month', 'cycle']).default('day');

const period = { from: localDate, to: localDate, granularity, planId: planId.optional() };

function checkPeriod(q: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'The period ends before it starts' });
  else if (daysBetween(q.from, q.to) >= maxReportDays)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `A report covers at most ${maxReportDays} days` });
}

export const billingCommands = {
  'billing/settings': command<BillingSettings>()({ input: z.object({}), access: 'billing.read', mutates: false }),
  /** Changing the close day or time zone is refused once any usage has been rated (cycle boundaries would move). */
  'billing/settings-update': command<BillingSettings>()({
    input: billingSettingsSchema.partial(),
    access: 'billing.manage',
    mutates: true,
  }),

  'tariffs/list': command<TariffPlanSummary[]>()({ input: z.object({}), access: 'billing.read', mutates: false }),
  'tariffs/get': command<TariffPlanDetail>()({ input: z.object({ id: planId }), access: 'billing.read', mutates: false }),
  /** A new plan, usually with one draft version. */
  'tariffs/create': command<TariffPlanDetail>()({ input: z.object({ plan: tariffPlanSchema }), access: 'billing.manage', mutates: true }),
  /**
   * Saves the whole plan: drafts may change, be added or removed; published versions never change.
   * expectedUpdatedAt (from tariffs/get) refuses the save if someone else saved in between.
   */
  'tariffs/update': command<TariffPlanDetail>()({
    input: z.object({ plan: tariffPlanSchema, expectedUpdatedAt: z.number().int().nonnegative().optional() }),
    access: 'billing.manage',
    mutates: true,
  }),
  'tariffs/publish': command<TariffPlanDetail>()({
    input: z.object({ id: planId, version: versionNumber }),
    access: 'billing.manage',
    mutates: true,
  }),
  /** Only a plan that never had a published version. */
  'tariffs/delete': command<{ ok: true }>()({ input: z.object({ id: planId }), access: 'billing.manage', mutates: true }),
  'tariffs/diff': command<VersionDiff>()({
    input: z.object({ id: planId, from: versionNumber, to: versionNumber }),
    access: 'billing.read',
    mutates: false,
  }),
  /** A draft (saved, by number; or unsaved, as `draft`) applied to a past cycle's usage. */
  'tariffs/what-if': command<WhatIfReport>()({
    input: z
      .object({
        id: planId,
        cycle: cycleKey,
        version: versionNumber.optional(),
        draft: tariffVersionSchema.optional(),
        top: z.number().int().min(1).max(100).default(10),
      })
      .refine((q) => (q.version === undefined) !== (q.draft === undefined), {
        path: ['version'],
        message: 'Give either the number of a saved draft or the draft itself',
      }),
    access: 'billing.read',
    mutates: false,
  }),

  'billing/cycles': command<BillingCycleInfo[]>()({ input: z.object({}), access: 'billing.read', mutates: false }),
  /** Rates the usage recorded since the last run (the core also does this every minute). With msisdn: that subscriber only. */
  'billing/rate': command<RatingRun>()({ input: z.object({ msisdn: msisdn.optional() }), access: 'billing.manage', mutates: true }),
  /** Closes an ended cycle: a frozen statement per subscriber. Refused for a cycle closed already. */
  'billing/close': command<BillingCycleInfo>()({ input: z.object({ cycle: cycleKey }), access: 'billing.manage', mutates: true }),
  /**
   * Rates a closed cycle again and records the differences as adjustments with the reason.
   * planId + version: rate the plan's time in the cycle with that published version (a tariff correction).
   */
  'billing/rerate': command<RerateResult>()({
    input: z
      .object({ cycle: cycleKey, reason, msisdn: msisdn.optional(), planId: planId.optional(), version: versionNumber.optional() })
      .refine((q) => (q.planId === undefined) === (q.version === undefined), {
        path: ['version'],
        message: 'Give both the plan and its corrected version, or neither',
      }),
    access: 'billing.manage',
    mutates: true,
  }),
  /** A manual credit (negative) or charge (positive) in fen, with the reason. */
  'billing/adjust': command<AdjustmentInfo>()({
    input: z.object({
      msisdn,
      cycle: cycleKey,
      amount: z
        .number()
        .int('Use whole fen, e.g. -500 for a ¥5.00 credit')
        .refine((n) => n !== 0, 'An adjustment is not 0')
        .refine((n) => Math.abs(n) <= 1_000_000_000, 'Too large'),
      /** The currency the amount is in (minor units of it): refused when the subscriber is billed in another. */
      currency: z.string().refine(isKnownCurrency, 'Not a currency the billing knows').optional(),
      reason,
    }),
    access: 'billing.manage',
    mutates: true,
  }),
  'billing/adjustments': command<Page<AdjustmentInfo>>()({
    input: z.object({ cycle: cycleKey.optional(), msisdn: msisdn.optional(), source: z.enum(['rerate', 'manual']).optional(), ...page }),
    access: 'billing.read',
    mutates: false,
  }),

  /** Who reached a cap threshold in a cycle (default: the current one), what the caps waived, and whether the warning SMS went out. */
  'billing/capping': command<CappingReport>()({
    input: z.object({
      cycle: cycleKey.optional(),
      cap: z.enum(['usage', 'total']).optional(),
      minPercent: z.number().int().min(1, 'A threshold is 1–100 %').max(100, 'A threshold is 1–100 %').optional(),
      /** Part of a subscriber number: its digits are looked for anywhere in the number. */
      search: z
        .string()
        .trim()
        .max(40)
        .regex(/^[\d\s()+-]*$/, 'Type digits of a number, e.g. 138 0013')
        .optional(),
      sort: z.enum(['percent', 'at', 'spent', 'party']).default('percent'),
      order: z.enum(['asc', 'desc']).default('desc'),
      ...page,
    }),
    access: 'billing.read',
    mutates: false,
  }),

  'billing/exports': command<ExportFileInfo[]>()({ input: z.object({}), access: 'billing.read', mutates: false }),
  /** Writes the charge/CDR file of an ended local day into the export folder (docs/billing-export.md). */
  'billing/export': command<ExportFileInfo>()({ input: z.object({ day: localDate }), access: 'billing.manage', mutates: true }),
  /** A written export file, in chunks: call again with offset += bytes until done. */
  'billing/export-download': command<ExportChunk>()({
    input: z.object({
      seq: z.number().int().positive(),
      offset: z.number().int().nonnegative().default(0),
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .max(16 * 1024 * 1024)
        .default(8 * 1024 * 1024),
    }),
    access: 'billing.read',
    mutates: false,
  }),

  /** Revenue (charged, and gross before caps) from the daily rollups. */
  'reports/revenue': command<RevenueReport>()({
    input: z.object({ ...period, by: z.enum(['total', 'plan', 'kind', 'service']).default('total') }).superRefine(checkPeriod),
    access: 'billing.read',
    mutates: false,
  }),
  'reports/subscribers': command<SubscriberCountReport>()({
    input: z.object(period).superRefine(checkPeriod),
    access: 'billing.read',
    mutates: false,
  }),
  /** The plan filter does not apply: SMS are counted per kind, not per plan. */
  'reports/sms': command<SmsVolumeReport>()({
    input: z.object({ ...period, by: z.enum(['total', 'kind']).default('total') }).superRefine(checkPeriod),
    access: 'billing.read',
    mutates: false,
  }),
  'reports/d-reply': command<DReplyReport>()({ input: z.object(period).superRefine(checkPeriod), access: 'billing.read', mutates: false }),
  /** From the statements of closed cycles, from `from` to `to` (cycle keys; to defaults to from). */
  'reports/top-subscribers': command<TopSubscriberRow[]>()({
    input: z.object({
      from: cycleKey,
      to: cycleKey.optional(),
      planId: planId.optional(),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    access: 'billing.read',
    mutates: false,
  }),
  /** Every report of the Billing reports screen as one XLSX workbook (one worksheet per report), base64. */
  'reports/export-xlsx': command<{ filename: string; base64: string }>()({
    input: z.object(period).superRefine(checkPeriod),
    access: 'billing.read',
    mutates: false,
  }),

  /** A subscriber's statements, newest first: closed cycles, and the open cycle as a preview. */
  'statements/list': command<StatementSummary[]>()({ input: z.object({ msisdn }), access: 'statements.read', mutates: false }),
  'statements/get': command<StatementView>()({ input: z.object({ msisdn, cycle: cycleKey }), access: 'statements.read', mutates: false }),
  /** The usage records of a statement with their charges, oldest first. */
  'statements/lines': command<Page<ChargeLineView>>()({
    input: z.object({ msisdn, cycle: cycleKey, kind: z.string().max(40).optional(), ...page }),
    access: 'statements.read',
    mutates: false,
  }),
} as const;
