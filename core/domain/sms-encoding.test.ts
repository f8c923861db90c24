import { describe, expect, it } from 'vitest';
import {
  analyzeSms,
  decodeGsm7Unpacked,
  decodeUcs2,
  encodeGsm7Unpacked,
  encodeUcs2,
  fitsInParts,
  gsm7Length,
  isGsm7,
  splitSms,
} from './sms-encoding';

const CHINESE = '中';
const EMOJI = '😀';

// Every character of the 3GPP TS 23.038 basic table (less the escape) and the extension table.
const ALL_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const ALL_EXTENSION = '\f^{}\\[~]|€';

describe('GSM-7 alphabet', () => {
  it('accepts the whole basic and extension tables', () => {
    expect(ALL_BASIC).toHaveLength(127);
    expect(isGsm7(ALL_BASIC + ALL_EXTENSION)).toBe(true);
    expect(gsm7Length(ALL_BASIC)).toBe(127);
    expect(gsm7Length(ALL_EXTENSION)).toBe(20);
  });

  it('rejects what the tables lack', () => {
    // Lower-case ç, the backtick, smart quotes and the no-break space are the usual surprises that force UCS-2.
    for (const char of ['ç', '`', '’', '“', '\u00a0', 'á', CHINESE, EMOJI, '\u001b', '\t']) {
      expect(isGsm7(`abc${char}`), char).toBe(false);
    }
    expect(() => gsm7Length('a中')).toThrow(/U\+4E2D\) at index 1/);
  });

  it('counts extension characters as two septets', () => {
    expect(gsm7Length('{}')).toBe(4);
    expect(analyzeSms('{}')).toMatchObject({ encoding: 'gsm7', units: 4 });
    expect(analyzeSms('€'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, parts: 1, unitsPerPart: 160, remainingInLastPart: 0 });
    expect(analyzeSms('€'.repeat(81))).toMatchObject({ units: 162, parts: 2, unitsPerPart: 153 });
  });
});

describe('analyzeSms', () => {
  it('treats an empty text as one empty part', () => {
    expect(analyzeSms('')).toEqual({ encoding: 'gsm7', units: 0, parts: 1, unitsPerPart: 160, remainingInLastPart: 160 });
    expect(splitSms('')).toEqual(['']);
  });

  it('splits plain ASCII at 160, then every 153', () => {
    expect(analyzeSms('a'.repeat(160))).toEqual({ encoding: 'gsm7', units: 160, parts: 1, unitsPerPart: 160, remainingInLastPart: 0 });
    expect(analyzeSms('a'.repeat(161))).toEqual({ encoding: 'gsm7', units: 161, parts: 2, unitsPerPart: 153, remainingInLastPart: 145 });
    expect(splitSms('a'.repeat(161)).map((part) => part.length)).toEqual([153, 8]);
    expect(analyzeSms('a'.repeat(306))).toMatchObject({ parts: 2, remainingInLastPart: 0 });
    expect(analyzeSms('a'.repeat(307))).toMatchObject({ parts: 3, remainingInLastPart: 152 });
  });

  it('splits Chinese at 70, then every 67', () => {
    expect(analyzeSms(CHINESE.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, parts: 1, unitsPerPart: 70, remainingInLastPart: 0 });
    expect(analyzeSms(CHINESE.repeat(71))).toEqual({ encoding: 'ucs2', units: 71, parts: 2, unitsPerPart: 67, remainingInLastPart: 63 });
    expect(splitSms(CHINESE.repeat(71)).map((part) => part.length)).toEqual([67, 4]);
  });

  it('sends mixed Latin and Chinese as UCS-2, Latin letters one unit each', () => {
    expect(analyzeSms('Missed call from 张伟')).toMatchObject({ encoding: 'ucs2', units: 19, parts: 1, remainingInLastPart: 51 });
    // One non-GSM character turns a 100-letter message from one part into two.
    expect(analyzeSms('a'.repeat(99) + CHINESE)).toMatchObject({ encoding: 'ucs2', units: 100, parts: 2 });
  });

  it('counts an emoji as two UTF-16 units', () => {
    expect(analyzeSms(EMOJI)).toMatchObject({ encoding: 'ucs2', units: 2, parts: 1 });
    expect(analyzeSms(EMOJI.repeat(35))).toMatchObject({ units: 70, parts: 1 });
    expect(analyzeSms(EMOJI.repeat(36))).toMatchObject({ units: 72, parts: 2 });
  });
});

