/**
 * The SMPP 3.4 ESME: Reachback's SMS connector for an operator's SMSC.
 *
 * - One transceiver session, or a transmitter and a receiver; rebinds with exponential backoff whenever a session
 *   ends (refused bind, socket error, malformed PDU, dead link, the SMSC's unbind).
 * - submit() either resolves with the SMSC's message_id or rejects: the engine's durable queue retries what was
 *   rejected. Inside, it keeps `windowSize` submit_sm outstanding at most, paces them to `tps`, retries
 *   ESME_RTHROTTLED / ESME_RMSGQFUL after a backoff, and resends a PDU that never reached the socket.
 * - Receipts and mobile-originated SMS come back through the callbacks given at construction.
 */
import { systemClock, type Clock } from '../../clock';
import type { SmsEncoding } from '../../domain/sms-encoding';
import type { Logger } from '../../logger';
import type { OutboundSms, SmsConnector, SubmitResult } from '../../services/engine/sms-queue';
import {
  smppLinkSchema,
  type SmppConfig,
  type SmppConfigInput,
  type SmppCounters,
  type SmppLinkState,
  type SmppStatus,
} from '../../api/network-settings';

export type { SmppCounters, SmppLinkState, SmppStatus };
import { destinationAddress, inboundAddress, sourceAddress } from './config';
import {
  decodeText,
  encodeOutbound,
  MalformedMessageError,
  splitUserDataHeader,
  UnsupportedDataCodingError,
  type Concatenation,
  type OutboundPart,
} from './encoding';
import { backoffDelay, Pacer, RateMeter, Window } from './flow-control';
import { BindRefusedError, LinkLostError, SmppLink, type LinkRole } from './link';
import { MoReassembler, type AssembledMo } from './mo-reassembly';
import { CommandStatus, describeStatus, EsmClass, type SmppPdu } from './protocol';
import { ReceiptRouter } from './receipt-router';
import { parseDeliveryReceipt, type ReceiptState } from './receipts';

export interface InboundSms {
  from: string;
  to: string;
  text: string;
  at: number;
  /** Set when some parts of a concatenated SMS never arrived within the reassembly timeout. */
  incomplete?: { missingParts: number[] };
}

export interface SmppConnectorOptions {
  logger: Logger;
  clock?: Clock;
  /** A message's final state. Return false when the id is unknown (as SmsDispatcher.receipt does), so it is counted. */
  onReceipt?(smscId: string, state: ReceiptState, error?: string): boolean | void | Promise<boolean | void>;
  /** A mobile-originated SMS. The deliver_sm is acknowledged once this resolves; if it throws, the SMSC is asked to retry. */
  onInbound?(sms: InboundSms): void | Promise<void>;
  onStateChange?(state: SmppLinkState, status: SmppStatus): void;
  /** alert_notification: the SMSC says a handset is reachable again (where the SMSC sends them). */
  onAlert?(alert: { msisdn: string; available: boolean; at: number }): void;
}

/** The SMSC refused a submit_sm (or replace_sm) with a command_status. */
export class SmppSubmitError extends Error {
  override readonly name = 'SmppSubmitError';
  constructor(
    readonly status: number,
    readonly sequenceNumber: number,
    detail = '',
  ) {
    super(`submit_sm refused: ${describeStatus(status)} (sequence_number ${sequenceNumber})${detail}`);
  }
}

const MAX_THROTTLE_BACKOFF_MS = 10_000;
// A PDU that never reached the socket is safe to send again; bounded so a flapping link cannot hold a submit forever.
const UNSENT_RETRIES = 3;

export class SmppConnector implements SmsConnector {
  readonly name = 'smpp';
  readonly config: SmppConfig;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly submitWindow: Window;
  private readonly pacer: Pacer;
  private readonly submitRate: RateMeter;
  private readonly counters: SmppCounters = {
    submitted: 0,
    submitFailed: 0,
    delivered: 0,
    failed: 0,
    expired: 0,
    receiptsUnknown: 0,
    moReceived: 0,
    moRejected: 0,
    throttledRetries: 0,
    replaced: 0,
    linkLosses: 0,
  };
  private state: SmppLinkState = 'disconnected';
  private lastError: string | null = null;
  private since: number;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private links: SmppLink[] = [];
  private readonly stateWaiters = new Set<() => void>();
  private router: ReceiptRouter | null = null;
  private reassembler: MoReassembler | null = null;
  private concatReference = Math.floor(Math.random() * 256);

