/** The billing reports as an XLSX workbook (reports/export-xlsx), read back with exceljs. */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../server/testing/harness';
import { addUsage, local, provision, seedPlan } from './testing';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

const A = '+8613800138001';

describe('reports XLSX export', () => {
  it('writes one worksheet per report with the Chinese plan name intact and money as yuan numbers', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan({ name: '基础套餐' }) });
    await provision(admin, A);
    await addUsage(h, A, 'missed-detail', [local('2026-11-26 10:00'), local('2026-11-26 11:00'), local('2026-11-26 12:00')]);
    await admin.send('billing/rate', {});

    const file = await admin.send('reports/export-xlsx', { from: '2026-11-01', to: '2026-11-30', granularity: 'day', planId: 'basic' });
    expect(file.filename).toBe('billing-report_2026-11-01_2026-11-30_basic.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Revenue',
      'Revenue by plan',
      'Revenue by kind',
      'Revenue by service',
      'Subscribers',
      'SMS',
      'D replies',
      'Top subscribers',
    ]);

    const byPlan = workbook.getWorksheet('Revenue by plan')!;
    expect(byPlan.getRow(1).values).toEqual([undefined, 'Period', 'Plan', 'Currency', 'Records', 'Units', 'Gross', 'Charged']);
    expect(byPlan.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const rowOf = (sheet: ExcelJS.Worksheet, match: (row: ExcelJS.Row) => boolean) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row, n) => {
        if (n > 1 && !found && match(row)) found = row;
      });
      return found!;
    };
    const day = rowOf(byPlan, (row) => row.getCell(1).value === '2026-11-26');
    expect(day.getCell(2).value).toBe('基础套餐 (basic)');
    // 3 details at 10 fen that day: ¥0.30, a number with two decimals shown.
    expect(day.getCell(7).value).toBe(0.3);
    expect(day.getCell(7).numFmt).toBe('0.00');
    expect(byPlan.getColumn(2).width).toBeGreaterThan(20);

    const detail = rowOf(workbook.getWorksheet('Revenue by kind')!, (row) => row.getCell(2).value === 'missed-detail');
    expect(detail.getCell(4).value).toBe(3);
    expect(detail.getCell(7).value).toBe(0.3);
  });

  it('refuses a period that ends before it starts, as the reports do', async () => {
    const admin = await h.admin();
    expect(await admin.error('reports/export-xlsx', { from: '2026-11-30', to: '2026-11-01' })).toMatchObject({
      code: 'validation',
      field: 'to',
    });
  });
});
