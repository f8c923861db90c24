/** Shapes of the agent desk (softphone, agent states, call log, context pop), as the console sees them. */

/** What an agent chooses: Ready for calls, Not ready (with a reason), or Offline (signed out; set by the core). */
export const deskPresences = ['offline', 'ready', 'not-ready'] as const;
export type DeskPresence = (typeof deskPresences)[number];

/** What the calls make of the agent, over the chosen presence: ringing, talking, wrapping up, or nothing. */
export const deskActivities = ['idle', 'ringing', 'on-call', 'wrap-up'] as const;
export type DeskActivity = (typeof deskActivities)[number];

/** The state shown: the activity while there is one, else the chosen presence. */
export type DeskAgentState = DeskPresence | Exclude<DeskActivity, 'idle'>;

/**
 * Not-ready reasons the core sets by itself; the configured list may not use these names.
 * missed-call: a call rang at the desk and was not taken (the desk was away, or not registered).
 */
export const systemNotReadyReasons = ['missed-call'] as const;

export const dtmfModes = ['info', 'rfc2833'] as const;
export type DtmfMode = (typeof dtmfModes)[number];

/** One operator's softphone settings. The password is sent only to that operator, for their own browser to register. */
export interface DeskSipSettings {
  /** ws:// or wss:// address of the SIP WebSocket server. */
  wsUri: string;
  /** sip:user@domain; the user part is what the distribution answers. */
  sipUri: string;
  password: string;
  displayName: string;
  dtmfMode: DtmfMode;
  /** A second call while busy rings too; otherwise the desk answers it 486. */
  callWaiting: boolean;
  /** This agent's wrap-up time; null uses the desk's. */
  wrapUpSeconds: number | null;
  updatedAt: number;
}

export const deskCallOutcomes = ['answered', 'missed', 'rejected', 'transferred'] as const;
export type DeskCallOutcome = (typeof deskCallOutcomes)[number];

export interface DeskMessageView {
  id: number;
  /** E.164 of the called party the message is for. */
  called: string;
  caller: string | null;
  callback: string | null;
  text: string;
  at: number;
  /** The engine's call that carries it (the subscriber's missed-call list shows it). */
  engineCallId: number;
}

/** A row of the call log: one call offered to one agent. */
export interface DeskCallView {
  id: number;
  /** The SIP Call-ID (the caller's, unchanged through the proxy). */
  callId: string;
  operatorId: number;
  agent: string;
  caller: string | null;
  called: string | null;
  /** The IVR session the caller came from (X-Reachback-Session), if any. */
  session: string | null;
  /** How the call reached the desk: picked by the distribution, or rang the agent directly. */
  source: 'distribution' | 'direct';
  /** Which question of the distribution picked this agent (1 first, then 2, 3 after refusals). */
  attempt: number | null;
  offeredAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Talk time: answered to ended. */
  durationMs: number | null;
  /** Null while the call is still ringing or in progress. */
  outcome: DeskCallOutcome | null;
  transferTarget: string | null;
  notes: string;
  messages: DeskMessageView[];
}

/** One agent as supervisors (and the agent's own desk) see them, live. */
export interface DeskAgentView {
  operatorId: number;
  username: string;
  displayName: string;
  /** SIP user part, or null while the agent has no SIP settings (they cannot go Ready). */
  sipUser: string | null;
  state: DeskAgentState;
  presence: DeskPresence;
  activity: DeskActivity;
  /** Not ready: the chosen reason (from the configured list) or one of systemNotReadyReasons. */
  reason: string | null;
  /** When the shown state began. */
  since: number;
  /** Wrap-up: when the agent becomes Ready (or returns to Not ready) by itself. */
  wrapUpEndsAt: number | null;
  /** Ready agents are offered calls oldest first by this: the later of the last call's end and signing in. */
  idleSince: number | null;
  currentCall: DeskCallView | null;
  today: { offered: number; answered: number; missed: number; talkMs: number; messages: number };
}

/** The desk's own settings, shared by all agents. */
export interface DeskConfig {
  /** Seconds of wrap-up after each answered call, unless the agent's own setting says otherwise. */
  wrapUpSeconds: number;
  /** Reasons an agent can give for Not ready. */
  notReadyReasons: string[];
  /** How long a picked agent stays reserved for a call that is not answered: longer than the proxy's ring timeout (20 s). */
  reservationSeconds: number;
}

/** What the desk loads first: the agent's state and the shared settings. */
export interface DeskStatus {
  agent: DeskAgentView;
  config: DeskConfig;
  /** Whether SIP settings are saved (desk/sip-settings returns them). */
  hasSipSettings: boolean;
}

/** A privacy rule in the agent's words: a stable code the console translates, with English text for API clients. */
export interface DeskPrivacyRule {
  code:
    | 'reachability-allowed'
    | 'reachability-whitelisted'
    | 'reachability-whitelist-only'
    | 'reachability-nobody'
    | 'reachability-caller-wins'
    | 'hidden-window'
    | 'caller-blocked';
  /** true: what the agent may say; false: what they must not say or do. */
  may: boolean;
  text: string;
  params?: Record<string, string>;
}

/** The context pop: the called party's profile for the agent, and the numbers to prefill the message form with. */
export interface DeskContext {
  called: {
    msisdn: string;
    /** The number as people write it locally, to read out. */
    national: string;
    state: 'active' | 'suspended';
    language: 'en' | 'zh-CN';
    services: { missedCallAlert: boolean; reachableAlert: boolean; voicemail: boolean };
    privacy: { mode: 'all' | 'whitelist' | 'nobody'; hidden: { from: string; to: string }[]; rules: DeskPrivacyRule[] };
    /** Calls waiting for the subscriber's notice. */
    pendingMissedCalls: number;
    presence: 'reachable' | 'unreachable' | 'unknown';
    /** Whether a message taken now would be delivered; otherwise why not. */
    messages: { accepted: true } | { accepted: false; reason: 'suspended' | 'no-missed-call-alert' | 'caller-blocked'; text: string };
  };
  /** E.164 of the caller, or null when unknown or withheld. */
  caller: string | null;
  callerNational: string | null;
  /** The IVR call the caller came from, when the transfer named it. */
  session: { id: string; at: number; outcome: string; callback: string | null } | null;
  /** The number the called party should call back: what the caller left in the IVR, else the caller's own. */
  suggestedCallback: string | null;
}

export interface DeskMessageResult {
  message: DeskMessageView;
  /** now: the called party is reachable and the SMS is queued; when-reachable: it waits for power-on. */
  delivery: 'now' | 'when-reachable';
  /** For reading the caller a confirmation: the called party's number as people write it locally. */
  calledNational: string;
  /** True when an identical message for this call was saved already (a retried save); nothing new was stored. */
  duplicate: boolean;
}
