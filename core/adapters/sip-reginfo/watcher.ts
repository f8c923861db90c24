/**
 * Power-on detection from SIP registration events (RFC 3680 over RFC 6665): one SUBSCRIBE dialog
 * with `Event: reg` per watched number at the registrar, NOTIFYs turned into presence events.
 *
 * Failure handling, in short:
 * - a SUBSCRIBE that gets no answer is retransmitted (RFC 3261 timers E/F); when it times out the
 *   registrar counts as down: subscriptions wait, an OPTIONS probe retries with backoff, and once the
 *   registrar answers every subscription is refreshed (481: re-created), which also covers a restart;
 * - an OPTIONS keepalive finds a registrar that went away between refreshes;
 * - a refresh answered 481, or a NOTIFY `terminated;reason=deactivated|timeout`, re-subscribes at once;
 * - a NOTIFY for a dialog we do not have gets 481, so the registrar drops it;
 * - a NOTIFY whose reginfo body is malformed gets 200 (a non-2xx would end the subscription at an
 *   RFC 6665 notifier and lose every later event), is logged and counted, and changes nothing.
 */
import type { SipWatcherStatus } from '../../api/network-settings';
import type { Clock } from '../../clock';
import { systemClock } from '../../clock';
import type { Logger } from '../../logger';
import { aorFor, aorMatches, toE164OrUndefined, type UserPartFormat } from './address';
import {
  parseReginfo,
  REGINFO_CONTENT_TYPE,
  registrationReachability,
  ReginfoError,
  unreachableReason,
  type Reachability,
  type Reginfo,
} from './reginfo';
import {
  buildResponse,
  newCallId,
  newTag,
  parseCSeq,
  parseNameAddr,
  parseSeconds,
  parseSubscriptionState,
  SipHeaders,
  SipParseError,
  type SipRequest,
  type SipResponse,
} from './sip-message';
import { sipTimers, SipUdpEndpoint, TransactionTimeoutError, type Destination, type SipTimers } from './sip-udp';

export interface SipPresenceEvent {
  /** Stable for one NOTIFY (Call-ID and CSeq), so that the engine applies a retransmission once. */
  id: string;
  /** E.164 with '+'. */
  msisdn: string;
  state: Reachability;
  /** clock.now() when the NOTIFY arrived. */
  at: number;
  /** Call-ID of the subscription dialog that carried the NOTIFY. */
  callId: string;
  aor: string;
  /**
   * reachable: 'registered' (it became reachable, or registered again from a new boot cycle while
   * still reachable). unreachable: the contact event (unregistered, expired, deactivated, rejected,
   * probation) or 'terminated' / 'init' when the document does not say.
   */
  reason: string;
}

export interface RegInfoWatcherOptions {
  registrar: Destination;
  /** The registrar's domain: AORs are sip:<user>@<domain>. */
  domain: string;
  /** Address to bind and to put in Via and Contact; the registrar must reach it. */
  localHost?: string;
  /** 0 or absent: any free port. */
  localPort?: number;
  /** Subscription duration asked for, in seconds. */
  expires: number;
  logger: Logger;
  clock?: Clock;
  onPresence(event: SipPresenceEvent): void;
  /** How a number becomes the AOR's user part; see address.ts. */
  userPart?: UserPartFormat;
  /** The user part of our own From and Contact. */
  watcherUser?: string;
  timers?: Partial<SipTimers>;
  /** OPTIONS to the registrar this often while it is up; 0 turns the keepalive off. */
  keepaliveIntervalMs?: number;
  /** Backoff between attempts while the registrar is down or refuses a subscription. */
  retry?: { initialMs?: number; maxMs?: number };
  /** SUBSCRIBE transactions in flight at once; more wait their turn (start-up, recovery). */
  maxInFlight?: number;
}

type SubscriptionState = 'pending' | 'active' | 'failed';

