/**
 * The engine's administration screens, as an administrator uses them: open a subscriber and fill its lists,
 * reword an SMS template and watch its encoding, change who pays, give a network element a token (and take it
 * back), and provision subscribers in bulk from a CSV file with a bad line.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import { changeOneTimePassword, signIn } from './support/console';

/** Must not contain the username. */
const adminPassword = 'Engine-Room-4417';
const subscriber = '+8613800138000';
const friend = '+8613900139000';
let server: RunningServer;
let browser: Browser;
let page: Page;
let networkToken = '';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A network element's request to the core's network API. */
async function networkApi(method: string, path: string, body?: unknown, token = networkToken): Promise<{ status: number; json: unknown }> {
  const binary = body instanceof Blob;
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': binary ? 'audio/wav' : 'application/json' }),
    },
    body: body === undefined ? undefined : binary ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** One second of a 440 Hz tone, 8 kHz 16-bit mono PCM: what an IVR would upload as the caller's message. */
function toneWav(): Blob {
  const rate = 8000;
  const data = Buffer.alloc(rate * 2);
  for (let i = 0; i < rate; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return new Blob([new Uint8Array(Buffer.concat([header, data]))], { type: 'audio/wav' });
}

/** A screenshot once transitions (buttons, drawers, progress bars, notices) have finished. */
async function settledSnap(name: string): Promise<void> {
  await page.waitForTimeout(500);
  await snap(page, name);
}

async function openNav(route: string): Promise<void> {
  await page.getByTestId(`nav-${route}`).click();
  await page.getByTestId(`screen-${route}`).waitFor();
}

async function openProfile(msisdn: string): Promise<void> {
  await page.getByTestId('subscribers-search').fill(msisdn.slice(3));
  await page.locator(`.MuiDataGrid-row[data-id="${msisdn}"]`).click();
  await page.locator(`[data-testid="subscriber-profile"][data-msisdn="${msisdn}"]`).waitFor();
}

describe('engine administration in the console', () => {
  it('signs the admin in, who sees the engine screens', async () => {
    await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
    await changeOneTimePassword(page, server.adminPassword, adminPassword);
    for (const route of ['subscribers', 'provisioning', 'templates', 'rules', 'network']) {
      expect(await page.getByTestId(`nav-${route}`).isVisible(), route).toBe(true);
    }
  });

  it('opens a subscriber in Subscribers and lists it', async () => {
    await openNav('subscribers');
    await page.getByTestId('subscribers-new').click();
    await page.getByTestId('subscriber-msisdn').fill('13800138000');
    await page.getByTestId('subscriber-mca').check();
    await page.getByTestId('subscriber-language').selectOption('en');
    await settledSnap('subscriber-new');
    await page.getByTestId('subscriber-save').click();
    await page.getByTestId('subscriber-dialog').waitFor({ state: 'detached' });

    // Saving opens the new profile.
    const profile = page.getByTestId('subscriber-profile');
    await profile.waitFor();
    expect(await page.getByTestId('subscriber-profile-number').innerText()).toBe('138 0013 8000');
    expect(await page.getByTestId('subscriber-service-missedCallAlert').getAttribute('data-on')).toBe('true');
    expect(await page.getByTestId('subscriber-service-reachableAlert').getAttribute('data-on')).toBe('false');
    expect(await profile.innerText()).toContain('English');
    await page.getByTestId('subscriber-profile-close').click();
    await page.locator('.MuiDrawer-paper').waitFor({ state: 'detached' });

    const row = page.locator(`.MuiDataGrid-row[data-id="${subscriber}"]`);
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain('138 0013 8000');
    expect(rowText).toContain('Active');
    expect(rowText).toContain('Missed-call alert');
    expect(rowText).toContain('English');
    await settledSnap('subscribers-list');
  });

  it('adds a number to the whitelist and shows the core’s refusal of the own number', async () => {
    await openProfile(subscriber);
    await page.getByTestId('subscriber-whitelist-input').fill('139 0013 9000');
    await page.getByTestId('subscriber-whitelist-add').click();
    await page.locator(`[data-testid="subscriber-whitelist-chip"][data-value="${friend}"]`).waitFor();
    expect(await page.getByTestId('subscriber-whitelist-input').inputValue()).toBe('');

    await page.getByTestId('subscriber-whitelist-input').fill('13800138000');
    await page.getByTestId('subscriber-whitelist-add').click();
    const field = page.getByTestId('subscriber-whitelist');
    await field.getByText('a subscriber cannot list their own number').waitFor();
    await page.getByTestId('subscriber-whitelist-input').fill('');

    // The opening reminder of the missed-call alert is in the SMS log.
    await page.getByTestId('subscriber-tab-sms').click();
    await page.locator('[data-testid="subscriber-sms-row"][data-kind="opening-reminder"]').waitFor();
    await page.getByTestId('subscriber-tab-overview').click();
    await settledSnap('subscriber-profile');
    await page.getByTestId('subscriber-profile-close').click();
  });

  it('rewords the English missed-call summary, with the encoding following the preview', async () => {
    await openNav('templates');
    await page.getByTestId('template-missed-summary-en').click();
    const editor = page.locator('[data-testid="template-editor"][data-key="missed-summary"][data-language="en"]');
    await editor.waitFor();
    const encoding = page.getByTestId('template-encoding');
    expect(await encoding.getAttribute('data-encoding')).toBe('gsm7');

    // A curly apostrophe forces UCS-2: more parts, and a warning that offers the plain character.
    const text = page.getByTestId('template-text');
    await text.fill('You’ve {count} missed calls. Reply D to {shortCode} within {windowHours} h for details, or call {queryNumber}. Free.');
    expect(await encoding.getAttribute('data-encoding')).toBe('ucs2');
    expect(Number(await encoding.getAttribute('data-parts'))).toBe(2);
    expect(await encoding.innerText()).toMatch(/^UCS-2 · 2 parts \(67 per part\)$/);
    await page.getByTestId('template-ucs2-warning').waitFor();
    await settledSnap('template-ucs2');
    await page.getByTestId('template-fix-gsm').click();
    expect(await encoding.getAttribute('data-encoding')).toBe('gsm7');
    expect(await encoding.innerText()).toMatch(/^GSM-7 · \d+\/160 · 1 part$/);
    expect(await page.getByTestId('template-ucs2-warning').count()).toBe(0);

    // A placeholder the template does not offer is refused on the field; the chips insert allowed ones.
    await text.press('End');
    await text.pressSequentially(' {caller}');
    await editor.getByText('is not offered by this template').waitFor();
    expect(await page.getByTestId('template-save').isDisabled()).toBe(true);
    await text.fill("You've {count} missed calls. Reply D to {shortCode} within {windowHours} h for details, each ");
    await text.press('End');
    await page.getByTestId('template-placeholder-detailPrice').click();
    expect(await text.inputValue()).toMatch(/each \{detailPrice\}$/);
    await text.pressSequentially(' yuan. Free.');
    expect(await page.getByTestId('template-preview').innerText()).toMatch(
      /You've 2 missed calls\. Reply D to 06001 within 24 h for details, each 0\.10 yuan\. Free\./,
    );

    await page.getByTestId('template-save').click();
    await page.getByTestId('template-unsaved').waitFor({ state: 'detached' });
    expect(await page.getByTestId('template-status').innerText()).toBe('Edited');
    expect(await page.getByTestId('template-missed-summary-en').getAttribute('data-edited')).toBe('true');
    await settledSnap('template-saved');
  });

  it('lets the calling party pay, in Service rules', async () => {
    await openNav('rules');
    await page.getByTestId('rules-priority-charging-calling').check();
    expect(await page.getByTestId('rules-unsaved').innerText()).toBe('1 unsaved change');
    await settledSnap('rules');
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules-unsaved').waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('screen-rules').waitFor();
    await page.getByTestId('rules-priority-charging-calling').waitFor();
    expect(await page.getByTestId('rules-priority-charging-calling').isChecked()).toBe(true);
    expect(await page.getByTestId('rules-priority-charging-called').isChecked()).toBe(false);
    expect(await page.getByTestId('rules-priority-dialogue-called').isChecked()).toBe(true);
    await settledSnap('rules-top');
  });

  it('gives a network element a token the network API accepts', async () => {
    await openNav('network');
    await page.getByTestId('network-token-new').click();
    await page.getByTestId('network-token-name').fill('MSC Beijing 1');
    await page.getByTestId('network-token-save').click();
    networkToken = (await page.getByTestId('network-token-value').innerText()).trim();
    expect(networkToken).toMatch(/^rbk_[A-Za-z0-9_-]{20,}$/);
    expect(await page.getByTestId('network-token-curl').innerText()).toBe(
      `curl -H "Authorization: Bearer ${networkToken}" ${server.baseUrl}/api/v1/health`,
    );
    await settledSnap('network-token-created');
    await page.getByTestId('network-token-close').click();
    await page.getByText(`…${networkToken.slice(-4)}`).waitFor();

    const answer = await networkApi('GET', `/api/v1/subscribers/${subscriber}`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ msisdn: subscriber, whitelist: [friend], language: 'en' });
    expect((await networkApi('GET', `/api/v1/subscribers/${subscriber}`, undefined, 'rbk_not-a-real-token')).status).toBe(401);
  });

  it('shows a voice message left through the network live in the profile, and plays it', async () => {
    await openNav('subscribers');
    await openProfile(subscriber);
    await page.getByTestId('subscriber-edit').click();
    await page.getByTestId('subscriber-vm').check();
    await page.getByTestId('subscriber-save').click();
    await page.getByTestId('subscriber-dialog').waitFor({ state: 'detached' });
    await page.locator('[data-testid="subscriber-service-voicemail"][data-on="true"]').waitFor();
    await page.getByTestId('subscriber-tab-calls').click();

    // The MSC reports a call to the powered-off subscriber; the caller presses 1 and leaves a message.
    const call = await networkApi('POST', '/api/v1/calls', {
      caller: '13900139000',
      callee: '13800138000',
      reason: 'power_off',
      at: Date.now(),
    });
    expect(call.status, JSON.stringify(call.json)).toBeLessThan(300);
    const session = (call.json as { session: string }).session;
    expect((await networkApi('POST', `/api/v1/ivr/${session}/input`, { digits: '1' })).status).toBe(200);
    expect((await networkApi('PUT', `/api/v1/ivr/${session}/recording`, toneWav())).status).toBe(200);
    expect((await networkApi('POST', `/api/v1/ivr/${session}/input`, { event: 'recorded' })).status).toBe(200);

    const row = page.locator('[data-testid="subscriber-call"]').first();
    await page.locator('[data-testid="subscriber-call"][data-status="pending"]').waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain('139 0013 9000');
    expect(rowText).toContain('Left a voice message');
    await row.locator('[data-testid^="call-play-"]').click();
    const audio = page.getByTestId('voice-audio');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toMatch(/^blob:/);
    await settledSnap('subscriber-calls');

    // Back on the network, the subscriber gets the notice: the SMS log follows live.
    expect(
      (await networkApi('POST', '/api/v1/presence', { msisdn: '13800138000', state: 'reachable', at: Date.now() })).status,
    ).toBeLessThan(300);
    await page.locator('[data-testid="subscriber-call"][data-status="notified"]').waitFor();
    await page.getByTestId('subscriber-tab-sms').click();
    await page.locator('[data-testid="subscriber-sms-row"][data-kind="notification"]').waitFor();
    await settledSnap('subscriber-sms');
    await page.getByTestId('subscriber-profile-close').click();
  });

  it('revokes the token, after which the network API refuses it', async () => {
    await openNav('network');
    await page.locator('[data-testid^="network-token-revoke-"]').click();
    await page.getByTestId('confirm-ok').click();
    await page.locator('[data-state="revoked"]').waitFor();
    expect((await networkApi('GET', `/api/v1/subscribers/${subscriber}`)).status).toBe(401);
    await settledSnap('network-tokens');
  });

  it('imports subscribers from CSV, reporting the bad line', async () => {
    await openNav('provisioning');
    const download = page.waitForEvent('download');
    await page.getByTestId('provisioning-template').click();
    const template = Buffer.concat(await (await (await download).createReadStream()).toArray()).toString('utf8');
    expect(template.charCodeAt(0)).toBe(0xfeff);
    expect(template.slice(1).split('\r\n')[0]).toBe('msisdn,missedCallAlert,reachableAlert,voicemail,language,privacy,tariff');

    const csv = [
      'msisdn,missedCallAlert,reachableAlert,voicemail,language,privacy,tariff',
      '13700137001,yes,no,no,zh-CN,all,',
      '13700137002,yes,yes,no,en,whitelist,gold',
      '12345,yes,no,no,en,all,',
      '13700137004,no,yes,yes,zh-CN,nobody,',
    ].join('\n');
    await page.getByTestId('provisioning-file').setInputFiles({ name: 'subscribers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // The file is read asynchronously (FileReader): wait for its summary instead of reading it at once.
    await page.getByTestId('provisioning-file-name').filter({ hasText: '4 lines' }).waitFor();
    await page.getByTestId('provisioning-start').click();

    await page.locator('[data-testid="provisioning-job"][data-state="done"]').waitFor();
    expect(await page.getByTestId('provisioning-progress').getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByTestId('provisioning-done').innerText()).toBe('4 / 4');
    expect(await page.getByTestId('provisioning-opened').innerText()).toBe('5');
    expect(await page.getByTestId('provisioning-failed').innerText()).toBe('1');
    const refused = page.getByTestId('provisioning-error-row');
    expect(await refused.count()).toBe(1);
    expect(await refused.getAttribute('data-line')).toBe('4');
    expect(await refused.innerText()).toMatch(/msisdn: .*digits/);
    expect(await page.getByTestId('provisioning-job-row').count()).toBe(1);
    await settledSnap('provisioning');

    await openNav('subscribers');
    await page.getByTestId('subscribers-search').fill('1370013700');
    // The grid answers each keystroke's search in turn: wait for the last one's rows, not the first change.
    const ids = () => page.locator('.MuiDataGrid-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')).sort());
    await expect.poll(ids).toEqual(['+8613700137001', '+8613700137002', '+8613700137004']);
  });

  it('reads well in Chinese and in the dark theme', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
    await page.getByTestId('theme-toggle').click();
    await openNav('subscribers');
    await openProfile(subscriber);
    expect(await page.getByTestId('subscriber-tab-overview').innerText()).toMatch(/[\u4e00-\u9fff]/);
    await settledSnap('zh-subscriber-profile');
    await page.getByTestId('subscriber-tab-calls').click();
    await settledSnap('zh-subscriber-calls');
    await page.getByTestId('subscriber-profile-close').click();
    await page.locator('.MuiDrawer-paper').waitFor({ state: 'detached' });
    await openNav('templates');
    await page.getByTestId('template-missed-summary-zh-CN').click();
    expect(await page.getByTestId('template-encoding').getAttribute('data-encoding')).toBe('ucs2');
    expect(await page.getByTestId('template-ucs2-warning').count()).toBe(0);
    await settledSnap('zh-templates');
    await openNav('rules');
    await settledSnap('zh-rules');
    await openNav('provisioning');
    await settledSnap('zh-provisioning');
    await openNav('network');
    await settledSnap('zh-network');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('theme-toggle').click();
  });
});
