/**
 * RFC 3680 registration state documents (application/reginfo+xml) into plain data, and the
 * rule that turns a registration into reachable or unreachable. Pure: no I/O.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const REGINFO_CONTENT_TYPE = 'application/reginfo+xml';

export class ReginfoError extends Error {
  override readonly name = 'ReginfoError';
}

export interface ReginfoContact {
  id?: string;
  state: 'active' | 'terminated';
  /** registered, created, refreshed, shortened, expired, deactivated, probation, unregistered, rejected (RFC 3680 5.1). */
  event?: string;
  expires?: number;
  /** The REGISTER's Call-ID (Kamailio's `callid` attribute); a new one means a new boot cycle of the phone. */
  callId?: string;
  uri?: string;
}

export interface ReginfoRegistration {
  aor: string;
  id?: string;
  state: 'init' | 'active' | 'terminated';
  contacts: ReginfoContact[];
}

export interface Reginfo {
  version: number;
  state: 'full' | 'partial';
  registrations: ReginfoRegistration[];
}

const MAX_BODY_CHARS = 256 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'registration' || name === 'contact',
});

type XmlNode = Record<string, unknown>;

const isNode = (value: unknown): value is XmlNode => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(node: XmlNode, name: string): string | undefined {
  const value = node[name];
  if (typeof value === 'string') return value;
  // <uri> with attributes (or an empty element) comes back as an object holding #text.
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'];
  return undefined;
}

function nodes(parent: XmlNode, name: string): XmlNode[] {
  const value = parent[name];
  if (value === undefined || value === '') return [];
  if (!Array.isArray(value)) throw new ReginfoError(`<${name}> is not an element list`);
  // An empty element (<registration/>) with no attributes parses as ''.
  return value.map((item) => (isNode(item) ? item : {}));
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T {
  if (value !== undefined && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ReginfoError(`${what} must be one of ${allowed.join(', ')}; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
}

function nonNegativeInteger(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value)) throw new ReginfoError(`${what} must be a non-negative integer; got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Parses a reginfo document; throws ReginfoError naming what is wrong. */
export function parseReginfo(xml: string): Reginfo {
  if (xml.length > MAX_BODY_CHARS) throw new ReginfoError(`body too large (${xml.length} characters)`);
  // reginfo has no DTD; refusing one keeps entity expansion out.
  if (/<!DOCTYPE/i.test(xml)) throw new ReginfoError('a DOCTYPE is not allowed in reginfo');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ReginfoError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc: unknown = parser.parse(xml);
  const root = isNode(doc) ? doc.reginfo : undefined;
  if (!isNode(root)) throw new ReginfoError('the root element is not <reginfo>');

  const version = nonNegativeInteger(text(root, 'version'), 'reginfo version');
  if (version === undefined) throw new ReginfoError('reginfo version is missing');
  const state = oneOf(text(root, 'state'), ['full', 'partial'] as const, 'reginfo state');

  const registrations = nodes(root, 'registration').map((reg, i): ReginfoRegistration => {
    const aor = text(reg, 'aor');
    if (!aor) throw new ReginfoError(`registration ${i + 1} has no aor`);
    const id = text(reg, 'id');
    const contacts = nodes(reg, 'contact').map((contact, j): ReginfoContact => {
      const where = `contact ${j + 1} of ${aor}`;
      const expires = nonNegativeInteger(text(contact, 'expires'), `${where}: expires`);
      const contactId = text(contact, 'id');
      const event = text(contact, 'event');
      const callId = text(contact, 'callid');
      const uri = text(contact, 'uri');
      return {
        ...(contactId ? { id: contactId } : {}),
        state: oneOf(text(contact, 'state'), ['active', 'terminated'] as const, `${where}: state`),
        ...(event ? { event: event.toLowerCase() } : {}),
        ...(expires !== undefined ? { expires } : {}),
        ...(callId ? { callId } : {}),
        ...(uri ? { uri } : {}),
      };
    });
    return {
      aor,
      ...(id ? { id } : {}),
      state: oneOf(text(reg, 'state'), ['init', 'active', 'terminated'] as const, `registration ${aor}: state`),
      contacts,
    };
  });
  return { version, state, registrations };
}

export type Reachability = 'reachable' | 'unreachable';

/**
 * A registration is active while it has at least one active contact (RFC 3680 5.1.2), and then
 * the phone is reachable; init and terminated mean it is not.
 */
export function registrationReachability(registration: ReginfoRegistration): Reachability {
  if (registration.state === 'active') return 'reachable';
  return 'unreachable';
}

/**
 * Why a registration is unreachable, from its terminated contacts' events (expired, unregistered,
 * deactivated, rejected, probation); 'terminated' when the document does not say.
 */
export function unreachableReason(registration: ReginfoRegistration): string {
  const events = registration.contacts.filter((c) => c.state === 'terminated' && c.event).map((c) => c.event!);
  return events[0] ?? (registration.state === 'init' ? 'init' : 'terminated');
}
