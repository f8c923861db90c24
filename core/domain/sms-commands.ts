/**
 * Self-care by SMS to the short code. English keywords always work
 * (case-insensitive); operators add aliases, e.g. Chinese keywords.
 *
 *   D · Q · OPEN [MCA|RA|VM] · CLOSE [MCA|RA|VM] · BL+n / BL-n · WL+n / WL-n
 *   PRIVACY ALL|WL|NONE · LANG EN|ZH · HELP
 */
import type { SmsCommandName } from '../api/rules';
import type { PrivacyMode } from './parties';

export type ServiceName = 'missedCallAlert' | 'reachableAlert' | 'voicemail';

export type SmsCommand =
  | { command: 'details' }
  | { command: 'query' }
  | { command: 'help' }
  | { command: 'open' | 'close'; service: ServiceName }
  | { command: 'blacklist-add' | 'blacklist-remove' | 'whitelist-add' | 'whitelist-remove'; number: string }
  | { command: 'privacy'; mode: PrivacyMode }
  | { command: 'language'; language: 'en' | 'zh-CN' }
  | { command: 'unknown'; text: string };

/** The English keywords, which always work; operators' aliases come on top. */
export const englishKeywords: Record<SmsCommandName, string[]> = {
  details: ['D', 'DETAIL', 'DETAILS'],
  query: ['Q', 'QUERY', 'STATUS'],
  open: ['OPEN', 'START'],
  close: ['CLOSE', 'STOP'],
  'blacklist-add': ['BL+', 'BLADD'],
  'blacklist-remove': ['BL-', 'BLDEL'],
  'whitelist-add': ['WL+', 'WLADD'],
  'whitelist-remove': ['WL-', 'WLDEL'],
  privacy: ['PRIVACY'],
  language: ['LANG', 'LANGUAGE'],
  help: ['HELP', '?'],
};

const serviceWords: Record<string, ServiceName> = {
  MCA: 'missedCallAlert',
  MISSED: 'missedCallAlert',
  来电提醒: 'missedCallAlert',
  RA: 'reachableAlert',
  REACHABLE: 'reachableAlert',
  开机提醒: 'reachableAlert',
  VM: 'voicemail',
  VOICEMAIL: 'voicemail',
  语音信箱: 'voicemail',
};

const privacyWords: Record<string, PrivacyMode> = {
  ALL: 'all',
  EVERYONE: 'all',
  WL: 'whitelist',
  WHITELIST: 'whitelist',
  NONE: 'nobody',
  NOBODY: 'nobody',
  所有人: 'all',
  白名单: 'whitelist',
  不告知: 'nobody',
};
const languageWords: Record<string, 'en' | 'zh-CN'> = { EN: 'en', ENGLISH: 'en', ZH: 'zh-CN', CN: 'zh-CN', 中文: 'zh-CN' };

/** Normalises full-width characters (common on Chinese handsets) and spacing. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u3000\s]+/g, ' ')
    .trim();
}

export function parseSmsCommand(raw: string, aliases: Partial<Record<SmsCommandName, string[]>> = {}): SmsCommand {
  const text = normalise(raw);
  const upper = text.toUpperCase();
  const names = Object.keys(englishKeywords) as SmsCommandName[];
  // Longest keyword first, so "BL+" is not read as something shorter.
  const candidates = names
    .flatMap((name) =>
      [...englishKeywords[name], ...(aliases[name] ?? []).map((a) => normalise(a).toUpperCase())].map((word) => ({ name, word })),
    )
    .sort((a, b) => b.word.length - a.word.length);
  // A keyword must stand alone: followed by nothing, a space or a number, unless it ends in +/- or is not ASCII (Chinese).
  const standsAlone = (word: string) =>
    upper === word ||
    (upper.startsWith(word) && (/[+-]$/.test(word) || !/^[A-Z?]+$/.test(word) || /^[\s\d+]/.test(upper.slice(word.length))));
  const match = candidates.find(({ word }) => standsAlone(word));
  if (!match) return { command: 'unknown', text };
  const argument = text.slice(match.word.length).trim();
  const arg = argument.toUpperCase();
  switch (match.name) {
    case 'details':
    case 'query':
    case 'help':
      return argument ? { command: 'unknown', text } : { command: match.name };
    case 'open':
    case 'close': {
      const service = arg ? serviceWords[arg] : 'missedCallAlert';
      return service ? { command: match.name, service } : { command: 'unknown', text };
    }
    case 'blacklist-add':
    case 'blacklist-remove':
    case 'whitelist-add':
    case 'whitelist-remove':
      return argument ? { command: match.name, number: argument } : { command: 'unknown', text };
    case 'privacy': {
      const mode = privacyWords[arg];
      return mode ? { command: 'privacy', mode } : { command: 'unknown', text };
    }
    case 'language': {
      const language = languageWords[arg];
      return language ? { command: 'language', language } : { command: 'unknown', text };
    }
  }
}