  constructor(
    config: SmppConfigInput,
    private readonly options: SmppConnectorOptions,
  ) {
    this.config = smppLinkSchema.parse(config);
    this.logger = options.logger.child('smpp');
    this.clock = options.clock ?? systemClock;
    this.since = this.clock.now();
    this.submitWindow = new Window(this.config.windowSize);
    const monotonic = () => performance.now();
    this.pacer = new Pacer(this.config.tps, monotonic);
    this.submitRate = new RateMeter(monotonic);
  }

  /** The submit_sm window: how many submit() calls the dispatcher may keep outstanding usefully. */
  get maxInFlight(): number {
    return this.config.windowSize;
  }

  /** Connects and binds in the background; the state and callbacks tell how it goes. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.router = new ReceiptRouter({
      deliver: (smscId, state, error) => this.deliverReceipt(smscId, state, error),
      submitsInFlight: () => this.links.some((link) => link.submitsInFlight > 0),
      onOutcome: (state) => this.counters[state === 'delivered' ? 'delivered' : state === 'expired' ? 'expired' : 'failed']++,
      onUnknown: () => this.counters.receiptsUnknown++,
      logger: this.logger,
      now: () => this.clock.now(),
      holdMs: this.config.responseTimeoutMs,
      trackingMs: this.config.receiptTrackingMs,
    });
    this.reassembler = new MoReassembler(this.config.moReassemblyTimeoutMs, (partial) => {
      this.logger.warn('smpp concatenated MO incomplete after the timeout; passing on what arrived', {
        from: partial.from,
        missingParts: partial.missing,
      });
      void this.passInbound(partial).catch((error: Error) =>
        this.logger.error('smpp incomplete MO not accepted', { from: partial.from, error: error.message }),
      );
    });
    this.loop = this.run();
  }

  /**
   * Graceful stop: refuses new submits, lets the outstanding ones finish (up to drainTimeoutMs), unbinds and closes.
   */
  async stop(): Promise<void> {
    if (!this.running) return this.loop;
    this.running = false;
    this.wakeWaiters();
    this.submitWindow.refuseWaiters(new Error('SMPP connector stopped'));
    if (this.state === 'bound') {
      this.setState('unbinding', null);
      const drained = await settlesWithin(this.submitWindow.idle(), this.config.drainTimeoutMs);
      if (!drained) this.logger.warn('smpp stop: submits still outstanding after the drain timeout', { inFlight: this.status().inFlight });
      await Promise.all(this.links.map((link) => link.unbind()));
    }
    for (const link of this.links) link.end('connector stopped');
    await this.loop;
    this.router?.dispose();
    this.reassembler?.dispose();
    this.setState('disconnected', null);
  }

  status(): SmppStatus {
    return {
      state: this.state,
      lastError: this.lastError,
      since: this.since,
      counters: { ...this.counters },
      submitsPerSecond: this.submitRate.perSecond(),
      inFlight: this.links.reduce((sum, link) => sum + link.submitsInFlight, 0),
    };
  }

  async submit(message: OutboundSms): Promise<SubmitResult> {
    const log = { sms: message.id, to: message.recipient };
    try {
      if (!this.running) throw new Error('SMPP connector is not running');
      const { parts } = encodeOutbound(message.text, this.concatReference);
      if (parts.length > 1) this.concatReference = (this.concatReference + 1) & 0xff;
      let smscId: string | undefined;
      for (const [index, part] of parts.entries()) {
        let partId: string;
        try {
          partId = await this.submitPart(message, part);
        } catch (error) {
          if (smscId === undefined) throw error;
          // Earlier parts are with the SMSC; a retry resends the whole message with a new reference.
          const accepted = `part${index > 1 ? `s 1–${index}` : ' 1'} accepted, first as ${smscId}`;
          throw new Error(`part ${index + 1} of ${parts.length}: ${(error as Error).message} (${accepted})`, { cause: error });
        }
        smscId ??= partId;
        this.router?.accepted(smscId, partId, parts.length);
      }
      this.counters.submitted++;
      return { smscId: smscId! };
    } catch (error) {
      this.counters.submitFailed++;
      const { sequenceNumber } = error as { sequenceNumber?: number };
      this.logger.warn('smpp submit failed', { ...log, seq: sequenceNumber, error: (error as Error).message });
      throw error;
    }
  }

