/**
 * Service rules: the operator-wide settings of the reminder engine. Shared by
 * the core (which enforces them) and the console (which edits them).
 */
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, 24-hour');
const digits = (what: string) => z.string().regex(/^\d{3,12}$/, `${what}: use 3–12 digits`);

/** Whose settings win when both caller and called party subscribe. */
export const party = z.enum(['called', 'calling']);
export type Party = z.infer<typeof party>;

export const priorityRule = z.object({
  /** (a) The IVR language and the options offered. */
  dialogue: party,
  /** (b) Whether the caller's reachable alert is sent despite the called party's privacy. */
  privacy: party,
  /** (c) Which party a charge goes to. */
  charging: party,
});
export type PriorityRule = z.infer<typeof priorityRule>;

export const smsCommandNames = [
  'details',
  'query',
  'open',
  'close',
  'blacklist-add',
  'blacklist-remove',
  'whitelist-add',
  'whitelist-remove',
  'privacy',
  'language',
  'help',
] as const;
export type SmsCommandName = (typeof smsCommandNames)[number];

export const serviceRulesSchema = z.object({
  defaultCountryCode: z.string().regex(/^[1-9]\d{0,2}$/, 'A country code has 1–3 digits'),
  timeZone: z.string().refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'Not a time zone this system knows, e.g. Asia/Shanghai' },
  ),
  shortCode: digits('Short code'),
  queryNumber: digits('Enquiry number'),
  voicemailNumber: digits('Voicemail number'),
  /** Shown in the gave-up summary; the charge itself comes from the tariff. */
  detailPriceFen: z.number().int().nonnegative().max(100_000),
  expiryHours: z.object({
    notification: z
      .number()
      .int()
      .min(1)
      .max(24 * 14),
    reachableAlert: z
      .number()
      .int()
      .min(1)
      .max(24 * 14),
    detailWindow: z
      .number()
      .int()
      .min(1)
      .max(24 * 14),
  }),
  dailyAlertCap: z.number().int().min(1).max(1000),
  quietHours: z.object({ enabled: z.boolean(), from: hhmm, to: hhmm }),
  clirPolicy: z.enum(['unknown-number', 'no-alert']),
  segmentBudget: z.number().int().min(1).max(10),
  whitelistMax: z.number().int().min(1).max(200),
  blacklistMax: z.number().int().min(1).max(1000),
  manualSeat: z.boolean(),
  ivrSilenceMs: z.number().int().min(1000).max(30_000),
  priority: priorityRule,
  /** Per tariff plan overrides of the priority rule. */
  priorityByTariff: z.record(z.string(), priorityRule.partial()),
  /** Extra words that mean a command, e.g. Chinese keywords; the English ones always work. */
  keywordAliases: z.record(z.enum(smsCommandNames), z.array(z.string().trim().min(1).max(20)).max(10)),
  smsRetry: z.object({ maxAttempts: z.number().int().min(1).max(20), backoffSeconds: z.number().int().min(1).max(3600) }),
  /** Opening reminders of a bulk import are spread out to this many per second. */
  bulkRemindersPerSecond: z.number().int().min(1).max(1000),
});
export type ServiceRules = z.infer<typeof serviceRulesSchema>;

export const defaultServiceRules: ServiceRules = {
  defaultCountryCode: '86',
  timeZone: 'Asia/Shanghai',
  shortCode: '06001',
  queryNumber: '06001',
  voicemailNumber: '06002',
  detailPriceFen: 10,
  expiryHours: { notification: 24, reachableAlert: 24, detailWindow: 24 },
  dailyAlertCap: 20,
  quietHours: { enabled: false, from: '22:00', to: '08:00' },
  clirPolicy: 'unknown-number',
  segmentBudget: 3,
  whitelistMax: 20,
  blacklistMax: 100,
  manualSeat: true,
  ivrSilenceMs: 2000,
  priority: { dialogue: 'called', privacy: 'called', charging: 'called' },
  priorityByTariff: {},
  keywordAliases: {
    details: ['详情'],
    query: ['查询'],
    open: ['开通'],
    close: ['取消', '关闭'],
    'blacklist-add': [],
    'blacklist-remove': [],
    'whitelist-add': [],
    'whitelist-remove': [],
    privacy: ['隐私'],
    language: ['语言'],
    help: ['帮助', '?'],
  },
  smsRetry: { maxAttempts: 5, backoffSeconds: 30 },
  bulkRemindersPerSecond: 20,
};
