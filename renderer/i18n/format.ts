/** Locale-aware formatting through Intl, following the console language. */
import { useMemo } from 'react';
import { useStore } from '../store';

export interface Formatters {
  number(value: number): string;
  bytes(value: number): string;
  dateTime(epochMs: number): string;
  /** Compact numeric date and time to the second, for dense tables. */
  timestamp(epochMs: number): string;
  /** Compact date and time to the minute. */
  dateTimeShort(epochMs: number): string;
  time(epochMs: number): string;
  /** A duration in ms as "3 d 4 h 12 min". */
  duration(ms: number): string;
}

const byteUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

export function createFormatters(locale: string): Formatters {
  const number = new Intl.NumberFormat(locale);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const timestamp = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const dateTimeShort = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const unit = (name: string, digits = 0) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits });
  const byteFormats = byteUnits.map((u, i) => unit(u, i === 0 ? 0 : 1));
  const day = unit('day');
  const hour = unit('hour');
  const minute = unit('minute');
  const second = unit('second');

  return {
    number: (value) => number.format(value),
    bytes(value) {
      let scaled = value;
      let index = 0;
      while (scaled >= 1024 && index < byteFormats.length - 1) {
        scaled /= 1024;
        index++;
      }
      return (byteFormats[index] ?? number).format(scaled);
    },
    dateTime: (epochMs) => dateTime.format(epochMs),
    timestamp: (epochMs) => timestamp.format(epochMs),
    dateTimeShort: (epochMs) => dateTimeShort.format(epochMs),
    time: (epochMs) => time.format(epochMs),
    duration(ms) {
      const totalSeconds = Math.max(0, Math.floor(ms / 1000));
      const d = Math.floor(totalSeconds / 86_400);
      const h = Math.floor((totalSeconds % 86_400) / 3_600);
      const m = Math.floor((totalSeconds % 3_600) / 60);
      if (d === 0 && h === 0 && m === 0) return second.format(totalSeconds);
      const parts: string[] = [];
      if (d > 0) parts.push(day.format(d));
      if (d > 0 || h > 0) parts.push(hour.format(h));
      parts.push(minute.format(m));
      return parts.join(' ');
    },
  };
}

export function useFormat(): Formatters {
  const language = useStore((s) => s.language);
  return useMemo(() => createFormatters(language), [language]);
}