  /**
   * Rewrites a message the SMSC still holds (replace_sm), keeping its place and id. False when replace_sm is off, the new
   * text does not fit one part in the original's encoding (replace_sm cannot change data_coding), or the SMSC refuses:
   * the caller then submits a new message.
   */
  async replace(original: { smscId: string; sender: string; encoding: SmsEncoding }, text: string): Promise<boolean> {
    if (!this.config.useReplaceSm || !this.running) return false;
    const { encoding, parts } = encodeOutbound(text, 0);
    if (parts.length !== 1 || encoding !== original.encoding) return false;
    const source = sourceAddress(original.sender, this.config);
    try {
      const { response, sequenceNumber } = await this.exchange('replace_sm', {
        message_id: original.smscId,
        source_addr_ton: source.ton,
        source_addr_npi: source.npi,
        source_addr: source.addr,
        registered_delivery: this.config.requestReceipts ? 1 : 0,
        short_message: parts[0]!.shortMessage,
      });
      if (response.command_status === CommandStatus.ESME_ROK) {
        this.counters.replaced++;
        return true;
      }
      this.logger.info('smpp replace_sm refused; a new message is needed', {
        smscId: original.smscId,
        seq: sequenceNumber,
        status: describeStatus(response.command_status),
      });
    } catch (error) {
      this.logger.warn('smpp replace_sm failed', { smscId: original.smscId, error: (error as Error).message });
    }
    return false;
  }

  private async submitPart(message: { id: number; sender: string; recipient: string }, part: OutboundPart): Promise<string> {
    const source = sourceAddress(message.sender, this.config);
    const destination = destinationAddress(message.recipient, this.config);
    const fields = {
      source_addr_ton: source.ton,
      source_addr_npi: source.npi,
      source_addr: source.addr,
      dest_addr_ton: destination.ton,
      dest_addr_npi: destination.npi,
      destination_addr: destination.addr,
      esm_class: part.esmClass,
      registered_delivery: this.config.requestReceipts ? 1 : 0,
      data_coding: part.dataCoding,
      short_message: part.shortMessage,
    };
    for (let attempt = 0; ; attempt++) {
      const { response, sequenceNumber } = await this.exchange('submit_sm', fields);
      const status = response.command_status;
      if (status === CommandStatus.ESME_ROK) {
        this.submitRate.record();
        return String(response.message_id);
      }
      const busy = status === CommandStatus.ESME_RTHROTTLED || status === CommandStatus.ESME_RMSGQFUL;
      if (!busy || attempt >= this.config.throttledRetries) {
        throw new SmppSubmitError(status, sequenceNumber, busy ? ` after ${attempt} retries` : '');
      }
      const delayMs = backoffDelay(attempt, this.config.throttledBackoffMs, MAX_THROTTLE_BACKOFF_MS);
      // The whole link slows down, not just this message: the SMSC asked us to.
      this.pacer.holdFor(delayMs);
      this.counters.throttledRetries++;
      this.logger.warn('smpp submit_sm busy; retrying the same message', {
        sms: message.id,
        seq: sequenceNumber,
        status: describeStatus(status),
        attempt: attempt + 1,
        delayMs,
      });
    }
  }

  /** One request through the window and the pacer, on the transmitting link; resent if it never reached the socket. */
  private async exchange(command: string, fields: Record<string, unknown>): Promise<{ response: SmppPdu; sequenceNumber: number }> {
    for (let unsent = 0; ; unsent++) {
      const release = await this.submitWindow.acquire();
      try {
        const link = await this.transmitLink();
        await sleep(this.pacer.reserve());
        const response = await link.request(command, fields);
        return { response, sequenceNumber: response.sequence_number };
      } catch (error) {
        if (error instanceof LinkLostError && !error.sent && this.running && unsent < UNSENT_RETRIES) continue;
        throw error;
      } finally {
        release();
      }
    }
  }