interface Subscription {
  msisdn: string;
  aor: string;
  state: SubscriptionState;
  callId: string;
  localTag: string;
  localCseq: number;
  /** Set once the dialog exists (2xx to SUBSCRIBE, or a NOTIFY that came first). */
  remoteTag?: string;
  remoteCseq?: number;
  remoteTarget?: string;
  routeSet: string[];
  requestedExpires: number;
  expiresAt?: number;
  timer?: ReturnType<typeof setTimeout>;
  inFlight: boolean;
  queued?: 'initial' | 'refresh';
  /** Waiting for the registrar to come back. */
  parked: boolean;
  failures: number;
  lastError?: string;
  presence?: Reachability;
  /** Call-IDs (or contact ids) of the active contacts in the last NOTIFY: a new one is a new registration. */
  contactKeys: Set<string>;
  removed: boolean;
}

export type RegInfoWatcherStatus = SipWatcherStatus;

export interface SubscriptionInfo {
  msisdn: string;
  aor: string;
  state: SubscriptionState;
  callId: string;
  expiresAt?: number;
  presence?: Reachability;
  lastError?: string;
}

const CLOSED_DIALOG_GRACE_MS = 5000;

export class RegInfoWatcher {
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly timers: SipTimers;
  private readonly userPart: UserPartFormat;
  private readonly watcherUser: string;
  private readonly localHost: string;
  private readonly keepaliveIntervalMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly maxInFlight: number;

  private endpoint: SipUdpEndpoint | null = null;
  private running = false;
  private registrar: RegInfoWatcherStatus['registrar'] = 'unknown';
  private readonly subs = new Map<string, Subscription>();
  /** `${callId}|${localTag}` of every live dialog, plus unsubscribed ones for a short while. */
  private readonly dialogs = new Map<string, Subscription>();
  private readonly queue: Subscription[] = [];
  private inFlight = 0;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private probeFailures = 0;
  private probing = false;
  private readonly counters = { notifiesReceived: 0, notifiesMalformed: 0, notifiesUnknownDialog: 0, presenceEvents: 0, resubscribes: 0 };
  private lastNotifyAt?: number;
  private lastError?: RegInfoWatcherStatus['lastError'];

