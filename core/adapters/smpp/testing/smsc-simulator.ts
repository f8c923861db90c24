/**
 * An SMSC for tests, on the smpp package's server role, listening on 127.0.0.1 with an ephemeral port.
 * It records what it receives (decoded) and misbehaves on demand: refuses binds, throttles, reports its queue
 * full, drops the link mid-window, answers late or not at all, sends receipts out of order or for unknown ids,
 * sends MO (concatenated, any data_coding) and raw malformed bytes.
 */
import type { AddressInfo } from 'node:net';
import { encodeGsm7Unpacked, encodeUcs2, isGsm7, splitSms } from '../../../domain/sms-encoding';
import { decodeText, splitUserDataHeader, type Concatenation } from '../encoding';
import { CommandStatus, DataCoding, EsmClass, MessageState, smpp, type SmppPdu, type SmppSession } from '../protocol';

export interface RecordedSubmit {
  sequenceNumber: number;
  /** Null while unanswered, or when refused. */
  messageId: string | null;
  /** The command_status answered; null if never answered. */
  status: number | null;
  sourceAddr: string;
  sourceTon: number;
  sourceNpi: number;
  destinationAddr: string;
  destTon: number;
  destNpi: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  udh: Concatenation | null;
  /** The text as a handset would show this part. */
  text: string;
  /** Set once a final receipt was sent (replace_sm is then refused). */
  finalStat: string | null;
  /** performance.now() when it arrived. */
  receivedAt: number;
}

export interface RecordedBind {
  command: string;
  systemId: string;
  password: string;
  systemType: string;
  interfaceVersion: number;
  status: number;
}

export type ReceiptStat = 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD' | 'ENROUTE';

export interface ReceiptSettings {
  /** 'before-response': the receipt is written to the socket before the submit_sm_resp. */
  mode: 'off' | 'after-response' | 'before-response';
  delayMs: number;
  stat: ReceiptStat | ((submit: RecordedSubmit) => ReceiptStat);
  /** Text only, TLVs only (with an empty text), or both. */
  form: 'text' | 'tlv' | 'both';
  /** Write the text's id: in decimal while submit_sm_resp gave hex, as many SMSCs do. */
  decimalIdInText: boolean;
}

export interface MoOptions {
  from: string;
  to: string;
  text?: string;
  /** Raw text octets instead of `text` (for odd data_coding values). */
  octets?: Buffer;
  /** Default: 0 if the text is GSM-7, else 8. */
  dataCoding?: number;
  sourceTon?: number;
  /** Split `text` as a handset would and mark the parts with this kind of concatenation. */
  concat?: 'udh8' | 'udh16' | 'sar';
  /** 1-based part numbers in sending order; parts left out are never sent. */
  order?: number[];
  reference?: number;
  /** Use data_sm with message_payload instead of deliver_sm. */
  asDataSm?: boolean;
}

const stateByStat: Record<ReceiptStat, number> = {
  DELIVRD: MessageState.DELIVERED,
  EXPIRED: MessageState.EXPIRED,
  DELETED: MessageState.DELETED,
  UNDELIV: MessageState.UNDELIVERABLE,
  ACCEPTD: MessageState.ACCEPTED,
  UNKNOWN: MessageState.UNKNOWN,
  REJECTD: MessageState.REJECTED,
  ENROUTE: MessageState.ENROUTE,
};

const intermediateStats = new Set<ReceiptStat>(['ACCEPTD', 'ENROUTE']);

interface SessionInfo {
  role: 'transceiver' | 'transmitter' | 'receiver' | null;
  /** Submits swallowed by dropAfter on this session. */
  swallowed: number;
}

export class SmscSimulator {
  systemId = 'reachback';
  password = 'secret';
  answerEnquireLink = true;
  /** Delay before each submit_sm_resp. */
  responseDelayMs = 0;
  replaceSupported = true;
  receipts: ReceiptSettings = { mode: 'off', delayMs: 0, stat: 'DELIVRD', form: 'both', decimalIdInText: false };
  /** Answer ESME_RTHROTTLED to submits beyond this many in the last second; null: no limit. */
  throttleAboveTps: number | null = null;

  readonly binds: RecordedBind[] = [];
  readonly submits: RecordedSubmit[] = [];
  readonly replaces: { messageId: string; text: string; status: number }[] = [];
  /** command_status of each response the ESME gave to our requests (deliver_sm, data_sm, enquire_link…), in order. */
  readonly esmeResponses: number[] = [];
  enquireLinks = 0;
  unbinds = 0;
  /** Most submit_sm received and not yet answered at any one time. */
  maxOutstanding = 0;

