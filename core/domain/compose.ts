/**
 * Turns the calls of one unreachable period into SMS: one merged message per
 * caller and kind, however many times they called, and the short-code notices
 * of several callers packed together up to the segment budget.
 */
import { fitsInParts } from './sms-encoding';
import { renderTemplate, smsWords, type TemplateKey, type TemplateLanguage } from './sms-templates';
import { formatNational } from './msisdn';
import { formatSmsTime } from './local-time';

export type NoticeOutcome = 'own-number' | 'callback' | 'voice' | 'agent-message' | 'gave-up';

export interface CallForNotice {
  id: number;
  caller: string;
  clir: boolean;
  at: number;
  outcome: NoticeOutcome;
  callback: string | null;
  message: string | null;
}

export interface ComposeContext {
  language: TemplateLanguage;
  timeZone: string;
  defaultCountryCode: string;
  shortCode: string;
  queryNumber: string;
  voicemailNumber: string;
  detailPriceFen: number;
  detailWindowHours: number;
  segmentBudget: number;
  template: (key: TemplateKey, language: TemplateLanguage) => string;
}

export type ComposedKind = 'own-number' | 'notification' | 'missed-summary';

export interface ComposedSms {
  kind: ComposedKind;
  /** The caller's own number for option 2 (the handset shows it as from them); the short code otherwise. */
  sender: string;
  text: string;
  callIds: number[];
  /** Stable per period, so a still-queued SMS is updated instead of sent again. */
  mergeKey: string;
}

interface Group {
  calls: CallForNotice[];
}

/** Values every caller-based template can use. */
export function callerValues(ctx: ComposeContext, calls: CallForNotice[]): Record<string, string | number> {
  const words = smsWords[ctx.language];
  const sorted = [...calls].sort((a, b) => a.at - b.at);
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  const firstTime = formatSmsTime(first.at, ctx.language, ctx.timeZone);
  const lastTime = formatSmsTime(last.at, ctx.language, ctx.timeZone);
  return {
    caller: first.clir ? words.unknownNumber : formatNational(first.caller, ctx.defaultCountryCode),
    count: calls.length,
    countTimes: words.times(calls.length),
    firstTime,
    lastTime,
    // Calls within one minute read the same time twice; say it once.
    firstTimeNote: calls.length > 1 && firstTime !== lastTime ? words.firstNote(firstTime) : '',
  };
}

function groupBy(calls: CallForNotice[], key: (c: CallForNotice) => string): Group[] {
  const groups = new Map<string, Group>();
  for (const call of [...calls].sort((a, b) => a.at - b.at || a.id - b.id)) {
    const k = key(call);
    const group = groups.get(k) ?? { calls: [] };
    group.calls.push(call);
    groups.set(k, group);
  }
  return [...groups.values()];
}

/** Joins texts into as few SMS as the segment budget allows, keeping their order. */
export function pack(texts: { text: string; callIds: number[] }[], budget: number): { text: string; callIds: number[] }[] {
  const packed: { text: string; callIds: number[] }[] = [];
  for (const item of texts) {
    const last = packed[packed.length - 1];
    const joined = last ? `${last.text}\n${item.text}` : null;
    if (last && joined && fitsInParts(joined, budget)) {
      last.text = joined;
      last.callIds.push(...item.callIds);
    } else {
      packed.push({ text: item.text, callIds: [...item.callIds] });
    }
  }
  return packed;
}

/** The SMS the called party receives for these calls, in a stable order. */
export function composeCalledNotices(ctx: ComposeContext, calls: CallForNotice[]): ComposedSms[] {
  const out: ComposedSms[] = [];
  const render = (key: TemplateKey, values: Record<string, string | number>) => renderTemplate(ctx.template(key, ctx.language), values);

  for (const group of groupBy(
    calls.filter((c) => c.outcome === 'own-number'),
    (c) => c.caller,
  )) {
    const caller = group.calls[0]!.caller;
    out.push({
      kind: 'own-number',
      sender: caller,
      text: render('own-number', callerValues(ctx, group.calls)),
      callIds: group.calls.map((c) => c.id),
      mergeKey: `own:${caller}`,
    });
  }

  const notices: { text: string; callIds: number[] }[] = [];
  for (const group of groupBy(
    calls.filter((c) => c.outcome === 'callback'),
    (c) => `${c.clir ? 'clir' : c.caller}|${c.callback}`,
  )) {
    const values = { ...callerValues(ctx, group.calls), callback: formatNational(group.calls[0]!.callback!, ctx.defaultCountryCode) };
    notices.push({ text: render('callback', values), callIds: group.calls.map((c) => c.id) });
  }
  for (const call of calls.filter((c) => c.outcome === 'voice').sort((a, b) => a.at - b.at)) {
    notices.push({
      text: render('voice-message', { ...callerValues(ctx, [call]), voicemailNumber: ctx.voicemailNumber }),
      callIds: [call.id],
    });
  }
  for (const call of calls.filter((c) => c.outcome === 'agent-message').sort((a, b) => a.at - b.at)) {
    // The number to ring is said only when it is not the caller's own (or the caller's was withheld).
    const callback = call.callback && (call.clir || call.callback !== call.caller) ? call.callback : null;
    const callbackNote = callback ? smsWords[ctx.language].callbackNote(formatNational(callback, ctx.defaultCountryCode)) : '';
    notices.push({
      text: render('agent-message', { ...callerValues(ctx, [call]), message: call.message ?? '', callbackNote }),
      callIds: [call.id],
    });
  }
  pack(notices, ctx.segmentBudget).forEach((sms, index) =>
    out.push({ kind: 'notification', sender: ctx.shortCode, ...sms, mergeKey: `notice:${index}` }),
  );

  const gaveUp = calls.filter((c) => c.outcome === 'gave-up');
  if (gaveUp.length) {
    const text = render('missed-summary', {
      count: gaveUp.length,
      shortCode: ctx.shortCode,
      windowHours: ctx.detailWindowHours,
      queryNumber: ctx.queryNumber,
      detailPrice: (ctx.detailPriceFen / 100).toFixed(2),
    });
    out.push({ kind: 'missed-summary', sender: ctx.shortCode, text, callIds: gaveUp.map((c) => c.id), mergeKey: 'summary' });
  }
  return out;
}

/** The detail SMS for a D reply: each caller with count and times, packed up to the budget. */
export function composeDetails(ctx: ComposeContext, calls: CallForNotice[]): { text: string; callIds: number[] }[] {
  const lines = groupBy(calls, (c) => (c.clir ? 'clir' : c.caller)).map((group) => ({
    text: renderTemplate(ctx.template('missed-detail-line', ctx.language), callerValues(ctx, group.calls)),
    callIds: group.calls.map((c) => c.id),
  }));
  const frame = ctx.template('missed-detail', ctx.language);
  // Pack the lines under the header: the budget applies to the whole SMS.
  const packed: { text: string; callIds: number[] }[] = [];
  for (const line of lines) {
    const last = packed[packed.length - 1];
    const candidate = last ? `${last.text}\n${line.text}` : line.text;
    if (last && fitsInParts(renderTemplate(frame, { lines: candidate }), ctx.segmentBudget)) {
      last.text = candidate;
      last.callIds.push(...line.callIds);
    } else packed.push({ text: line.text, callIds: [...line.callIds] });
  }
  return packed.map((p) => ({ text: renderTemplate(frame, { lines: p.text }), callIds: p.callIds }));
}
