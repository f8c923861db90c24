/**
 * Settings → SIP as a network engineer uses it, against the test SIP network (Kamailio with reg events) started here
 * on 127.0.0.1 and a SIP phone in Node: a caller leaves their number for B while B's handset is off; watching only
 * numbers with calls waiting subscribes to B at the registrar; the phone registers as B and B's handset in the Lab
 * receives the merged reminder; the counters and the dashboard follow. Kamailio stopped shows the registrar down
 * with the reason on the screen and the dashboard, started again shows it up. Settings fixed by reachback.yaml show
 * locked, and the console never sends them.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipPeer } from '../core/adapters/sip-reginfo/testing/sip-peer';
import { startSipNetwork, type SipNetwork } from '../sipnet/network.mjs';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import {
  changeOneTimePassword,
  closeSubscriberProfile,
  openConsoleWithConfig,
  openNav,
  provisionSubscriber,
  signIn,
} from './support/console';
import { dialogueOutcome, handset, openLab, placeCall, pressKeys, setPower, waitForSms } from './support/lab';

const adminPassword = 'Reg-Event-2026';
/** The Lab's demo numbers: A calls B. */
const caller = '+8613900139000';
const callee = '+8613800138000';
/** The registrar notices an outage after one keepalive and 32 s of OPTIONS retransmissions (RFC 3261 timer F). */
const outageDetectionMs = 50_000;

let network: SipNetwork;
let phone: SipPeer;
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  network = await startSipNetwork();
  phone = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
  server = await startServer();
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await phone?.close();
  await network?.stop();
});

/** A screenshot once transitions (chips, notices, snackbars) have finished. */
async function settledSnap(name: string, on: Page = page): Promise<void> {
  await on.waitForTimeout(600);
  await snap(on, name);
}

function panelState(state: string, on: Page = page) {
  return on.locator(`[data-testid="sip-state"][data-state="${state}"]`);
}

function dashboardRow(state: string, on: Page = page) {
  return on.locator(`[data-testid="dashboard-link-sip"][data-state="${state}"]`);
}

