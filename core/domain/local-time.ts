/** Wall-clock time in the operator's time zone: for SMS texts, quiet hours and hidden windows. */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** Minutes after local midnight of an instant, in the zone. */
export function minuteOfDay(at: number, timeZone: string): number {
  const parts = formatter(
    `hm|${timeZone}`,
    () => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  ).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour * 60 + minute;
}

export function parseHhmm(value: string): number {
  const [h, m] = value.split(':').map(Number);
  return h! * 60 + m!;
}

/** Whether a minute of day falls in [from, to), where the window may wrap past midnight. */
export function inWindow(minute: number, from: string, to: string): boolean {
  const start = parseHhmm(from);
  const end = parseHhmm(to);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The first instant at or after `at` whose local time is `hhmm` (minute precision). */
export function nextLocalTime(at: number, hhmm: string, timeZone: string): number {
  const target = parseHhmm(hhmm);
  const now = minuteOfDay(at, timeZone);
  let delta = target - now;
  if (delta < 0) delta += 24 * 60;
  const startOfMinute = at - (at % 60_000);
  return startOfMinute + delta * 60_000;
}

/** The local calendar day of an instant, 'YYYY-MM-DD'. */
export function localDay(at: number, timeZone: string): string {
  return formatter(
    `day|${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(at);
}

/** A time as an SMS reader expects it: "25 Nov 10:40" / "11月25日 10:40". */
export function formatSmsTime(at: number, language: 'en' | 'zh-CN', timeZone: string): string {
  const parts = formatter(
    `sms|${timeZone}`,
    () =>
      new Intl.DateTimeFormat('en-GB', { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  ).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const clock = `${part('hour')}:${part('minute')}`;
  if (language === 'en') return `${part('day')} ${part('month')} ${clock}`;
  const month = Number(localDay(at, timeZone).slice(5, 7));
  return `${month}月${part('day')}日 ${clock}`;
}
