/**
 * The billing reports as an XLSX workbook: one worksheet per report, a frozen header row, money as numbers in the
 * currency's major unit (yuan) with a number format, periods as text. Built from the same report queries as the screen.
 */
import ExcelJS from 'exceljs';
import type { ReportGranularity, RevenueReport } from '../../api';
import { currencies as knownCurrencies, cycleContaining, startOfLocalDay, type CycleConfig } from '../../domain/billing';
import type { Kysely } from 'kysely';
import type { Schema } from '../../store/schema';
import { dReplyReport, revenueReport, smsReport, subscriberReport, topSubscribers } from './reports';

export interface WorkbookQuery {
  from: string;
  to: string;
  granularity: ReportGranularity;
  planId?: string;
}

type Cell = string | number | null;
interface Column {
  header: string;
  width: number;
  /** A money column: integer minor units in, a number in the major unit out, with the currency column named. */
  money?: boolean;
  percent?: boolean;
}

const minorDigits = (currency: string) => knownCurrencies[currency]?.minorDigits ?? 2;
const moneyFormat = (currency: string) => (minorDigits(currency) === 0 ? '0' : `0.${'0'.repeat(minorDigits(currency))}`);
const major = (amount: number, currency: string) => amount / 10 ** minorDigits(currency);

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: Column[], rows: { cells: Cell[]; currency?: string }[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const { cells, currency } of rows) {
    const row = sheet.addRow(cells.map((v, i) => (columns[i]!.money && typeof v === 'number' ? major(v, currency ?? 'CNY') : v)));
    columns.forEach((c, i) => {
      if (c.money) row.getCell(i + 1).numFmt = moneyFormat(currency ?? 'CNY');
      else if (c.percent) row.getCell(i + 1).numFmt = '0.0%';
    });
  }
  return sheet;
}

const moneyColumns: Column[] = [
  { header: 'Currency', width: 10 },
  { header: 'Records', width: 10 },
  { header: 'Units', width: 10 },
  { header: 'Gross', width: 14, money: true },
  { header: 'Charged', width: 14, money: true },
];
const moneyCells = (r: RevenueReport['rows'][number]): Cell[] => [r.currency, r.records, r.units, r.gross, r.charged];

export async function reportWorkbook(
  db: Kysely<Schema>,
  config: CycleConfig,
  planCurrencies: ReadonlyMap<string, string>,
  q: WorkbookQuery,
): Promise<{ filename: string; base64: string }> {
  const plans = new Map((await db.selectFrom('tariff_plans').select(['id', 'name']).execute()).map((p) => [p.id, p.name]));
  const planLabel = (id: string | null) => (id === null ? '' : plans.has(id) ? `${plans.get(id)} (${id})` : id);
  const revenue = (by: RevenueReport['by']) => revenueReport(db, config, planCurrencies, { ...q, by });
  const cycleOf = (day: string) => cycleContaining(startOfLocalDay(day, config.timeZone), config).key;
  const [total, byPlan, byKind, byService, subscribers, sms, dReply, top] = await Promise.all([
    revenue('total'),
    revenue('plan'),
    revenue('kind'),
    revenue('service'),
    subscriberReport(db, config, q),
    smsReport(db, config, { from: q.from, to: q.to, granularity: q.granularity, by: 'total' }),
    dReplyReport(db, config, q),
    topSubscribers(db, { from: cycleOf(q.from), to: cycleOf(q.to), planId: q.planId, limit: 20 }),
  ]);

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ReachBack';
  workbook.created = new Date(0);
  const period: Column = { header: 'Period', width: 12 };
  addSheet(
    workbook,
    'Revenue',
    [period, ...moneyColumns],
    total.rows.map((r) => ({ cells: [r.period, ...moneyCells(r)], currency: r.currency })),
  );
  addSheet(
    workbook,
    'Revenue by plan',
    [period, { header: 'Plan', width: 28 }, ...moneyColumns],
    byPlan.rows.map((r) => ({ cells: [r.period, planLabel(r.key), ...moneyCells(r)], currency: r.currency })),
  );
  addSheet(
    workbook,
    'Revenue by kind',
    [period, { header: 'Kind', width: 22 }, ...moneyColumns],
    byKind.rows.map((r) => ({ cells: [r.period, r.key, ...moneyCells(r)], currency: r.currency })),
  );
  addSheet(
    workbook,
    'Revenue by service',
    [period, { header: 'Service', width: 22 }, ...moneyColumns],
    byService.rows.map((r) => ({ cells: [r.period, r.key, ...moneyCells(r)], currency: r.currency })),
  );
  addSheet(
    workbook,
    'Subscribers',
    ['Period', 'Active', 'Opened', 'Closed', 'Moved in', 'Moved out'].map((header, i) => ({ header, width: i ? 11 : 12 })),
    subscribers.rows.map((r) => ({ cells: [r.period, r.active, r.opened, r.closed, r.movedIn, r.movedOut] })),
  );
  addSheet(
    workbook,
    'SMS',
    [
      period,
      ...['Queued', 'Submitted', 'Delivered', 'Failed', 'Expired'].map((header) => ({ header, width: 11 })),
      { header: 'Delivery rate', width: 13, percent: true },
    ],
    sms.rows.map((r) => ({ cells: [r.period, r.queued, r.submitted, r.delivered, r.failed, r.expired, r.deliveryRate] })),
  );
  addSheet(
    workbook,
    'D replies',
    [period, { header: 'Summaries', width: 11 }, { header: 'Details', width: 11 }, { header: 'Conversion', width: 12, percent: true }],
    dReply.rows.map((r) => ({ cells: [r.period, r.summaries, r.details, r.conversion] })),
  );
  addSheet(
    workbook,
    'Top subscribers',
    [
      { header: 'MSISDN', width: 18 },
      { header: 'Plan', width: 28 },
      { header: 'Currency', width: 10 },
      { header: 'Cycles', width: 8 },
      { header: 'Rent', width: 12, money: true },
      { header: 'Usage', width: 12, money: true },
      { header: 'Adjustments', width: 13, money: true },
      { header: 'Total', width: 12, money: true },
    ],
    top.map((r) => ({
      cells: [r.party, planLabel(r.planId), r.currency, r.cycles, r.rent, r.usage, r.adjustments, r.total],
      currency: r.currency,
    })),
  );

  const buffer = await workbook.xlsx.writeBuffer();
  const filename = `billing-report_${q.from}_${q.to}${q.planId ? `_${q.planId}` : ''}.xlsx`;
  return { filename, base64: Buffer.from(buffer as ArrayBuffer).toString('base64') };
}
