/**
 * Capping in the console, as a billing administrator reads it: the caps of the plans in force, who was warned and
 * who is capped this cycle, what the caps waived, whether the warning SMS went out; the filters; a row's link to the
 * subscriber's statement; the same screen in Chinese. Customer service does not see it.
 *
 * The usage is real rating over records the core writes itself: the plan prices opening a service (¥0.10 each),
 * so provisioning a subscriber with one, two or three services spends ¥0.10–0.30 against a ¥0.25 usage cap.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import { changeOneTimePassword, createOperator, openNav, sendFromPage, signIn, signOut } from './support/console';

const adminPassword = 'Harbour-Lights-2026';
const billingPassword = 'Ledger-Lines-2026';
const [A, B, C] = ['+8613800138001', '+8613800138002', '+8613800138003'];

let server: RunningServer;
let browser: Browser;
let page: Page;
let billingOneTime = '';
let serviceOneTime = '';

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

function version(overrides: Record<string, unknown>) {
  return {
    number: 1,
    effectiveFrom: today(),
    status: 'published',
    monthlyRent: 1000,
    usagePrices: { notification: 10, 'voice-message': 20, 'manual-seat-message': 20, 'missed-detail': 10, 'reachable-alert': 10 },
    ...overrides,
  };
}

const rows = () => page.locator('.capping-row');
/** The numbers in the table, top to bottom. */
const shownNumbers = () => page.locator('.capping-row [data-field="party"]').allInnerTexts();
const tile = async (id: string) => (await page.getByTestId(id).innerText()).trim();

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('Capping in the console', () => {
  it('sets up capped and uncapped plans, and subscribers whose service openings reach 40 %, 80 % and the cap', async () => {
    await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
    await changeOneTimePassword(page, server.adminPassword, adminPassword);
    billingOneTime = await createOperator(page, 'wang.fang', '王芳', 'Billing administrator');
    serviceOneTime = await createOperator(page, 'li.na', '李娜', 'Customer service');
    await sendFromPage(page, 'tariffs/create', {
      plan: {
        id: 'cap25',
        name: '封顶套餐',
        versionPolicy: 'apply-to-all',
        versions: [
          version({
            usagePrices: { ...version({}).usagePrices, 'service-opened': 10 },
            freeKinds: ['missed-summary', 'opening-reminder', 'reply', 'service-closed'],
            usageCap: 25,
            thresholds: [80, 100],
          }),
        ],
      },
    });
    await sendFromPage(page, 'tariffs/create', {
      plan: { id: 'plain', name: 'Plain', versionPolicy: 'apply-to-all', versions: [version({})] },
    });
    const services = (n: number) => ({ missedCallAlert: true, reachableAlert: n > 1, voicemail: n > 2 });
    for (const [msisdn, n] of [
      [A, 3],
      [B, 2],
      [C, 1],
    ] as const) {
      await sendFromPage(page, 'subscribers/provision', { msisdn, services: services(n), tariff: 'cap25', language: 'zh-CN' });
    }
    const run = await sendFromPage<{ thresholds: number; warningsSent: number }>(page, 'billing/rate');
    // A: 80 % and 100 % in one run (one SMS, the highest); B: 80 %.
    expect(run).toMatchObject({ thresholds: 3, warningsSent: 2 });
    await signOut(page);
  });

  it('shows the billing administrator who is warned and who is capped, with the waived amount and the warning SMS', async () => {
    await signIn(page, server.consoleUrl, 'wang.fang', billingOneTime);
    await changeOneTimePassword(page, billingOneTime, billingPassword);
    await page.getByTestId('notice').getByTitle('Dismiss').click();
    await openNav(page, 'capping');
    await expect.poll(() => rows().count()).toBe(2);
    expect(await tile('capping-warned')).toBe('1');
    expect(await tile('capping-capped')).toBe('1');
    expect(await tile('capping-waived')).toBe('¥0.05');

    const capped = await page.getByTestId('capping-plan-cap25').innerText();
    expect(capped).toContain('封顶套餐');
    expect(capped).toContain('¥0.25');
    expect(capped).toContain('80 %');
    expect(capped).toContain('100 %');
    expect(await page.getByTestId('capping-plan-plain').innerText()).toContain('No cap');

    // Highest first: A at the cap (¥0.05 of its third opening waived), then B at 80 %; C (40 %) is in no row.
    const first = await rows().nth(0).innerText();
    for (const text of ['138 0013 8001', '封顶套餐', 'Usage cap', '100 %', '¥0.25', '¥0.05']) expect(first).toContain(text);
    const second = await rows().nth(1).innerText();
    for (const text of ['138 0013 8002', '80 %', '¥0.20', '¥0.00']) expect(second).toContain(text);
    // Both warnings went out as SMS: the chip shows the queue's state, not "Not sent".
    for (const chip of await page.getByTestId('capping-sms').all()) expect(await chip.innerText()).not.toBe('Not sent');
    await snap(page, 'capping');
  });

  it('filters by threshold and by part of the number, and says what to do when nothing matches', async () => {
    await page.getByRole('combobox', { name: 'Reached at least' }).click();
    await page.getByRole('option', { name: '100 %' }).click();
    await expect.poll(shownNumbers).toEqual(['138 0013 8001']);
    await page.getByRole('combobox', { name: 'Reached at least' }).click();
    await page.getByRole('option', { name: 'Any threshold' }).click();
    await expect.poll(shownNumbers).toEqual(['138 0013 8001', '138 0013 8002']);
    await page.getByTestId('capping-search').fill('8002');
    await expect.poll(shownNumbers).toEqual(['138 0013 8002']);
    await page.getByTestId('capping-search').fill('8003');
    await page.getByText('No subscriber matches these filters').waitFor();
    // The summary is the cycle's, whatever the filters.
    expect(await tile('capping-capped')).toBe('1');
    await page.getByTestId('capping-search').fill('');
    await expect.poll(shownNumbers).toEqual(['138 0013 8001', '138 0013 8002']);
  });

  it('opens a capped subscriber’s statement for the cycle from the row', async () => {
    await page.getByTestId(`capping-statements-${A.slice(1)}`).click();
    await page.getByTestId('screen-statements').waitFor();
    await page.locator(`[data-testid="statements"][data-msisdn="${A}"]`).waitFor();
    await page.getByTestId('statement-detail').waitFor();
    expect(await page.getByTestId('statement-capWaived').innerText()).toContain('¥0.05');
  });

  it('reads well in Chinese', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
    await openNav(page, 'capping');
    await expect.poll(() => rows().count()).toBe(2);
    expect(await page.getByTestId('nav-capping').innerText()).toBe('封顶');
    expect(await rows().first().innerText()).toContain('使用费封顶');
    expect(await page.getByTestId('capping-plan-plain').innerText()).toContain('不封顶');
    await snap(page, 'capping-zh');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
  });

  it('is not shown to customer service, and the core refuses them the report', async () => {
    await signOut(page);
    await signIn(page, server.consoleUrl, 'li.na', serviceOneTime);
    await changeOneTimePassword(page, serviceOneTime, 'Service-Desk-77');
    expect(await page.getByTestId('nav-capping').isVisible()).toBe(false);
    await expect(sendFromPage(page, 'billing/capping')).rejects.toThrow(/forbidden/);
  });
});
