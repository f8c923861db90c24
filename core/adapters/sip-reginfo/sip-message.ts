/**
 * Just enough SIP (RFC 3261) for a subscriber over UDP: parse and build requests and responses,
 * read the headers an event subscription needs. Pure: no sockets, no timers.
 */
import { randomBytes } from 'node:crypto';

export class SipParseError extends Error {
  override readonly name = 'SipParseError';
}

// RFC 3261 7.3.3 compact forms.
const compactForms: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  l: 'content-length',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  v: 'via',
  o: 'event',
  u: 'allow-events',
};

// How headers are written when we build a message.
const canonicalNames: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'min-expires': 'Min-Expires',
  'max-forwards': 'Max-Forwards',
};

function keyOf(name: string): string {
  const lower = name.trim().toLowerCase();
  return compactForms[lower] ?? lower;
}

function canonicalName(name: string): string {
  const key = keyOf(name);
  return canonicalNames[key] ?? key.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** Headers in order, looked up case-insensitively and by compact form. */
export class SipHeaders {
  private readonly entries: { name: string; value: string }[] = [];

  constructor(init?: Iterable<readonly [string, string]>) {
    if (init) for (const [name, value] of init) this.append(name, value);
  }

  append(name: string, value: string): this {
    this.entries.push({ name: canonicalName(name), value: String(value).trim() });
    return this;
  }

  set(name: string, value: string | number): this {
    this.delete(name);
    return this.append(name, String(value));
  }

  delete(name: string): this {
    const key = keyOf(name);
    for (let i = this.entries.length - 1; i >= 0; i--) if (keyOf(this.entries[i]!.name) === key) this.entries.splice(i, 1);
    return this;
  }

  /** The first value of a header, as written (a comma-joined list stays joined). */
  get(name: string): string | undefined {
    const key = keyOf(name);
    return this.entries.find((e) => keyOf(e.name) === key)?.value;
  }

  /** Every value of a header, comma-separated lists split (for Via, Contact, Route, Record-Route). */
  getAll(name: string): string[] {
    const key = keyOf(name);
    return this.entries.filter((e) => keyOf(e.name) === key).flatMap((e) => splitHeaderList(e.value));
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const e of this.entries) yield [e.name, e.value];
  }
}

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

const MAX_MESSAGE_BYTES = 65_535;

/** Parses one datagram. Throws SipParseError on anything that is not a well-formed SIP message. */
export function parseSipMessage(data: Buffer | string): SipMessage {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text.length > MAX_MESSAGE_BYTES) throw new SipParseError(`message too large (${text.length} bytes)`);
  const headEnd = text.indexOf('\r\n\r\n');
  // Some UAs end lines with bare LF; accept them as RFC 3261 7.5 suggests robustness.
  const lfEnd = headEnd === -1 ? text.indexOf('\n\n') : -1;
  if (headEnd === -1 && lfEnd === -1) throw new SipParseError('no empty line after the headers');
  const head = headEnd !== -1 ? text.slice(0, headEnd) : text.slice(0, lfEnd);
  let body = headEnd !== -1 ? text.slice(headEnd + 4) : text.slice(lfEnd + 2);

  // Folded lines continue the previous header (RFC 3261 7.3.1).
  const [startLine = '', ...lines] = head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const headers = new SipHeaders();
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`malformed header line: ${truncate(line)}`);
    const name = line.slice(0, colon).trim();
    if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(name)) throw new SipParseError(`malformed header name: ${truncate(name)}`);
    headers.append(name, line.slice(colon + 1));
  }

  const contentLength = headers.get('content-length');
  if (contentLength !== undefined) {
    if (!/^\d+$/.test(contentLength)) throw new SipParseError(`bad Content-Length: ${truncate(contentLength)}`);
    const length = Number(contentLength);
    const bodyBytes = Buffer.from(body, 'utf8');
    if (bodyBytes.length < length) throw new SipParseError(`body shorter than Content-Length (${bodyBytes.length} < ${length})`);
    body = bodyBytes.subarray(0, length).toString('utf8');
  }

  const response = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(startLine);
  if (response) return { kind: 'response', status: Number(response[1]), reason: response[2] ?? '', headers, body };
  const request = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (request) return { kind: 'request', method: request[1]!.toUpperCase(), uri: request[2]!, headers, body };
  throw new SipParseError(`not a SIP start line: ${truncate(startLine)}`);
}

