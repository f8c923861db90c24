/**
 * Phone numbers to E.164 ('+8613800138000') and back to what an operator reads.
 * Numbers reach the edges in many shapes (network events, SMS commands, console input, CSV imports, IVR digits);
 * everything is stored as E.164. Pure, with no Node or DOM, because the browser console imports it too.
 */

export type MsisdnProblem = 'empty' | 'invalid-characters' | 'too-short' | 'too-long' | 'not-a-number-in-this-country';

/**
 * `national` is the national significant number: the digits after the country code, without a trunk 0
 * ('13800138000', '1065529988'). When the country code is unknown it holds every digit after the '+'.
 */
export type MsisdnResult =
  | { ok: true; e164: string; countryCode: string | null; national: string; kind: 'mobile' | 'fixed' | 'unknown' }
  | { ok: false; problem: MsisdnProblem; message: string };

type Accepted = Extract<MsisdnResult, { ok: true }>;
type Rejected = Extract<MsisdnResult, { ok: false }>;

/** Thrown by toE164; `problem` lets an edge map it to its own error code. */
export class MsisdnError extends Error {
  readonly problem: MsisdnProblem;

  constructor(problem: MsisdnProblem, message: string) {
    super(message);
    this.name = 'MsisdnError';
    this.problem = problem;
  }
}

const CHINA = '86';
const E164_MIN_DIGITS = 8;
const E164_MAX_DIGITS = 15;
// Service codes (110, 10086, 95555) are at most this long; the shortest Chinese subscriber number has 9 significant digits.
const LONGEST_SHORT_CODE = 6;

// Enough to split the country code off common numbers. ITU codes are prefix-free, so at most one entry matches.
const KNOWN_COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 ' +
    '90 91 92 93 94 95 98 212 234 254 351 352 353 358 380 420 852 853 855 856 880 886 966 971 972'
  ).split(' '),
);

/** Parses a number written in any of the accepted forms; bad input gives `{ ok: false }`, never a throw. */
export function normalizeMsisdn(input: string, defaultCountryCode: string = CHINA): MsisdnResult {
  const homeCountryCode = checkCountryCodeSetting(defaultCountryCode);
  const text = foldFullWidth(input).trim();
  if (text === '') return reject('empty', 'The number is empty');

  const stray = /[^\d\s().+-]/.exec(text);
  if (stray) return reject('invalid-characters', `'${stray[0]}' is not allowed in a phone number; use digits, spaces and + ( ) - . only`);
  const plusAt = text.indexOf('+');
  // '(+86) 138…' is a common written form, so the '+' only has to come before every digit.
  if (plusAt !== -1 && (text.includes('+', plusAt + 1) || /\d/.test(text.slice(0, plusAt)))) {
    return reject('invalid-characters', 'A + may appear only once, at the start of the number');
  }

  const digits = digitsOf(text);
  if (digits === '') return reject('empty', 'The number has no digits');

  if (plusAt !== -1) return parseInternational(digitsOf(withoutWrittenTrunk(text)));
  if (digits.startsWith('00')) return parseInternational(digitsOf(withoutWrittenTrunk(text)).slice(2));
  // 86 + a mobile number: no Chinese national number starts with 86, and 13 digits can only be this.
  if (homeCountryCode === CHINA && /^861\d{10}$/.test(digits)) return parseInternational(digits);
  if (homeCountryCode === CHINA) return parseChineseNational(digits);
  return parseOtherNational(digits, homeCountryCode);
}

/** For validated callers: returns E.164 or throws an Error whose message explains the problem (used at edges that already validated). */
export function toE164(input: string, defaultCountryCode?: string): string {
  const result = normalizeMsisdn(input, defaultCountryCode);
  if (!result.ok) throw new MsisdnError(result.problem, result.message);
  return result.e164;
}

