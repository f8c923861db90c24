/** Steps an operator takes in the console, written once for every e2e test. */
import type { Page } from 'playwright-core';

export const navItems = [
  'dashboard',
  'lab',
  'subscribers',
  'provisioning',
  'operators',
  'roles',
  'audit',
  'templates',
  'rules',
  'network',
  'smsc',
  'settings',
  'account',
] as const;

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
  for (const item of navItems) if (await page.getByTestId(`nav-${item}`).isVisible()) visible.push(item);
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
