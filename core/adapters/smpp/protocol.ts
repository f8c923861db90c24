/**
 * The SMPP 3.4 constants we use, and the `smpp` package set up for them.
 * Import the package through this module only, so the raw-octets setup below always applies.
 */
import smpp from 'smpp';

// The package decodes short_message and message_payload by its own idea of data_coding (it reads 0 and 1 as its
// GSM table, and drops what it cannot map). We encode and decode the octets ourselves, so hand them over untouched.
// Outbound Buffers already pass through its encoder unchanged.
smpp.filters.message.decode = (value) => value;

export { smpp };
export type SmppSession = smpp.Session;
export type SmppPdu = smpp.PDU;

export const INTERFACE_VERSION_3_4 = 0x34;

export const CommandStatus = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDID: 0x03,
  ESME_RALYBND: 0x05,
  ESME_RSYSERR: 0x08,
  ESME_RINVMSGID: 0x0c,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RREPLACEFAIL: 0x13,
  ESME_RMSGQFUL: 0x14,
  ESME_RINVSYSTYP: 0x53,
  ESME_RTHROTTLED: 0x58,
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
} as const;

const statusNameByCode = new Map<number, string>(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

const statusMeaning: Record<number, string> = {
  [CommandStatus.ESME_RINVPASWD]: 'invalid password',
  [CommandStatus.ESME_RINVSYSID]: 'invalid system_id',
  [CommandStatus.ESME_RBINDFAIL]: 'bind failed',
  [CommandStatus.ESME_RALYBND]: 'already bound',
  [CommandStatus.ESME_RINVSYSTYP]: 'invalid system_type',
  [CommandStatus.ESME_RTHROTTLED]: 'throttled: submitting too fast',
  [CommandStatus.ESME_RMSGQFUL]: 'message queue full',
  [CommandStatus.ESME_RSYSERR]: 'system error',
};

/** 'ESME_RINVPASWD (0x0000000E): invalid password' — the name an engineer looks up, with the code as sent. */
export function describeStatus(status: number): string {
  const name = statusNameByCode.get(status) ?? 'unknown status';
  const code = `0x${status.toString(16).toUpperCase().padStart(8, '0')}`;
  const meaning = statusMeaning[status];
  return meaning ? `${name} (${code}): ${meaning}` : `${name} (${code})`;
}

/** esm_class bits (SMPP 3.4 §5.2.12). */
export const EsmClass = {
  MESSAGE_TYPE_MASK: 0x3c,
  DELIVERY_RECEIPT: 0x04,
  INTERMEDIATE_NOTIFICATION: 0x20,
  UDH_INDICATOR: 0x40,
} as const;

/** data_coding values (SMPP 3.4 §5.2.19) we send or accept. */
export const DataCoding = {
  SMSC_DEFAULT: 0x00,
  IA5: 0x01,
  LATIN1: 0x03,
  UCS2: 0x08,
} as const;

/** message_state TLV values (SMPP 3.4 §5.2.28). */
export const MessageState = {
  SCHEDULED: 0,
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
  SKIPPED: 9,
} as const;