/**
 * Display as the operator reads it: Chinese mobile '138 0013 8000', Beijing fixed '010 6552 9988', Shenzhen '0755 8888 1234'
 * when the number is in the default country; otherwise '+44 7700 900123' (country code, then groups of digits).
 * Only Chinese national layouts are known, so with another default every number is shown in international form.
 * A value that is not a number comes back unchanged, so a bad stored value never breaks a screen.
 */
export function formatNational(e164: string, defaultCountryCode: string = CHINA): string {
  const homeCountryCode = checkCountryCodeSetting(defaultCountryCode);
  const parsed = normalizeMsisdn(e164, homeCountryCode);
  if (!parsed.ok) return e164;
  if (parsed.countryCode === CHINA) {
    if (homeCountryCode !== CHINA) return `+86 ${groupChinese(parsed)}`;
    return parsed.kind === 'fixed' ? `0${groupChinese(parsed)}` : groupChinese(parsed);
  }
  return parsed.countryCode === null ? `+${groupDigits(parsed.national)}` : `+${parsed.countryCode} ${groupDigits(parsed.national)}`;
}

/** True only for the stored form: '+' and digits, exactly as normalizeMsisdn writes it (e.g. for comparing list entries). */
export function isE164(value: string): boolean {
  if (!/^\+\d+$/.test(value)) return false;
  const parsed = normalizeMsisdn(value);
  return parsed.ok && parsed.e164 === value;
}

/** `digits` follow the '+' or the 00 international prefix. */
function parseInternational(digits: string): MsisdnResult {
  if (digits.startsWith('0'))
    return reject('not-a-number-in-this-country', 'A country code never starts with 0; check the digits after the + or 00');
  const countryCode = splitCountryCode(digits);
  // People often keep the trunk 0 after +86 ('+86 010 6552 9988'); a Chinese significant number never starts with 0.
  if (countryCode === CHINA) {
    const national = digits.slice(CHINA.length).replace(/^0/, '');
    return national.length <= LONGEST_SHORT_CODE ? rejectShortCode(national.length) : checkChineseNumber(national);
  }
  const lengthProblem = checkE164Length(digits.length);
  if (lengthProblem) return lengthProblem;
  return accept(countryCode, countryCode === null ? digits : digits.slice(countryCode.length), 'unknown');
}

function parseChineseNational(digits: string): MsisdnResult {
  if (digits.length <= LONGEST_SHORT_CODE) return rejectShortCode(digits.length);
  if (digits.startsWith('0')) return checkChineseNumber(digits.slice(1));
  if (digits.startsWith('1')) return checkChineseMobile(digits);
  return reject(
    'not-a-number-in-this-country',
    'A Chinese number starts with 1 (mobile) or with 0 and the area code (fixed line); for a number abroad, start with + or 00',
  );
}

/** Generic rule for a non-Chinese default: an optional trunk 0, then the significant number. */
function parseOtherNational(digits: string, countryCode: string): MsisdnResult {
  const national = digits.startsWith('0') ? digits.slice(1) : digits;
  const lengthProblem = checkE164Length(countryCode.length + national.length);
  if (lengthProblem) return lengthProblem;
  return accept(countryCode, national, 'unknown');
}

/** `national` is the significant number, without the trunk 0. */
function checkChineseNumber(national: string): MsisdnResult {
  // Beijing's area code 10 is the only significant number starting with 1 that is not a mobile number.
  if (national.startsWith('1') && !national.startsWith('10')) return checkChineseMobile(national);
  if (/^[1-9]/.test(national)) return checkChineseFixedLine(national);
  return reject('not-a-number-in-this-country', 'A Chinese area code never starts with 0; check the digits after the first 0');
}

function checkChineseMobile(national: string): MsisdnResult {
  const message = `A Chinese mobile number has 11 digits starting with 13–19; this one has ${national.length}`;
  if (national.length < 11) return reject('too-short', message);
  if (national.length > 11) return reject('too-long', message);
  if (!/^1[3-9]/.test(national)) {
    return reject(
      'not-a-number-in-this-country',
      `A Chinese mobile number starts with 13–19; this one starts with ${national.slice(0, 2)}`,
    );
  }
  return accept(CHINA, national, 'mobile');
}

