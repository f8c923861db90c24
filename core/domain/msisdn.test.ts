import { describe, expect, it } from 'vitest';
import type { MsisdnProblem } from './msisdn';
import { MsisdnError, formatNational, isE164, normalizeMsisdn, toE164 } from './msisdn';

function e164Of(input: string, defaultCountryCode?: string): string {
  const result = normalizeMsisdn(input, defaultCountryCode);
  if (!result.ok) throw new Error(`expected '${input}' to be accepted, got ${result.problem}: ${result.message}`);
  return result.e164;
}

describe('normalizeMsisdn: Chinese mobile numbers', () => {
  it.each([
    '+86 138 0013 8000',
    '+8613800138000',
    '008613800138000',
    '0086 138 0013 8000',
    '8613800138000',
    '13800138000',
    '138 0013 8000',
    '138-0013-8000',
    '138.0013.8000',
    '(138) 0013-8000',
    '  13800138000\t',
    '(+86) 138 0013 8000',
    '013800138000', // the 0 once dialled before an out-of-town mobile from a fixed line
    '１３８ ００１３ ８０００', // full-width digits from a Chinese input method
    '＋８６ 13800138000',
  ])('reads %j as +8613800138000', (input) => {
    expect(normalizeMsisdn(input)).toEqual({
      ok: true,
      e164: '+8613800138000',
      countryCode: '86',
      national: '13800138000',
      kind: 'mobile',
    });
  });

  it('accepts every mobile prefix from 13 to 19', () => {
    for (const second of '3456789') expect(e164Of(`1${second}800138000`)).toBe(`+861${second}800138000`);
  });
});

describe('normalizeMsisdn: Chinese fixed lines', () => {
  it.each([
    '010 6552 9988',
    '010-6552-9988',
    '(010) 65529988',
    '01065529988',
    '+86 10 6552 9988',
    '0086 10 6552 9988',
    '+86 (0)10 6552 9988',
    '+86 010 6552 9988',
  ])('reads Beijing %j as +861065529988', (input) => {
    expect(normalizeMsisdn(input)).toEqual({ ok: true, e164: '+861065529988', countryCode: '86', national: '1065529988', kind: 'fixed' });
  });

  it.each(['0755-8888-1234', '0755 8888 1234', '(0755) 88881234', '+86 755 8888 1234'])('reads Shenzhen %j as +8675588881234', (input) => {
    expect(normalizeMsisdn(input)).toEqual({ ok: true, e164: '+8675588881234', countryCode: '86', national: '75588881234', kind: 'fixed' });
  });

  it('takes 2-digit area codes for 10 and 2x, 3-digit ones otherwise, with 7- or 8-digit subscriber numbers', () => {
    expect(e164Of('021 6888 1234')).toBe('+862168881234');
    expect(e164Of('029 8888 123')).toBe('+86298888123');
    expect(e164Of('0571 888 1234')).toBe('+865718881234');
    expect(e164Of('0571 8888 1234')).toBe('+8657188881234');
  });
});

describe('normalizeMsisdn: other countries', () => {
  it.each([
    ['+44 7700 900123', '+447700900123', '44', '7700900123'],
    ['0044 7700 900123', '+447700900123', '44', '7700900123'],
    ['+44 (0)20 7946 0000', '+442079460000', '44', '2079460000'],
    ['+1 (202) 555-0100', '+12025550100', '1', '2025550100'],
    ['+7 912 345 67 89', '+79123456789', '7', '9123456789'],
    ['+852 9123 4567', '+85291234567', '852', '91234567'],
    ['+886 912 345 678', '+886912345678', '886', '912345678'],
    ['+971 50 123 4567', '+971501234567', '971', '501234567'],
    ['+39 06 6988 1234', '+390669881234', '39', '0669881234'], // Italy keeps its leading 0 in E.164
  ])('reads %j', (input, e164, countryCode, national) => {
    expect(normalizeMsisdn(input)).toEqual({ ok: true, e164, countryCode, national, kind: 'unknown' });
  });

  it('accepts an unknown country code when the length fits E.164, without guessing where it ends', () => {
    expect(normalizeMsisdn('+999 1234 5678')).toEqual({
      ok: true,
      e164: '+99912345678',
      countryCode: null,
      national: '99912345678',
      kind: 'unknown',
    });
  });
});

