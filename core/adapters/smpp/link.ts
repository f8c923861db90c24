/**
 * One SMPP session over TCP: connect, bind, keep alive with enquire_link, match responses to requests with a
 * timeout each, and answer what the SMSC asks of every ESME. Whatever ends the session (socket error, a malformed
 * PDU, a dead link, the SMSC's unbind) comes out once, as the `closed` reason; nothing here throws out of an event.
 */
import type { Logger } from '../../logger';
import type { SmppConfig } from '../../api/network-settings';
import { CommandStatus, describeStatus, INTERFACE_VERSION_3_4, smpp, type SmppPdu, type SmppSession } from './protocol';

export type LinkRole = 'transceiver' | 'transmitter' | 'receiver';

const bindCommand: Record<LinkRole, string> = {
  transceiver: 'bind_transceiver',
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
};

/** The link went down before the response came; `sent` says whether the request reached the socket at all. */
export class LinkLostError extends Error {
  override readonly name = 'LinkLostError';
  constructor(
    message: string,
    readonly sent: boolean,
  ) {
    super(message);
  }
}

export class ResponseTimeoutError extends Error {
  override readonly name = 'ResponseTimeoutError';
  constructor(
    readonly command: string,
    readonly sequenceNumber: number,
    readonly timeoutMs: number,
  ) {
    super(`no ${command}_resp within ${timeoutMs} ms (sequence_number ${sequenceNumber})`);
  }
}

export class BindRefusedError extends Error {
  override readonly name = 'BindRefusedError';
  constructor(
    readonly command: string,
    readonly status: number,
  ) {
    super(`bind refused by the SMSC: ${command} answered ${describeStatus(status)}`);
  }
}

export interface LinkEvents {
  /** deliver_sm, data_sm and alert_notification; answer deliver_sm and data_sm with `respond`. */
  onRequest(link: SmppLink, pdu: SmppPdu): void;
  /** Once, when the session has ended for whatever reason. */
  onClosed(link: SmppLink, reason: string): void;
}

interface PendingRequest {
  command: string;
  resolve: (response: SmppPdu) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  sentAt: number;
}

// Remembered so a late response can be logged as late rather than as a stranger.
const TIMED_OUT_MEMORY = 1_024;

export class SmppLink {
  readonly closed: Promise<string>;
  private readonly session: SmppSession;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly timedOut = new Map<number, { command: string; sentAt: number }>();
  private readonly connected: Promise<void>;
  private resolveClosed!: (reason: string) => void;
  private closedReason: string | null = null;
  private endingReason: string | null = null;
  private enquireTimer: NodeJS.Timeout | undefined;
  private enquireOutstanding = false;
  private submitsPending = 0;

  constructor(
    readonly role: LinkRole,
    private readonly config: SmppConfig,
    private readonly logger: Logger,
    private readonly events: LinkEvents,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.session = smpp.connect({ host: config.host, port: config.port });
    // Without it, Nagle holds each small submit_sm until the previous one is acknowledged: the window would be one.
    this.session.socket.setNoDelay(true);
    const connectTimer = setTimeout(
      () => this.end(`no TCP connection to ${this.address} within ${config.responseTimeoutMs} ms`),
      config.responseTimeoutMs,
    );
    this.connected = new Promise<void>((resolve, reject) => {
      this.session.once('connect', () => {
        clearTimeout(connectTimer);
        resolve();
      });
      void this.closed.then((reason) => {
        clearTimeout(connectTimer);
        reject(new LinkLostError(reason, false));
      });
    });
    // bind() reports the failure; this only keeps a link ended before bind() from raising an unhandled rejection.
    this.connected.catch(() => undefined);
    // Attached before the first tick: an 'error' without a listener would crash the process.
    // System errors (ECONNRESET, ECONNREFUSED) name a syscall; the rest come from parsing what the SMSC sent.
    this.session.on('error', (error: Error & { syscall?: string }) =>
      this.end(error.syscall ? `socket error: ${error.message}` : `malformed PDU from the SMSC: ${error.message}`),
    );
    this.session.on('close', () => this.finish(this.endingReason ?? 'connection closed by the SMSC'));
    this.session.on('pdu', (pdu: SmppPdu) => this.onPdu(pdu));
  }

  get address(): string {
    return `${this.config.host}:${this.config.port}`;
  }

  get isOpen(): boolean {
    return this.closedReason === null && this.endingReason === null;
  }

  /** submit_sm awaiting their response on this link. */
  get submitsInFlight(): number {
    return this.submitsPending;
  }

  /** Connects and binds; rejects with BindRefusedError or LinkLostError (the link is then closed). */
  async bind(): Promise<void> {
    await this.connected;
    const command = bindCommand[this.role];
    const response = await this.request(command, {
      system_id: this.config.systemId,
      password: this.config.password,
      system_type: this.config.systemType,
      interface_version: INTERFACE_VERSION_3_4,
      addr_ton: 0,
      addr_npi: 0,
      address_range: '',
    });
    if (response.command_status !== CommandStatus.ESME_ROK) {
      const refused = new BindRefusedError(command, response.command_status);
      this.end(refused.message);
      throw refused;
    }
    this.logger.info('smpp bound', { link: this.role, address: this.address, systemId: this.config.systemId, smsc: response.system_id });
    this.enquireTimer = setInterval(() => this.enquireLink(), this.config.enquireLinkIntervalMs);
  }

