/**
 * Billing in the console, as a billing administrator does it: create a plan with a Chinese name, edit its first
 * version (an amount with too many decimals and a total cap below the rent are refused by field), publish it,
 * start a second version (an effective date before the first is refused on publish), compare the two; then see
 * the reports' charts over the plan's subscribers, export the CSV and the XLSX and read them back (BOM, CJK) and print the
 * report to PDF. Customer service reads a subscriber's statement, and does not see the tariffs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import { changeOneTimePassword, createOperator, closeSubscriberProfile, openNav, sendFromPage, signIn, signOut } from './support/console';

const adminPassword = 'Harbour-Lights-2026';
const billingPassword = 'Ledger-Lines-2026';
const servicePassword = 'Service-Desk-77';
const planName = '基础套餐';
const reason = '话费补偿：重复通知';
const numbers = ['+8613800138001', '+8613800138002', '+8613800138003'];

let server: RunningServer;
let browser: Browser;
let page: Page;

/** A local date in the operator's time zone (Asia/Shanghai by default), days from today. */
function shanghaiDay(offsetDays = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

/** The helper text shown with an editor field (the field's own FormControl). */
function fieldHelp(testId: string) {
  return page.locator('.MuiFormControl-root', { has: page.getByTestId(testId) }).locator('.MuiFormHelperText-root');
}

let billingOneTime = '';
let serviceOneTime = '';
let viewerOneTime = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('Billing in the console', () => {
  it('lets the admin set up a billing administrator, customer service and subscribers naming the plan', async () => {
    await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
    await changeOneTimePassword(page, server.adminPassword, adminPassword);
    billingOneTime = await createOperator(page, 'wang.fang', '王芳', 'Billing administrator');
    serviceOneTime = await createOperator(page, 'li.na', '李娜', 'Customer service');
    await sendFromPage(page, 'roles/create', { name: 'Billing viewer', permissions: ['billing.read'] });
    viewerOneTime = await createOperator(page, 'zhao.lei', '赵磊', 'Billing viewer');
    for (const msisdn of numbers) {
      await sendFromPage(page, 'subscribers/provision', {
        msisdn,
        services: { missedCallAlert: true, reachableAlert: false },
        tariff: 'basic',
        language: 'zh-CN',
      });
    }
    await signOut(page);
    await signIn(page, server.consoleUrl, 'wang.fang', billingOneTime);
    await changeOneTimePassword(page, billingOneTime, billingPassword);
    for (const item of ['tariffs', 'billing-reports', 'statements']) expect(await page.getByTestId(`nav-${item}`).isVisible()).toBe(true);
    expect(await page.getByTestId('nav-operators').isVisible()).toBe(false);
  });

  it('creates a plan and refuses bad amounts field by field', async () => {
    await openNav(page, 'tariffs');
    await page.getByTestId('tariffs-create').click();
    await page.getByTestId('tariff-create-id').fill('basic');
    await page.getByTestId('tariff-create-name').fill(planName);
    await page.getByTestId('tariff-create-save').click();
    await page.locator('[data-testid="tariff-plan"][data-plan="basic"]').waitFor();
    expect(await page.getByTestId('tariffs-plan-basic').innerText()).toContain(planName);
    expect(await page.getByTestId('tariff-version-1-status').innerText()).toBe('Draft');

    await page.getByTestId('tariff-version-1-open').click();
    await page.getByTestId('tariff-version-editor').waitFor();
    await page.getByTestId('tariff-effectiveFrom').fill(shanghaiDay());
    await page.getByTestId('tariff-monthlyRent').fill('3');
    await page.getByTestId('tariff-price-missed-detail').fill('0.105');
    await page.getByTestId('tariff-save-draft').click();
    // parseMoney (the core's own rule, run in the console) names the field: nothing is sent.
    await expect.poll(() => fieldHelp('tariff-price-missed-detail').innerText()).toMatch(/at most 2 decimals/);
    expect(await page.getByTestId('tariff-price-missed-detail').getAttribute('aria-invalid')).toBe('true');

    // A rule between fields is the core's: its answer lands on the field it names.
    await page.getByTestId('tariff-price-missed-detail').fill('0.10');
    await page.getByTestId('tariff-totalCap').fill('1');
    await page.getByTestId('tariff-save-draft').click();
    await expect.poll(() => fieldHelp('tariff-totalCap').innerText()).toMatch(/cannot be below the monthly rent/);
    await page.getByTestId('tariff-section-caps').scrollIntoViewIfNeeded();
    await snap(page, 'billing-tariff-field-error');

    await page.getByTestId('tariff-totalCap').fill('');
    await page.getByTestId('tariff-usageCap').fill('20');
    await page.getByTestId('tariff-thresholds').fill('80, 100');
    await page.getByTestId('tariff-save-draft').click();
    await page.getByTestId('tariff-unsaved').waitFor({ state: 'detached' });
    expect(await page.getByTestId('tariff-usageCap').inputValue()).toBe('20.00');
  });

  it('publishes the first version, and refuses a second one dated before it', async () => {
    await page.getByTestId('tariff-publish').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => page.getByTestId('tariff-version-1-status').innerText()).toBe('Published');
    expect(await page.getByTestId('tariff-editor-title').innerText()).toMatch(/read-only/);

    await page.getByTestId('tariff-editor-close').click();
    await page.getByTestId('tariff-add-version').click();
    await page.getByTestId('tariff-version-editor').waitFor();
    await page.getByTestId('tariff-effectiveFrom').fill(shanghaiDay(-1));
    await page.getByTestId('tariff-monthlyRent').fill('5');
    await page.getByTestId('tariff-price-missed-detail').fill('0.20');
    await page.getByTestId('tariff-publish').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => fieldHelp('tariff-effectiveFrom').innerText()).toMatch(/Must be after|in the past/);
    expect(await fieldHelp('tariff-effectiveFrom').innerText()).not.toMatch(/versions\.\d/);
    expect(await page.getByTestId('tariff-version-2-status').innerText()).toBe('Draft');
    await snap(page, 'billing-tariff-publish-refused');

    await page.getByTestId('tariff-effectiveFrom').fill(shanghaiDay(2));
    await page.getByTestId('tariff-save-draft').click();
    await page.getByTestId('tariff-unsaved').waitFor({ state: 'detached' });
  });

  it('shows what changed between the two versions, money formatted', async () => {
    const diff = page.getByTestId('tariff-diff');
    await diff.getByTestId('tariff-diff-table').waitFor();
    const rent = await page.getByTestId('tariff-diff-row-monthlyRent').innerText();
    expect(rent).toContain('¥3.00');
    expect(rent).toContain('¥5.00');
    const price = await page.getByTestId('tariff-diff-row-usagePrices.missed-detail').innerText();
    expect(price).toContain('¥0.10');
    expect(price).toContain('¥0.20');
    expect(await page.getByTestId('tariff-diff-row-effectiveFrom').innerText()).toContain(shanghaiDay(2));
    await diff.scrollIntoViewIfNeeded();
    await snap(page, 'billing-tariff-diff');
  });

  it('offers what-if on the draft only for an ended cycle (none yet on a new system)', async () => {
    const panel = page.getByTestId('tariff-what-if');
    await panel.waitFor();
    expect(await page.getByTestId('tariff-what-if-none').innerText()).toMatch(/No cycle has ended yet/);
    expect(await page.getByTestId('tariff-what-if-run').count()).toBe(0);
  });

  it('shows the billing reports with their charts, over the rated usage of the plan', async () => {
    const run = await sendFromPage<{ records: number }>(page, 'billing/rate');
    expect(run.records).toBeGreaterThanOrEqual(0);
    await openNav(page, 'billing-reports');
    await page.getByRole('combobox', { name: 'Plan' }).click();
    await page.getByRole('option', { name: new RegExp(planName) }).click();
    // The filters apply after a short pause in typing; the reports then reload for the plan.
    await expect
      .poll(() =>
        page
          .getByTestId('reports-totals')
          .innerText()
          .catch(() => ''),
      )
      .toContain(planName);
    await page.locator('[data-testid="chart-subscribers"] .recharts-surface').first().waitFor();
    await page.locator('[data-testid="chart-sms"] .recharts-surface').first().waitFor();
    for (const id of ['chart-revenue', 'chart-by-plan', 'chart-by-service', 'chart-by-kind', 'chart-d-reply', 'reports-top']) {
      expect(await page.getByTestId(id).isVisible()).toBe(true);
    }
    await snap(page, 'billing-reports');
  });

  it('exports the report as CSV with a BOM and the plan’s Chinese name intact', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reports-export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^billing-report_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_basic\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain(`${planName} (basic)`);
    // A data row of the revenue by plan names the plan too, next to its amounts.
    expect(text).toMatch(new RegExp(`\r\n\\d{4}-\\d{2}-\\d{2},${planName} \\(basic\\),CNY,\\d+,\\d+,\\d+\\.\\d{2},\\d+\\.\\d{2}\r\n`));
    expect(text).toContain('Revenue by usage kind');
    expect(text).toContain('Top subscribers by charge');
    expect(text.split('\r\n').length).toBeGreaterThan(10);
  });

  it('exports the report as XLSX, one worksheet per report, with the plan’s Chinese name intact', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('reports-export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^billing-report_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_basic\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
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
    const plans = workbook.getWorksheet('Revenue by plan')!.getColumn(2).values;
    expect(plans).toContain(`${planName} (basic)`);
  });

  it('prints the report alone to PDF (the print styles hide the console around it)', async () => {
    await page.emulateMedia({ media: 'print' });
    await snap(page, 'billing-reports-print');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
  });

  it('adds a manual credit with its reason, refusing an amount the currency cannot hold', async () => {
    await openNav(page, 'adjustments');
    await page.getByTestId('adjustments-create').click();
    await page.getByTestId('adjustment-msisdn').fill(numbers[0]!);
    await page.getByTestId('adjustment-amount').fill('0.205');
    await page.getByTestId('adjustment-reason').fill(reason);
    await page.getByTestId('adjustment-save').click();
    await expect.poll(() => fieldHelp('adjustment-amount').innerText()).toMatch(/at most 2 decimals/);
    await page.getByTestId('adjustment-amount').fill('0.20');
    await page.getByTestId('adjustment-save').click();
    await page.getByTestId('adjustment-dialog').waitFor({ state: 'detached' });
    const row = page.locator('.adjustment-row', { hasText: reason });
    await row.waitFor();
    expect(await row.innerText()).toContain('-¥0.20');
    await snap(page, 'billing-adjustments');
  });

  it('writes yesterday’s charge export into the folder and downloads it byte for byte, checksum intact', async () => {
    await openNav(page, 'exports');
    await page.getByTestId('exports-folder').fill(path.join(server.dataDir, 'no-such-folder'));
    await page.getByTestId('exports-folder-save').click();
    await expect.poll(() => fieldHelp('exports-folder').innerText()).toMatch(/does not exist/);
    const folder = path.join(server.dataDir, 'exports');
    mkdirSync(folder, { recursive: true });
    await page.getByTestId('exports-folder').fill(folder);
    await page.getByTestId('exports-folder-save').click();
    await expect.poll(() => fieldHelp('exports-folder').innerText()).not.toMatch(/does not exist/);
    await page.getByTestId('exports-day').fill(shanghaiDay(-1));
    await page.getByTestId('exports-write').click();
    await page.getByTestId('export-download-1').waitFor();
    await snap(page, 'billing-exports');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-download-1').click()]);
    expect(download.suggestedFilename()).toBe(`reachback-charges-${shanghaiDay(-1).replace(/-/g, '')}-000001.csv`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.equals(readFileSync(path.join(folder, download.suggestedFilename())))).toBe(true);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const trailer = /T,(\d+),([0-9a-f]{64})\r\n$/.exec(text)!;
    expect(trailer).not.toBeNull();
    const body = text.slice(0, text.length - trailer[0].length);
    expect(createHash('sha256').update(body, 'utf8').digest('hex')).toBe(trailer[2]);
  });

  it('lets customer service read a subscriber’s statement, but not the tariffs', async () => {
    await signOut(page);
    await signIn(page, server.consoleUrl, 'li.na', serviceOneTime);
    await changeOneTimePassword(page, serviceOneTime, servicePassword);
    expect(await page.getByTestId('nav-tariffs').isVisible()).toBe(false);
    expect(await page.getByTestId('nav-billing-reports').isVisible()).toBe(false);
    await openNav(page, 'statements');
    await page.getByTestId('statements-msisdn').fill(numbers[0]!);
    await page.getByTestId('statements-search').click();
    await page.getByTestId('statements-list').waitFor();
    await page.getByTestId('statement-detail').waitFor();
    // The credit is on the open cycle's statement, and the total adds up to the fen.
    const yuan = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/[^\d.-]/g, ''));
    expect(await yuan('statement-adjustments')).toBe(-0.2);
    expect(await yuan('statement-total')).toBeCloseTo((await yuan('statement-rent')) + (await yuan('statement-usage')) - 0.2, 6);
    expect(await page.getByTestId('statement-detail').innerText()).toContain(reason);
    expect(await page.getByTestId('statement-detail').innerText()).toContain('basic');
    await snap(page, 'billing-statement');

    await openNav(page, 'subscribers');
    await page.getByText('138 0013 8001').first().click();
    await page.locator(`[data-testid="subscriber-profile"][data-msisdn="${numbers[0]}"]`).waitFor();
    await page.getByTestId('subscriber-tab-statements').click();
    await page.locator(`[data-testid="statements"][data-msisdn="${numbers[0]}"]`).waitFor();
    await page.getByTestId('statement-detail').waitFor();
    await snap(page, 'billing-subscriber-statements');
  });

  it('shows the tariffs read-only to an operator who may only read billing', async () => {
    await closeSubscriberProfile(page);
    await signOut(page);
    await signIn(page, server.consoleUrl, 'zhao.lei', viewerOneTime);
    await changeOneTimePassword(page, viewerOneTime, 'Ledger-Reader-2026');
    await openNav(page, 'tariffs');
    await page.locator('[data-testid="tariff-plan"][data-plan="basic"]').waitFor();
    expect(await page.getByTestId('tariffs-create').count()).toBe(0);
    expect(await page.getByTestId('tariff-add-version').count()).toBe(0);
    expect(await page.getByTestId('tariff-version-2-open').innerText()).toBe('View');
    await page.getByTestId('tariff-version-2-open').click();
    await page.getByTestId('tariff-version-editor').waitFor();
    expect(await page.getByTestId('tariff-monthlyRent').isDisabled()).toBe(true);
    expect(await page.getByTestId('tariff-publish').count()).toBe(0);
    expect(await page.getByTestId('tariff-save-draft').count()).toBe(0);
  });
});