describe('normalizeMsisdn: rejections', () => {
  it.each<[string, MsisdnProblem]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['( ) -', 'empty'],
    ['+', 'empty'],
    ['138OO138000', 'invalid-characters'],
    ['138#0013#8000', 'invalid-characters'],
    ['138_0013_8000', 'invalid-characters'],
    ['138+00138000', 'invalid-characters'],
    ['++8613800138000', 'invalid-characters'],
    ['86+13800138000', 'invalid-characters'],
    ['1380013800', 'too-short'],
    ['138001380001', 'too-long'],
    ['12345678901', 'not-a-number-in-this-country'],
    ['11800138000', 'not-a-number-in-this-country'],
    ['10086', 'too-short'],
    ['06001', 'too-short'],
    ['110', 'too-short'],
    ['95555', 'too-short'],
    ['+86 10086', 'too-short'],
    ['010 6552 99', 'too-short'],
    ['010 6552 99881', 'too-long'],
    ['0755 888 123', 'too-short'],
    ['+86 138 0013 80001', 'too-long'],
    ['+86 120 0013 8000', 'not-a-number-in-this-country'],
    ['6552 9988', 'not-a-number-in-this-country'], // a local fixed-line number without its area code
    ['861065529988', 'not-a-number-in-this-country'], // 86 without '+' is only taken for 13-digit mobile numbers
    ['+86 00 6552 9988', 'not-a-number-in-this-country'],
    ['+0 1234 5678', 'not-a-number-in-this-country'],
    ['+44 1234', 'too-short'],
    ['+44 1234 5678 9012 345', 'too-long'],
    ['+999 1234', 'too-short'],
  ])('rejects %j as %s', (input, problem) => {
    const result = normalizeMsisdn(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.message).toMatch(/^[A-Z'].+[^.]$/);
    }
  });

  it('explains each problem in words an operator can act on', () => {
    const messageOf = (input: string) => {
      const result = normalizeMsisdn(input);
      return result.ok ? null : result.message;
    };
    expect(messageOf('1380013800')).toBe('A Chinese mobile number has 11 digits starting with 13–19; this one has 10');
    expect(messageOf('12345678901')).toBe('A Chinese mobile number starts with 13–19; this one starts with 12');
    expect(messageOf('10086')).toBe('Only 5 digits: this looks like a short service code, not a subscriber number');
    expect(messageOf('010 6552 99')).toBe('A fixed-line number has 7 or 8 digits after the area code 010; this one has 6');
    expect(messageOf('138a0013')).toBe("'a' is not allowed in a phone number; use digits, spaces and + ( ) - . only");
    expect(messageOf('6552 9988')).toMatch(/0 and the area code/);
    expect(messageOf('+44 1234')).toBe('A full number has 8 to 15 digits counting the country code; this one has 6');
  });

  it('never throws on bad input, and whatever it accepts is stable when read again', () => {
    // Seeded, so a failure reproduces.
    let seed = 20240611;
    const nextRandom = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '0123456789000111+()-. x#８';
    for (let i = 0; i < 2000; i++) {
      const input = Array.from({ length: Math.floor(nextRandom() * 18) }, () => alphabet[Math.floor(nextRandom() * alphabet.length)]).join(
        '',
      );
      const result = normalizeMsisdn(input);
      if (!result.ok) continue;
      expect(isE164(result.e164), `${input} -> ${result.e164}`).toBe(true);
      expect(normalizeMsisdn(result.e164)).toEqual(result);
    }
  });
});