  /** Sends a request; resolves with its response (any command_status), rejects on timeout or when the link goes. */
  request(command: string, fields: Record<string, unknown> = {}, timeoutMs = this.config.responseTimeoutMs): Promise<SmppPdu> {
    if (!this.isOpen) return Promise.reject(new LinkLostError(`link is down: ${this.endingReason ?? this.closedReason}`, false));
    const pdu = new smpp.PDU(command, fields);
    if (!this.session.send(pdu)) return Promise.reject(new LinkLostError('link is down: socket not writable', false));
    const sequenceNumber = pdu.sequence_number;
    if (command === 'submit_sm') this.submitsPending++;
    return new Promise<SmppPdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(sequenceNumber);
        this.remember(sequenceNumber, command, request.sentAt);
        reject(new ResponseTimeoutError(command, sequenceNumber, timeoutMs));
      }, timeoutMs);
      const request: PendingRequest = { command, resolve, reject, timer, sentAt: Date.now() };
      this.pending.set(sequenceNumber, request);
    });
  }

  respond(request: SmppPdu, status: number = CommandStatus.ESME_ROK, fields: Record<string, unknown> = {}): void {
    if (!this.isOpen) return;
    this.session.send(request.response({ ...fields, command_status: status }));
  }

  /** Graceful end: unbind, wait for unbind_resp (or the timeout), close. */
  async unbind(): Promise<void> {
    if (!this.isOpen) return;
    try {
      await this.request('unbind');
    } catch (error) {
      this.logger.warn('smpp unbind not answered', { link: this.role, error: (error as Error).message });
    }
    this.end('unbound');
    await this.closed;
  }

  /** Ends the session now (idempotent); `closed` resolves with the first reason given. */
  end(reason: string): void {
    if (!this.isOpen) return;
    this.endingReason = reason;
    clearInterval(this.enquireTimer);
    this.failPending(reason);
    this.session.destroy();
    // A socket that never connected may not emit 'close' after destroy; finish() is idempotent.
    setImmediate(() => this.finish(reason));
  }

  private finish(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    clearInterval(this.enquireTimer);
    this.failPending(reason);
    this.resolveClosed(reason);
    this.events.onClosed(this, reason);
  }

  private failPending(reason: string): void {
    for (const [sequenceNumber, request] of this.pending) {
      this.settle(sequenceNumber);
      request.reject(new LinkLostError(`link lost before ${request.command}_resp (sequence_number ${sequenceNumber}): ${reason}`, true));
    }
  }

  private settle(sequenceNumber: number): PendingRequest | undefined {
    const request = this.pending.get(sequenceNumber);
    if (!request) return undefined;
    clearTimeout(request.timer);
    this.pending.delete(sequenceNumber);
    if (request.command === 'submit_sm') this.submitsPending--;
    return request;
  }

  private remember(sequenceNumber: number, command: string, sentAt: number): void {
    this.timedOut.set(sequenceNumber, { command, sentAt });
    if (this.timedOut.size > TIMED_OUT_MEMORY) this.timedOut.delete(this.timedOut.keys().next().value!);
  }

  private enquireLink(): void {
    if (this.enquireOutstanding) return;
    this.enquireOutstanding = true;
    this.request('enquire_link').then(
      () => (this.enquireOutstanding = false),
      (error: Error) => {
        this.enquireOutstanding = false;
        if (error instanceof ResponseTimeoutError) {
          this.logger.warn('smpp dead link', {
            link: this.role,
            seq: error.sequenceNumber,
            command: 'enquire_link',
            timeoutMs: error.timeoutMs,
          });
          this.end(`dead link: ${error.message}`);
        }
      },
    );
  }

  private onPdu(pdu: SmppPdu): void {
    try {
      if (pdu.isResponse()) this.onResponse(pdu);
      else this.onRequest(pdu);
    } catch (error) {
      // A handler bug must not take the socket's read loop down with it.
      this.logger.error('smpp PDU handling failed', {
        link: this.role,
        seq: pdu.sequence_number,
        command: pdu.command,
        error: (error as Error).message,
      });
    }
  }

  private onResponse(pdu: SmppPdu): void {
    const request = this.settle(pdu.sequence_number);
    if (request) {
      request.resolve(pdu);
      return;
    }
    const late = this.timedOut.get(pdu.sequence_number);
    if (late) {
      this.timedOut.delete(pdu.sequence_number);
      this.logger.warn('smpp late response ignored', {
        link: this.role,
        seq: pdu.sequence_number,
        command: pdu.command,
        status: describeStatus(pdu.command_status),
        afterMs: Date.now() - late.sentAt,
      });
    } else {
      this.logger.warn('smpp response to no request ignored', { link: this.role, seq: pdu.sequence_number, command: pdu.command });
    }
  }

  private onRequest(pdu: SmppPdu): void {
    switch (pdu.command) {
      case 'enquire_link':
        this.respond(pdu);
        return;
      case 'unbind':
        this.respond(pdu);
        this.logger.warn('smpp unbind from the SMSC', { link: this.role, seq: pdu.sequence_number });
        this.endingReason = 'the SMSC unbound';
        clearInterval(this.enquireTimer);
        this.session.close();
        return;
      case 'deliver_sm':
      case 'data_sm':
      case 'alert_notification':
        this.events.onRequest(this, pdu);
        return;
      default:
        this.logger.warn('smpp unexpected request refused with generic_nack', {
          link: this.role,
          seq: pdu.sequence_number,
          command: pdu.command,
        });
        this.session.send(
          new smpp.PDU('generic_nack', { command_status: CommandStatus.ESME_RINVCMDID, sequence_number: pdu.sequence_number }),
        );
    }
  }
}
