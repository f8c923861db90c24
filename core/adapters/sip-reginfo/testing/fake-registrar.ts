/**
 * A scriptable notifier for the watcher's tests: answers SUBSCRIBE (or stays silent), keeps the
 * dialogs, sends NOTIFYs on demand and records every datagram it got, retransmissions included.
 */
import dgram from 'node:dgram';
import {
  buildResponse,
  newTag,
  parseNameAddr,
  parseSipMessage,
  serializeSipMessage,
  SipHeaders,
  type SipRequest,
  type SipResponse,
} from '../sip-message';

export interface ReceivedRequest {
  request: SipRequest;
  at: number;
}

export interface FakeDialog {
  callId: string;
  aor: string;
  /** The watcher's tag (From of its SUBSCRIBE). */
  watcherTag: string;
  /** Our tag (To of the 2xx). */
  tag: string;
  watcher: { host: string; port: number };
  cseq: number;
}

export type SubscribeAnswer = { status: number; reason: string; headers?: [string, string][] } | null;

export class FakeRegistrar {
  readonly received: ReceivedRequest[] = [];
  readonly dialogs = new Map<string, FakeDialog>();
  /** 'silent' drops every request, as a registrar that is down. */
  mode: 'answer' | 'silent' = 'answer';
  /** Overrides the answer to a SUBSCRIBE; return undefined for the default behaviour. */
  onSubscribe: (request: SipRequest, dialog: FakeDialog | undefined) => SubscribeAnswer | undefined = () => undefined;
  /** Expires granted when the watcher asks for more. */
  maxExpires = 3600;
  private readonly waiters = new Map<string, (response: SipResponse) => void>();

  private constructor(private readonly socket: dgram.Socket) {}

