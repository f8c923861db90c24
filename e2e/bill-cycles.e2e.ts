/**
 * A month of billing in the console, on a core whose clock the test holds (the test harness: the real core, store
 * and network API in this process, serving the built console). Subscribers on a published plan and one with no plan
 * use the service through the network API; the billing admin rates now and sees the number that could not be rated,
 * finds the cycle rules fixed once usage is rated, then, the month over, closes the cycle from the console and sees
 * its totals equal the statements. A tariff correction is rerated into adjustments; the closed statements stay.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../core/domain/billing/money';
import { steps } from '../core/adapters/network-api/testing';
import { startHarness, strongPassword, type Harness, type TestClient } from '../core/server/testing/harness';
import { launchBrowser, newPage, snap } from './support/browser';
import { openNav, signIn, signOut } from './support/console';

const shanghai = (wall: string) => Date.parse(`${wall.replace(' ', 'T')}+08:00`);
const onPlan = ['+8613800138001', '+8613800138002'];
const noPlan = '+8613800138009';
/** Opens the service by SMS after the default plan is set. */
const bySms = '+8613800138005';
const caller = '+8613900139000';

let h: Harness;
let admin: TestClient;
let browser: Browser;
let page: Page;
/** The statements' totals at the close, by number. */
const closedTotals: number[] = [];

