/**
 * The Foundation's "done when", as a newcomer would do it in the console:
 * sign in as the initial admin, create a custom role and a customer-service
 * operator, sign in as them and see only what the role allows, and find both
 * steps in the audit log. Also: every built-in role's view, a wrong password,
 * and the language and theme switches.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import { routeNames } from '../renderer/route-names';
import { changeOneTimePassword, commandFromPage, signIn, signOut, visibleNavItems } from './support/console';

const adminPassword = 'Harbour-Lights-2026';
const operatorPassword = 'Service-Desk-77';
let server: RunningServer;
let browser: Browser;
let page: Page;
let supervisorOneTime = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function createOperator(username: string, displayName: string, roleLabel: string): Promise<string> {
  await page.getByTestId('nav-operators').click();
  await page.getByTestId('operators-create').click();
  await page.getByTestId('operator-username').fill(username);
  await page.getByTestId('operator-displayname').fill(displayName);
  await page.getByTestId('operator-role').selectOption({ label: roleLabel });
  await page.getByTestId('operator-save').click();
  const oneTime =
    (await page
      .getByTestId('one-time-password')
      .inputValue()
      .catch(() => null)) ?? (await page.getByTestId('one-time-password').innerText());
  await page.getByTestId('one-time-password-close').click();
  return oneTime.trim();
}

describe('Foundation in the console', () => {
  it('serves the console on 127.0.0.1 with a per-launch key and prints a one-time admin password', () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.consoleUrl).toMatch(/\?key=[A-Za-z0-9_-]{20,}$/);
    expect(server.adminPassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
  });

  it('says clearly that a wrong password is wrong', async () => {
    await signIn(page, server.consoleUrl, 'admin', 'not-the-password');
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/wrong username or password/i);
    await snap(page, 'login-wrong-password');
  });

  it('makes the initial admin choose a new password at first sign-in', async () => {
    await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
    await changeOneTimePassword(page, server.adminPassword, adminPassword);
    expect(await visibleNavItems(page)).toEqual([...routeNames]);
    expect(await page.getByTestId('topbar-operator-name').innerText()).toBe('Administrator');
    await snap(page, 'admin-dashboard');
  });

  it('lets the admin create a custom role in the permission matrix', async () => {
    await page.getByTestId('nav-roles').click();
    await page.getByTestId('roles-create').click();
    await page.getByTestId('role-name').fill('Service desk supervisor');
    await page.getByTestId('role-description').fill('Customer service leads: see operators and the audit log');
    await page.getByTestId('role-save').click();
    const header = page.locator('[data-testid^="role-header-"]', { hasText: 'Service desk supervisor' });
    await header.waitFor();
    const roleId = (await header.getAttribute('data-testid'))!.replace('role-header-', '');
    await page.getByTestId(`perm-${roleId}-operators.read`).check();
    await page.getByTestId(`perm-${roleId}-audit.read`).check();
    await page.getByTestId('roles-save-matrix').click();
    await page.getByTestId('roles-unsaved').waitFor({ state: 'detached' });
    await snap(page, 'roles-matrix');
    expect(await page.getByTestId(`perm-${roleId}-operators.read`).isChecked()).toBe(true);
    expect(await page.getByTestId(`perm-${roleId}-roles.manage`).isChecked()).toBe(false);
  });

  it('lets the admin create an operator with that role, showing the one-time password once', async () => {
    supervisorOneTime = await createOperator('li.na', '李娜', 'Service desk supervisor');
    expect(supervisorOneTime).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    await page.getByTestId('operator-edit-li.na').waitFor();
    await snap(page, 'operators');
  });

  it('shows the new operator only what the role allows, and the server refuses the rest', async () => {
    await signOut(page);
    await signIn(page, server.consoleUrl, 'li.na', supervisorOneTime);
    await changeOneTimePassword(page, supervisorOneTime, operatorPassword);
    expect(await visibleNavItems(page)).toEqual(['dashboard', 'operators', 'audit', 'account']);
    await page.getByTestId('nav-operators').click();
    await page.getByTestId('screen-operators').waitFor();
    expect(await page.getByTestId('operators-create').count()).toBe(0);
    expect(await commandFromPage(page, 'operators/list')).toEqual({ ok: true });
    expect(await commandFromPage(page, 'roles/list')).toEqual({ ok: false, code: 'forbidden' });
    expect(await commandFromPage(page, 'operators/create', { username: 'sneaky', displayName: 'x', roleId: 1 })).toEqual({
      ok: false,
      code: 'forbidden',
    });
    await snap(page, 'supervisor-operators');
  });

  it('records both steps in the audit log, and the refusals', async () => {
    await page.getByTestId('nav-audit').click();
    const grid = page.getByTestId('screen-audit');
    await grid.getByText('Create role').first().waitFor();
    const text = await grid.innerText();
    expect(text).toMatch(/li\.na/);
    expect(text).toMatch(/denied|Denied/);
    await page.getByTestId('audit-filter-actor').fill('admin');
    await page.waitForTimeout(600);
    const filtered = await grid.innerText();
    expect(filtered).toMatch(/operator:li\.na/);
    expect(filtered).toMatch(/role:\d+/);
    await snap(page, 'audit-log');
  });

  it('exports the audit log as CSV', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('audit-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^reachback-audit-\d{14}\.csv$/);
    const csv = await (await file.createReadStream()).toArray();
    const text = Buffer.concat(csv).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('operators/create');
    expect(text).toContain('李娜');
  });

  it('switches to Chinese and to the dark theme, and keeps them', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
    await page.getByTestId('nav-audit').waitFor();
    expect(await page.getByTestId('nav-audit').innerText()).toMatch(/[\u4e00-\u9fff]/);
    await page.getByTestId('theme-toggle').click();
    expect(await page.getByTestId('theme-toggle').getAttribute('data-mode')).toBe('dark');
    await snap(page, 'zh-CN-dark');
    await page.reload();
    await page.getByTestId('nav-audit').waitFor();
    expect(await page.getByTestId('nav-audit').innerText()).toMatch(/[\u4e00-\u9fff]/);
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('theme-toggle').click();
  });
});

describe('built-in roles', () => {
  const expected: Record<string, string[]> = {
    'Customer service': ['dashboard', 'subscribers', 'statements', 'rules', 'account'],
    'Billing administrator': [
      'dashboard',
      'tariffs',
      'capping',
      'billing-reports',
      'bill-cycles',
      'statements',
      'adjustments',
      'exports',
      'account',
    ],
    Agent: ['dashboard', 'desk', 'desk-calls', 'account'],
    'Desk supervisor': ['dashboard', 'subscribers', 'desk', 'desk-calls', 'desk-supervisor', 'account'],
  };

  it.each(Object.keys(expected))('%s sees only its screens and the server refuses administration', async (roleLabel) => {
    const username = roleLabel.toLowerCase().replace(/[^a-z]+/g, '-');
    await signOut(page);
    await signIn(page, server.consoleUrl, 'admin', adminPassword);
    await page.getByTestId('screen-dashboard').waitFor();
    const oneTime = await createOperator(username, roleLabel, roleLabel);
    await signOut(page);
    await signIn(page, server.consoleUrl, username, oneTime);
    await changeOneTimePassword(page, oneTime, operatorPassword);
    expect(await visibleNavItems(page)).toEqual(expected[roleLabel]);
    expect(await page.getByTestId('topbar-operator-role').innerText()).toBe(roleLabel);
    for (const command of ['operators/list', 'roles/list', 'audit/list', 'settings/get']) {
      expect(await commandFromPage(page, command), command).toEqual({ ok: false, code: 'forbidden' });
    }
    expect(await commandFromPage(page, 'system/status')).toEqual({ ok: true });
    await snap(page, `role-${username}`);
  });
});