  static async open(): Promise<FakeRegistrar> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const registrar = new FakeRegistrar(socket);
    socket.on('message', (data, rinfo) => registrar.receive(data, { host: rinfo.address, port: rinfo.port }));
    return registrar;
  }

  get port(): number {
    return this.socket.address().port;
  }

  requests(method: string): SipRequest[] {
    return this.received.filter((r) => r.request.method === method).map((r) => r.request);
  }

  /** Forgets every dialog, as a registrar that restarted with its state in memory. */
  forget(): void {
    this.dialogs.clear();
  }

  dialogFor(aor: string): FakeDialog | undefined {
    return [...this.dialogs.values()].filter((d) => d.aor === aor).pop();
  }

  /** Sends a NOTIFY in a dialog and resolves with the watcher's response. */
  notify(
    dialog: FakeDialog,
    options: { body?: string; contentType?: string; state?: string; event?: string; cseq?: number; callId?: string; toTag?: string } = {},
  ): Promise<SipResponse> {
    dialog.cseq = options.cseq ?? dialog.cseq + 1;
    const callId = options.callId ?? dialog.callId;
    const headers = new SipHeaders()
      .append('Via', `SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${newTag()}${newTag()}`)
      .append('Max-Forwards', '70')
      .append('From', `<${dialog.aor}>;tag=${dialog.tag}`)
      .append('To', `<sip:reachback@reachback.test>;tag=${options.toTag ?? dialog.watcherTag}`)
      .append('Call-ID', callId)
      .append('CSeq', `${dialog.cseq} NOTIFY`)
      .append('Event', options.event ?? 'reg')
      .append('Contact', `<sip:127.0.0.1:${this.port}>`)
      .append('Subscription-State', options.state ?? 'active;expires=600');
    const body = options.body ?? '';
    if (body) headers.append('Content-Type', options.contentType ?? 'application/reginfo+xml');
    const request: SipRequest = { kind: 'request', method: 'NOTIFY', uri: `sip:reachback@127.0.0.1:${dialog.watcher.port}`, headers, body };
    return this.sendAndWait(request, dialog.watcher, `${callId}|${dialog.cseq}`);
  }

  /** Sends exactly these bytes again (a NOTIFY retransmission) and resolves with the answer. */
  resend(raw: string, to: { host: string; port: number }, key: string): Promise<SipResponse> {
    const wait = this.wait(key);
    this.socket.send(raw, to.port, to.host);
    return wait;
  }

  lastSentRaw?: string;

  private sendAndWait(request: SipRequest, to: { host: string; port: number }, key: string): Promise<SipResponse> {
    const wait = this.wait(key);
    this.lastSentRaw = serializeSipMessage(request);
    this.socket.send(this.lastSentRaw, to.port, to.host);
    return wait;
  }

  private wait(key: string, timeoutMs = 5000): Promise<SipResponse> {
    return new Promise<SipResponse>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${key}`)), timeoutMs);
      this.waiters.set(key, (response) => {
        clearTimeout(timer);
        this.waiters.delete(key);
        resolve(response);
      });
    });
  }

  private receive(data: Buffer, from: { host: string; port: number }): void {
    const message = parseSipMessage(data);
    if (message.kind === 'response') {
      const cseq = (message.headers.get('cseq') ?? '').split(' ')[0];
      this.waiters.get(`${message.headers.get('call-id')}|${cseq}`)?.(message);
      return;
    }
    this.received.push({ request: message, at: Date.now() });
    if (this.mode === 'silent') return;
    if (message.method === 'OPTIONS') return this.reply(buildResponse(message, 200, 'OK', { toTag: newTag() }), from);
    if (message.method !== 'SUBSCRIBE') return this.reply(buildResponse(message, 405, 'Method Not Allowed', { toTag: newTag() }), from);

    const callId = message.headers.get('call-id') ?? '';
    const to = parseNameAddr(message.headers.get('to') ?? '');
    const fromAddr = parseNameAddr(message.headers.get('from') ?? '');
    const existing = this.dialogs.get(callId);
    const custom = this.onSubscribe(message, existing);
    if (custom !== undefined) {
      if (custom)
        this.reply(buildResponse(message, custom.status, custom.reason, { toTag: newTag(), headers: custom.headers ?? [] }), from);
      return;
    }
    if (to.params.tag && (!existing || existing.tag !== to.params.tag)) {
      return this.reply(buildResponse(message, 481, 'Subscription Does Not Exist'), from);
    }
    const expires = Math.min(Number(message.headers.get('expires') ?? 600), this.maxExpires);
    const dialog: FakeDialog = existing ?? {
      callId,
      aor: to.uri,
      watcherTag: fromAddr.params.tag ?? '',
      tag: newTag(),
      watcher: from,
      cseq: 0,
    };
    if (expires === 0) this.dialogs.delete(callId);
    else this.dialogs.set(callId, dialog);
    this.reply(
      buildResponse(message, 200, 'OK', {
        toTag: dialog.tag,
        headers: [
          ['Expires', String(expires)],
          ['Contact', `<sip:127.0.0.1:${this.port}>`],
        ],
      }),
      from,
    );
  }

  private reply(response: SipResponse, to: { host: string; port: number }): void {
    this.socket.send(serializeSipMessage(response), to.port, to.host);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}

/** A reginfo document for one AOR, as Kamailio writes it. */
export function reginfoXml(
  aor: string,
  state: 'active' | 'terminated' | 'init',
  contacts: { callId: string; event: string; state?: string }[] = [],
): string {
  const contactXml = contacts
    .map(
      (c, i) =>
        `<contact id="c${i}" state="${c.state ?? (state === 'active' ? 'active' : 'terminated')}" event="${c.event}" expires="60" callid="${c.callId}"><uri>sip:phone${i}@127.0.0.1:5999</uri></contact>`,
    )
    .join('');
  return `<?xml version="1.0"?>\n<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full"><registration aor="${aor}" id="r1" state="${state}">${contactXml}</registration></reginfo>`;
}