describe('Settings → SIP against Kamailio', () => {
  it('shows SIP off on the dashboard, and where power-on comes from instead', async () => {
    await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
    await changeOneTimePassword(page, server.adminPassword, adminPassword);
    await page.getByTestId('notice').getByTitle('Dismiss').click();
    await dashboardRow('off').waitFor();
    expect(await page.getByTestId('dashboard-link-sip-kind').innerText()).toBe('Not used');
    expect(await page.getByTestId('dashboard-link-sip-detail').innerText()).toBe(
      'Power-on comes from the network API and SMSC alerts only.',
    );
    // The SMSC row is unchanged above it.
    await page.locator('[data-testid="dashboard-link-smsc"][data-state="virtual"]').waitFor();
  });

  it('prefills a new registrar with the defaults, and builds an example AOR as the engineer types', async () => {
    await openNav(page, 'sip');
    await panelState('off').waitFor();
    expect(await page.getByTestId('sip-off-explanation').innerText()).toContain('no SUBSCRIBE is sent');
    expect(await page.getByTestId('sip-mode-explanation').innerText()).toContain('only from the network API');
    expect(await page.getByTestId('sip-enabled').isChecked()).toBe(false);
    expect(await page.getByTestId('sip-registrarPort').inputValue()).toBe('5060');
    expect(await page.getByTestId('sip-localHost').inputValue()).toBe('127.0.0.1');
    expect(await page.getByTestId('sip-localPort').inputValue()).toBe('0');
    expect(await page.getByTestId('sip-expires').inputValue()).toBe('600');
    expect(await page.getByTestId('sip-keepaliveIntervalMs').inputValue()).toBe('30000');
    expect(await page.getByTestId('sip-userPart').inputValue()).toBe('digits');
    expect(await page.getByTestId('sip-watch-all-subscribers').isChecked()).toBe(true);

    // The example follows the domain, the format and the sample number, which may be national or international.
    expect(await page.getByTestId('sip-aor').innerText()).toBe('sip:8613800138000@<domain>');
    await page.getByTestId('sip-domain').fill(network.domain);
    expect(await page.getByTestId('sip-aor').innerText()).toBe(`sip:8613800138000@${network.domain}`);
    await page.getByTestId('sip-userPart').selectOption('plus');
    expect(await page.getByTestId('sip-aor').innerText()).toBe(`sip:+8613800138000@${network.domain}`);
    await page.getByTestId('sip-aor-sample').fill('+86 139 0013 9000');
    expect(await page.getByTestId('sip-aor').innerText()).toBe(`sip:+8613900139000@${network.domain}`);
    await page.getByTestId('sip-aor-sample').fill('139 0013');
    expect(await page.getByTestId('sip-aor-example').innerText()).toContain('Too few digits for a subscriber number.');
    await page.getByTestId('sip-userPart').selectOption('digits');
    await page.getByTestId('sip-aor-sample').fill('138 0013 8000');
    await page.getByTestId('sip-section-addressing').evaluate((section) => section.scrollIntoView({ block: 'center' }));
    await settledSnap('sip-new');
  });

  it('checks the fields before saving: required, and the schema’s ranges', async () => {
    await page.getByTestId('sip-enabled').check();
    await page.getByTestId('sip-domain').fill('');
    await page.getByTestId('sip-save').click();
    await page.getByTestId('sip-fix-errors').waitFor();
    expect(await page.getByTestId('sip-registrarHost').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('sip-domain').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('sip-expires').fill('30');
    expect(await page.getByTestId('sip-expires').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('sip-section-timers').innerText()).toContain('Enter a whole number from 60 to 86,400.');
    await page.getByTestId('sip-localPort').fill('70000');
    expect(await page.getByTestId('sip-section-registrar').innerText()).toContain('Enter a whole number from 0 to 65,535.');
    await settledSnap('sip-invalid');
    await page.getByTestId('sip-revert').click();
    expect(await page.getByTestId('sip-enabled').isChecked()).toBe(false);
    expect(await page.getByTestId('sip-expires').inputValue()).toBe('600');
    expect(await page.getByTestId('sip-unsaved').count()).toBe(0);
  });

  it('edits a list of numbers to watch in national or international form, kept as E.164', async () => {
    await page.getByTestId('sip-watch-listed').check();
    const input = page.getByTestId('sip-numbers-input');
    await input.fill('138 0013 8000');
    await page.getByTestId('sip-numbers-add').click();
    await input.fill('+86 139 0013 9000');
    await input.press('Enter');
    await input.fill('8613800138000');
    await page.getByTestId('sip-numbers-add').click();
    expect(await page.getByTestId('sip-list').innerText()).toContain('138 0013 8000 is already in the list.');
    await input.fill('12345');
    expect(await page.getByTestId('sip-numbers-add').isEnabled()).toBe(true);
    await page.getByTestId('sip-numbers-add').click();
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill('');
    const chips = await page.getByTestId('sip-numbers-chip').evaluateAll((items) => items.map((i) => i.getAttribute('data-value')));
    expect(chips).toEqual([callee, caller]);
    expect(await page.getByTestId('sip-numbers-count').innerText()).toBe('2 numbers');
    await page.getByTestId('sip-list').evaluate((list) => list.scrollIntoView({ block: 'center' }));
    await settledSnap('sip-listed');
    // Back to the default: the list goes, nothing is left to save.
    await page.getByTestId('sip-revert').click();
    expect(await page.getByTestId('sip-watch-all-subscribers').isChecked()).toBe(true);
  });

  it('lets the caller leave their number for B while B’s handset is off', async () => {
    await provisionSubscriber(page, callee);
    await closeSubscriberProfile(page);
    await openLab(page);
    await handset(page, callee).waitFor();
    await setPower(page, callee, 'off');
    await placeCall(page);
    await pressKeys(page, '2');
    expect(await dialogueOutcome(page)).toBe('own-number');
  });

  it('subscribes to B at the registrar when watching numbers with calls waiting', async () => {
    await openNav(page, 'sip');
    await page.getByTestId('sip-registrarHost').fill('127.0.0.1');
    await page.getByTestId('sip-registrarPort').fill(String(network.udpPort));
    await page.getByTestId('sip-domain').fill(network.domain);
    await page.getByTestId('sip-keepaliveIntervalMs').fill('500');
    expect(await page.getByTestId('sip-section-timers').innerText()).toContain('0 turns it off');
    await page.getByTestId('sip-watch-with-pending-calls').check();
    await page.getByTestId('sip-enabled').check();
    expect(await page.getByTestId('sip-mode-change').innerText()).toBe(
      `When you save, Reachback subscribes at 127.0.0.1:${network.udpPort} for the domain ${network.domain}.`,
    );
    expect(await page.getByTestId('sip-unsaved').innerText()).toBe('6 unsaved changes');
    await page.getByTestId('sip-save').click();
    await page.getByTestId('sip-unsaved').waitFor({ state: 'detached' });

    await panelState('up').waitFor();
    await page.locator('[data-testid="sip-subscriptions-active"][data-value="1"]').waitFor();
    expect(await page.getByTestId('sip-subscriptions-active').innerText()).toBe('1 / 1');
    expect(await page.getByTestId('sip-panel').getAttribute('data-mode')).toBe('watching');
    const target = await page.getByTestId('sip-target').innerText();
    expect(target).toContain(`→ 127.0.0.1:${network.udpPort} UDP`);
    expect(target).toContain(`SUBSCRIBE sip:<number>@${network.domain}`);
    expect(target).toContain('Event: reg · Expires: 600');
    expect(target).toContain('OPTIONS every 500 ms');
    // The port Reachback picked (0 in the form) is shown as bound.
    expect(target).toMatch(/Contact sip:reachback@127\.0\.0\.1:[1-9]\d*/);
    expect(await page.getByTestId('sip-error').count()).toBe(0);
    // Kamailio answers a new subscription at once with a NOTIFY (empty until B registers).
    await page.locator('[data-testid="sip-counter-notifiesReceived"]:not([data-value="0"])').waitFor();
    expect(await page.getByTestId('sip-presence-events').getAttribute('data-value')).toBe('0');
    await settledSnap('sip-watching');
  });

  it('turns B’s phone registering into the merged reminder on B’s handset', async () => {
    await phone.register({ user: callee.slice(1), domain: network.domain, expires: 300 });
    await page.locator('[data-testid="sip-presence-events"]:not([data-value="0"])').waitFor();
    expect(await page.getByTestId('sip-counter-lastNotifyAt').innerText()).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(await page.getByTestId('sip-counter-notifiesMalformed').getAttribute('data-value')).toBe('0');
    expect(await page.getByTestId('sip-counter-notifiesUnknownDialog').getAttribute('data-value')).toBe('0');
    await settledSnap('sip-registered');

    await openLab(page);
    const merged = await waitForSms(page, callee, 'I called you');
    expect(await merged.getAttribute('data-from')).toBe(caller);
    expect(await merged.getByTestId('handset-message-text').innerText()).toMatch(/^I called you (once|1 times?) /);
    await settledSnap('sip-lab-merged');
  });

  it('shows the registrar healthy on the dashboard', async () => {
    await openNav(page, 'dashboard');
    await dashboardRow('up').waitFor();
    expect(await page.getByTestId('dashboard-link-sip-kind').innerText()).toBe('Reg events (RFC 3680)');
    expect(await page.getByTestId('dashboard-link-sip-metric').innerText()).toMatch(/^[01] \/ [01]$/);
    expect(await page.getByTestId('dashboard-link-sip-detail').innerText()).toMatch(
      /^Presence events 1 · NOTIFYs received \d+, the last \d/,
    );
    await settledSnap('dashboard-sip-up');
  });

  it('shows the registrar down, with the reason, once Kamailio stops answering', async () => {
    await openNav(page, 'sip');
    await network.kamailio.stop();
    await panelState('down').waitFor({ timeout: outageDetectionMs });
    expect(await page.getByTestId('sip-error-plain').innerText()).toBe(
      'The registrar stopped answering the OPTIONS keepalive: it is down, or a firewall drops the packets.',
    );
    expect(await page.getByTestId('sip-error-detail').innerText()).toContain(
      `no final response to OPTIONS from 127.0.0.1:${network.udpPort}`,
    );
    expect(await page.getByTestId('sip-error-callid').innerText()).not.toBe('');
    expect(await page.getByTestId('sip-error').innerText()).toContain('probes the registrar with OPTIONS');
    await settledSnap('sip-registrar-down');

    await openNav(page, 'dashboard');
    await dashboardRow('down').waitFor();
    expect(await page.getByTestId('dashboard-link-sip-detail').innerText()).toBe(
      'The registrar stopped answering the OPTIONS keepalive: it is down, or a firewall drops the packets.',
    );
    await settledSnap('dashboard-sip-down');
  });

  it('shows the registrar up again when Kamailio is back', async () => {
    await network.kamailio.start();
    await dashboardRow('up').waitFor({ timeout: 20_000 });
    await openNav(page, 'sip');
    await panelState('up').waitFor();
    // The old failure stays visible as the last one, no longer as the reason.
    expect(await page.getByTestId('sip-error').innerText()).toContain('Last failure');
  });

  it('reads well in Chinese', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
    await page.getByText('SIP 注册服务器').first().waitFor();
    expect(await page.getByTestId('sip-state').innerText()).toBe('注册服务器正常');
    await settledSnap('sip-zh-CN');
    await openNav(page, 'dashboard');
    await dashboardRow('up').waitFor();
    await settledSnap('dashboard-sip-zh-CN');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
  });
});

