/**
 * A small SIP peer for tests on 127.0.0.1: registers phones (REGISTER from Node, no sipp needed),
 * places an INVITE and reports its final answer, and answers requests sent to it.
 */
import { createHash } from 'node:crypto';
import { createLogger } from '../../../logger';
import { buildResponse, newCallId, newTag, SipHeaders, type SipRequest, type SipResponse } from '../sip-message';
import { sipTimers, SipUdpEndpoint, type Destination } from '../sip-udp';

const quiet = createLogger({ level: 'error', sink: () => {} });

export interface RegisterOptions {
  user: string;
  domain: string;
  expires: number;
  /** A phone keeps its Call-ID for a boot cycle (RFC 3261 10.2); give a new one to simulate a power cycle. */
  callId?: string;
  cseq?: number;
  /** Where calls to this user should go; this peer by default. */
  contact?: string;
  /** Answers a 401 challenge with RFC 2617 digest (MD5, with or without qop=auth). */
  password?: string;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** The Authorization header for a WWW-Authenticate challenge. */
export function digestAuthorization(challenge: string, user: string, password: string, method: string, uri: string): string {
  const param = (name: string) => new RegExp(`${name}="?([^",]*)"?`, 'i').exec(challenge)?.[1];
  const realm = param('realm') ?? '';
  const nonce = param('nonce') ?? '';
  const qop = param('qop')?.split(/[ ,]/).includes('auth') ? 'auth' : undefined;
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const fields = [`username="${user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, 'algorithm=MD5'];
  if (qop) {
    const cnonce = newTag();
    fields.push(`qop=${qop}`, 'nc=00000001', `cnonce="${cnonce}"`, `response="${md5(`${ha1}:${nonce}:00000001:${cnonce}:${qop}:${ha2}`)}"`);
  } else fields.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  const opaque = param('opaque');
  if (opaque) fields.push(`opaque="${opaque}"`);
  return `Digest ${fields.join(', ')}`;
}

export class SipPeer {
  readonly received: SipRequest[] = [];
  /** Answers requests sent to this peer; 200 OK by default (an INVITE's with Contact and Record-Route). */
  answer: (request: SipRequest) => SipResponse | null = (request) => this.ok(request);
  private readonly cseqs = new Map<string, number>();
  private readonly inviteWaiters = new Map<string, (response: SipResponse) => void>();

  private constructor(
    private readonly endpoint: SipUdpEndpoint,
    readonly proxy: Destination,
  ) {}

  static async open(proxy: Destination, options: { t1Ms?: number; transactionTimeoutMs?: number } = {}): Promise<SipPeer> {
    let peer: SipPeer | undefined = undefined;
    const endpoint = new SipUdpEndpoint({
      host: '127.0.0.1',
      timers: sipTimers({ t1Ms: options.t1Ms ?? 200, transactionTimeoutMs: options.transactionTimeoutMs ?? 8000 }),
      logger: quiet,
      onRequest: (request) => {
        peer!.received.push(request);
        return peer!.answer(request);
      },
      onUnmatchedResponse: (response) => {
        if (response.status < 200 || !/INVITE/.test(response.headers.get('cseq') ?? '')) return;
        peer!.inviteWaiters.get(response.headers.get('call-id') ?? '')?.(response);
      },
    });
    await endpoint.start();
    peer = new SipPeer(endpoint, proxy);
    return peer;
  }

  get port(): number {
    return this.endpoint.port;
  }

  /** A final response to a request sent to this peer, fit to establish a dialog. */
  ok(request: SipRequest, status = 200, reason = 'OK'): SipResponse {
    const headers: [string, string][] = request.headers.getAll('record-route').map((rr) => ['Record-Route', rr]);
    if (request.method === 'INVITE') headers.push(['Contact', `<sip:peer@127.0.0.1:${this.port}>`]);
    return buildResponse(request, status, reason, { toTag: newTag(), headers });
  }

  async register(options: RegisterOptions, authorization?: string): Promise<SipResponse> {
    const callId = options.callId ?? `reg-${options.user}@127.0.0.1`;
    const cseq = options.cseq ?? (this.cseqs.get(callId) ?? 0) + 1;
    this.cseqs.set(callId, cseq);
    const aor = `sip:${options.user}@${options.domain}`;
    const uri = `sip:${options.domain}`;
    const headers = new SipHeaders()
      .append('Max-Forwards', '70')
      .append('From', `<${aor}>;tag=${newTag()}`)
      .append('To', `<${aor}>`)
      .append('Call-ID', callId)
      .append('CSeq', `${cseq} REGISTER`)
      .append('Contact', `<${options.contact ?? `sip:${options.user}@127.0.0.1:${this.port}`}>`)
      .append('Expires', String(options.expires));
    if (authorization) headers.append('Authorization', authorization);
    const response = await this.endpoint.request({ kind: 'request', method: 'REGISTER', uri, headers, body: '' }, this.proxy);
    const challenge = response.headers.get('www-authenticate');
    if (response.status === 401 && challenge && options.password !== undefined && !authorization) {
      return this.register(
        { ...options, callId, cseq: undefined },
        digestAuthorization(challenge, options.user, options.password, 'REGISTER', uri),
      );
    }
    return response;
  }

  /**
   * An INVITE through the proxy; resolves with the final response. A 2xx is ACKed and hung up
   * with BYE after `holdMs`; a failure is ACKed (RFC 3261 17.1.1.3).
   */
  async invite(options: {
    uri: string;
    from: string;
    headers?: Record<string, string>;
    sdp?: string;
    holdMs?: number;
    timeoutMs?: number;
  }): Promise<SipResponse> {
    const socketSend = (message: SipRequest) => this.endpoint.sendMessage(message, this.proxy);
    const branch = `z9hG4bK${newTag()}${newTag()}`;
    const callId = newCallId('127.0.0.1');
    const fromTag = newTag();
    const via = `SIP/2.0/UDP 127.0.0.1:${this.port};branch=${branch};rport`;
    const headers = new SipHeaders()
      .append('Via', via)
      .append('Max-Forwards', '70')
      .append('From', `<${options.from}>;tag=${fromTag}`)
      .append('To', `<${options.uri}>`)
      .append('Call-ID', callId)
      .append('CSeq', '1 INVITE')
      .append('Contact', `<sip:caller@127.0.0.1:${this.port}>`);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.append(name, value);
    if (options.sdp) headers.append('Content-Type', 'application/sdp');
    const invite: SipRequest = { kind: 'request', method: 'INVITE', uri: options.uri, headers, body: options.sdp ?? '' };
    const final = this.waitFinal(callId, options.timeoutMs ?? 15_000);
    socketSend(invite);
    const response = await final;
    const to = response.headers.get('to') ?? `<${options.uri}>`;
    if (response.status >= 300) {
      const ack = new SipHeaders()
        .append('Via', via)
        .append('Max-Forwards', '70')
        .append('From', `<${options.from}>;tag=${fromTag}`)
        .append('To', to)
        .append('Call-ID', callId)
        .append('CSeq', '1 ACK');
      socketSend({ kind: 'request', method: 'ACK', uri: options.uri, headers: ack, body: '' });
      return response;
    }
    // 2xx: ACK and BYE go end to end, along the Record-Route set, to the callee's Contact.
    const routes = response.headers.getAll('record-route').reverse();
    const target = /<([^>]+)>/.exec(response.headers.getAll('contact')[0] ?? '')?.[1] ?? options.uri;
    const inDialog = (method: string, cseq: number) => {
      const h = new SipHeaders()
        .append('Via', `SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${newTag()}${newTag()};rport`)
        .append('Max-Forwards', '70')
        .append('From', `<${options.from}>;tag=${fromTag}`)
        .append('To', to)
        .append('Call-ID', callId)
        .append('CSeq', `${cseq} ${method}`);
      for (const route of routes) h.append('Route', route);
      return { kind: 'request', method, uri: target, headers: h, body: '' } as SipRequest;
    };
    socketSend(inDialog('ACK', 1));
    await new Promise((resolve) => setTimeout(resolve, options.holdMs ?? 200));
    const bye = inDialog('BYE', 2);
    bye.headers.delete('via');
    await this.endpoint.request(bye, this.proxy);
    return response;
  }

  private waitFinal(callId: string, timeoutMs: number): Promise<SipResponse> {
    return new Promise<SipResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.inviteWaiters.delete(callId);
        reject(new Error(`no final response to INVITE within ${timeoutMs} ms (Call-ID ${callId})`));
      }, timeoutMs);
      this.inviteWaiters.set(callId, (response) => {
        clearTimeout(timer);
        this.inviteWaiters.delete(callId);
        resolve(response);
      });
    });
  }

  async close(): Promise<void> {
    await this.endpoint.close();
  }
}
