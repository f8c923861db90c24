/** Shapes of the reminder engine, as the network API and the console see them. */
import { z } from 'zod';

export const languages = ['en', 'zh-CN'] as const;
export const privacyModes = ['all', 'whitelist', 'nobody'] as const;
export const subscriberStates = ['active', 'suspended', 'cancelled'] as const;
export const serviceNames = ['missedCallAlert', 'reachableAlert', 'voicemail'] as const;
export type ServiceName = (typeof serviceNames)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, 24-hour');

/** The body of PUT /subscribers/{msisdn}, also used by the console and bulk import. */
export const subscriberInput = z.object({
  services: z.object({ missedCallAlert: z.boolean(), reachableAlert: z.boolean(), voicemail: z.boolean().default(false) }),
  language: z.enum(languages).default('zh-CN'),
  privacy: z
    .object({
      mode: z.enum(privacyModes).default('all'),
      hidden: z
        .array(z.object({ from: hhmm, to: hhmm }))
        .max(10)
        .default([]),
    })
    .default({ mode: 'all', hidden: [] }),
  /** Left out: the current plan is kept, and a new subscriber takes the default plan; null: no plan. */
  tariff: z.string().trim().min(1).max(60).nullable().optional(),
  state: z.enum(subscriberStates).default('active'),
  /** Self-care PIN for the IVR and web: 4–8 digits; stored hashed. */
  pin: z
    .string()
    .regex(/^\d{4,8}$/, 'A PIN has 4–8 digits')
    .optional(),
});
export type SubscriberInput = z.input<typeof subscriberInput>;

export interface Subscriber {
  msisdn: string;
  services: Record<ServiceName, boolean>;
  language: (typeof languages)[number];
  privacy: { mode: (typeof privacyModes)[number]; hidden: { from: string; to: string }[] };
  tariff: string | null;
  state: (typeof subscriberStates)[number];
  stateSince: number;
  hasPin: boolean;
  /** The personal greeting callers hear before the menu (recorded by self-care IVR); null when there is none. */
  greeting: { recordedAt: number; durationMs: number } | null;
  blacklist: string[];
  whitelist: string[];
  createdAt: number;
  updatedAt: number;
}

/** An IVR session id as the engine makes them (services/engine/session-ids.ts): 96 random bits in hex. */
export const sessionIdPattern = /^[0-9a-f]{24}$/;
export const sessionId = z.string().regex(sessionIdPattern, 'Not an IVR session id');

export const callReasons = ['power_off', 'out_of_coverage', 'busy', 'no_answer'] as const;

/** An event's own id: the same id sent again gets the first answer and changes nothing. */
const eventId = z.string().min(1).max(128);

export const callEvent = z.object({
  id: z.string().min(1).max(128).optional(),
  caller: z.string().max(40).optional(),
  callee: z.string().min(1, 'Required').max(40),
  reason: z.enum(callReasons),
  at: z.number().int().positive(),
  clir: z.boolean().default(false),
});

/** A call to the voicemail (self-care) number. */
export const selfcareCall = z.object({
  id: z.string().min(1).max(128).optional(),
  caller: z.string().max(40).optional(),
  at: z.number().int().positive(),
  clir: z.boolean().default(false),
});

export const ivrInput = z.union(
  [
    z.object({ digits: z.string().regex(/^[0-9*#]{1,32}$/, 'Use 1–32 of the keys 0-9, * and #'), id: eventId.optional() }).strict(),
    z.object({ event: z.enum(['timeout', 'hangup', 'recorded']), id: eventId.optional() }).strict(),
  ],
  { error: 'Send either {"digits": "…"} or {"event": "timeout" | "hangup" | "recorded"}' },
);

export const presenceEvent = z.object({
  id: z.string().min(1).max(128).optional(),
  msisdn: z.string().min(1, 'Required').max(40),
  state: z.enum(['reachable', 'unreachable']),
  at: z.number().int().positive(),
});

export const inboundSms = z.object({
  id: z.string().min(1).max(128).optional(),
  from: z.string().min(1, 'Required').max(40),
  to: z.string().min(1, 'Required').max(40),
  text: z.string().max(1600),
  at: z.number().int().positive(),
});

export interface MissedCall {
  id: number;
  caller: string | null;
  callee: string;
  at: number;
  reason: string;
  outcome: string;
  callback: string | null;
  status: string;
  statusReason: string | null;
  alertStatus: string | null;
  hasVoice: boolean;
}

export interface SmsRecord {
  id: number;
  kind: string;
  from: string;
  to: string;
  text: string;
  encoding: string;
  parts: number;
  state: string;
  attempts: number;
  error: string | null;
  holdUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SubscriberSummary {
  msisdn: string;
  state: Subscriber['state'];
  services: Subscriber['services'];
  language: Subscriber['language'];
  privacyMode: Subscriber['privacy']['mode'];
  tariff: string | null;
  pendingCalls: number;
  updatedAt: number;
}

export interface SubscriberDetail {
  subscriber: Subscriber;
  presence: { state: 'reachable' | 'unreachable'; at: number } | null;
  calls: MissedCall[];
  sms: SmsRecord[];
}

export interface VirtualHandset {
  msisdn: string;
  presence: 'reachable' | 'unreachable' | 'unknown';
  presenceAt: number | null;
  subscriber: { services: Subscriber['services']; language: Subscriber['language'] } | null;
  messages: { id: number; from: string; text: string; encoding: string; parts: number; at: number }[];
}

export interface TemplateEntry {
  key: string;
  language: 'en' | 'zh-CN';
  text: string;
  defaultText: string;
  placeholders: readonly string[];
  edited: boolean;
}

export interface NetworkTokenInfo {
  id: number;
  name: string;
  hint: string;
  source: 'console' | 'environment' | 'file';
  createdAt: number;
  revokedAt: number | null;
}

export interface EngineStats {
  /** Since local midnight in the operator's time zone. */
  today: {
    calls: number;
    byOutcome: Record<string, number>;
    summaries: number;
    detailReplies: number;
    smsSent: number;
    smsDelivered: number;
  };
  pendingNotices: number;
  pendingReachableAlerts: number;
  smsByState: Record<string, number>;
  subscribers: { active: number; suspended: number; cancelled: number };
  /** The last 24 hours, one point per hour (local time label). */
  hourly: { hour: string; calls: number; smsSent: number; smsDelivered: number; detailReplies: number }[];
}

export interface ImportJob {
  id: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  total: number;
  done: number;
  opened: number;
  failed: number;
  errors: { line: number; message: string }[];
  startedAt: number;
  finishedAt: number | null;
}