  private readonly server: smpp.Server;
  private readonly sessions = new Map<SmppSession, SessionInfo>();
  private rejections: { count: number; status: number } | null = null;
  private drop: { after: number } | null = null;
  private outstanding = 0;
  private nextMessageId = 1;
  private recentSubmitTimes: number[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor() {
    this.server = smpp.createServer((session) => this.accept(session));
  }

  /** `port` 0 (the default) takes an ephemeral one; give a port to restart an SMSC where an ESME expects it. */
  static async start(options: { systemId?: string; password?: string; port?: number } = {}): Promise<SmscSimulator> {
    const { port = 0, ...credentials } = options;
    const simulator = new SmscSimulator();
    Object.assign(simulator, credentials);
    await new Promise<void>((resolve, reject) => {
      simulator.server.once('error', reject);
      simulator.server.listen(port, '127.0.0.1', resolve);
    });
    return simulator;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Sessions that completed a bind. */
  get boundSessions(): number {
    return [...this.sessions.values()].filter((info) => info.role !== null).length;
  }

  get unanswered(): number {
    return this.outstanding;
  }

  /** The next `count` submit_sm are answered with `status` (e.g. ESME_RTHROTTLED, ESME_RMSGQFUL). */
  rejectNext(count: number, status: number): void {
    this.rejections = { count, status };
  }

  /** From now on submit_sm go unanswered; once `count` have been swallowed, the session's socket is destroyed. */
  dropAfter(count: number): void {
    this.drop = { after: count };
  }

  /** Destroys every session's socket at once. */
  dropLinks(): void {
    for (const session of this.sessions.keys()) session.destroy();
  }

  /** Writes raw bytes to every session that receives (e.g. a malformed PDU). */
  sendRaw(bytes: Buffer): void {
    for (const session of this.receivingSessions()) session.socket.write(bytes);
  }

  /** enquire_link to the ESME; resolves with its response status (null if none came). */
  sendEnquireLink(): Promise<number | null> {
    return this.deliver('enquire_link', {});
  }

  /** unbind to the ESME, as an SMSC going down for maintenance does. */
  sendUnbind(): Promise<number | null> {
    return this.deliver('unbind', {});
  }

  /** alert_notification (it has no response): the handset `msisdn` is reachable again. */
  sendAlertNotification(msisdn: string): void {
    for (const session of this.receivingSessions()) {
      session.send(
        new smpp.PDU('alert_notification', { source_addr_ton: 1, source_addr_npi: 1, source_addr: msisdn, esme_addr: 'reachback' }),
      );
    }
  }

  /** A receipt for any id (known or not); resolves with the ESME's command_status. */
  sendReceipt(messageId: string, stat: ReceiptStat, form: ReceiptSettings['form'] = 'both'): Promise<number | null> {
    return this.deliver('deliver_sm', this.receiptFields(messageId, stat, form, ''));
  }

  /** Mobile-originated SMS; resolves with the ESME's command_status for each PDU sent. */
  async sendMo(options: MoOptions): Promise<(number | null)[]> {
    const dataCoding =
      options.dataCoding ?? (options.text === undefined || isGsm7(options.text) ? DataCoding.SMSC_DEFAULT : DataCoding.UCS2);
    const base = {
      source_addr_ton: options.sourceTon ?? 1,
      source_addr_npi: 1,
      source_addr: options.from,
      dest_addr_ton: 0,
      dest_addr_npi: 1,
      destination_addr: options.to,
      data_coding: dataCoding,
    };
    const command = options.asDataSm ? 'data_sm' : 'deliver_sm';
    const carry = (octets: Buffer, extra: Record<string, unknown> = {}) =>
      options.asDataSm ? { ...base, ...extra, message_payload: octets } : { ...base, ...extra, short_message: octets };
    if (!options.concat) {
      const octets = options.octets ?? encodeText(options.text ?? '', dataCoding);
      return [await this.deliver(command, carry(octets))];
    }
    const texts = splitSms(options.text ?? '');
    const reference = options.reference ?? 0x42;
    const total = texts.length;
    const statuses: (number | null)[] = [];
    for (const sequence of options.order ?? texts.map((_, index) => index + 1)) {
      const body = encodeText(texts[sequence - 1] ?? '', dataCoding);
      if (options.concat === 'sar') {
        statuses.push(
          await this.deliver(command, carry(body, { sar_msg_ref_num: reference, sar_total_segments: total, sar_segment_seqnum: sequence })),
        );
        continue;
      }
      const udh =
        options.concat === 'udh8'
          ? Buffer.from([5, 0x00, 3, reference & 0xff, total, sequence])
          : Buffer.from([6, 0x08, 4, reference >> 8, reference & 0xff, total, sequence]);
      statuses.push(await this.deliver(command, carry(Buffer.concat([udh, body]), { esm_class: EsmClass.UDH_INDICATOR })));
    }
    return statuses;
  }

  /** A submit by its decoded text (the first match). */
  submitOf(text: string): RecordedSubmit | undefined {
    return this.submits.find((submit) => submit.text === text);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const session of this.sessions.keys()) session.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(session: SmppSession): void {
    session.socket.setNoDelay(true);
    const info: SessionInfo = { role: null, swallowed: 0 };
    this.sessions.set(session, info);
    // Our own misbehaviour (destroyed sockets) raises errors too; the simulator only records what the ESME did.
    session.on('error', () => undefined);
    session.on('close', () => this.sessions.delete(session));
    session.on('pdu', (pdu: SmppPdu) => {
      // PDUs already buffered when we dropped the link were never received, as far as the ESME can tell.
      if (!pdu.isResponse() && !session.socket.destroyed) this.onRequest(session, info, pdu);
    });
  }

  private onRequest(session: SmppSession, info: SessionInfo, pdu: SmppPdu): void {
    switch (pdu.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver':
        return this.onBind(session, info, pdu);
      case 'submit_sm':
        return this.onSubmit(session, info, pdu);
      case 'replace_sm':
        return this.onReplace(session, pdu);
      case 'enquire_link':
        this.enquireLinks++;
        if (this.answerEnquireLink) session.send(pdu.response());
        return;
      case 'unbind':
        this.unbinds++;
        session.send(pdu.response());
        session.close();
        return;
      default:
        session.send(pdu.response({ command_status: CommandStatus.ESME_RINVCMDID }));
    }
  }

  private onBind(session: SmppSession, info: SessionInfo, pdu: SmppPdu): void {
    const systemId = String(pdu.system_id);
    const password = String(pdu.password);
    const status =
      systemId !== this.systemId
        ? CommandStatus.ESME_RINVSYSID
        : password !== this.password
          ? CommandStatus.ESME_RINVPASWD
          : CommandStatus.ESME_ROK;
    this.binds.push({
      command: pdu.command,
      systemId,
      password,
      systemType: String(pdu.system_type),
      interfaceVersion: Number(pdu.interface_version),
      status,
    });
    if (status !== CommandStatus.ESME_ROK) {
      session.send(pdu.response({ command_status: status }));
      session.close();
      return;
    }
    info.role = pdu.command.replace('bind_', '') as SessionInfo['role'];
    session.send(pdu.response({ system_id: 'SIMSMSC' }));
  }

  private onSubmit(session: SmppSession, info: SessionInfo, pdu: SmppPdu): void {
    const submit = recordSubmit(pdu);
    this.submits.push(submit);
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    if (this.drop) {
      info.swallowed++;
      if (info.swallowed >= this.drop.after) {
        this.drop = null;
        this.outstanding -= info.swallowed;
        session.destroy();
      }
      return;
    }
    const status = this.submitStatus();
    const answer = () => {
      this.outstanding--;
      submit.status = status;
      if (status !== CommandStatus.ESME_ROK) {
        session.send(pdu.response({ command_status: status }));
        return;
      }
      submit.messageId = (0x10000000 + this.nextMessageId++).toString(16).toUpperCase();
      const wantsReceipt = (submit.registeredDelivery & 0x03) !== 0 && this.receipts.mode !== 'off';
      if (wantsReceipt && this.receipts.mode === 'before-response') this.sendReceiptFor(submit);
      session.send(pdu.response({ message_id: submit.messageId }));
      if (wantsReceipt && this.receipts.mode === 'after-response') this.later(this.receipts.delayMs, () => this.sendReceiptFor(submit));
    };
    if (this.responseDelayMs > 0) this.later(this.responseDelayMs, answer);
    else answer();
  }

  private submitStatus(): number {
    if (this.rejections && this.rejections.count > 0) {
      this.rejections.count--;
      return this.rejections.status;
    }
    if (this.throttleAboveTps !== null) {
      const now = performance.now();
      this.recentSubmitTimes = this.recentSubmitTimes.filter((at) => at > now - 1000);
      if (this.recentSubmitTimes.length >= this.throttleAboveTps) return CommandStatus.ESME_RTHROTTLED;
      this.recentSubmitTimes.push(now);
    }
    return CommandStatus.ESME_ROK;
  }

  private onReplace(session: SmppSession, pdu: SmppPdu): void {
    const messageId = String(pdu.message_id);
    const submit = this.submits.find((candidate) => candidate.messageId === messageId && candidate.sourceAddr === pdu.source_addr);
    const text = submit ? decodeText(pdu.short_message as Buffer, submit.dataCoding) : '';
    const status = !submit
      ? CommandStatus.ESME_RINVMSGID
      : !this.replaceSupported || submit.finalStat
        ? CommandStatus.ESME_RREPLACEFAIL
        : CommandStatus.ESME_ROK;
    if (submit && status === CommandStatus.ESME_ROK) submit.text = text;
    this.replaces.push({ messageId, text, status });
    session.send(pdu.response({ command_status: status }));
  }

  private sendReceiptFor(submit: RecordedSubmit): void {
    const stat = typeof this.receipts.stat === 'function' ? this.receipts.stat(submit) : this.receipts.stat;
    if (!intermediateStats.has(stat)) submit.finalStat = stat;
    const textId = this.receipts.decimalIdInText ? BigInt(`0x${submit.messageId}`).toString(10) : submit.messageId!;
    void this.deliver('deliver_sm', this.receiptFields(submit.messageId!, stat, this.receipts.form, submit.text, textId));
  }

  private receiptFields(
    messageId: string,
    stat: ReceiptStat,
    form: ReceiptSettings['form'],
    text: string,
    textId = messageId,
  ): Record<string, unknown> {
    const date = '2607011200';
    const err = stat === 'DELIVRD' ? '000' : '001';
    const body = `id:${textId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${date} done date:${date} stat:${stat} err:${err} text:${text.slice(0, 20)}`;
    return {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '8613800138000',
      destination_addr: '10658888',
      esm_class: EsmClass.DELIVERY_RECEIPT,
      data_coding: DataCoding.SMSC_DEFAULT,
      short_message: Buffer.from(form === 'tlv' ? '' : body, 'latin1'),
      ...(form === 'text' ? {} : { receipted_message_id: messageId, message_state: stateByStat[stat] }),
    };
  }

  /** Sends a request to the first receiving session; resolves with its response status (null if none came). */
  private deliver(command: string, fields: Record<string, unknown>): Promise<number | null> {
    const [session] = this.receivingSessions();
    if (!session) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 2_000);
      const sent = session.send(new smpp.PDU(command, fields), (response) => {
        clearTimeout(timer);
        this.esmeResponses.push(response.command_status);
        resolve(response.command_status);
      });
      if (!sent) {
        clearTimeout(timer);
        resolve(null);
      }
    });
  }

  private receivingSessions(): SmppSession[] {
    return [...this.sessions].filter(([, info]) => info.role === 'transceiver' || info.role === 'receiver').map(([session]) => session);
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}

