/**
 * Settings → SIP for the reg-event watcher. Plain data with zod only (no Node), so the console and
 * the config file can reuse it.
 */
import { z } from 'zod';

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
