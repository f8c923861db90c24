/**
 * SIP over one UDP socket: non-INVITE client transactions with RFC 3261 17.1.2 retransmissions
 * (timer E from T1 doubling to T2, timer F gives up), and server transactions that answer a
 * retransmitted request with the same response instead of handling it twice (17.2.2).
 */
import dgram from 'node:dgram';
import type { Logger } from '../../logger';
import {
  newBranch,
  parseSipMessage,
  parseVia,
  serializeSipMessage,
  SipParseError,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './sip-message';

export interface SipTimers {
  /** RTT estimate; first retransmission after T1 (RFC 3261: 500 ms). */
  t1Ms: number;
  /** Longest retransmission interval (RFC 3261: 4 s). */
  t2Ms: number;
  /** Timer F: the transaction fails after this long without a final response (RFC 3261: 64 × T1). */
  transactionTimeoutMs: number;
}

export const RFC3261_TIMERS: SipTimers = { t1Ms: 500, t2Ms: 4000, transactionTimeoutMs: 32_000 };

export function sipTimers(overrides: Partial<SipTimers> = {}): SipTimers {
  const t1Ms = overrides.t1Ms ?? RFC3261_TIMERS.t1Ms;
  return { t1Ms, t2Ms: overrides.t2Ms ?? RFC3261_TIMERS.t2Ms, transactionTimeoutMs: overrides.transactionTimeoutMs ?? 64 * t1Ms };
}

export interface Destination {
  host: string;
  port: number;
}

export class TransactionTimeoutError extends Error {
  override readonly name = 'TransactionTimeoutError';
  constructor(
    readonly method: string,
    readonly callId: string,
    readonly destination: Destination,
    readonly timeoutMs: number,
  ) {
    super(`no final response to ${method} from ${destination.host}:${destination.port} within ${timeoutMs} ms (Call-ID ${callId})`);
  }
}

export class TransportError extends Error {
  override readonly name = 'TransportError';
}

interface ClientTransaction {
  method: string;
  callId: string;
  data: Buffer;
  destination: Destination;
  interval: number;
  retransmitTimer?: ReturnType<typeof setTimeout>;
  timeoutTimer: ReturnType<typeof setTimeout>;
  resolve: (response: SipResponse) => void;
  reject: (error: Error) => void;
}

export interface SipUdpEndpointOptions {
  host: string;
  port?: number;
  timers: SipTimers;
  logger: Logger;
  /** Decides the response to a new request (not to its retransmissions); null sends nothing. */
  onRequest(request: SipRequest, from: Destination): SipResponse | null;
  /** Responses that match no transaction of ours (late retransmissions; INVITE handled by a test peer). */
  onUnmatchedResponse?(response: SipResponse): void;
  /** Bigger than the default so that a burst of NOTIFYs is not dropped by the kernel. */
  receiveBufferBytes?: number;
}

export class SipUdpEndpoint {
  private socket: dgram.Socket | null = null;
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly answered = new Map<string, { data: Buffer; until: number }>();
  private pruneTimer: ReturnType<typeof setInterval> | null = null;
  private boundPort = 0;

  constructor(private readonly options: SipUdpEndpointOptions) {}

  get port(): number {
    return this.boundPort;
  }

  /** host:port for Via and Contact. */
  get hostPort(): string {
    return `${this.options.host}:${this.boundPort}`;
  }

  async start(): Promise<number> {
    if (this.socket) return this.boundPort;
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: this.options.receiveBufferBytes ?? 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port ?? 0, this.options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (error) => this.options.logger.warn('UDP socket error', { error: error.message }));
    socket.on('message', (data, rinfo) => this.receive(data, { host: rinfo.address, port: rinfo.port }));
    this.socket = socket;
    this.boundPort = socket.address().port;
    // Server transactions keep their response for 64 × T1 (timer J), long enough for every retransmission.
    this.pruneTimer = setInterval(() => this.prune(), Math.max(1000, this.options.timers.t1Ms * 16));
    this.pruneTimer.unref();
    return this.boundPort;
  }

  async close(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    for (const transaction of this.clients.values()) this.finish(transaction, new TransportError('the SIP endpoint was closed'));
    this.clients.clear();
    this.answered.clear();
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /**
   * Sends a non-INVITE request and resolves with its final response. Adds the top Via with a new
   * branch. Rejects with TransactionTimeoutError (timer F) or TransportError.
   */
  request(request: SipRequest, destination: Destination): Promise<SipResponse> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new TransportError('the SIP endpoint is not started'));
    const branch = newBranch();
    const vias = request.headers.getAll('via');
    request.headers.delete('via');
    request.headers.append('Via', `SIP/2.0/UDP ${this.hostPort};branch=${branch};rport`);
    for (const via of vias) request.headers.append('Via', via);
    const data = Buffer.from(serializeSipMessage(request), 'utf8');
    const { t1Ms, transactionTimeoutMs } = this.options.timers;
    return new Promise<SipResponse>((resolve, reject) => {
      const transaction: ClientTransaction = {
        method: request.method,
        callId: request.headers.get('call-id') ?? '',
        data,
        destination,
        interval: t1Ms,
        resolve,
        reject,
        timeoutTimer: setTimeout(() => {
          this.finish(transaction, new TransactionTimeoutError(request.method, transaction.callId, destination, transactionTimeoutMs));
        }, transactionTimeoutMs),
      };
      this.clients.set(branch, transaction);
      this.transmit(branch, transaction);
    });
  }

  /** Sends a message as it is, outside any transaction (ACK, stateless answers). */
  sendMessage(message: SipMessage, to: Destination): void {
    this.send(Buffer.from(serializeSipMessage(message), 'utf8'), to);
  }

  private transmit(branch: string, transaction: ClientTransaction): void {
    this.send(transaction.data, transaction.destination, (error) => {
      if (error) this.finish(transaction, new TransportError(`cannot send ${transaction.method}: ${error.message}`));
    });
    transaction.retransmitTimer = setTimeout(() => {
      if (!this.clients.has(branch)) return;
      transaction.interval = Math.min(transaction.interval * 2, this.options.timers.t2Ms);
      this.transmit(branch, transaction);
    }, transaction.interval);
  }

  private finish(transaction: ClientTransaction, outcome: SipResponse | Error): void {
    clearTimeout(transaction.timeoutTimer);
    if (transaction.retransmitTimer) clearTimeout(transaction.retransmitTimer);
    for (const [branch, t] of this.clients) if (t === transaction) this.clients.delete(branch);
    if (outcome instanceof Error) transaction.reject(outcome);
    else transaction.resolve(outcome);
  }

  private send(data: Buffer, to: Destination, callback?: (error: Error | null) => void): void {
    const socket = this.socket;
    if (!socket) {
      callback?.(new Error('socket closed'));
      return;
    }
    socket.send(data, to.port, to.host, (error) => callback?.(error ?? null));
  }

  private receive(data: Buffer, from: Destination): void {
    let message;
    try {
      message = parseSipMessage(data);
    } catch (error) {
      // Without parseable headers there is nobody to answer (RFC 3261 18.3).
      this.options.logger.warn('dropped an unparseable datagram', {
        from: `${from.host}:${from.port}`,
        error: error instanceof SipParseError ? error.message : String(error),
        bytes: data.length,
      });
      return;
    }
    const topVia = message.headers.getAll('via')[0];
    let branch: string | undefined;
    try {
      branch = topVia ? (parseVia(topVia).params.branch ?? undefined) : undefined;
    } catch {
      branch = undefined;
    }

    if (message.kind === 'response') {
      const transaction = branch ? this.clients.get(branch) : undefined;
      if (!transaction) {
        this.options.logger.debug('response for no transaction', { status: message.status, callId: message.headers.get('call-id') });
        this.options.onUnmatchedResponse?.(message);
        return;
      }
      if (message.status < 200) {
        // Proceeding: keep retransmitting, but only every T2 (RFC 3261 17.1.2.2).
        transaction.interval = this.options.timers.t2Ms;
        return;
      }
      this.finish(transaction, message);
      return;
    }

    if (message.method === 'ACK') return;
    const key = branch ? `${branch}|${message.method}|${from.host}:${from.port}` : undefined;
    const cached = key ? this.answered.get(key) : undefined;
    if (cached) {
      this.send(cached.data, from);
      return;
    }
    let response: SipResponse | null;
    try {
      response = this.options.onRequest(message, from);
    } catch (error) {
      this.options.logger.error('request handler failed', { method: message.method, error: String(error) });
      response = null;
    }
    if (!response) return;
    const out = Buffer.from(serializeSipMessage(response), 'utf8');
    if (key) this.answered.set(key, { data: out, until: Date.now() + 64 * this.options.timers.t1Ms });
    this.send(out, from);
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.answered) if (entry.until <= now) this.answered.delete(key);
  }
}
