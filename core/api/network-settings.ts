/**
 * Settings of the network adapters (Settings → SMSC, Settings → SIP): zod
 * only, shared by the console, the config file and the adapters.
 */
import { z } from 'zod';

const ton = z.number().int().min(0).max(6);
const npi = z.number().int().min(0).max(18);
export const addressType = z.object({ ton, npi });
export type AddressType = z.infer<typeof addressType>;

export const smppLinkSchema = z
  .object({
    host: z.string().min(1, 'host: the SMSC address is required'),
    port: z.number().int().min(1).max(65_535).default(2775),
    /** SMPP 3.4 limits: system_id 15, password 8, system_type 12 octets. */
    systemId: z.string().min(1, 'systemId is required').max(15),
    password: z.string().max(8),
    systemType: z.string().max(12).default(''),
    bindMode: z.enum(['transceiver', 'transmitter-receiver']).default('transceiver'),
    source: z
      .object({
        /** Sent as source_addr for every message; empty: each message's own sender (the short code). */
        address: z.string().max(20).default(''),
        /** Senders of digits only: short codes and service numbers. Common practice is network-specific (3), NPI unknown (0). */
        shortCode: addressType.default({ ton: 3, npi: 0 }),
        /** Senders with letters, e.g. 'Reachback': alphanumeric (5), NPI unknown (0). */
        alphanumeric: addressType.default({ ton: 5, npi: 0 }),
        /** Senders in E.164 form ('+86…'): international (1), ISDN/E.164 (1). */
        international: addressType.default({ ton: 1, npi: 1 }),
      })
      .prefault({}),
    /** Recipients are E.164; sent without the '+'. */
    destination: addressType.default({ ton: 1, npi: 1 }),
    /**
     * What data_coding 0 means on this SMSC. Only the GSM 03.38 default alphabet (unpacked septets) is supported:
     * the part counts the console shows and billing charges assume it.
     */
    defaultAlphabet: z.enum(['gsm7']).default('gsm7'),
    /** submit_sm per second; 0 sends as fast as the window allows. */
    tps: z.number().min(0).max(100_000).default(50),
    /** submit_sm awaiting their response at once. */
    windowSize: z.number().int().min(1).max(1_000).default(10),
    /** For any response (bind, submit_sm, enquire_link, unbind, replace_sm) and for a submit waiting for the link. */
    responseTimeoutMs: z.number().int().min(10).max(300_000).default(10_000),
    enquireLinkIntervalMs: z.number().int().min(10).max(3_600_000).default(30_000),
    reconnectMinMs: z.number().int().min(10).max(600_000).default(1_000),
    reconnectMaxMs: z.number().int().min(10).max(3_600_000).default(60_000),
    /** Retries of one submit_sm refused with ESME_RTHROTTLED or ESME_RMSGQFUL before submit() gives up. */
    throttledRetries: z.number().int().min(0).max(100).default(8),
    throttledBackoffMs: z.number().int().min(1).max(60_000).default(250),
    /** registered_delivery 1: a receipt for the final outcome, success or failure. */
    requestReceipts: z.boolean().default(true),
    /** Update a still-pending alert with replace_sm (if the SMSC allows) instead of sending another SMS. */
    useReplaceSm: z.boolean().default(false),
    /** A concatenated MO whose parts have not all arrived by then is passed on incomplete. */
    moReassemblyTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    /** How long the parts of a long message are remembered so each part's receipt maps to the message. */
    receiptTrackingMs: z
      .number()
      .int()
      .min(1_000)
      .default(48 * 3_600_000),
    /** Graceful stop: how long to wait for outstanding submits before unbinding. */
    drainTimeoutMs: z.number().int().min(0).max(600_000).default(5_000),
  })
  .refine((config) => config.reconnectMaxMs >= config.reconnectMinMs, {
    message: 'reconnectMaxMs must not be below reconnectMinMs',
    path: ['reconnectMaxMs'],
  });

/** As stored and edited (defaults optional). */
export type SmppConfigInput = z.input<typeof smppLinkSchema>;
/** After parsing, every field present. */
export type SmppConfig = z.output<typeof smppLinkSchema>;

/** Settings → SMSC: the SMPP link, used instead of the built-in virtual SMSC while enabled. */
export const smscSettingsFields = z.object({
  enabled: z.boolean(),
  link: smppLinkSchema.optional(),
});
export const smscSettingsSchema = smscSettingsFields.refine((s) => !s.enabled || s.link, {
  message: 'Fill in the SMSC link before enabling it',
  path: ['link'],
});
export type SmscSettings = z.output<typeof smscSettingsSchema>;
export const defaultSmscSettings: SmscSettings = { enabled: false };