describe('SIP settings fixed by reachback.yaml', () => {
  let fileConsole: Awaited<ReturnType<typeof openConsoleWithConfig>>;
  let filePage: Page;

  beforeAll(async () => {
    const yaml = [
      'sip:',
      '  registrar:',
      '    registrarHost: 127.0.0.1',
      `    registrarPort: ${network.udpPort}`,
      `    domain: ${network.domain}`,
      '    keepaliveIntervalMs: 1000',
      '  watch: listed',
      `  numbers: ['${callee}']`,
      '',
    ].join('\n');
    fileConsole = await openConsoleWithConfig(browser, yaml, adminPassword);
    filePage = fileConsole.page;
  });

  afterAll(async () => {
    await fileConsole?.close();
  });

  it('shows the registrar, the mode and the list locked, and switches watching on without sending them', async () => {
    await openNav(filePage, 'sip');
    await panelState('off', filePage).waitFor();
    expect(await filePage.locator('[data-testid="sip-registrarHost"][data-locked="true"]').inputValue()).toBe('127.0.0.1');
    expect(await filePage.getByTestId('sip-registrarPort').getAttribute('readonly')).not.toBeNull();
    expect(await filePage.getByTestId('sip-keepaliveIntervalMs').inputValue()).toBe('1000');
    expect(await filePage.getByTestId('sip-userPart').isDisabled()).toBe(true);
    expect(await filePage.getByTestId('sip-watch-listed').isChecked()).toBe(true);
    expect(await filePage.getByTestId('sip-watch-all-subscribers').isDisabled()).toBe(true);
    expect(await filePage.getByTestId('sip-numbers-input').count()).toBe(0);
    expect(await filePage.getByTestId('sip-numbers-chip').getAttribute('data-value')).toBe(callee);
    const notice = await filePage.getByTestId('file-sources-notice').innerText();
    expect(notice).toContain('the registrar (all its settings)');
    expect(notice).toContain('which numbers to watch');
    expect(notice).toContain('reachback.yaml');
    // Switching on is the operator's: it is not in the file.
    expect(await filePage.getByTestId('sip-enabled').isDisabled()).toBe(false);
    await filePage.getByTestId('sip-enabled').check();
    await filePage.getByTestId('sip-save').click();
    await filePage.getByTestId('sip-unsaved').waitFor({ state: 'detached' });
    expect(await filePage.getByTestId('sip-actions').getByTestId('error-alert').count()).toBe(0);
    await panelState('up', filePage).waitFor();
    await filePage.locator('[data-testid="sip-subscriptions-active"][data-value="1"]').waitFor();
    await settledSnap('sip-from-file', filePage);
  });
});
