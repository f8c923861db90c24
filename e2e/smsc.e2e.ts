// The simulator uses the untyped smpp package; its declaration lives with the connector, outside this project's include.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../core/adapters/smpp/smpp.d.ts" />
/**
 * Settings → SMSC as a network engineer uses it, against an SMSC simulator started here on 127.0.0.1: a wrong
 * password shows "bind refused" with the reason, the right one binds, a new subscriber's opening reminder reaches
 * the SMSC as submit_sm and the counters move, switching off returns SMS to the virtual SMSC. The dashboard shows
 * the link's health throughout. Settings fixed by reachback.yaml show locked on every settings screen, and the
 * console never sends them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmscSimulator } from '../core/adapters/smpp/testing/smsc-simulator';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import { changeOneTimePassword, closeSubscriberProfile, openNav as openNavOn, provisionSubscriber, signIn, until } from './support/console';

const adminPassword = 'Signal-Path-2026';
const subscriber = '+8613800138000';
const secondSubscriber = '+8613800138001';

let simulator: SmscSimulator;
let server: RunningServer;
let browser: Browser;
let page: Page;

/** What the deployment fixes in reachback.yaml for the first server: one security field and two service rules. */
const configYaml = ['security:', '  lockoutAttempts: 7', 'serviceRules:', "  shortCode: '06001'", '  timeZone: Asia/Shanghai', ''].join(
  '\n',
);

beforeAll(async () => {
  simulator = await SmscSimulator.start({ systemId: 'reachback', password: 'secret' });
  simulator.receipts = { mode: 'after-response', delayMs: 20, stat: 'DELIVRD', form: 'both', decimalIdInText: false };
  server = await startServer({ configYaml });
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await simulator?.close();
});

/** A screenshot once transitions (chips, notices, snackbars) have finished. */
async function settledSnap(name: string): Promise<void> {
  await page.waitForTimeout(600);
  await snap(page, name);
}

function openNav(route: string): Promise<void> {
  return openNavOn(page, route);
}

function panelState(state: string) {
  return page.locator(`[data-testid="smsc-link-state"][data-state="${state}"]`);
}

