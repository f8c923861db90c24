/**
 * SMS length, splitting and SMPP payload encoding (3GPP TS 23.038 GSM-7 and UCS-2).
 * Pure and free of Node and DOM, because the console counts characters with the same rules the core sends with.
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsLayout {
  encoding: SmsEncoding;
  /** GSM-7 septets (extension characters count 2) or UTF-16 code units. */
  units: number;
  /** 1 for an empty text. */
  parts: number;
  /** Units per part for this message: 160/153 (gsm7) or 70/67 (ucs2). */
  unitsPerPart: number;
  /** Units still free in the last part before another part is needed. */
  remainingInLastPart: number;
}

const ESCAPE = 0x1b;

// The basic table, indexed by septet value, one row of 16 per line. 0x1B is the escape, never a character of its own.
const GSM7_BASIC_TABLE =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNO' +
  'PQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmno' +
  'pqrstuvwxyzäöñüà';

// The extension table: each is sent as ESC + code, so it costs two septets.
const GSM7_EXTENSION_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
];

const basicCodeByChar = new Map<string, number>();
for (let code = 0; code < GSM7_BASIC_TABLE.length; code++) {
  if (code !== ESCAPE) basicCodeByChar.set(GSM7_BASIC_TABLE.charAt(code), code);
}
const extensionCodeByChar = new Map<string, number>(GSM7_EXTENSION_TABLE);
const extensionCharByCode = new Map<number, string>(GSM7_EXTENSION_TABLE.map(([char, code]) => [code, char]));

const GSM7_SINGLE_PART = 160;
const GSM7_MULTI_PART = 153;
const UCS2_SINGLE_PART = 70;
const UCS2_MULTI_PART = 67;

function gsm7Septets(char: string): number | undefined {
  if (basicCodeByChar.has(char)) return 1;
  if (extensionCodeByChar.has(char)) return 2;
  return undefined;
}

export function isGsm7(text: string): boolean {
  // Every GSM-7 character is a single BMP code unit, so a surrogate half is simply not found.
  for (let i = 0; i < text.length; i++) {
    if (gsm7Septets(text.charAt(i)) === undefined) return false;
  }
  return true;
}

/** Septets needed for the text; throws if it is not GSM-7. */
export function gsm7Length(text: string): number {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const cost = gsm7Septets(text.charAt(i));
    if (cost === undefined) throw new RangeError(`Not a GSM-7 character: ${describeChar(text, i)}`);
    septets += cost;
  }
  return septets;
}

interface SmsPiece {
  text: string;
  units: number;
}

/** The smallest pieces a split may not cut: one GSM-7 character (escape pair included) or one code point. */
function piecesOf(text: string, encoding: SmsEncoding): SmsPiece[] {
  if (encoding === 'gsm7') return Array.from(text, (char) => ({ text: char, units: gsm7Septets(char) ?? 1 }));
  // for...of walks code points, so a surrogate pair stays together; a lone surrogate is one unit.
  return Array.from(text, (codePoint) => ({ text: codePoint, units: codePoint.length }));
}

interface SmsPlan {
  encoding: SmsEncoding;
  units: number;
  unitsPerPart: number;
  parts: { text: string; units: number }[];
}

function planSms(text: string): SmsPlan {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const singlePart = encoding === 'gsm7' ? GSM7_SINGLE_PART : UCS2_SINGLE_PART;
  const multiPart = encoding === 'gsm7' ? GSM7_MULTI_PART : UCS2_MULTI_PART;
  const pieces = piecesOf(text, encoding);
  const units = pieces.reduce((sum, piece) => sum + piece.units, 0);
  if (units <= singlePart) return { encoding, units, unitsPerPart: singlePart, parts: [{ text, units }] };

  // Greedy fill: a piece that does not fit whole starts the next part, so parts may hold one unit fewer.
  const parts: { text: string; units: number }[] = [];
  let current = { text: '', units: 0 };
  for (const piece of pieces) {
    if (current.units + piece.units > multiPart) {
      parts.push(current);
      current = { text: '', units: 0 };
    }
    current.text += piece.text;
    current.units += piece.units;
  }
  parts.push(current);
  return { encoding, units, unitsPerPart: multiPart, parts };
}

export function analyzeSms(text: string): SmsLayout {
  const plan = planSms(text);
  const lastPart = plan.parts[plan.parts.length - 1];
  return {
    encoding: plan.encoding,
    units: plan.units,
    parts: plan.parts.length,
    unitsPerPart: plan.unitsPerPart,
    remainingInLastPart: plan.unitsPerPart - (lastPart?.units ?? 0),
  };
}

/** The text of each part, in order, split as the handset will show them. An empty text is one empty part. */
export function splitSms(text: string): string[] {
  return planSms(text).parts.map((part) => part.text);
}

/** Packs a message into at most `maxParts` parts: true if it fits. */
export function fitsInParts(text: string, maxParts: number): boolean {
  return analyzeSms(text).parts <= maxParts;
}

/**
 * GSM-7 as unpacked septet values (one per octet, extension chars as 0x1B + code), which is what SMPP short_message
 * carries with data_coding 0. Throws on non-GSM-7 text.
 */
export function encodeGsm7Unpacked(text: string): Uint8Array {
  const bytes = new Uint8Array(gsm7Length(text));
  let offset = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const basicCode = basicCodeByChar.get(char);
    if (basicCode !== undefined) {
      bytes[offset++] = basicCode;
    } else {
      bytes[offset++] = ESCAPE;
      bytes[offset++] = extensionCodeByChar.get(char) ?? 0;
    }
  }
  return bytes;
}

export function decodeGsm7Unpacked(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const septet = bytes[i] ?? 0;
    if (septet > 0x7f) throw new RangeError(`Not a GSM-7 septet: 0x${septet.toString(16)} at offset ${i}`);
    if (septet !== ESCAPE) {
      text += GSM7_BASIC_TABLE.charAt(septet);
      continue;
    }
    const next = bytes[++i];
    // TS 23.038: a trailing escape shows as a space, an unknown extension code as its basic-table character.
    if (next === undefined) text += ' ';
    else if (next > 0x7f) throw new RangeError(`Not a GSM-7 septet: 0x${next.toString(16)} at offset ${i}`);
    else text += extensionCharByCode.get(next) ?? (next === ESCAPE ? ' ' : GSM7_BASIC_TABLE.charAt(next));
  }
  return text;
}

/** UCS-2 big-endian (UTF-16BE) bytes, as SMPP data_coding 8 carries. */
export function encodeUcs2(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const codeUnit = text.charCodeAt(i);
    bytes[2 * i] = codeUnit >> 8;
    bytes[2 * i + 1] = codeUnit & 0xff;
  }
  return bytes;
}

export function decodeUcs2(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new RangeError(`UCS-2 needs an even number of bytes, got ${bytes.length}`);
  const codeUnits: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) codeUnits.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // Chunked so a long concatenated payload cannot overflow the argument limit of fromCharCode.
  let text = '';
  for (let i = 0; i < codeUnits.length; i += 4096) text += String.fromCharCode(...codeUnits.slice(i, i + 4096));
  return text;
}

function describeChar(text: string, index: number): string {
  const codePoint = text.codePointAt(index) ?? 0;
  return `'${String.fromCodePoint(codePoint)}' (U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}) at index ${index}`;
}