  constructor(private readonly options: RegInfoWatcherOptions) {
    if (!Number.isInteger(options.expires) || options.expires < 1)
      throw new RangeError('expires must be a whole number of seconds, at least 1');
    this.log = options.logger.child('sip-reginfo');
    this.clock = options.clock ?? systemClock;
    this.timers = sipTimers(options.timers);
    this.userPart = options.userPart ?? 'digits';
    this.watcherUser = options.watcherUser ?? 'reachback';
    this.localHost = options.localHost ?? '127.0.0.1';
    this.keepaliveIntervalMs = options.keepaliveIntervalMs ?? 30_000;
    this.retryInitialMs = options.retry?.initialMs ?? 1000;
    this.retryMaxMs = Math.max(this.retryInitialMs, options.retry?.maxMs ?? 60_000);
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 32);
  }

  /** Binds the socket and subscribes every watched number; resolves once the socket is bound. */
  async start(): Promise<void> {
    if (this.running) return;
    const endpoint = new SipUdpEndpoint({
      host: this.localHost,
      ...(this.options.localPort ? { port: this.options.localPort } : {}),
      timers: this.timers,
      logger: this.log,
      onRequest: (request) => this.onRequest(request),
    });
    await endpoint.start();
    this.endpoint = endpoint;
    this.running = true;
    this.registrar = 'unknown';
    this.log.info('started', {
      localPort: endpoint.port,
      registrar: `${this.options.registrar.host}:${this.options.registrar.port}`,
      domain: this.options.domain,
      watched: this.subs.size,
    });
    for (const sub of this.subs.values()) this.enqueue(sub, 'initial');
    this.scheduleProbe(this.keepaliveIntervalMs);
  }

  /** Ends every subscription (SUBSCRIBE with Expires: 0, bounded wait) and closes the socket. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.queue.length = 0;
    const endings: Promise<unknown>[] = [];
    for (const sub of this.subs.values()) {
      this.clearTimer(sub);
      if (sub.remoteTag && this.registrar !== 'down') endings.push(this.unsubscribe(sub));
    }
    const waitMs = Math.min(2000, this.timers.transactionTimeoutMs);
    await Promise.race([Promise.allSettled(endings), new Promise((resolve) => setTimeout(resolve, waitMs))]);
    await this.endpoint?.close();
    this.endpoint = null;
    this.dialogs.clear();
    for (const sub of this.subs.values()) {
      sub.state = 'pending';
      sub.inFlight = false;
      sub.queued = undefined;
      sub.parked = false;
      delete sub.remoteTag;
    }
    this.inFlight = 0;
    this.log.info('stopped', { watched: this.subs.size });
  }

  /** Starts watching numbers (E.164, with or without '+'); returns the ones that are not E.164. */
  watch(msisdns: readonly string[]): { added: string[]; invalid: string[] } {
    const added: string[] = [];
    const invalid: string[] = [];
    for (const input of msisdns) {
      const msisdn = toE164OrUndefined(input);
      if (!msisdn) {
        invalid.push(input);
        continue;
      }
      if (this.subs.has(msisdn)) continue;
      const sub: Subscription = {
        msisdn,
        aor: aorFor(msisdn, this.options.domain, this.userPart),
        state: 'pending',
        callId: '',
        localTag: '',
        localCseq: 0,
        routeSet: [],
        requestedExpires: this.options.expires,
        inFlight: false,
        parked: false,
        failures: 0,
        contactKeys: new Set(),
        removed: false,
      };
      this.subs.set(msisdn, sub);
      added.push(msisdn);
      if (this.running) this.enqueue(sub, 'initial');
    }
    if (invalid.length) this.log.warn('not watched: not E.164 numbers', { invalid });
    return { added, invalid };
  }

  /** Stops watching numbers; their subscriptions end with Expires: 0. */
  unwatch(msisdns: readonly string[]): void {
    for (const input of msisdns) {
      const msisdn = toE164OrUndefined(input);
      const sub = msisdn ? this.subs.get(msisdn) : undefined;
      if (!sub) continue;
      this.subs.delete(sub.msisdn);
      sub.removed = true;
      this.clearTimer(sub);
      if (this.running && sub.remoteTag && !sub.inFlight) void this.unsubscribe(sub);
    }
  }

  status(): RegInfoWatcherStatus {
    const count = (state: SubscriptionState) => [...this.subs.values()].filter((s) => s.state === state).length;
    return {
      running: this.running,
      registrar: this.registrar,
      ...(this.endpoint ? { localPort: this.endpoint.port } : {}),
      subscriptions: { total: this.subs.size, active: count('active'), pending: count('pending'), failed: count('failed') },
      ...this.counters,
      ...(this.lastNotifyAt !== undefined ? { lastNotifyAt: this.lastNotifyAt } : {}),
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
    };
  }

  subscriptions(): SubscriptionInfo[] {
    return [...this.subs.values()].map((s) => ({
      msisdn: s.msisdn,
      aor: s.aor,
      state: s.state,
      callId: s.callId,
      ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
      ...(s.presence ? { presence: s.presence } : {}),
      ...(s.lastError ? { lastError: s.lastError } : {}),
    }));
  }

  // ---- sending SUBSCRIBE -------------------------------------------------------------------

  private enqueue(sub: Subscription, kind: 'initial' | 'refresh'): void {
    if (!this.running || sub.removed) return;
    this.clearTimer(sub);
    if (this.registrar === 'down') {
      sub.parked = true;
      return;
    }
    // A queued refresh becomes an initial SUBSCRIBE if that is what is needed now.
    if (sub.queued) {
      if (kind === 'initial') sub.queued = 'initial';
      return;
    }
    sub.queued = kind;
    // Sent when the transaction in flight is over (see pump).
    if (sub.inFlight) return;
    this.queue.push(sub);
    this.pump();
  }

  private pump(): void {
    while (this.running && this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const sub = this.queue.shift()!;
      const kind = sub.queued;
      sub.queued = undefined;
      if (!kind || sub.removed || sub.inFlight) continue;
      if (this.registrar === 'down') {
        sub.parked = true;
        continue;
      }
      this.inFlight++;
      sub.inFlight = true;
      void this.subscribe(sub, kind === 'refresh' && sub.remoteTag ? 'refresh' : 'initial').finally(() => {
        sub.inFlight = false;
        this.inFlight--;
        if (sub.queued && this.running && !sub.removed) {
          this.clearTimer(sub);
          this.queue.push(sub);
        }
        this.pump();
      });
    }
  }

  private newDialog(sub: Subscription): void {
    if (sub.callId) this.forgetDialogLater(sub.callId, sub.localTag);
    sub.callId = newCallId(this.localHost);
    sub.localTag = newTag();
    sub.localCseq = 1;
    delete sub.remoteTag;
    delete sub.remoteCseq;
    delete sub.remoteTarget;
    sub.routeSet = [];
    this.dialogs.set(this.dialogKey(sub.callId, sub.localTag), sub);
  }

  private buildSubscribe(sub: Subscription, expires: number): SipRequest {
    const endpoint = this.endpoint!;
    const headers = new SipHeaders()
      .append('Max-Forwards', '70')
      .append('From', `<sip:${this.watcherUser}@${this.options.domain}>;tag=${sub.localTag}`)
      .append('To', sub.remoteTag ? `<${sub.aor}>;tag=${sub.remoteTag}` : `<${sub.aor}>`)
      .append('Call-ID', sub.callId)
      .append('CSeq', `${sub.localCseq} SUBSCRIBE`);
    for (const route of sub.routeSet) headers.append('Route', route);
    headers
      .append('Contact', `<sip:${this.watcherUser}@${endpoint.hostPort}>`)
      .append('Event', 'reg')
      .append('Accept', REGINFO_CONTENT_TYPE)
      .append('Expires', String(expires))
      .append('User-Agent', 'Reachback reg-event watcher');
    const uri = sub.remoteTag && sub.remoteTarget ? sub.remoteTarget : sub.aor;
    return { kind: 'request', method: 'SUBSCRIBE', uri, headers, body: '' };
  }

  private async subscribe(sub: Subscription, kind: 'initial' | 'refresh'): Promise<void> {
    if (kind === 'initial') {
      this.newDialog(sub);
      sub.state = 'pending';
    } else sub.localCseq++;
    const request = this.buildSubscribe(sub, sub.requestedExpires);
    const callId = sub.callId;
    this.log.debug('SUBSCRIBE', { msisdn: sub.msisdn, callId, kind, cseq: sub.localCseq, expires: sub.requestedExpires });
    let response: SipResponse;
    try {
      response = await this.endpoint!.request(request, this.options.registrar);
    } catch (error) {
      if (!this.running) return;
      this.subscribeFailed(sub, error instanceof Error ? error.message : String(error), callId, error instanceof TransactionTimeoutError);
      return;
    }
    if (!this.running) return;
    this.registrarAnswered();
    if (sub.callId !== callId) return;
    if (sub.removed) {
      if (response.status < 300) void this.unsubscribe(sub);
      return;
    }
    this.onSubscribeResponse(sub, kind, response);
  }

  private onSubscribeResponse(sub: Subscription, kind: 'initial' | 'refresh', response: SipResponse): void {
    const { status } = response;
    const fields = { msisdn: sub.msisdn, callId: sub.callId, status, reason: response.reason, kind };
    if (status >= 200 && status < 300) {
      if (kind === 'initial') {
        try {
          const to = parseNameAddr(response.headers.get('to') ?? '');
          if (to.params.tag) sub.remoteTag ??= to.params.tag;
          const contact = response.headers.getAll('contact')[0];
          if (contact) sub.remoteTarget = parseNameAddr(contact).uri;
          sub.routeSet = response.headers.getAll('record-route').reverse();
        } catch (error) {
          this.subscribeFailed(sub, `unusable 2xx to SUBSCRIBE: ${String(error)}`, sub.callId, false);
          return;
        }
        if (!sub.remoteTag) {
          this.subscribeFailed(sub, '2xx to SUBSCRIBE without a To tag', sub.callId, false);
          return;
        }
        sub.remoteTarget ??= sub.aor;
      }
      const granted = parseSeconds(response.headers.get('expires')) ?? sub.requestedExpires;
      if (granted === 0) {
        // The registrar ended it right away; try again later rather than spin.
        this.subscribeFailed(sub, 'the registrar granted Expires: 0', sub.callId, false);
        return;
      }
      if (sub.state !== 'active') this.log.info('subscribed', { ...fields, expires: granted });
      sub.state = 'active';
      sub.failures = 0;
      delete sub.lastError;
      this.scheduleRefresh(sub, granted);
      return;
    }
    if (status === 423) {
      const min = parseSeconds(response.headers.get('min-expires'));
      if (min && min > sub.requestedExpires) {
        this.log.info('registrar asks for a longer subscription', { ...fields, minExpires: min });
        sub.requestedExpires = min;
        this.enqueue(sub, 'initial');
        return;
      }
    }
    if (status === 481 && kind === 'refresh') {
      // The registrar no longer knows the dialog: it restarted or expired it.
      this.counters.resubscribes++;
      this.log.warn('registrar lost the subscription; subscribing again', fields);
      this.enqueue(sub, 'initial');
      return;
    }
    const retryAfter = parseSeconds(response.headers.get('retry-after'));
    const explanation =
      status === 401 || status === 407
        ? 'the registrar asks for authentication, which the watcher does not do; allow its address instead'
        : status === 489
          ? 'the registrar does not support Event: reg (load presence_reginfo)'
          : `SUBSCRIBE refused: ${status} ${response.reason}`;
    this.subscribeFailed(sub, explanation, sub.callId, false, retryAfter !== undefined ? retryAfter * 1000 : undefined);
  }

  private subscribeFailed(sub: Subscription, message: string, callId: string, timedOut: boolean, retryInMs?: number): void {
    sub.state = 'failed';
    sub.failures++;
    sub.lastError = message;
    // The dialog, if any, is no longer trusted: the next attempt starts a new one.
    delete sub.remoteTag;
    this.recordError(message, sub.msisdn, callId);
    this.log.warn('subscription failed', { msisdn: sub.msisdn, callId, error: message, failures: sub.failures });
    if (timedOut) {
      this.registrarDown(message);
      sub.parked = true;
      return;
    }
    this.scheduleRetry(sub, retryInMs ?? this.backoff(sub.failures));
  }

  private scheduleRefresh(sub: Subscription, grantedSeconds: number): void {
    this.clearTimer(sub);
    sub.expiresAt = this.clock.now() + grantedSeconds * 1000;
    // Refresh early enough for a full transaction timeout (timer F) to fit before expiry, and at
    // the latest halfway; a little jitter keeps thousands of refreshes from lining up.
    const grantedMs = grantedSeconds * 1000;
    const margin = this.timers.transactionTimeoutMs + 5000;
    const base = Math.max(grantedMs / 2, grantedMs - margin);
    const delay = Math.max(100, base - Math.random() * 0.05 * base);
    sub.timer = setTimeout(() => this.enqueue(sub, 'refresh'), delay);
  }

  private scheduleRetry(sub: Subscription, delayMs: number): void {
    this.clearTimer(sub);
    sub.timer = setTimeout(() => this.enqueue(sub, 'initial'), delayMs);
  }

  private backoff(failures: number): number {
    const base = Math.min(this.retryMaxMs, this.retryInitialMs * 2 ** Math.max(0, failures - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private async unsubscribe(sub: Subscription): Promise<void> {
    if (!this.endpoint || !sub.remoteTag) return;
    sub.localCseq++;
    const request = this.buildSubscribe(sub, 0);
    const { callId, localTag } = sub;
    this.log.debug('unsubscribe', { msisdn: sub.msisdn, callId });
    try {
      const response = await this.endpoint.request(request, this.options.registrar);
      this.log.debug('unsubscribed', { msisdn: sub.msisdn, callId, status: response.status });
    } catch (error) {
      this.log.debug('unsubscribe got no answer', { msisdn: sub.msisdn, callId, error: String(error) });
    } finally {
      // The final NOTIFY may still come; answer it 200 for a little while.
      this.forgetDialogLater(callId, localTag);
    }
  }

  // ---- registrar health --------------------------------------------------------------------

  private registrarAnswered(): void {
    if (this.registrar === 'up') return;
    const wasDown = this.registrar === 'down';
    this.registrar = 'up';
    this.probeFailures = 0;
    if (!wasDown) return;
    this.log.info('registrar is answering again; refreshing every subscription');
    // It may have restarted and forgotten us: refresh what we had (481 re-creates), subscribe the rest.
    for (const sub of this.subs.values()) {
      sub.parked = false;
      if (sub.remoteTag) this.enqueue(sub, 'refresh');
      else this.enqueue(sub, 'initial');
    }
    this.scheduleProbe(this.keepaliveIntervalMs);
  }

  private registrarDown(message: string): void {
    if (this.registrar === 'down') return;
    this.registrar = 'down';
    this.log.error('registrar does not answer; subscriptions wait until it does', {
      registrar: `${this.options.registrar.host}:${this.options.registrar.port}`,
      error: message,
    });
    for (const sub of this.subs.values()) this.clearTimer(sub);
    this.scheduleProbe(this.retryInitialMs);
  }

  private scheduleProbe(delayMs: number): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (!this.running) return;
    if (this.registrar !== 'down' && this.keepaliveIntervalMs <= 0) return;
    this.probeTimer = setTimeout(() => void this.probe(), delayMs);
  }

  private async probe(): Promise<void> {
    this.probeTimer = null;
    if (!this.running || !this.endpoint || this.probing) return;
    this.probing = true;
    const callId = newCallId(this.localHost);
    const { host, port } = this.options.registrar;
    const headers = new SipHeaders()
      .append('Max-Forwards', '70')
      .append('From', `<sip:${this.watcherUser}@${this.options.domain}>;tag=${newTag()}`)
      .append('To', `<sip:${host}:${port}>`)
      .append('Call-ID', callId)
      .append('CSeq', '1 OPTIONS')
      .append('User-Agent', 'Reachback reg-event watcher');
    try {
      const response = await this.endpoint.request(
        { kind: 'request', method: 'OPTIONS', uri: `sip:${host}:${port}`, headers, body: '' },
        { host, port },
      );
      if (!this.running) return;
      this.log.debug('registrar keepalive', { status: response.status, callId });
      const wasDown = this.registrar === 'down';
      this.registrarAnswered();
      if (!wasDown) this.scheduleProbe(this.keepaliveIntervalMs);
    } catch (error) {
      if (!this.running) return;
      const message = error instanceof Error ? error.message : String(error);
      this.recordError(message, undefined, callId);
      this.probeFailures++;
      this.registrarDown(message);
      this.scheduleProbe(this.backoff(this.probeFailures));
    } finally {
      this.probing = false;
    }
  }

  // ---- receiving NOTIFY --------------------------------------------------------------------

  private onRequest(request: SipRequest): SipResponse | null {
    if (request.method === 'OPTIONS')
      return buildResponse(request, 200, 'OK', { toTag: newTag(), headers: [['Allow', 'NOTIFY, OPTIONS']] });
    if (request.method !== 'NOTIFY') {
      return buildResponse(request, 405, 'Method Not Allowed', { toTag: newTag(), headers: [['Allow', 'NOTIFY, OPTIONS']] });
    }
    return this.onNotify(request);
  }

  private onNotify(request: SipRequest): SipResponse {
    this.counters.notifiesReceived++;
    const at = this.clock.now();
    this.lastNotifyAt = at;
    const callId = request.headers.get('call-id') ?? '';
    let toTag: string | null | undefined;
    let fromTag: string | null | undefined;
    let cseq: number;
    let subscriptionState;
    try {
      toTag = parseNameAddr(request.headers.get('to') ?? '').params.tag;
      fromTag = parseNameAddr(request.headers.get('from') ?? '').params.tag;
      cseq = parseCSeq(request.headers.get('cseq')).seq;
      subscriptionState = parseSubscriptionState(request.headers.get('subscription-state'));
    } catch (error) {
      this.log.warn('NOTIFY with malformed headers', { callId, error: error instanceof SipParseError ? error.message : String(error) });
      return buildResponse(request, 400, 'Bad Request');
    }

    const sub = toTag ? this.dialogs.get(this.dialogKey(callId, toTag)) : undefined;
    if (!sub) {
      this.counters.notifiesUnknownDialog++;
      this.log.warn('NOTIFY for no subscription of ours; answered 481', { callId, from: request.headers.get('from') });
      return buildResponse(request, 481, 'Subscription Does Not Exist');
    }
    const event = (request.headers.get('event') ?? '').split(';')[0]!.trim().toLowerCase();
    if (event !== 'reg') {
      this.log.warn('NOTIFY for another event package; answered 489', { msisdn: sub.msisdn, callId, event });
      return buildResponse(request, 489, 'Bad Event', { headers: [['Allow-Events', 'reg']] });
    }
    const contentType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (request.body.trim() !== '' && contentType !== REGINFO_CONTENT_TYPE) {
      this.log.warn('NOTIFY with a body we did not Accept; answered 415', { msisdn: sub.msisdn, callId, contentType });
      return buildResponse(request, 415, 'Unsupported Media Type', { headers: [['Accept', REGINFO_CONTENT_TYPE]] });
    }

    const current = sub.callId === callId && !sub.removed && this.running;
    const fields = { msisdn: sub.msisdn, callId, cseq, subscriptionState: subscriptionState.state };
    if (!current) {
      // The final NOTIFY of a dialog we ended or replaced.
      this.log.debug('NOTIFY on a closed dialog', fields);
      return buildResponse(request, 200, 'OK');
    }
    if (sub.remoteCseq !== undefined && cseq <= sub.remoteCseq) {
      // Older than what we already applied (UDP reordering): acknowledge and ignore.
      this.log.debug('stale NOTIFY ignored', { ...fields, lastCseq: sub.remoteCseq });
      return buildResponse(request, 200, 'OK');
    }
    sub.remoteCseq = cseq;
    if (fromTag) sub.remoteTag ??= fromTag;
    if (!sub.remoteTarget) {
      const contact = request.headers.getAll('contact')[0];
      if (contact) sub.remoteTarget = safeUri(contact);
    }

    let doc: Reginfo | undefined;
    if (request.body.trim() !== '') {
      try {
        doc = parseReginfo(request.body);
      } catch (error) {
        this.counters.notifiesMalformed++;
        const message = `malformed reginfo in NOTIFY: ${error instanceof ReginfoError ? error.message : String(error)}`;
        this.recordError(message, sub.msisdn, callId);
        this.log.warn(message, { ...fields, body: request.body.slice(0, 200) });
      }
    } else {
      // Kamailio sends an empty body while it has no state for the AOR: nothing is known yet.
      this.log.debug('NOTIFY without body', fields);
    }

    const response = buildResponse(request, 200, 'OK');
    // Answer first, then act: the events and any re-subscribe go out after the 200.
    queueMicrotask(() => {
      if (doc) this.applyReginfo(sub, doc, callId, cseq, at);
      this.applySubscriptionState(sub, subscriptionState, fields);
    });
    return response;
  }

  private applySubscriptionState(
    sub: Subscription,
    state: ReturnType<typeof parseSubscriptionState>,
    fields: Record<string, unknown>,
  ): void {
    if (sub.removed) return;
    if (state.state === 'active' || state.state === 'pending') {
      if (state.state === 'pending' && sub.state === 'active') sub.state = 'pending';
      if (state.state === 'active' && sub.state === 'pending' && sub.remoteTag) sub.state = 'active';
      // The notifier may shorten the subscription; refresh in time for its figure.
      if (state.expires !== undefined && sub.expiresAt !== undefined && !sub.inFlight) {
        const remaining = sub.expiresAt - this.clock.now();
        if (state.expires * 1000 < remaining - 1000) this.scheduleRefresh(sub, state.expires);
      }
      return;
    }
    if (state.state !== 'terminated') return;
    const reason = state.reason ?? 'unknown';
    delete sub.remoteTag;
    sub.state = 'pending';
    // RFC 6665 4.1.3: deactivated and timeout invite a new subscription at once; probation and
    // giveup after retry-after; rejected, noresource and invariant are not retried soon.
    if (reason === 'deactivated' || reason === 'timeout' || reason === 'unknown') {
      this.counters.resubscribes++;
      this.log.info('registrar ended the subscription; subscribing again', { ...fields, reason });
      this.enqueue(sub, 'initial');
      return;
    }
    const retryMs =
      reason === 'probation' || reason === 'giveup'
        ? (state.retryAfter ?? this.retryInitialMs / 1000) * 1000
        : Math.max(this.retryMaxMs, (state.retryAfter ?? 0) * 1000);
    sub.state = 'failed';
    sub.lastError = `the registrar terminated the subscription (${reason})`;
    this.recordError(sub.lastError, sub.msisdn, sub.callId);
    this.log.warn('registrar terminated the subscription', { ...fields, reason, retryInMs: retryMs });
    this.scheduleRetry(sub, retryMs);
  }

  private applyReginfo(sub: Subscription, doc: Reginfo, callId: string, cseq: number, at: number): void {
    const registration =
      doc.registrations.find((r) => aorMatches(r.aor, sub.msisdn)) ?? (doc.registrations.length === 1 ? doc.registrations[0] : undefined);
    if (!registration) {
      if (doc.state === 'full' && doc.registrations.length === 0) {
        this.emit(sub, 'unreachable', 'init', callId, cseq, at);
        sub.contactKeys.clear();
      } else {
        this.log.debug('reginfo without our AOR', { msisdn: sub.msisdn, callId, aors: doc.registrations.map((r) => r.aor) });
      }
      return;
    }
    const key = (c: { callId?: string; id?: string; uri?: string }) => c.callId ?? c.id ?? c.uri ?? '';
    const activeKeys = registration.contacts.filter((c) => c.state === 'active').map(key);
    const newKeys = activeKeys.filter((k) => !sub.contactKeys.has(k));
    if (doc.state === 'full') sub.contactKeys = new Set(activeKeys);
    else {
      for (const c of registration.contacts) if (c.state === 'terminated') sub.contactKeys.delete(key(c));
      for (const k of activeKeys) sub.contactKeys.add(k);
    }
    const state = registrationReachability(registration);
    if (state === 'unreachable') {
      sub.contactKeys.clear();
      this.emit(sub, 'unreachable', unreachableReason(registration), callId, cseq, at);
      return;
    }
    // Reachable: a change, or the phone registered again with a new Call-ID (a new boot cycle, RFC 3261 10.2).
    if (sub.presence !== 'reachable' || newKeys.length > 0) this.emit(sub, 'reachable', 'registered', callId, cseq, at, true);
  }

  private emit(sub: Subscription, state: Reachability, reason: string, callId: string, cseq: number, at: number, force = false): void {
    if (sub.presence === state && !force) return;
    sub.presence = state;
    this.counters.presenceEvents++;
    const event: SipPresenceEvent = {
      id: `sip-reg:${callId}:${cseq}`.slice(0, 128),
      msisdn: sub.msisdn,
      state,
      at,
      callId,
      aor: sub.aor,
      reason,
    };
    this.log.info('presence', { msisdn: sub.msisdn, state, reason, callId, cseq });
    try {
      this.options.onPresence(event);
    } catch (error) {
      this.log.error('onPresence threw', { msisdn: sub.msisdn, callId, error: String(error) });
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private dialogKey(callId: string, localTag: string): string {
    return `${callId}|${localTag}`;
  }

  private forgetDialogLater(callId: string, localTag: string): void {
    const key = this.dialogKey(callId, localTag);
    setTimeout(() => {
      const sub = this.dialogs.get(key);
      if (sub && (sub.removed || sub.callId !== callId)) this.dialogs.delete(key);
    }, CLOSED_DIALOG_GRACE_MS).unref();
  }

  private clearTimer(sub: Subscription): void {
    if (sub.timer) clearTimeout(sub.timer);
    sub.timer = undefined;
  }

  private recordError(message: string, msisdn: string | undefined, callId: string | undefined): void {
    this.lastError = { at: this.clock.now(), message, ...(msisdn ? { msisdn } : {}), ...(callId ? { callId } : {}) };
  }
}

function safeUri(nameAddr: string): string | undefined {
  try {
    return parseNameAddr(nameAddr).uri;
  } catch {
    return undefined;
  }
}