describe('Settings → SMSC against an SMSC simulator', () => {
  it('shows the virtual SMSC on the dashboard before any link is set up', async () => {
    await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
    await changeOneTimePassword(page, server.adminPassword, adminPassword);
    const row = page.locator('[data-testid="dashboard-link-smsc"][data-state="virtual"]');
    await row.waitFor();
    expect(await page.getByTestId('dashboard-link-smsc-kind').innerText()).toBe('Built-in virtual SMSC');
    expect(await row.innerText()).toContain('none leave this machine');
  });

  it('prefills a new link with the defaults and explains where SMS go now', async () => {
    await openNav('smsc');
    await panelState('virtual').waitFor();
    expect(await page.getByTestId('smsc-port').inputValue()).toBe('2775');
    expect(await page.getByTestId('smsc-tps').inputValue()).toBe('50');
    expect(await page.getByTestId('smsc-windowSize').inputValue()).toBe('10');
    expect(await page.getByTestId('smsc-responseTimeoutMs').inputValue()).toBe('10000');
    expect(await page.getByTestId('smsc-bindMode').inputValue()).toBe('transceiver');
    expect(await page.getByTestId('smsc-source-shortCode-ton').inputValue()).toBe('3');
    expect(await page.getByTestId('smsc-source-alphanumeric-ton').inputValue()).toBe('5');
    expect(await page.getByTestId('smsc-destination-ton').inputValue()).toBe('1');
    expect(await page.getByTestId('smsc-destination-npi').inputValue()).toBe('1');
    expect(await page.getByTestId('smsc-requestReceipts').isChecked()).toBe(true);
    expect(await page.getByTestId('smsc-enabled').isChecked()).toBe(false);
    expect(await page.getByTestId('smsc-virtual-explanation').innerText()).toContain('built-in virtual SMSC');
    await settledSnap('smsc-new');
  });

  it('checks the fields before saving: required, SMPP length limits, reconnect delays', async () => {
    await page.getByTestId('smsc-enabled').check();
    await page.getByTestId('smsc-save').click();
    await page.getByTestId('smsc-fix-errors').waitFor();
    expect(await page.getByTestId('smsc-host').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('smsc-systemId').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('smsc-reconnectMaxMs').fill('500');
    expect(await page.getByTestId('smsc-reconnectMaxMs').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('smsc-section-throughput').innerText()).toContain('Must not be below the first reconnect delay.');
    await page.getByTestId('smsc-section-throughput').evaluate((section) => section.scrollIntoView({ block: 'center' }));
    await settledSnap('smsc-invalid');
    await page.getByTestId('smsc-reconnectMaxMs').fill('60000');
  });

  it('shows “bind refused” with the reason when the password is wrong', async () => {
    await page.getByTestId('smsc-host').fill('127.0.0.1');
    await page.getByTestId('smsc-port').fill(String(simulator.port));
    await page.getByTestId('smsc-systemId').fill('reachback');
    await page.getByTestId('smsc-password').fill('wrong');
    expect(await page.getByTestId('smsc-mode-change').innerText()).toContain(`binds to 127.0.0.1:${simulator.port}`);
    await page.getByTestId('smsc-save').click();
    await panelState('refused').waitFor();
    expect(await page.getByTestId('smsc-link-error-plain').innerText()).toBe('The SMSC refused the password for this system_id.');
    expect(await page.getByTestId('smsc-link-error-detail').innerText()).toContain('ESME_RINVPASWD (0x0000000E)');
    expect(await page.getByTestId('smsc-link-target').innerText()).toContain(`127.0.0.1:${simulator.port}`);
    // The password is never shown again, and an empty field keeps it.
    expect(await page.getByTestId('smsc-password').inputValue()).toBe('');
    expect(await page.getByTestId('smsc-section-connection').innerText()).toContain('A password is saved. Leave empty to keep it');
    expect(simulator.binds.some((bind) => bind.password === 'wrong' && bind.status !== 0)).toBe(true);
    await settledSnap('smsc-refused');
  });

  it('shows the refusal on the dashboard as an error with the reason', async () => {
    await openNav('dashboard');
    await page.locator('[data-testid="dashboard-link-smsc"][data-state="refused"]').waitFor();
    expect(await page.getByTestId('dashboard-link-smsc-detail').innerText()).toBe('The SMSC refused the password for this system_id.');
    expect(await page.getByTestId('dashboard-link-smsc-kind').innerText()).toBe('SMPP 3.4');
    await settledSnap('dashboard-smsc-refused');
  });

  it('binds once the password is right', async () => {
    await page.getByTestId('dashboard-link-smsc-open').click();
    await page.getByTestId('screen-smsc').waitFor();
    await page.getByTestId('smsc-password').fill('secret');
    await page.getByTestId('smsc-save').click();
    await panelState('bound').waitFor();
    expect(await page.getByTestId('smsc-link-error').count()).toBe(0);
    expect(await page.getByTestId('smsc-in-flight').innerText()).toBe('0 / 10');
    expect(simulator.binds.at(-1)).toMatchObject({ command: 'bind_transceiver', systemId: 'reachback', password: 'secret', status: 0 });
    await settledSnap('smsc-bound');
  });

  it('sends a new subscriber’s opening reminder to the SMSC, and the counters move', async () => {
    const before = simulator.submits.length;
    await provisionSubscriber(page, subscriber);
    const submit = await until('the opening reminder at the SMSC', () => simulator.submits.slice(before).find((s) => s.messageId));
    expect(submit).toMatchObject({
      destinationAddr: subscriber.slice(1),
      destTon: 1,
      destNpi: 1,
      sourceAddr: '06001',
      sourceTon: 3,
      sourceNpi: 0,
    });
    expect(submit.registeredDelivery & 1).toBe(1);
    // The receipt moved the message to delivered.
    await page.getByTestId('subscriber-tab-sms').click();
    await page.locator('[data-testid="subscriber-sms-row"][data-kind="opening-reminder"][data-state="delivered"]').waitFor();
    await closeSubscriberProfile(page);

    await openNav('smsc');
    await page.locator('[data-testid="smsc-counter-submitted"]:not([data-value="0"])').waitFor();
    await page.locator('[data-testid="smsc-counter-delivered"]:not([data-value="0"])').waitFor();
    expect(await page.getByTestId('smsc-counter-failed').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('smsc-counter-submitFailed').getAttribute('data-value')).toBe('0');
    await settledSnap('smsc-counters');
  });

  it('shows the bound link and its rate on the dashboard', async () => {
    await openNav('dashboard');
    await page.locator('[data-testid="dashboard-link-smsc"][data-state="bound"]').waitFor();
    expect(await page.getByTestId('dashboard-link-smsc-metric').innerText()).toMatch(/^\d+(\.\d)?$/);
    expect(await page.getByTestId('dashboard-link-smsc-detail').innerText()).toBe('submitted 1 · delivered 1 · failed 0 · expired 0');
    await settledSnap('dashboard-smsc-bound');
  });

  it('returns SMS to the virtual SMSC at once when switched off', async () => {
    await openNav('smsc');
    await page.getByTestId('smsc-enabled').uncheck();
    expect(await page.getByTestId('smsc-mode-change').innerText()).toContain('SMS go to the built-in virtual SMSC at once');
    await settledSnap('smsc-switching-off');
    await page.getByTestId('smsc-save').click();
    await panelState('virtual').waitFor();
    await until('the unbind at the SMSC', () => simulator.unbinds > 0);

    const submitted = simulator.submits.length;
    await provisionSubscriber(page, secondSubscriber);
    await page.getByTestId('subscriber-tab-sms').click();
    await page.locator('[data-testid="subscriber-sms-row"][data-kind="opening-reminder"][data-state="delivered"]').waitFor();
    expect(simulator.submits.length).toBe(submitted);
    await closeSubscriberProfile(page);
    await openNav('dashboard');
    await page.locator('[data-testid="dashboard-link-smsc"][data-state="virtual"]').waitFor();
  });
});

describe('settings fixed by reachback.yaml', () => {
  it('shows a security field from the file locked, and saves the others without it', async () => {
    await openNav('settings');
    const locked = page.getByTestId('setting-lockoutAttempts');
    await page.locator('[data-testid="setting-lockoutAttempts"][data-locked="true"]').waitFor();
    expect(await locked.inputValue()).toBe('7');
    expect(await locked.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('settings-security').getByTestId('file-lock-hint').innerText()).toBe('Set in reachback.yaml');
    expect(await page.getByTestId('file-sources-notice').innerText()).toContain(`${server.dataDir}/reachback.yaml`);
    expect(await page.getByTestId('setting-sessionIdleMinutes').getAttribute('data-locked')).toBeNull();
    await page.getByTestId('setting-sessionIdleMinutes').fill('45');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-unsaved').waitFor({ state: 'detached' });
    expect(await page.getByTestId('error-alert').count()).toBe(0);
    await settledSnap('settings-security-from-file');
  });

  it('shows service rules from the file locked, and saves the others without changing them', async () => {
    await openNav('rules');
    await page.locator('[data-testid="rules-shortCode"][data-locked="true"]').waitFor();
    expect(await page.locator('[data-testid="rules-timeZone"][data-locked="true"]').inputValue()).toBe('Asia/Shanghai');
    expect(await page.getByTestId('rules-queryNumber').getAttribute('data-locked')).toBeNull();
    const notice = await page.getByTestId('file-sources-notice').innerText();
    expect(notice).toContain('Short code');
    expect(notice).toContain('Time zone');
    await page.getByTestId('rules-dailyAlertCap').fill('4');
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules-unsaved').waitFor({ state: 'detached' });
    expect(await page.getByTestId('rules-actions').getByTestId('error-alert').count()).toBe(0);
    await settledSnap('rules-from-file');
  });
});

describe('an SMSC link fixed by reachback.yaml', () => {
  let fileServer: RunningServer;
  let filePage: Page;

  beforeAll(async () => {
    const yaml = [
      'smsc:',
      '  enabled: true',
      '  link:',
      '    host: 127.0.0.1',
      `    port: ${simulator.port}`,
      '    systemId: reachback',
      '    password: secret',
      '    tps: 20',
      '',
    ].join('\n');
    fileServer = await startServer({ configYaml: yaml });
    filePage = await newPage(browser);
  });

  afterAll(async () => {
    await filePage?.context().close();
    await fileServer?.stop();
  });

  it('binds at start and shows every link field locked', async () => {
    await signIn(filePage, fileServer.consoleUrl, 'admin', fileServer.adminPassword);
    await changeOneTimePassword(filePage, fileServer.adminPassword, adminPassword);
    await filePage.getByTestId('nav-smsc').click();
    await filePage.locator('[data-testid="smsc-link-state"][data-state="bound"]').waitFor();
    expect(await filePage.locator('[data-testid="smsc-host"][data-locked="true"]').inputValue()).toBe('127.0.0.1');
    expect(await filePage.getByTestId('smsc-tps').inputValue()).toBe('20');
    expect(await filePage.getByTestId('smsc-tps').getAttribute('readonly')).not.toBeNull();
    expect(await filePage.getByTestId('smsc-destination-ton').isDisabled()).toBe(true);
    expect(await filePage.getByTestId('smsc-enabled').isDisabled()).toBe(true);
    // Nothing here can be changed, so there is nothing to save.
    expect(await filePage.getByTestId('smsc-actions').count()).toBe(0);
    expect(await filePage.getByTestId('file-sources-notice').innerText()).toContain('reachback.yaml');
    await filePage.waitForTimeout(600);
    await snap(filePage, 'smsc-from-file');
  });

  it('reads well in Chinese', async () => {
    await filePage.getByTestId('lang-switch').click();
    await filePage.getByTestId('lang-zh-CN').click();
    await filePage.getByText('短信中心链路').first().waitFor();
    expect(await filePage.getByTestId('smsc-link-state').innerText()).toBe('已绑定');
    await filePage.waitForTimeout(600);
    await snap(filePage, 'smsc-from-file-zh-CN');
    await filePage.getByTestId('nav-dashboard').click();
    await filePage.locator('[data-testid="dashboard-link-smsc"][data-state="bound"]').waitFor();
    await filePage.waitForTimeout(600);
    await snap(filePage, 'dashboard-smsc-zh-CN');
  });
});
