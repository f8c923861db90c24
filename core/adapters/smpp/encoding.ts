/**
 * Octets on the wire: outbound texts as submit_sm parts (data_coding always explicit, concatenation UDH),
 * inbound short_message as text. Sizing and alphabet rules come from core/domain/sms-encoding, so the engine's
 * part count, the console's counter and what goes out always agree.
 */
import {
  decodeGsm7Unpacked,
  decodeUcs2,
  encodeGsm7Unpacked,
  encodeUcs2,
  isGsm7,
  splitSms,
  type SmsEncoding,
} from '../../domain/sms-encoding';
import { DataCoding, EsmClass } from './protocol';

export interface OutboundPart {
  /** UDH (if any) followed by the encoded text. */
  shortMessage: Buffer;
  dataCoding: number;
  esmClass: number;
}

export interface OutboundMessage {
  encoding: SmsEncoding;
  parts: OutboundPart[];
}

/** IEI 0x00: concatenated short messages, 8-bit reference (3GPP TS 23.040 §9.2.3.24.1). */
const IEI_CONCAT_8BIT = 0x00;
/** IEI 0x08: the same with a 16-bit reference. */
const IEI_CONCAT_16BIT = 0x08;

/**
 * GSM-7 texts go as unpacked septets with data_coding 0 (the SMSC default alphabet), anything else as UCS-2 with
 * data_coding 8. A long text is split where splitSms splits it (153 septets or 67 UTF-16 units per part, never
 * inside an escape pair or a surrogate pair); each part carries the 8-bit-reference concatenation UDH.
 */
export function encodeOutbound(text: string, reference: number): OutboundMessage {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const dataCoding = encoding === 'gsm7' ? DataCoding.SMSC_DEFAULT : DataCoding.UCS2;
  const encode = encoding === 'gsm7' ? encodeGsm7Unpacked : encodeUcs2;
  const texts = splitSms(text);
  if (texts.length === 1) return { encoding, parts: [{ shortMessage: Buffer.from(encode(text)), dataCoding, esmClass: 0 }] };
  if (texts.length > 255) throw new RangeError(`A text of ${texts.length} parts is too long: concatenation allows at most 255`);
  const parts = texts.map((partText, index) => {
    const udh = Buffer.from([0x05, IEI_CONCAT_8BIT, 0x03, reference & 0xff, texts.length, index + 1]);
    return { shortMessage: Buffer.concat([udh, encode(partText)]), dataCoding, esmClass: EsmClass.UDH_INDICATOR };
  });
  return { encoding, parts };
}

export interface Concatenation {
  reference: number;
  total: number;
  /** 1-based. */
  sequence: number;
}

export class MalformedMessageError extends Error {
  override readonly name = 'MalformedMessageError';
}

/** Splits a short_message sent with the UDH indicator into its concatenation header (if any) and the text octets. */
export function splitUserDataHeader(payload: Uint8Array): { concatenation: Concatenation | null; body: Uint8Array } {
  const headerLength = payload[0];
  if (headerLength === undefined || headerLength + 1 > payload.length) {
    throw new MalformedMessageError(`UDH length ${headerLength ?? 'missing'} does not fit a ${payload.length}-octet short_message`);
  }
  let concatenation: Concatenation | null = null;
  let offset = 1;
  while (offset < headerLength + 1) {
    const iei = payload[offset];
    const length = payload[offset + 1];
    if (length === undefined || offset + 2 + length > headerLength + 1) {
      throw new MalformedMessageError(`UDH information element 0x${(iei ?? 0).toString(16)} overruns the header`);
    }
    const data = payload.subarray(offset + 2, offset + 2 + length);
    if (iei === IEI_CONCAT_8BIT && length === 3) concatenation = { reference: data[0]!, total: data[1]!, sequence: data[2]! };
    if (iei === IEI_CONCAT_16BIT && length === 4) {
      concatenation = { reference: (data[0]! << 8) | data[1]!, total: data[2]!, sequence: data[3]! };
    }
    offset += 2 + length;
  }
  return { concatenation, body: payload.subarray(headerLength + 1) };
}

export class UnsupportedDataCodingError extends Error {
  override readonly name = 'UnsupportedDataCodingError';
  constructor(readonly dataCoding: number) {
    super(`data_coding 0x${dataCoding.toString(16).padStart(2, '0')} is not supported (accepted: 0 GSM-7, 1 IA5, 3 Latin-1, 8 UCS-2)`);
  }
}

const decoders: Record<number, (octets: Uint8Array) => string> = {
  [DataCoding.SMSC_DEFAULT]: decodeGsm7Unpacked,
  // IA5 is 7-bit ASCII; a stray high octet is read as Latin-1 rather than refusing the whole message.
  [DataCoding.IA5]: (octets) => Buffer.from(octets).toString('latin1'),
  [DataCoding.LATIN1]: (octets) => Buffer.from(octets).toString('latin1'),
  [DataCoding.UCS2]: decodeUcs2,
};

export function isSupportedDataCoding(dataCoding: number): boolean {
  return dataCoding in decoders;
}

/** Text of inbound octets; throws UnsupportedDataCodingError, or RangeError for octets the alphabet cannot hold. */
export function decodeText(octets: Uint8Array, dataCoding: number): string {
  const decode = decoders[dataCoding];
  if (!decode) throw new UnsupportedDataCodingError(dataCoding);
  return decode(octets);
}
