/** Outbound octets and UDH splitting at the part boundaries; inbound UDH and data_coding decoding. */
import { describe, expect, it } from 'vitest';
import { decodeGsm7Unpacked, decodeUcs2 } from '../../domain/sms-encoding';
import { decodeText, encodeOutbound, MalformedMessageError, splitUserDataHeader, UnsupportedDataCodingError } from './encoding';

const body = (shortMessage: Buffer) => splitUserDataHeader(shortMessage).body;

describe('encodeOutbound', () => {
  it('sends 160 GSM-7 characters as one part of unpacked septets with data_coding 0 and no UDH', () => {
    const { encoding, parts } = encodeOutbound('a'.repeat(160), 7);
    expect(encoding).toBe('gsm7');
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ dataCoding: 0, esmClass: 0 });
    expect(parts[0]!.shortMessage).toHaveLength(160);
    expect(parts[0]!.shortMessage[0]).toBe(0x61);
  });

  it('splits 161 GSM-7 characters into 153 + 8 with the 8-bit-reference concatenation UDH and esm_class 0x40', () => {
    const { parts } = encodeOutbound('b'.repeat(161), 0x1a);
    expect(parts.map((part) => part.esmClass)).toEqual([0x40, 0x40]);
    expect([...parts[0]!.shortMessage.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0x1a, 2, 1]);
    expect([...parts[1]!.shortMessage.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0x1a, 2, 2]);
    expect(parts.map((part) => body(part.shortMessage).length)).toEqual([153, 8]);
  });

  it('sends the extension characters as ESC + code and never splits the pair across parts', () => {
    expect([...encodeOutbound('€{', 0).parts[0]!.shortMessage]).toEqual([0x1b, 0x65, 0x1b, 0x28]);
    // 152 septets + '{' (2 septets) would be 154 > 153: the '{' opens part 2 whole.
    const { parts } = encodeOutbound(`${'c'.repeat(152)}{${'d'.repeat(20)}`, 1);
    const [first, second] = parts.map((part) => body(part.shortMessage));
    expect(first).toHaveLength(152);
    expect([...second!.subarray(0, 2)]).toEqual([0x1b, 0x28]);
    expect(parts.map((part) => decodeGsm7Unpacked(body(part.shortMessage))).join('')).toBe(`${'c'.repeat(152)}{${'d'.repeat(20)}`);
  });

  it('sends Chinese as UCS-2 big-endian with data_coding 8: 70 characters in one part, 71 in 67 + 4', () => {
    const single = encodeOutbound('中'.repeat(70), 0);
    expect(single.encoding).toBe('ucs2');
    expect(single.parts).toHaveLength(1);
    expect(single.parts[0]).toMatchObject({ dataCoding: 8, esmClass: 0 });
    expect([...single.parts[0]!.shortMessage.subarray(0, 2)]).toEqual([0x4e, 0x2d]);
    expect(single.parts[0]!.shortMessage).toHaveLength(140);

    const long = encodeOutbound('您'.repeat(71), 3);
    expect(long.parts.map((part) => body(part.shortMessage).length / 2)).toEqual([67, 4]);
    expect(long.parts.every((part) => part.dataCoding === 8)).toBe(true);
  });

  it('keeps a surrogate pair in one part', () => {
    const text = `${'中'.repeat(66)}😀${'文'.repeat(10)}`;
    const { parts } = encodeOutbound(text, 0);
    expect(parts.map((part) => body(part.shortMessage).length / 2)).toEqual([66, 12]);
    expect(parts.map((part) => decodeUcs2(body(part.shortMessage))).join('')).toBe(text);
  });

  it('sends a mixed text with one character outside GSM-7 wholly as UCS-2', () => {
    const { encoding, parts } = encodeOutbound('Missed call from 13800138000 中', 0);
    expect(encoding).toBe('ucs2');
    expect(decodeUcs2(parts[0]!.shortMessage)).toBe('Missed call from 13800138000 中');
  });
});

describe('splitUserDataHeader', () => {
  it('reads 8- and 16-bit concatenation references and skips other elements', () => {
    const eightBit = Buffer.from([0x05, 0x00, 0x03, 0x99, 3, 2, 0x41]);
    expect(splitUserDataHeader(eightBit)).toEqual({ concatenation: { reference: 0x99, total: 3, sequence: 2 }, body: Buffer.from([0x41]) });
    // A port-addressing element (0x05) before a 16-bit concatenation element (0x08).
    const withPorts = Buffer.from([0x0c, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, 0x08, 0x04, 0x12, 0x34, 2, 1, 0x42]);
    expect(splitUserDataHeader(withPorts).concatenation).toEqual({ reference: 0x1234, total: 2, sequence: 1 });
    expect([...splitUserDataHeader(withPorts).body]).toEqual([0x42]);
  });

  it('refuses a header longer than the message or an element that overruns it', () => {
    expect(() => splitUserDataHeader(Buffer.from([0x09, 0x00, 0x03]))).toThrow(MalformedMessageError);
    expect(() => splitUserDataHeader(Buffer.from([0x03, 0x00, 0x05, 0x01]))).toThrow(/overruns/);
    expect(() => splitUserDataHeader(Buffer.alloc(0))).toThrow(MalformedMessageError);
  });
});

describe('decodeText', () => {
  it('decodes GSM-7, IA5, Latin-1 and UCS-2', () => {
    expect(decodeText(Buffer.from([0x44, 0x1b, 0x65, 0x00]), 0)).toBe('D€@');
    expect(decodeText(Buffer.from('D @', 'ascii'), 1)).toBe('D @');
    expect(decodeText(Buffer.from('café', 'latin1'), 3)).toBe('café');
    expect(decodeText(Buffer.from([0x4e, 0x2d, 0x65, 0x87]), 8)).toBe('中文');
  });

  it('refuses data_coding it cannot read, and octets the alphabet cannot hold', () => {
    expect(() => decodeText(Buffer.from([1, 2]), 4)).toThrow(UnsupportedDataCodingError);
    expect(() => decodeText(Buffer.from([1, 2]), 0xf5)).toThrow(/data_coding 0xf5 is not supported/);
    expect(() => decodeText(Buffer.from([0x4e]), 8)).toThrow(RangeError);
    expect(() => decodeText(Buffer.from([0x80]), 0)).toThrow(RangeError);
  });
});
