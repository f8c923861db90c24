/**
 * The SMPP link's settings. Plain data with zod only (no Node), so Settings → SMSC and the config file can reuse it.
 */
import { z } from 'zod';

const ton = z.number().int().min(0).max(6);
const npi = z.number().int().min(0).max(18);
const addressType = z.object({ ton, npi });
export type AddressType = z.infer<typeof addressType>;

export const smppConfigSchema = z
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
export type SmppConfigInput = z.input<typeof smppConfigSchema>;
/** After parsing, every field present. */
export type SmppConfig = z.output<typeof smppConfigSchema>;

/** TON/NPI and address for a sender as the engine writes it. */
export function sourceAddress(sender: string, config: SmppConfig): { addr: string } & AddressType {
  const addr = config.source.address || sender;
  if (/^\+\d+$/.test(addr)) return { addr: addr.slice(1), ...config.source.international };
  if (/^\d+$/.test(addr)) return { addr, ...config.source.shortCode };
  return { addr, ...config.source.alphanumeric };
}

export function destinationAddress(recipient: string, config: SmppConfig): { addr: string } & AddressType {
  return { addr: recipient.replace(/^\+/, ''), ...config.destination };
}

/** An inbound address as the engine reads it: international numbers get their '+' back. */
export function inboundAddress(addr: string, addrTon: number): string {
  return addrTon === 1 && /^\d+$/.test(addr) ? `+${addr}` : addr;
}