function checkChineseFixedLine(national: string): MsisdnResult {
  const areaCode = national.slice(0, chineseAreaCodeLength(national));
  const subscriber = national.slice(areaCode.length);
  const message = `A fixed-line number has 7 or 8 digits after the area code 0${areaCode}; this one has ${subscriber.length}`;
  if (subscriber.length < 7) return reject('too-short', message);
  if (subscriber.length > 8) return reject('too-long', message);
  return accept(CHINA, national, 'fixed');
}

/** Beijing (10) and the 2x cities have 2-digit area codes; every other area code has 3 digits. */
function chineseAreaCodeLength(national: string): number {
  return /^(10|2)/.test(national) ? 2 : 3;
}

function checkE164Length(digitCount: number): Rejected | null {
  if (digitCount >= E164_MIN_DIGITS && digitCount <= E164_MAX_DIGITS) return null;
  const problem = digitCount < E164_MIN_DIGITS ? 'too-short' : 'too-long';
  return reject(problem, `A full number has 8 to 15 digits counting the country code; this one has ${digitCount}`);
}

function splitCountryCode(digits: string): string | null {
  for (const length of [1, 2, 3]) {
    const candidate = digits.slice(0, length);
    if (KNOWN_COUNTRY_CODES.has(candidate)) return candidate;
  }
  return null;
}

function groupChinese(parsed: Accepted): string {
  const national = parsed.national;
  if (parsed.kind === 'mobile') return `${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
  const areaCode = national.slice(0, chineseAreaCodeLength(national));
  const subscriber = national.slice(areaCode.length);
  // 8-digit subscriber numbers read 4 + 4, 7-digit ones 3 + 4.
  const split = subscriber.length - 4;
  return `${areaCode} ${subscriber.slice(0, split)} ${subscriber.slice(split)}`;
}

/** No per-country layouts: blocks of four, and a last block of 1–2 digits joins the one before so nothing dangles. */
function groupDigits(digits: string): string {
  const groups = digits.match(/\d{1,4}/g) ?? [];
  const last = groups.at(-1);
  if (groups.length > 1 && last !== undefined && last.length < 3) groups.splice(-2, 2, `${groups.at(-2) ?? ''}${last}`);
  return groups.join(' ');
}

/** A '(0)' after the country code marks the trunk prefix that is dropped when dialling from abroad ('+44 (0)20 …'). */
function withoutWrittenTrunk(text: string): string {
  return text.replace(/(\d\s*)\(0\)/, '$1');
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** Chinese input methods and spreadsheets often produce full-width digits and symbols ('１３８…', '＋８６'). */
function foldFullWidth(text: string): string {
  return text.replace(/[\uFF08\uFF09\uFF0B\uFF0D\uFF0E\uFF10-\uFF19]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
}

/** A bad default is a configuration error, not bad input, so it throws. Settings may store it as '86' or '+86'. */
function checkCountryCodeSetting(countryCode: string): string {
  const digits = countryCode.trim().replace(/^\+/, '');
  if (!/^[1-9]\d{0,2}$/.test(digits))
    throw new RangeError(`The default country code must be 1 to 3 digits, such as 86; got '${countryCode}'`);
  return digits;
}

function rejectShortCode(digitCount: number): Rejected {
  return reject('too-short', `Only ${digitCount} digits: this looks like a short service code, not a subscriber number`);
}

function accept(countryCode: string | null, national: string, kind: Accepted['kind']): Accepted {
  return { ok: true, e164: `+${countryCode ?? ''}${national}`, countryCode, national, kind };
}

function reject(problem: MsisdnProblem, message: string): Rejected {
  return { ok: false, problem, message };
}
