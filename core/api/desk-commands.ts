/**
 * Agent desk commands: the softphone's settings and call events, agent
 * states, the context pop, taking a message, the call log and the
 * supervisors' view. Spread into the command map in commands.ts.
 *
 * Access: desk.use for an agent's own desk; desk.supervise for every
 * agent's state and calls and the desk's shared settings.
 */
import { z } from 'zod';
import { command } from './command-spec';
import { sessionId } from './engine-types';
import {
  deskCallOutcomes,
  dtmfModes,
  systemNotReadyReasons,
  type DeskAgentView,
  type DeskCallView,
  type DeskConfig,
  type DeskContext,
  type DeskMessageResult,
  type DeskSipSettings,
  type DeskStatus,
} from './desk-types';
import type { Page } from './types';

/** A phone number as typed; the core normalises it to E.164 and names the field when it cannot. */
const msisdn = z.string().trim().min(1, 'Required').max(40);
/** A number from a SIP header, as it came ('anonymous' when withheld); the core keeps it only if it is a number. */
const headerNumber = z.string().trim().max(64).nullish();
/** The SIP Call-ID that ties the desk's call events to the distribution's choice. */
const callId = z.string().trim().min(1, 'Required').max(255);
const session = sessionId;
const epochMs = z.number().int().nonnegative();

const reasonLabel = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(40)
  .refine((r) => !(systemNotReadyReasons as readonly string[]).includes(r), 'This name is reserved for a reason the core sets');