describe('splitSms', () => {
  it('never separates an escape from its character', () => {
    // 152 septets then '€' (2 septets) would make 154: the '€' moves to the next part whole.
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    const parts = splitSms(text);
    expect(parts).toEqual(['a'.repeat(152), '€' + 'b'.repeat(10)]);
    expect(parts.map(gsm7Length)).toEqual([152, 12]);
    expect(analyzeSms(text)).toMatchObject({ units: 164, parts: 2, remainingInLastPart: 141 });
  });

  it('counts the septet lost to an escape when deciding the number of parts', () => {
    // 306 septets would fit 2 x 153, but the escape pair cannot straddle the boundary.
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(152);
    expect(gsm7Length(text)).toBe(306);
    expect(splitSms(text).map(gsm7Length)).toEqual([152, 153, 1]);
    expect(analyzeSms(text).parts).toBe(3);
    expect(fitsInParts(text, 2)).toBe(false);
  });

  it('never splits an emoji across parts', () => {
    const text = CHINESE.repeat(66) + EMOJI + CHINESE.repeat(10);
    const parts = splitSms(text);
    expect(parts).toEqual([CHINESE.repeat(66), EMOJI + CHINESE.repeat(10)]);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(part).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    expect(analyzeSms(text)).toMatchObject({ units: 78, parts: 2, remainingInLastPart: 55 });
  });

  it('keeps every part within its limit and loses nothing', () => {
    const texts = [
      'Hello {name}, you missed a call at [10:42] ~ ' + '€|^\\'.repeat(60),
      '您有一个未接来电 📞 please call back 🙏'.repeat(12),
      'ß@Ç'.repeat(100),
    ];
    for (const text of texts) {
      const layout = analyzeSms(text);
      const parts = splitSms(text);
      expect(parts).toHaveLength(layout.parts);
      expect(parts.join('')).toBe(text);
      for (const part of parts) {
        const units = layout.encoding === 'gsm7' ? gsm7Length(part) : part.length;
        expect(units).toBeLessThanOrEqual(layout.unitsPerPart);
      }
    }
  });
});

describe('fitsInParts', () => {
  it('compares the part count with the limit', () => {
    expect(fitsInParts('', 1)).toBe(true);
    expect(fitsInParts('a'.repeat(160), 1)).toBe(true);
    expect(fitsInParts('a'.repeat(161), 1)).toBe(false);
    expect(fitsInParts('a'.repeat(161), 2)).toBe(true);
    expect(fitsInParts(CHINESE.repeat(201), 3)).toBe(true);
    expect(fitsInParts(CHINESE.repeat(202), 3)).toBe(false);
    expect(fitsInParts('hi', 0)).toBe(false);
  });
});

describe('GSM-7 unpacked encoding', () => {
  it('uses the 3GPP code points', () => {
    expect([...encodeGsm7Unpacked('@')]).toEqual([0x00]);
    expect([...encodeGsm7Unpacked('£')]).toEqual([0x01]);
    expect([...encodeGsm7Unpacked('$')]).toEqual([0x02]);
    expect([...encodeGsm7Unpacked('€')]).toEqual([0x1b, 0x65]);
    expect([...encodeGsm7Unpacked('Ç')]).toEqual([0x09]);
    expect([...encodeGsm7Unpacked('ß')]).toEqual([0x1e]);
    expect([...encodeGsm7Unpacked('A{a')]).toEqual([0x41, 0x1b, 0x28, 0x61]);
    expect([...encodeGsm7Unpacked('\n\r')]).toEqual([0x0a, 0x0d]);
    expect([...encodeGsm7Unpacked('à')]).toEqual([0x7f]);
  });

  it('round trips every character', () => {
    const text = ALL_BASIC + ALL_EXTENSION + '@€ßÇ';
    const bytes = encodeGsm7Unpacked(text);
    expect(bytes).toHaveLength(gsm7Length(text));
    expect(decodeGsm7Unpacked(bytes)).toBe(text);
  });

  it('rejects non-GSM-7 text and bytes', () => {
    expect(() => encodeGsm7Unpacked('ç')).toThrow(RangeError);
    expect(() => decodeGsm7Unpacked(Uint8Array.of(0x41, 0x80))).toThrow(/0x80 at offset 1/);
  });

  it('decodes stray escapes as TS 23.038 says a receiver shows them', () => {
    expect(decodeGsm7Unpacked(Uint8Array.of(0x41, 0x1b))).toBe('A ');
    expect(decodeGsm7Unpacked(Uint8Array.of(0x1b, 0x41))).toBe('A');
  });
});

describe('UCS-2 encoding', () => {
  it('writes UTF-16 big-endian, a surrogate pair as four bytes', () => {
    expect([...encodeUcs2('A中')]).toEqual([0x00, 0x41, 0x4e, 0x2d]);
    expect([...encodeUcs2(EMOJI)]).toEqual([0xd8, 0x3d, 0xde, 0x00]);
  });

  it('round trips Chinese, emoji and Latin', () => {
    const text = '您好，张伟：您有 3 个未接来电 📞🙏 Ça va? €';
    expect(decodeUcs2(encodeUcs2(text))).toBe(text);
    const long = (CHINESE + EMOJI).repeat(5000);
    expect(decodeUcs2(encodeUcs2(long))).toBe(long);
  });

  it('rejects an odd number of bytes', () => {
    expect(() => decodeUcs2(Uint8Array.of(0x00, 0x41, 0x00))).toThrow(/even number/);
  });
});