describe('normalizeMsisdn with another default country (44)', () => {
  it('drops the trunk 0 of a national number', () => {
    expect(normalizeMsisdn('07700 900123', '44')).toEqual({
      ok: true,
      e164: '+447700900123',
      countryCode: '44',
      national: '7700900123',
      kind: 'unknown',
    });
    expect(e164Of('7700 900123', '44')).toBe('+447700900123');
    expect(e164Of('020 7946 0000', '44')).toBe('+442079460000');
  });

  it('still reads international forms, Chinese numbers included', () => {
    expect(e164Of('0044 7700 900123', '44')).toBe('+447700900123');
    expect(normalizeMsisdn('+86 138 0013 8000', '44')).toMatchObject({ ok: true, e164: '+8613800138000', kind: 'mobile' });
  });

  it('checks the generic E.164 length', () => {
    expect(normalizeMsisdn('999', '44')).toMatchObject({ ok: false, problem: 'too-short' });
    expect(normalizeMsisdn('0 7700 9001 2345 67', '44')).toMatchObject({ ok: false, problem: 'too-long' });
  });

  it('takes the setting with or without a +, and refuses a malformed one loudly', () => {
    expect(e164Of('07700 900123', '+44')).toBe('+447700900123');
    expect(() => normalizeMsisdn('07700 900123', '044')).toThrow(RangeError);
    expect(() => normalizeMsisdn('07700 900123', 'UK')).toThrow(/1 to 3 digits/);
  });
});

describe('toE164', () => {
  it('returns the E.164 form of a good number', () => {
    expect(toE164('138 0013 8000')).toBe('+8613800138000');
    expect(toE164('07700 900123', '44')).toBe('+447700900123');
  });

  it('throws with the explanation and the problem for a bad one', () => {
    expect(() => toE164('1380013800')).toThrow('A Chinese mobile number has 11 digits starting with 13–19; this one has 10');
    try {
      toE164('10086');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MsisdnError);
      expect(error).toBeInstanceOf(Error);
      expect((error as MsisdnError).problem).toBe('too-short');
    }
  });
});

describe('formatNational', () => {
  it('shows numbers of the default country the way the operator dials them', () => {
    expect(formatNational('+8613800138000')).toBe('138 0013 8000');
    expect(formatNational('+861065529988')).toBe('010 6552 9988');
    expect(formatNational('+8675588881234')).toBe('0755 8888 1234');
    expect(formatNational('+865718881234')).toBe('0571 888 1234');
  });

  it('shows foreign numbers with their country code, then groups of digits', () => {
    expect(formatNational('+447700900123')).toBe('+44 7700 900123');
    expect(formatNational('+85291234567')).toBe('+852 9123 4567');
    expect(formatNational('+99912345678')).toBe('+9991 2345 678');
  });

  it('shows Chinese numbers in international form when the default country is another', () => {
    expect(formatNational('+8613800138000', '44')).toBe('+86 138 0013 8000');
    expect(formatNational('+861065529988', '44')).toBe('+86 10 6552 9988');
    expect(formatNational('+447700900123', '44')).toBe('+44 7700 900123');
  });

  it('gives back a value that is not a number unchanged', () => {
    expect(formatNational('withheld')).toBe('withheld');
    expect(formatNational('')).toBe('');
  });
});

describe('isE164', () => {
  it('accepts only the stored form', () => {
    expect(isE164('+8613800138000')).toBe(true);
    expect(isE164('+861065529988')).toBe(true);
    expect(isE164('+447700900123')).toBe(true);
    expect(isE164('+99912345678')).toBe(true);
  });

  it('refuses national forms, separators, impossible numbers and non-canonical writings', () => {
    for (const value of [
      '',
      '+',
      '13800138000',
      '8613800138000',
      '+86 138 0013 8000',
      '+86-13800138000',
      '+8612345678901',
      '+8601065529988',
      '+1234567',
      '+1234567890123456',
    ]) {
      expect(isE164(value), value).toBe(false);
    }
  });
});