/** Writes a message; Content-Length is always computed from the body. */
export function serializeSipMessage(message: SipMessage): string {
  const startLine = message.kind === 'request' ? `${message.method} ${message.uri} SIP/2.0` : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = [startLine];
  for (const [name, value] of message.headers) if (keyOf(name) !== 'content-length') lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${Buffer.byteLength(message.body, 'utf8')}`);
  return lines.join('\r\n') + '\r\n\r\n' + message.body;
}

/** The headers every request and response needs before we accept it. */
export function missingMandatoryHeaders(message: SipMessage): string[] {
  const required = ['via', 'from', 'to', 'call-id', 'cseq'];
  return required.filter((name) => !message.headers.has(name));
}

/** Splits a header value on commas that are outside quotes and angle brackets. */
export function splitHeaderList(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < value.length) current += value[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    if (c === ',' && !angle) {
      if (current.trim()) parts.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

export type SipParams = Record<string, string | null>;

/** `;a=b;c` into `{ a: 'b', c: null }`; names are lower-cased, quotes around values removed. */
export function parseParams(text: string): SipParams {
  const params: SipParams = {};
  for (const part of text.split(';')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq === -1) params[trimmed.toLowerCase()] = null;
    else params[trimmed.slice(0, eq).trim().toLowerCase()] = unquote(trimmed.slice(eq + 1).trim());
  }
  return params;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

export interface NameAddr {
  display?: string;
  uri: string;
  params: SipParams;
}

/** From, To, Contact, Route: `"Name" <sip:u@h;uri-param>;tag=x` or `sip:u@h;tag=x`. */
export function parseNameAddr(value: string): NameAddr {
  const text = value.trim();
  const open = text.indexOf('<');
  if (open !== -1) {
    const close = text.indexOf('>', open);
    if (close === -1) throw new SipParseError(`unclosed < in ${truncate(text)}`);
    const display = unquote(text.slice(0, open).trim());
    return { ...(display ? { display } : {}), uri: text.slice(open + 1, close).trim(), params: parseParams(text.slice(close + 1)) };
  }
  // Without angle brackets, parameters after ';' belong to the header, not the URI (RFC 3261 20.10).
  const semi = text.indexOf(';');
  const uri = semi === -1 ? text : text.slice(0, semi);
  if (!uri) throw new SipParseError('empty address');
  return { uri: uri.trim(), params: semi === -1 ? {} : parseParams(text.slice(semi)) };
}

export interface Via {
  transport: string;
  host: string;
  port?: number;
  params: SipParams;
}

export function parseVia(value: string): Via {
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(;.*)?$/.exec(value.trim());
  if (!match) throw new SipParseError(`malformed Via: ${truncate(value)}`);
  const hostPort = match[2]!;
  const ipv6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  const [host, port] = ipv6 ? [ipv6[1]!, ipv6[2]] : hostPort.split(':');
  return { transport: match[1]!.toUpperCase(), host: host!, ...(port ? { port: Number(port) } : {}), params: parseParams(match[3] ?? '') };
}

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(value: string | undefined): CSeq {
  const match = /^(\d{1,10})\s+([A-Za-z]+)$/.exec((value ?? '').trim());
  if (!match) throw new SipParseError(`malformed CSeq: ${truncate(value ?? '(missing)')}`);
  return { seq: Number(match[1]), method: match[2]!.toUpperCase() };
}

export interface SubscriptionState {
  state: 'active' | 'pending' | 'terminated' | string;
  expires?: number;
  reason?: string;
  retryAfter?: number;
}

/** RFC 6665 Subscription-State: `active;expires=600`, `terminated;reason=deactivated;retry-after=10`. */
export function parseSubscriptionState(value: string | undefined): SubscriptionState {
  if (!value) throw new SipParseError('missing Subscription-State');
  const semi = value.indexOf(';');
  const state = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  if (!/^[a-z-]+$/.test(state)) throw new SipParseError(`malformed Subscription-State: ${truncate(value)}`);
  const params = semi === -1 ? {} : parseParams(value.slice(semi));
  const number = (v: string | null | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
  const expires = number(params.expires);
  const retryAfter = number(params['retry-after']);
  return {
    state,
    ...(expires !== undefined ? { expires } : {}),
    ...(params.reason ? { reason: params.reason.toLowerCase() } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

/** The value of a header that holds only a number of seconds (Expires, Min-Expires, Retry-After). */
export function parseSeconds(value: string | undefined): number | undefined {
  const match = /^\s*(\d{1,10})/.exec(value ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The user part of a SIP or tel URI: `sip:+4930123@example.org;user=phone` gives `+4930123`. */
export function uriUser(uri: string): string | undefined {
  const text = uri.trim();
  const match = /^sips?:([^@]+)@/i.exec(text) ?? /^tel:([^;?]+)/i.exec(text);
  if (!match) return undefined;
  // User parameters (RFC 4694 ';npdi', ';rn=') are not part of the number.
  const user = match[1]!.split(';')[0]!;
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}

export function newBranch(): string {
  // The magic cookie marks an RFC 3261 branch (8.1.1.7).
  return 'z9hG4bK' + randomBytes(10).toString('hex');
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

export function newCallId(host: string): string {
  return `${randomBytes(12).toString('hex')}@${host}`;
}

/**
 * A response to a request: Via, From, To, Call-ID and CSeq copied (RFC 3261 8.2.6.2),
 * with our To tag added when the request had none.
 */
export function buildResponse(
  request: SipRequest,
  status: number,
  reason: string,
  options: { toTag?: string; headers?: Iterable<readonly [string, string]>; body?: string } = {},
): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.getAll('via')) headers.append('Via', via);
  for (const name of ['from', 'to', 'call-id', 'cseq']) {
    const value = request.headers.get(name);
    if (value === undefined) continue;
    if (name === 'to' && options.toTag && !/;\s*tag=/i.test(value)) headers.append('To', `${value};tag=${options.toTag}`);
    else headers.append(name, value);
  }
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  return { kind: 'response', status, reason, headers, body: options.body ?? '' };
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
