/**
 * The Lab, as a trainer plays the service description's story in the console:
 * the called party subscribes by texting OPEN, switches the phone off, a caller
 * leaves their number twice and gives up the third time; when the phone is back
 * on, the merged "I called you 2 times" SMS and the missed-call summary arrive,
 * and a D reply brings the details. Then the other options, and self-care: the
 * subscriber calls the voicemail number to hear, delete and manage.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import { changeOneTimePassword, signIn } from './support/console';
import {
  answer,
  dialogueOutcome,
  handset,
  openLab,
  placeCall,
  placeSelfcareCall,
  pressKeys,
  sendSms,
  setPower,
  settle,
  waitForSms,
} from './support/lab';

const adminPassword = 'Harbour-Lights-2026';
const caller = '+8613900139000';
const callee = '+8613800138000';
/** How the SMS texts write a time: "26 Nov 09:15". */
const smsTime = '\\d{1,2} [A-Z][a-z]{2} \\d{2}:\\d{2}';
let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await newPage(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('The Lab plays the missed-call reminder story end to end', () => {
  it('opens with two demo numbers and their virtual handsets', async () => {
    await signIn(page, server.consoleUrl, 'admin', server.adminPassword);
    await changeOneTimePassword(page, server.adminPassword, adminPassword);
    await page.getByTestId('notice').getByTitle('Dismiss').click();
    await openLab(page);
    expect(await page.getByTestId('lab-caller').inputValue()).toBe('139 0013 9000');
    expect(await page.getByTestId('lab-callee').inputValue()).toBe('138 0013 8000');
    await handset(page, caller).waitFor();
    await handset(page, callee).waitFor();
    expect(await handset(page, callee).getAttribute('data-subscriber')).toBe('no');
    expect(await page.getByTestId('lab-key-2').isDisabled()).toBe(true);
    await settle(page);
    await snap(page, 'lab-start');
  });

  it('shows the core’s refusal of a number on the field it names', async () => {
    await page.getByTestId('lab-callee').fill('138 0013');
    await page.getByTestId('lab-call').click();
    await page.locator('[data-testid="lab-callee"][aria-invalid="true"]').waitFor();
    expect(await page.getByTestId('lab-call-panel').innerText()).toContain('Too few digits for a phone number.');
    expect(await page.getByTestId('lab-caller').getAttribute('aria-invalid')).toBe('false');
    await page.getByTestId('lab-callee').fill('138 0013 8000');
    expect(await page.getByTestId('lab-callee').getAttribute('aria-invalid')).toBe('false');
  });

  it('explains that the called number does not subscribe yet', async () => {
    await page.getByTestId('lab-call').click();
    const hint = page.getByTestId('lab-not-subscriber');
    await hint.waitFor();
    expect(await hint.innerText()).toContain('138 0013 8000 does not subscribe to the service');
    expect(await hint.innerText()).toMatch(/send OPEN from their handset/);
    await settle(page);
    await snap(page, 'lab-not-subscriber');
  });

  it('subscribes the called party when its handset texts OPEN, with the opening reminder in Chinese', async () => {
    await sendSms(page, callee, 'OPEN');
    const reminder = await waitForSms(page, callee, '来电提醒业务已开通');
    expect(await reminder.getByTestId('handset-message-text').innerText()).toBe(
      '尊敬的用户，您的来电提醒业务已开通，本业务免费。回复HELP至06001查看指令。',
    );
    expect(await reminder.getByTestId('handset-message-text').getAttribute('lang')).toBe('zh-CN');
    expect(await reminder.innerText()).toMatch(/UCS-2 · 1 part/);
    expect(await reminder.getAttribute('data-from')).toBe('06001');
    await page.locator(`[data-testid="handset-${callee.slice(1)}"][data-subscriber="yes"]`).waitFor();
    expect(await handset(page, callee).getByTestId('handset-services').innerText()).toContain('Missed-call alert');
    expect(await page.getByTestId('lab-not-subscriber').count()).toBe(0);
    await settle(page);
    await snap(page, 'lab-opened');

    // The confirmation still comes in the language the subscriber had when asking.
    await sendSms(page, callee, 'LANG EN');
    await waitForSms(page, callee, 'Done: English. This message is free.');
  });

  it('lets the caller leave their number twice while the called handset is off', async () => {
    await setPower(page, callee, 'off');
    for (let attempt = 1; attempt <= 2; attempt++) {
      await placeCall(page);
      const prompts = await page.getByTestId('lab-prompts').innerText();
      expect(prompts).toContain('The subscriber you dialed cannot be connected temporarily.');
      expect(prompts).toContain('Press 2 to leave your own number.');
      await pressKeys(page, '2');
      expect(await dialogueOutcome(page)).toBe('own-number');
      expect(await page.getByTestId('lab-outcome').innerText()).toBe('Own number left');
      expect(await page.getByTestId('lab-prompts').innerText()).toContain('Thank you. The subscriber will be told you called.');
      expect(await page.getByTestId('lab-key-2').isDisabled()).toBe(true);
      expect(await page.getByTestId('lab-call').isEnabled()).toBe(true);
    }
    await settle(page);
    await snap(page, 'lab-own-number');
  });

  it('counts a third call that times out as given up', async () => {
    await placeCall(page);
    await page.getByTestId('lab-timeout').click();
    expect(await dialogueOutcome(page)).toBe('gave-up');
    expect(await page.getByTestId('lab-prompts').innerText()).toContain('Goodbye.');
    expect(await page.getByTestId('lab-outcome').innerText()).toBe('Gave up');
    expect(await page.getByTestId('lab-next-step').innerText()).toContain('138 0013 8000 is off');
    await settle(page);
    await snap(page, 'lab-gave-up');
  });

  it('delivers the merged reminder from the caller and the missed-call summary when the handset is back on', async () => {
    await setPower(page, callee, 'on');
    const merged = await waitForSms(page, callee, 'I called you 2 times');
    expect(await merged.getAttribute('data-from')).toBe(caller);
    expect(await merged.innerText()).toContain('139 0013 9000');
    expect(await merged.getByTestId('handset-message-text').innerText()).toMatch(
      new RegExp(
        // Both calls usually fall in one minute, and then the first time is not repeated.
        `^I called you 2 times before \\d{1,2} \\w{3} \\d\\d:\\d\\d( \\(first at \\d{1,2} \\w{3} \\d\\d:\\d\\d\\))?, and I am waiting for your call back\\. Please contact me\\.$`,
      ),
    );
    const summary = await waitForSms(page, callee, 'You have 1 missed calls');
    expect(await summary.getAttribute('data-from')).toBe('06001');
    expect(await summary.getByTestId('handset-message-text').innerText()).toBe(
      'You have 1 missed calls. For details, reply D to 06001 within 24 hours, or call 06001 for enquiry (each detail message is 0.10 yuan). This message is free.',
    );
    expect(await summary.innerText()).toMatch(/GSM-7 · 1 part$/);
    await settle(page);
    await snap(page, 'lab-powered-on');
  });

  it('answers a D reply with the details of the missed call', async () => {
    await handset(page, callee).getByTestId('handset-quick-D').click();
    const detail = await waitForSms(page, callee, 'Missed calls:');
    expect(await detail.getByTestId('handset-message-text').innerText()).toMatch(
      new RegExp(`^Missed calls:\n139 0013 9000: once, last ${smsTime}$`),
    );
    await settle(page);
    await snap(page, 'lab-details');
  });

  it('counts the story on the dashboard', async () => {
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-service').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="engine-calls-today"]')?.textContent === '3');
    expect(await page.getByTestId('engine-d-conversion').innerText()).toBe('100 %');
    await page.getByTestId('engine-outcome-chart').getByText('Own number left').waitFor();
    await settle(page);
    await snap(page, 'lab-dashboard');
  });

  it('plays the other options: voice message, another callback number, tell me when back, operator', async () => {
    await openLab(page);
    await sendSms(page, callee, 'OPEN VM');
    await handset(page, callee).locator('[data-service="voicemail"]').waitFor();
    await sendSms(page, caller, 'OPEN RA');
    await handset(page, caller).locator('[data-service="reachableAlert"]').waitFor();

    await placeCall(page);
    const menu = await page.getByTestId('lab-prompts').innerText();
    expect(menu).toContain('Press 1 to leave a voice message.');
    expect(menu).toContain('Press 4 to be told when the subscriber is back.');
    await pressKeys(page, '1');
    expect(await page.getByTestId('lab-key-5').isDisabled()).toBe(true);
    await page.getByTestId('lab-record').click();
    expect(await dialogueOutcome(page)).toBe('voice');

    await placeCall(page);
    await pressKeys(page, '3');
    await page.getByTestId('lab-digits').waitFor();
    await pressKeys(page, '13700137000');
    expect(await page.getByTestId('lab-digits').inputValue()).toBe('13700137000');
    await page.getByTestId('lab-digits-send').click();
    await page.getByTestId('lab-prompts').getByText('You entered 137 0013 7000. Press 1 to confirm, or 2 to enter it again.').waitFor();
    expect(await page.getByTestId('lab-transcript').innerText()).toContain('Pressed 13700137000#');
    await pressKeys(page, '1');
    expect(await dialogueOutcome(page)).toBe('callback');

    await placeCall(page);
    await pressKeys(page, '4');
    expect(await dialogueOutcome(page)).toBe('reachable-request');

    await placeCall(page);
    await pressKeys(page, '0');
    expect(await dialogueOutcome(page)).toBe('agent');
    const transfer = await page.getByTestId('lab-transfer').innerText();
    expect(transfer).toContain('Transferred to the agent desk');
    expect(transfer).toMatch(/X-Reachback-Called\s+\+8613800138000/);
    expect(transfer).toMatch(/X-Reachback-Caller\s+\+8613900139000/);
    await settle(page);
    await snap(page, 'lab-transfer');

    await setPower(page, callee, 'on');
    await waitForSms(page, callee, 'left you a voice message');
    await waitForSms(page, callee, 'Please dial 137 0013 7000');
    const alert = await waitForSms(page, caller, '现已开机');
    expect(await alert.getByTestId('handset-message-text').innerText()).toMatch(/^您在.+拨打的用户138 0013 8000现已开机，请与其联系。$/);
    await settle(page);
    await snap(page, 'lab-other-options');
  });

  it('lets the subscriber call the voicemail number: choose a PIN, hear and delete a message, set privacy', async () => {
    // The caller leaves a voice message while the subscriber's handset is off (one more than the test before).
    await setPower(page, callee, 'off');
    await placeCall(page);
    await pressKeys(page, '1');
    await page.getByTestId('lab-record').click();
    expect(await dialogueOutcome(page)).toBe('voice');
    const notices = handset(page, callee).getByTestId('handset-message').filter({ hasText: 'Call 06002 to listen to it.' });
    const noticesBefore = await notices.count();
    await setPower(page, callee, 'on');
    await expect.poll(() => notices.count()).toBe(noticesBefore + 1);

    // The subscriber dials the voicemail number from their own handset: no number asked, a PIN to choose.
    await page.getByTestId('lab-mode-selfcare').click();
    expect(await page.getByTestId('lab-selfcare-from').inputValue()).toBe('138 0013 8000');
    expect(await page.getByTestId('lab-voicemail-number').innerText()).toContain('06002');
    expect(await page.getByTestId('lab-selfcare-call').innerText()).toBe('Call voicemail 06002');
    expect(await page.getByTestId('lab-guide').innerText()).toMatch(/self-care in four steps/i);
    await placeSelfcareCall(page, '138 0013 8000');
    expect(await page.getByTestId('lab-ivr-panel').innerText()).toContain('138 0013 8000 → voicemail 06002 · self-care');
    const welcome = await page.getByTestId('lab-prompts').innerText();
    expect(welcome).toContain('Welcome to the missed-call reminder service.');
    expect(welcome).toContain('Please choose a PIN of 4 to 8 digits, then press the hash key.');
    expect(welcome).toContain('Waiting for the PIN ended by #');
    expect(await page.getByTestId('lab-ivr-panel').getByText('PIN entered').count()).toBeGreaterThan(0);
    expect(await answer(page, '2580#', 'selfcare-repeat-pin')).toContain('Please enter the same PIN again');
    const menu = await answer(page, '2580#', 'selfcare-main');
    expect(menu).toContain('Your PIN is saved.');
    expect(menu).toContain('Press 1 for your voice messages, 2 for your blacklist, 3 for your whitelist, 4 for privacy');

    // Message 1: the older of the two, new first; the trainer plays it in the console.
    const first = await answer(page, '1', 'selfcare-voice-header');
    expect(first).toContain('Voice messages: 2, new: 2.');
    expect(first).toMatch(new RegExp(`Message 1, from 139 0013 9000, at ${smsTime}\\.`));
    expect(first).toContain('[voice message]');
    expect(first).toContain('Press 1 to hear it again, 2 for the next message, 3 to delete it, or star for the main menu.');
    const message = page.getByTestId('lab-prompts').getByTestId('lab-voice-prompt');
    expect(await message.getAttribute('data-state')).toBe('ready');
    const deletedId = await message.getAttribute('data-call-id');
    await message.getByTestId('lab-voice-play').click();
    const audio = page.getByTestId('lab-voice-audio');
    await audio.waitFor();
    expect(await audio.getAttribute('src')).toMatch(/^blob:/);
    await settle(page);
    await snap(page, 'lab-selfcare-voice');

    // 3 deletes it; the other message follows as message 2 (numbers stay those announced), and the deleted one is marked.
    const afterDelete = await answer(page, '3', 'selfcare-voice-deleted');
    expect(afterDelete).toContain('Message deleted.');
    expect(afterDelete).toMatch(new RegExp(`Message 2, from 139 0013 9000, at ${smsTime}\\.`));
    expect(await page.getByTestId('lab-prompts').getByTestId('lab-voice-prompt').getAttribute('data-call-id')).not.toBe(deletedId);
    await page.locator(`[data-testid="lab-voice-prompt"][data-call-id="${deletedId}"][data-state="deleted"]`).waitFor();
    expect(await page.getByTestId('lab-voice-audio').count()).toBe(0);

    // Back to the menu, 4 privacy, 2 whitelist only, and hang up.
    await answer(page, '*', 'selfcare-main');
    expect(await answer(page, '4', 'selfcare-privacy')).toContain('now everyone');
    expect(await answer(page, '2', 'selfcare-privacy-saved')).toContain('Saved: your whitelist only.');

    // 6 personal greeting: none yet; 2 records it (the Lab uploads a test tone), the IVR plays it back, 1 keeps it.
    expect(await answer(page, '6', 'selfcare-greeting-none')).toContain('You have no personal greeting');
    expect(await answer(page, '2', 'selfcare-greeting-record')).toContain('Please record your greeting after the tone');
    const recordingTurn = await page.getByTestId('lab-prompts').getAttribute('data-turn');
    expect(await page.getByTestId('lab-record').innerText()).toMatch(/record a 3 s test tone as the greeting/i);
    await page.getByTestId('lab-record').click();
    const review = page.locator(`[data-testid="lab-prompts"]:not([data-turn="${recordingTurn}"])`);
    await review.locator('[data-prompt="selfcare-greeting-review"]').waitFor();
    expect(await review.innerText()).toContain('[your new greeting]');
    expect(await answer(page, '1', 'selfcare-greeting-saved')).toContain('Your greeting is saved.');
    await page.getByTestId('lab-hangup').click();
    await page.locator('[data-testid="lab-call-state"][data-state="ended"]').waitFor();
    expect(await page.getByTestId('lab-ivr-hangup').isVisible()).toBe(true);
    expect(await page.getByTestId('lab-key-1').isDisabled()).toBe(true);

    // What the call changed, as the console sums it up.
    const summary = page.getByTestId('lab-selfcare-summary');
    await summary.waitFor();
    const changes = await summary
      .getByTestId('lab-selfcare-change')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-change')));
    expect(changes).toEqual(['pin', 'heard', 'voice-deleted', 'privacy', 'greeting']);
    const summaryText = await summary.innerText();
    expect(summaryText).toContain('For 138 0013 8000');
    expect(summaryText).toContain('Chose a PIN: the subscriber can now call from any phone.');
    expect(summaryText).toContain('Listened to 2 voice messages: they are marked as heard.');
    expect(summaryText).toContain('Deleted 1 voice message.');
    expect(summaryText).toContain('Privacy: only callers on the whitelist learn that the subscriber is back.');
    expect(summaryText).toContain('Recorded a new personal greeting');
    await settle(page);
    await snap(page, 'lab-selfcare');

    // Subscribers agrees: a PIN, and privacy for the whitelist only.
    await summary.getByTestId('lab-selfcare-open-subscribers').click();
    await page.getByTestId('screen-subscribers').waitFor();
    await page.getByTestId('subscribers-search').fill('13800138000');
    await page.locator(`.MuiDataGrid-row[data-id="${callee}"]`).click();
    const profile = page.locator(`[data-testid="subscriber-profile"][data-msisdn="${callee}"]`);
    await profile.waitFor();
    expect(await profile.innerText()).toContain('PIN set');
    expect(await profile.getByTestId('subscriber-privacy-mode').innerText()).toBe('Whitelist only');
    // The greeting just recorded, playable here.
    const greeting = profile.getByTestId('subscriber-greeting');
    expect(await greeting.getAttribute('data-set')).toBe('true');
    await greeting.getByTestId('subscriber-greeting-play').click();
    expect(await greeting.getByTestId('subscriber-greeting-audio').getAttribute('src')).toMatch(/^blob:/);
    await greeting.scrollIntoViewIfNeeded();
    await settle(page);
    await snap(page, 'subscriber-greeting');
    await profile.getByTestId('subscriber-profile-close').click();
    await profile.waitFor({ state: 'detached' });

    // Back in the Lab, the self-care call is still on screen, ready for the next one.
    await openLab(page);
    expect(await page.getByTestId('lab-mode').getAttribute('data-value')).toBe('selfcare');
    await summary.waitFor();
    await page.getByTestId('lab-mode-missed').click();
    await page.getByTestId('lab-call').waitFor();
  });

  it('reads well in Chinese and in the dark theme', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('lang-zh-CN').click();
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('engine-calls-today').waitFor();
    expect(await page.getByTestId('dashboard-service').innerText()).toContain('今日呼叫');
    await settle(page);
    await snap(page, 'lab-dashboard-zh-CN-dark');
    await openLab(page);
    expect(await page.getByTestId('lab-call').innerText()).toBe('拨打');
    await waitForSms(page, callee, '来电提醒业务已开通');
    await settle(page);
    await snap(page, 'lab-zh-CN-dark');

    // The self-care call and its summary, in Chinese.
    await page.getByTestId('lab-mode-selfcare').click();
    expect(await page.getByTestId('lab-selfcare-call').innerText()).toBe('拨打语音信箱 06002');
    expect(await page.getByTestId('lab-selfcare-summary').innerText()).toContain('本次通话的更改');
    await settle(page);
    await snap(page, 'lab-selfcare-zh-CN-dark');
  });
});
