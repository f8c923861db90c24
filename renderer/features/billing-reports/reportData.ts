/** The billing reports as chart series and as CSV: shaping only; every figure comes from the core's report commands. */
import type {
  DReplyReport,
  RevenueReport,
  SmsVolumeReport,
  SubscriberCountReport,
  TopSubscriberRow,
} from '../../../core/api/billing-types';
import { formatMoney } from '../../../core/domain/billing/money';

export interface ReportSet {
  revenue: RevenueReport;
  byPlan: RevenueReport;
  byKind: RevenueReport;
  byService: RevenueReport;
  subscribers: SubscriberCountReport;
  sms: SmsVolumeReport;
  dReply: DReplyReport;
  top: TopSubscriberRow[];
}

/** Fen as a plain decimal in the currency's units ("12.30"), which spreadsheets read as a number. */
export function decimal(minor: number, currency: string): string {
  return formatMoney(minor, currency, 'code').replace(/ [A-Z]+$/, '');
}

/** Yuan as a number, for chart axes (charts plot numbers; labels are formatted with formatMoney). */
export function major(minor: number, currency: string): number {
  return Number(decimal(minor, currency));
}

/** The currency the charts plot: the first with revenue, else CNY. Other currencies are listed in the totals. */
export function chartCurrency(report: RevenueReport): string {
  return report.totals[0]?.currency ?? 'CNY';
}

/** Sums a report's rows by key (over the whole period), in one currency, largest first. */
export function totalsByKey(report: RevenueReport, currency: string): { key: string; charged: number; gross: number; records: number }[] {
  const sums = new Map<string, { key: string; charged: number; gross: number; records: number }>();
  for (const row of report.rows) {
    if (row.currency !== currency) continue;
    let sum = sums.get(row.key);
    if (!sum) sums.set(row.key, (sum = { key: row.key, charged: 0, gross: 0, records: 0 }));
    sum.charged += row.charged;
    sum.gross += row.gross;
    sum.records += row.records;
  }
  return [...sums.values()].sort((a, b) => b.charged - a.charged || (a.key < b.key ? -1 : 1));
}

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: (string | number | null)[]): string {
  return values.map(field).join(',');
}

/** UTF-8 with a byte order mark, CRLF line ends: opens cleanly (CJK included) in Excel and LibreOffice. */
export function toCsv(lines: string[]): string {
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