beforeAll(async () => {
  h = await startHarness({ staticDir: path.resolve(__dirname, '..', 'dist', 'renderer') });
  h.clock.set(shanghai('2026-11-10 10:00'));
  admin = await h.admin();
  await admin.send('tariffs/create', {
    plan: {
      id: 'basic',
      name: '基础套餐',
      versionPolicy: 'apply-to-all',
      versions: [
        {
          number: 1,
          effectiveFrom: '2026-11-10',
          status: 'draft',
          monthlyRent: 300,
          usagePrices: { notification: 10, 'voice-message': 20, 'manual-seat-message': 20, 'missed-detail': 10, 'reachable-alert': 10 },
        },
      ],
    },
  });
  await admin.send('tariffs/publish', { id: 'basic', version: 1 });
  // Each subscriber opens the service, misses a call and asks for the details (D, 0.10 each).
  const s = steps(h);
  for (const msisdn of [...onPlan, noPlan]) {
    await s.subscribe(msisdn, msisdn === noPlan ? {} : { tariff: 'basic' });
    await s.callAndPress(caller, msisdn, 'timeout');
    await s.powerOn(msisdn);
    await s.sms(msisdn, 'D');
  }
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

function cycleRow(key: string) {
  return page.getByTestId(`cycle-${key}`);
}

describe('Bill cycles', () => {
  it('rates now and names the number that could not be rated, with the reason', async () => {
    await signIn(page, h.app.http.consoleUrl, 'admin', strongPassword);
    await openNav(page, 'bill-cycles');
    await cycleRow('2026-11').waitFor();
    expect(await cycleRow('2026-11').getAttribute('data-state')).toBe('open');
    // The period as a billing admin reads it: first and last day.
    expect(await cycleRow('2026-11').innerText()).toContain('2026-11-01 – 2026-11-30');
    // An open cycle cannot be closed: no button.
    expect(await page.getByTestId('cycle-2026-11-close').count()).toBe(0);
    await page.getByTestId('cycles-rate').click();
    const result = page.getByTestId('cycles-rate-result');
    await result.waitFor();
    expect(await result.innerText()).toMatch(/Usage records rated: \d+, of 2 subscribers/);
    const skipped = await page.getByTestId('cycles-skipped').allInnerTexts();
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain(noPlan);
    expect(skipped[0]).toMatch(/no tariff plan/);
  });

  it('keeps the cycle rules fixed once usage is rated, and saves the switches and the default plan', async () => {
    const rules = page.getByTestId('cycles-settings');
    await page.getByTestId('cycles-close-day').fill('5');
    await page.getByTestId('cycles-settings-save').click();
    const help = rules.locator('.MuiFormControl-root', { has: page.getByTestId('cycles-close-day') }).locator('.MuiFormHelperText-root');
    await expect.poll(() => help.innerText()).toMatch(/fixed once usage has been rated/);
    expect((await admin.send('billing/settings', {})).closeDay).toBe(1);

    await page.getByTestId('cycles-close-day').fill('1');
    await page.getByTestId('cycles-warning-sms').click();
    await page.getByRole('combobox', { name: 'Default plan for new subscribers' }).click();
    await page.getByRole('option', { name: /基础套餐/ }).click();
    await page.getByTestId('cycles-settings-save').click();
    await expect.poll(async () => (await admin.send('billing/settings', {})).warningSms).toBe(false);
    expect((await admin.send('billing/settings', {})).defaultPlan).toBe('basic');
    // A subscriber who opens the service by SMS now takes the default plan, so is billed.
    await steps(h).sms(bySms, 'OPEN MCA');
    expect((await admin.send('subscribers/get', { msisdn: bySms })).subscriber.tariff).toBe('basic');
    await page.reload();
    await page.getByTestId('cycles-warning-sms').waitFor();
    expect(await page.getByTestId('cycles-warning-sms').isChecked()).toBe(false);
    await snap(page, 'bill-cycles-open');
  });

  it('closes the ended cycle from the console; its totals are the sums of the statements', async () => {
    await signOut(page);
    h.clock.set(shanghai('2026-12-01 09:00'));
    admin = await h.admin(); // the month's jump ended the earlier session
    await signIn(page, h.app.http.consoleUrl, 'admin', strongPassword);
    await openNav(page, 'bill-cycles');
    await expect.poll(() => cycleRow('2026-11').getAttribute('data-state')).toBe('ended');
    await page.getByTestId('cycle-2026-11-close').click();
    await page.getByTestId('confirm-ok').click();
    await expect.poll(() => cycleRow('2026-11').getAttribute('data-state')).toBe('closed');
    expect(await page.getByTestId('cycle-2026-11-close').count()).toBe(0);

    const statements = await Promise.all([...onPlan, bySms].map((msisdn) => admin.send('statements/get', { msisdn, cycle: '2026-11' })));
    closedTotals.push(...statements.slice(0, onPlan.length).map((s) => s.total));
    const total = statements.reduce((sum, s) => sum + s.total, 0);
    expect(total).toBeGreaterThan(0);
    expect(await page.getByTestId('cycle-2026-11-total').innerText()).toBe(formatMoney(total));
    const info = (await admin.send('billing/cycles', {})).find((c) => c.key === '2026-11')!;
    expect(info.statements).toBe(3);
    expect(info.unbilledRecords).toBeGreaterThan(0); // the number with no plan: counted, not billed
    // The month's revenue report reconciles to the fen with the statements (rent and usage, from the rollups).
    const report = await admin.send('reports/revenue', { from: '2026-11-01', to: '2026-11-30', granularity: 'month', by: 'total' });
    expect(report.totals.map((m) => m.charged)).toEqual([total]);
    await snap(page, 'bill-cycles-closed');
  });

  it('rerates the closed cycle with a corrected version: the differences become adjustments', async () => {
    const plan = await admin.send('tariffs/get', { id: 'basic' });
    const corrected = { ...plan.plan.versions[0]!, number: 2, effectiveFrom: '2026-12-01', status: 'draft' as const };
    corrected.usagePrices = { ...corrected.usagePrices, 'missed-detail': 20 };
    await admin.send('tariffs/update', { plan: { ...plan.plan, versions: [...plan.plan.versions, corrected] } });
    await admin.send('tariffs/publish', { id: 'basic', version: 2 });

    await page.getByTestId('cycle-2026-11-rerate').click();
    await page.getByTestId('rerate-dialog').waitFor();
    // A reason is required: refused in the dialog, nothing rerated.
    await page.getByTestId('rerate-save').click();
    await expect.poll(() => page.getByTestId('rerate-dialog').innerText()).toMatch(/reason/i);
    expect((await admin.send('billing/adjustments', {})).total).toBe(0);

    await page.getByTestId('rerate-reason').fill('D 回复资费更正 / D reply price correction');
    await page.getByRole('combobox', { name: 'Corrected plan (optional)' }).click();
    await page.getByRole('option', { name: '基础套餐' }).click();
    await page.getByRole('combobox', { name: 'Version' }).click();
    await page.getByRole('option', { name: /v2/ }).click();
    await page.getByTestId('rerate-save').click();
    await page.getByTestId('rerate-dialog').waitFor({ state: 'detached' });

    const adjustments = await admin.send('billing/adjustments', { cycle: '2026-11' });
    expect(adjustments.total).toBe(2); // one D reply each, 0.10 more
    expect(adjustments.rows.every((a) => a.amount === 10)).toBe(true);
    const info = (await admin.send('billing/cycles', {})).find((c) => c.key === '2026-11')!;
    expect(info.laterAdjustments).toBe(20);
    await expect.poll(() => cycleRow('2026-11').innerText()).toContain(formatMoney(20));
    // The closed statements are as they were; what each subscriber owes now includes the adjustment.
    const after = await Promise.all(onPlan.map((msisdn) => admin.send('statements/get', { msisdn, cycle: '2026-11' })));
    expect(after.map((s) => s.total)).toEqual(closedTotals);
    expect(after.map((s) => s.balance)).toEqual(closedTotals.map((total) => total + 10));
  });
});
