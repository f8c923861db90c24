/** Sample values for template previews, and the characters that push an otherwise GSM-7 text into UCS-2. */
import type { TFunction } from 'i18next';
import type { ServiceRules } from '../../../core/api/rules';
import { formatSmsTime } from '../../../core/domain/local-time';
import { formatNational } from '../../../core/domain/msisdn';
import { isGsm7 } from '../../../core/domain/sms-encoding';
import { renderTemplate, smsWords, type TemplateLanguage } from '../../../core/domain/sms-templates';

/** A fixed moment, so previews do not change while one looks at them. */
const sampleFirst = Date.UTC(2026, 10, 25, 1, 5);
const sampleLast = Date.UTC(2026, 10, 25, 2, 40);

/**
 * Values for every placeholder, as the core would fill them for a subscriber reading `language`.
 * `smsT` is the catalogue fixed to the SMS language (not the console's), for the free-text samples.
 */
export function sampleValues(
  language: TemplateLanguage,
  rules: ServiceRules,
  smsT: TFunction,
  detailLine: string,
): Record<string, string | number> {
  const words = smsWords[language];
  const firstTime = formatSmsTime(sampleFirst, language, rules.timeZone);
  const lastTime = formatSmsTime(sampleLast, language, rules.timeZone);
  const caller = formatNational('+8613912345678', rules.defaultCountryCode);
  const callerValues = { caller, count: 2, countTimes: words.times(2), firstTime, lastTime, firstTimeNote: words.firstNote(firstTime) };
  const secondLine = renderTemplate(detailLine, {
    ...callerValues,
    caller: words.unknownNumber,
    count: 1,
    countTimes: words.times(1),
    firstTimeNote: '',
  });
  return {
    ...callerValues,
    callback: formatNational('+8613800138000', rules.defaultCountryCode),
    voicemailNumber: rules.voicemailNumber,
    message: smsT('templates.samples.message'),
    serviceName: words.services.missedCallAlert,
    shortCode: rules.shortCode,
    windowHours: rules.expiryHours.detailWindow,
    queryNumber: rules.queryNumber,
    detailPrice: (rules.detailPriceFen / 100).toFixed(2),
    lines: `${renderTemplate(detailLine, callerValues)}\n${secondLine}`,
    user: caller,
    summary: smsT('templates.samples.summary', { number: caller }),
    reason: smsT('templates.samples.reason'),
    missedCallAlert: words.on,
    reachableAlert: words.off,
    privacy: words.privacy.all,
    pending: 2,
  };
}

/** Look-alikes that GSM-7 can carry, for the usual culprits of word processors. */
const gsmLookAlikes: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u2032': "'",
  '\u00B4': "'",
  '`': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00A0': ' ',
  '\u2009': ' ',
  '\u202F': ' ',
  '\u2022': '-',
  '\u00D7': 'x',
};

export interface Ucs2Culprits {
  /** Distinct characters outside GSM-7, in order of appearance. */
  chars: string[];
  /** True when every culprit has a GSM-7 look-alike. */
  replaceable: boolean;
}

/**
 * The characters that force UCS-2 on a text that is otherwise GSM-7 (a curly quote pasted from a word processor);
 * null when the text is GSM-7, or when it is really written in another script (Chinese needs UCS-2 anyway).
 */
export function ucs2Culprits(text: string): Ucs2Culprits | null {
  const all = Array.from(text);
  const outside = all.filter((c) => !isGsm7(c));
  if (outside.length === 0) return null;
  // More than a handful, or a sizeable share of the text: the language needs UCS-2; nothing to warn about.
  if (outside.length > 5 && outside.length > all.length * 0.1) return null;
  const chars = [...new Set(outside)];
  return { chars, replaceable: chars.every((c) => c in gsmLookAlikes) };
}

export function replaceLookAlikes(text: string): string {
  return Array.from(text, (c) => gsmLookAlikes[c] ?? c).join('');
}

export function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const shown = /\s/.test(char) ? '␣' : char;
  return `${shown} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}