/** Settings → SIP: where the reg-event watcher subscribes (RFC 3680). */
export const sipReginfoConfigSchema = z.object({
  /** Where SUBSCRIBEs go: the registrar (or the proxy in front of it). */
  registrarHost: z.string().min(1, 'registrarHost: the registrar address is required'),
  registrarPort: z.number().int().min(1).max(65_535).default(5060),
  /** AORs are sip:<user>@<domain>. */
  domain: z.string().min(1, 'domain is required'),
  /** Our address as the registrar must reach it (Via, Contact), and the port to bind; 0 picks one. */
  localHost: z.string().min(1).default('127.0.0.1'),
  localPort: z.number().int().min(0).max(65_535).default(0),
  /** 'digits': sip:4915112345678@domain; 'plus': sip:+4915112345678@domain. */
  userPart: z.enum(['digits', 'plus']).default('digits'),
  /** Subscription duration asked for, in seconds. */
  expires: z.number().int().min(60).max(86_400).default(600),
  /** OPTIONS to the registrar this often, so that a restart is noticed between refreshes; 0 disables. */
  keepaliveIntervalMs: z.number().int().min(0).max(3_600_000).default(30_000),
});

export type SipReginfoConfig = z.infer<typeof sipReginfoConfigSchema>;

export const sipWatchModes = ['all-subscribers', 'with-pending-calls', 'listed'] as const;

/** Settings → SIP: power-on from registration events, and which numbers to watch. */
export const sipSettingsFields = z.object({
  enabled: z.boolean(),
  registrar: sipReginfoConfigSchema.optional(),
  /** Every active subscriber; only numbers with calls waiting for their power-on; or the listed numbers. */
  watch: z.enum(sipWatchModes).default('all-subscribers'),
  numbers: z.array(z.string().max(40)).max(10_000).default([]),
});
export const sipSettingsSchema = sipSettingsFields.refine((s) => !s.enabled || s.registrar, {
  message: 'Fill in the registrar before enabling power-on from SIP',
  path: ['registrar'],
});
export type SipSettings = z.output<typeof sipSettingsSchema>;
export const defaultSipSettings: SipSettings = { enabled: false, watch: 'all-subscribers', numbers: [] };

/** The reg-event watcher as the console and the dashboard show it. */
export interface SipWatcherStatus {
  running: boolean;
  registrar: 'unknown' | 'up' | 'down';
  localPort?: number;
  subscriptions: { total: number; active: number; pending: number; failed: number };
  notifiesReceived: number;
  notifiesMalformed: number;
  notifiesUnknownDialog: number;
  presenceEvents: number;
  /** New dialogs made because the registrar lost ours (481, terminated, restart). */
  resubscribes: number;
  lastNotifyAt?: number;
  lastError?: { at: number; message: string; msisdn?: string; callId?: string };
}

export interface SipStatusView {
  mode: 'off' | 'watching';
  watcher: SipWatcherStatus | null;
}

/** The SMPP link as the console and the dashboard show it. */
export type SmppLinkState = 'disconnected' | 'connecting' | 'bound' | 'unbinding' | 'refused';

export interface SmppCounters {
  /** Messages (all their parts) accepted by the SMSC. */
  submitted: number;
  /** submit() calls that rejected. */
  submitFailed: number;
  delivered: number;
  failed: number;
  expired: number;
  receiptsUnknown: number;
  moReceived: number;
  /** deliver_sm refused: unsupported data_coding or malformed content. */
  moRejected: number;
  throttledRetries: number;
  replaced: number;
  /** Sessions lost after they were bound. */
  linkLosses: number;
}

export interface SmppStatus {
  state: SmppLinkState;
  /** Why the link is not bound (or was last lost); null while all is well since the last bind. */
  lastError: string | null;
  /** When the state last changed (clock time). */
  since: number;
  counters: SmppCounters;
  /** submit_sm accepted per second, over the last few seconds. */
  submitsPerSecond: number;
  /** submit_sm awaiting their response. */
  inFlight: number;
}

/** Settings → SMSC status: the built-in virtual SMSC, or the SMPP link with its state and counters. */
export interface SmscStatusView {
  mode: 'virtual' | 'smpp';
  link: SmppStatus | null;
}
