/** Steps an operator takes in the console, written once for every e2e test. */
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './app';
import { newPage } from './browser';
import { routeNames } from '../../renderer/route-names';

export async function signIn(page: Page, consoleUrl: string, username: string, password: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Answers the forced change of a one-time password. */
export async function changeOneTimePassword(page: Page, oneTime: string, newPassword: string): Promise<void> {
  await page.getByTestId('screen-change-password').waitFor();
  await page.getByTestId('password-current').fill(oneTime);
  await page.getByTestId('password-new').fill(newPassword);
  await page.getByTestId('password-confirm').fill(newPassword);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('screen-dashboard').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('login-username').waitFor();
}

export async function visibleNavItems(page: Page): Promise<string[]> {
  await page.getByTestId('nav-dashboard').waitFor();
  const visible: string[] = [];
  for (const item of routeNames) if (await page.getByTestId(`nav-${item}`).isVisible()) visible.push(item);
  return visible;
}

/**
 * Sends a command straight to the core from the signed-in page, over a new
 * WebSocket with the page's own launch key and session: what the server
 * answers when the console's navigation is bypassed.
 */
export async function commandFromPage(page: Page, name: string, args: unknown = {}): Promise<{ ok: boolean; code?: string }> {
  return page.evaluate(
    async ({ name, args }) => {
      const key = sessionStorage.getItem('reachback.launchKey') ?? '';
      const token = sessionStorage.getItem('reachback.sessionToken') ?? '';
      const socket = new WebSocket(`ws://${location.host}/ws?key=${encodeURIComponent(key)}`);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      const call = (id: number, command: string, commandArgs: unknown) =>
        new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => {
          socket.addEventListener('message', function onMessage(event) {
            const message = JSON.parse(String(event.data));
            if (message.id !== id) return;
            socket.removeEventListener('message', onMessage);
            resolve(message);
          });
          socket.send(JSON.stringify({ type: 'command', id, name: command, args: commandArgs }));
        });
      const resumed = await call(1, 'session/resume', { token });
      if (!resumed.ok) return { ok: false, code: `resume failed: ${resumed.error?.code}` };
      const reply = await call(2, name, args);
      socket.close();
      return { ok: reply.ok, code: reply.error?.code };
    },
    { name, args },
  );
}

/**
 * Like commandFromPage, but returns the command's result (and throws the core's error): for setting up what a
 * test needs (a network token, operators) without going through the screens that other tests cover.
 */
export async function sendFromPage<T = unknown>(page: Page, name: string, args: unknown = {}): Promise<T> {
  const reply = await page.evaluate(
    async ({ name, args }) => {
      const key = sessionStorage.getItem('reachback.launchKey') ?? '';
      const token = sessionStorage.getItem('reachback.sessionToken') ?? '';
      const socket = new WebSocket(`ws://${location.host}/ws?key=${encodeURIComponent(key)}`);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = reject;
      });
      const call = (id: number, command: string, commandArgs: unknown) =>
        new Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>((resolve) => {
          socket.addEventListener('message', function onMessage(event) {
            const message = JSON.parse(String(event.data));
            if (message.id !== id) return;
            socket.removeEventListener('message', onMessage);
            resolve(message);
          });
          socket.send(JSON.stringify({ type: 'command', id, name: command, args: commandArgs }));
        });
      const resumed = await call(1, 'session/resume', { token });
      if (!resumed.ok) return resumed;
      const reply = await call(2, name, args);
      socket.close();
      return reply;
    },
    { name, args },
  );
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error?.code} ${reply.error?.message}`);
  return reply.result as T;
}

/** Creates an operator with a role (by its name) through the core, from the signed-in page; returns the one-time password. */
export async function createOperator(page: Page, username: string, displayName: string, roleName: string): Promise<string> {
  const roles = await sendFromPage<{ id: number; name: string }[]>(page, 'roles/list');
  const role = roles.find((r) => r.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  const created = await sendFromPage<{ oneTimePassword: string }>(page, 'operators/create', { username, displayName, roleId: role.id });
  return created.oneTimePassword;
}

/** Opens a screen from the navigation and waits for it. */
export async function openNav(page: Page, route: string): Promise<void> {
  await page.getByTestId(`nav-${route}`).click();
  await page.getByTestId(`screen-${route}`).waitFor();
}

/**
 * Provisions a Chinese number ('+8613800138000') with the missed-call alert in English on Subscribers, typed in
 * national form, and waits for its profile (left open).
 */
export async function provisionSubscriber(page: Page, msisdn: string): Promise<void> {
  await openNav(page, 'subscribers');
  await page.getByTestId('subscribers-new').click();
  await page.getByTestId('subscriber-msisdn').fill(msisdn.slice(3));
  await page.getByTestId('subscriber-mca').check();
  await page.getByTestId('subscriber-language').selectOption('en');
  await page.getByTestId('subscriber-save').click();
  await page.getByTestId('subscriber-dialog').waitFor({ state: 'detached' });
  await page.locator(`[data-testid="subscriber-profile"][data-msisdn="${msisdn}"]`).waitFor();
}

export async function closeSubscriberProfile(page: Page): Promise<void> {
  await page.getByTestId('subscriber-profile-close').click();
  await page.locator('.MuiDrawer-paper').waitFor({ state: 'detached' });
}

/** Polls a condition in the test process (a simulator's records, a peer's messages, an API) until it holds. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A second console for a deployment whose reachback.yaml fixes some settings: its own server and page, signed in
 * as the first administrator with the one-time password replaced and the notice dismissed.
 */
export async function openConsoleWithConfig(
  browser: Browser,
  configYaml: string,
  adminPassword: string,
): Promise<{ server: RunningServer; page: Page; close(): Promise<void> }> {
  const server = await startServer({ configYaml });
  const page = await newPage(browser);
  await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
  await changeOneTimePassword(page, server.adminPassword, adminPassword);
  await page.getByTestId('notice').getByTitle('Dismiss').click();
  return {
    server,
    page,
    async close() {
      await page.context().close();
      await server.stop();
    },
  };
}