  /** The bound link that sends; waits up to responseTimeoutMs for one. */
  private async transmitLink(): Promise<SmppLink> {
    const deadline = performance.now() + this.config.responseTimeoutMs;
    for (;;) {
      if (!this.running) throw new Error('SMPP connector stopped');
      const link = this.links.find((candidate) => candidate.role !== 'receiver');
      if (this.state === 'bound' && link?.isOpen) return link;
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        const reason = this.lastError ? `: ${this.lastError}` : '';
        throw new Error(`SMSC link not bound after ${this.config.responseTimeoutMs} ms (${this.state}${reason})`);
      }
      await this.stateChangeOr(remaining);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.setState('connecting', this.lastError);
      const roles: LinkRole[] = this.config.bindMode === 'transceiver' ? ['transceiver'] : ['transmitter', 'receiver'];
      const links = roles.map(
        (role) =>
          new SmppLink(role, this.config, this.logger, {
            onRequest: (link, pdu) => this.onRequest(link, pdu),
            onClosed: (link, reason) => this.logger.info('smpp session closed', { link: link.role, reason }),
          }),
      );
      this.links = links;
      try {
        await Promise.all(links.map((link) => link.bind()));
      } catch (error) {
        const reason = (error as Error).message;
        for (const link of links) link.end(reason);
        this.links = [];
        if (!this.running) break;
        this.setState(error instanceof BindRefusedError ? 'refused' : 'disconnected', reason);
        await this.backoff(failures++, reason);
        continue;
      }
      failures = 0;
      this.setState('bound', null);
      const reason = await Promise.race(links.map((link) => link.closed));
      // One session of a transmitter/receiver pair gone: rebind both, so they come back together.
      for (const link of links) link.end(reason);
      this.links = [];
      if (!this.running) break;
      this.counters.linkLosses++;
      this.setState('disconnected', reason);
      await this.backoff(failures++, reason);
    }
  }

  private async backoff(attempt: number, reason: string): Promise<void> {
    const delayMs = backoffDelay(attempt, this.config.reconnectMinMs, this.config.reconnectMaxMs);
    this.logger.warn('smpp link down; reconnecting', { state: this.state, reason, attempt: attempt + 1, inMs: delayMs });
    const until = performance.now() + delayMs;
    while (this.running && performance.now() < until) await this.stateChangeOr(until - performance.now());
  }

  private onRequest(link: SmppLink, pdu: SmppPdu): void {
    if (pdu.command === 'alert_notification') {
      const msisdn = inboundAddress(String(pdu.source_addr ?? ''), Number(pdu.source_addr_ton ?? 0));
      const available = Number(pdu.ms_availability_status ?? 0) === 0;
      this.logger.info('smpp alert_notification', { seq: pdu.sequence_number, msisdn, available });
      this.options.onAlert?.({ msisdn, available, at: this.clock.now() });
      return;
    }
    const messageType = Number(pdu.esm_class ?? 0) & EsmClass.MESSAGE_TYPE_MASK;
    if (messageType === EsmClass.DELIVERY_RECEIPT || messageType === EsmClass.INTERMEDIATE_NOTIFICATION) this.onReceipt(link, pdu);
    else if (messageType === 0) void this.onMobileOriginated(link, pdu);
    else {
      // SME delivery or user acknowledgements: nothing to act on.
      this.logger.debug('smpp acknowledgement ignored', { seq: pdu.sequence_number, esmClass: pdu.esm_class });
      link.respond(pdu);
    }
  }

  private onReceipt(link: SmppLink, pdu: SmppPdu): void {
    // Acknowledged at once: a receipt we have read must not come back again and again.
    link.respond(pdu);
    const receipt = parseDeliveryReceipt({
      text: payloadOf(pdu).toString('latin1'),
      receiptedMessageId: typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : undefined,
      messageState: typeof pdu.message_state === 'number' ? pdu.message_state : undefined,
    });
    if (!receipt) {
      this.counters.receiptsUnknown++;
      this.logger.warn('smpp receipt without a message id ignored', { seq: pdu.sequence_number, text: payloadOf(pdu).toString('latin1') });
      return;
    }
    this.logger.debug('smpp receipt', { seq: pdu.sequence_number, messageId: receipt.messageId, stat: receipt.stat });
    this.router?.receive({ ...receipt, seq: pdu.sequence_number });
  }

  private async onMobileOriginated(link: SmppLink, pdu: SmppPdu): Promise<void> {
    const dataCoding = Number(pdu.data_coding ?? 0);
    const from = inboundAddress(String(pdu.source_addr ?? ''), Number(pdu.source_addr_ton ?? 0));
    const to = inboundAddress(String(pdu.destination_addr ?? ''), Number(pdu.dest_addr_ton ?? 0));
    const log = { seq: pdu.sequence_number, command: pdu.command, from, to, dataCoding };
    let assembled: AssembledMo | null;
    try {
      const payload = payloadOf(pdu);
      const { concatenation, body } =
        Number(pdu.esm_class ?? 0) & EsmClass.UDH_INDICATOR ? splitUserDataHeader(payload) : { concatenation: null, body: payload };
      // Decoded now so a bad part is refused with its own deliver_sm, not discovered once the set is complete.
      decodeText(body, dataCoding);
      const part = { from, to, octets: body, dataCoding, at: this.clock.now() };
      const inSet = concatenation ?? sarConcatenation(pdu);
      assembled = inSet ? this.reassembler!.add({ ...part, concatenation: inSet }) : { ...part, missing: [] };
    } catch (error) {
      this.counters.moRejected++;
      // ESME_RX_P_APPN: a permanent error, so the SMSC does not redeliver what we can never read.
      // (SMPP 3.4 has no status for an unknown data_coding; ESME_RINVDCS only arrived in 5.0.)
      link.respond(pdu, CommandStatus.ESME_RX_P_APPN);
      const what =
        error instanceof UnsupportedDataCodingError
          ? 'unsupported data_coding'
          : error instanceof MalformedMessageError
            ? 'malformed UDH'
            : 'undecodable text';
      this.logger.warn(`smpp MO refused: ${what}`, {
        ...log,
        error: (error as Error).message,
        status: describeStatus(CommandStatus.ESME_RX_P_APPN),
      });
      return;
    }
    if (!assembled) {
      link.respond(pdu);
      return;
    }
    try {
      await this.passInbound(assembled);
      link.respond(pdu);
    } catch (error) {
      // ESME_RX_T_APPN: temporary, so the SMSC delivers it again later.
      link.respond(pdu, CommandStatus.ESME_RX_T_APPN);
      this.logger.error('smpp MO not accepted by the engine; the SMSC will retry', { ...log, error: (error as Error).message });
    }
  }

  private async passInbound(message: AssembledMo): Promise<void> {
    this.counters.moReceived++;
    const sms: InboundSms = { from: message.from, to: message.to, text: decodeText(message.octets, message.dataCoding), at: message.at };
    if (message.missing.length) sms.incomplete = { missingParts: message.missing };
    await this.options.onInbound?.(sms);
  }

  private async deliverReceipt(smscId: string, state: ReceiptState, error: string | undefined): Promise<boolean> {
    const known = await this.options.onReceipt?.(smscId, state, error);
    return known !== false;
  }

  private setState(state: SmppLinkState, lastError: string | null): void {
    const changed = state !== this.state || lastError !== this.lastError;
    if (state !== this.state) this.since = this.clock.now();
    this.state = state;
    this.lastError = lastError;
    this.wakeWaiters();
    if (!changed) return;
    if (state === 'refused') this.logger.error('smpp bind refused', { reason: lastError });
    else this.logger.info('smpp link state', { state, reason: lastError });
    try {
      this.options.onStateChange?.(state, this.status());
    } catch (error) {
      this.logger.error('smpp onStateChange handler failed', { error: (error as Error).message });
    }
  }

  /** Resolves on the next state change, on stop, or after `ms`. */
  private stateChangeOr(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stateWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stateWaiters.add(done);
    });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.stateWaiters]) wake();
  }
}

/** short_message, or message_payload when the SMSC put the text there (data_sm, long deliver_sm). */
function payloadOf(pdu: SmppPdu): Buffer {
  const shortMessage = pdu.short_message;
  if (Buffer.isBuffer(shortMessage) && shortMessage.length) return shortMessage;
  return Buffer.isBuffer(pdu.message_payload) ? pdu.message_payload : Buffer.alloc(0);
}

function sarConcatenation(pdu: SmppPdu): Concatenation | null {
  const { sar_msg_ref_num: reference, sar_total_segments: total, sar_segment_seqnum: sequence } = pdu;
  if (typeof reference !== 'number' || typeof total !== 'number' || typeof sequence !== 'number') return null;
  return { reference, total, sequence };
}

/** True if `promise` settled within `ms`; the timer does not outlive it. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