function recordSubmit(pdu: SmppPdu): RecordedSubmit {
  const esmClass = Number(pdu.esm_class);
  const dataCoding = Number(pdu.data_coding);
  const payload = pdu.short_message as Buffer;
  const { concatenation, body } = esmClass & EsmClass.UDH_INDICATOR ? splitUserDataHeader(payload) : { concatenation: null, body: payload };
  return {
    sequenceNumber: pdu.sequence_number,
    messageId: null,
    status: null,
    sourceAddr: String(pdu.source_addr),
    sourceTon: Number(pdu.source_addr_ton),
    sourceNpi: Number(pdu.source_addr_npi),
    destinationAddr: String(pdu.destination_addr),
    destTon: Number(pdu.dest_addr_ton),
    destNpi: Number(pdu.dest_addr_npi),
    dataCoding,
    esmClass,
    registeredDelivery: Number(pdu.registered_delivery),
    udh: concatenation,
    text: decodeText(body, dataCoding),
    finalStat: null,
    receivedAt: performance.now(),
  };
}

function encodeText(text: string, dataCoding: number): Buffer {
  if (dataCoding === DataCoding.SMSC_DEFAULT) return Buffer.from(encodeGsm7Unpacked(text));
  if (dataCoding === DataCoding.UCS2) return Buffer.from(encodeUcs2(text));
  return Buffer.from(text, 'latin1');
}

/** Polls until `condition` holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