const wsUri = z
  .string()
  .trim()
  .max(300)
  .regex(/^wss?:\/\/[^\s/?#]+(\/[^\s]*)?$/i, 'Use ws://host:port or wss://host:port, optionally with a path');
/** The user part is what the proxy dials, so it is limited to what the proxy accepts from the core. */
const sipUri = z
  .string()
  .trim()
  .max(300)
  .regex(/^sips?:[A-Za-z0-9_-]{1,64}@[A-Za-z0-9.-]+(:\d{1,5})?$/i, 'Use sip:user@domain (user: letters, digits, _ and - only)');

export const deskSipSettingsInput = z.object({
  wsUri,
  sipUri,
  /** Empty or absent keeps the saved password. */
  password: z.string().max(128).optional(),
  displayName: z.string().trim().max(80).default(''),
  dtmfMode: z.enum(dtmfModes).default('info'),
  callWaiting: z.boolean().default(false),
  wrapUpSeconds: z.number().int().min(0).max(3600).nullable().default(null),
});

export const deskConfigSchema = z.object({
  wrapUpSeconds: z.number().int().min(0).max(3600),
  notReadyReasons: z
    .array(reasonLabel)
    .min(1, 'Keep at least one reason')
    .max(30)
    .refine((list) => new Set(list.map((r) => r.toLowerCase())).size === list.length, 'Each reason only once'),
  reservationSeconds: z.number().int().min(5).max(600),
});

export const defaultDeskConfig: DeskConfig = {
  wrapUpSeconds: 30,
  notReadyReasons: ['Break', 'Lunch', 'Training', 'Meeting', 'Back office'],
  reservationSeconds: 30,
};

const callLogFilter = {
  page: z.number().int().nonnegative().default(0),
  pageSize: z.number().int().min(1).max(200).default(50),
  from: epochMs.optional(),
  to: epochMs.optional(),
  outcome: z.enum([...deskCallOutcomes, 'in-progress']).optional(),
  /** Digits of the caller's or the called party's number. */
  number: z.string().trim().max(40).optional(),
};

export const deskCommands = {
  /** The desk's first call: signs the agent in to the desk (Offline → Not ready) and returns their state and the shared settings. */
  'desk/status': command<DeskStatus>()({ input: z.object({}), access: 'desk.use', mutates: true }),
  /** The caller's own softphone settings, password included (for their browser to register); settings null until saved. */
  'desk/sip-settings': command<{ settings: DeskSipSettings | null }>()({ input: z.object({}), access: 'desk.use', mutates: false }),
  'desk/sip-settings-update': command<DeskSipSettings>()({ input: deskSipSettingsInput, access: 'desk.use', mutates: true }),
  /**
   * Ready or Not ready (with a reason from the configured list). During a call this is what follows it
   * (after wrap-up); during wrap-up it ends the wrap-up now. Ready needs saved SIP settings.
   */
  'desk/set-state': command<DeskAgentView>()({
    input: z.discriminatedUnion('state', [
      z.object({ state: z.literal('ready') }),
      z.object({ state: z.literal('not-ready'), reason: z.string().trim().min(1, 'Choose a reason').max(40) }),
    ]),
    access: 'desk.use',
    mutates: true,
  }),
  /** The softphone received an INVITE (it rings). The headers come as they were; numbers that are not numbers are dropped. */
  'desk/call-started': command<DeskCallView>()({
    input: z.object({ callId, caller: headerNumber, called: headerNumber, session: session.nullish() }),
    access: 'desk.use',
    mutates: true,
  }),
  'desk/call-answered': command<DeskCallView>()({ input: z.object({ callId }), access: 'desk.use', mutates: true }),
  /**
   * The call is over at the desk. reason: hangup (either side, after answering), rejected (the agent declined),
   * missed (it stopped ringing: the caller hung up or the proxy moved on), transferred (blind transfer), failed.
   * An answered call starts the wrap-up; one that was only offered leaves the agent as they were (Ready stays Ready).
   * The core sets Not ready (missed-call) by itself only when the desk did not take a call the proxy offered.
   */
  'desk/call-ended': command<DeskCallView>()({
    input: z.object({
      callId,
      reason: z.enum(['hangup', 'rejected', 'missed', 'transferred', 'failed']),
      transferTarget: z.string().trim().max(300).optional(),
    }),
    access: 'desk.use',
    mutates: true,
  }),
  /** The agent's notes on one of their calls (by the log row's id). */
  'desk/call-notes': command<DeskCallView>()({
    input: z.object({ id: z.number().int().positive(), notes: z.string().max(2000) }),
    access: 'desk.use',
    mutates: true,
  }),
  /**
   * The context pop for the called party: profile, privacy in plain terms, pending missed calls, and the numbers
   * to prefill the message form with. called may be left out when session names the IVR call.
   */
  'desk/context': command<DeskContext>()({
    input: z.object({ called: msisdn.optional(), caller: headerNumber, session: session.nullish() }),
    access: 'desk.use',
    mutates: false,
  }),
  /**
   * A message for the called party, delivered by SMS as written when they are reachable (at once when they are).
   * Refused for a number that is not an active subscriber with the missed-call alert, or a caller they blacklisted.
   * Saving the same text again for the same call changes nothing (a retried save).
   */
  'desk/take-message': command<DeskMessageResult>()({
    input: z.object({
      called: msisdn,
      caller: headerNumber,
      callback: msisdn.nullish(),
      text: z.string().trim().min(1, 'Write the message').max(400),
      session: session.nullish(),
      callId: callId.nullish(),
    }),
    access: 'desk.use',
    mutates: true,
  }),
  /** The caller's own calls, newest first. */
  'desk/my-calls': command<Page<DeskCallView>>()({ input: z.object(callLogFilter), access: 'desk.use', mutates: false }),
  /** Every agent's calls, newest first. */
  'desk/calls': command<Page<DeskCallView>>()({
    input: z.object({ ...callLogFilter, operatorId: z.number().int().positive().optional() }),
    access: 'desk.supervise',
    mutates: false,
  }),
  /** Every agent who ever used the desk, with the live state, current call and today's figures. */
  'desk/agents': command<DeskAgentView[]>()({ input: z.object({}), access: 'desk.supervise', mutates: false }),
  'desk/config': command<DeskConfig>()({ input: z.object({}), access: 'desk.supervise', mutates: false }),
  'desk/config-update': command<DeskConfig>()({ input: deskConfigSchema.partial(), access: 'desk.supervise', mutates: true }),
} as const;
