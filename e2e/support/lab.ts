/** Steps a trainer takes in the Lab: place calls, answer the IVR, power handsets, text the short code. */
import type { Locator, Page } from 'playwright-core';

export async function openLab(page: Page): Promise<void> {
  await page.getByTestId('nav-lab').click();
  await page.getByTestId('screen-lab').waitFor();
}

/** The card of a virtual handset, by its E.164 number ('+8613800138000' or '8613800138000'). */
export function handset(page: Page, number: string): Locator {
  return page.getByTestId(`handset-${number.replace(/\D/g, '')}`);
}

/** Waits until a handset shows a received SMS whose text matches, and returns that message bubble. */
export async function waitForSms(page: Page, number: string, text: string | RegExp): Promise<Locator> {
  const message = handset(page, number).getByTestId('handset-message').filter({ hasText: text }).last();
  await message.waitFor();
  return message;
}

/** Types an SMS in the handset's box and sends it to the service's short code. */
export async function sendSms(page: Page, number: string, text: string): Promise<void> {
  const card = handset(page, number);
  await card.getByTestId('handset-sms-text').fill(text);
  await card.getByTestId('handset-sms-send').click();
  await card.getByTestId('handset-sent').filter({ hasText: text }).last().waitFor();
}

/** Switches a handset on or off (no-op when it already is) and waits for the network to report it. */
export async function setPower(page: Page, number: string, state: 'on' | 'off'): Promise<void> {
  const card = handset(page, number);
  const button = card.getByTestId('handset-power');
  if ((await button.getAttribute('data-state')) !== state) await button.click();
  await page.waitForFunction(
    ({ testId, presence }) => document.querySelector(`[data-testid="${testId}"]`)?.getAttribute('data-presence') === presence,
    { testId: `handset-${number.replace(/\D/g, '')}`, presence: state === 'on' ? 'reachable' : 'unreachable' },
  );
}

/** Places a call with what the form holds and waits for the IVR's first prompts. */
export async function placeCall(page: Page): Promise<void> {
  await page.getByTestId('lab-call').click();
  await page.locator('[data-testid="lab-call-state"][data-state="live"]').waitFor();
  await page.getByTestId('lab-prompts').waitFor();
}

/** Switches the call panel to self-care, calls the voicemail number from a handset, and waits for the IVR's first prompts. */
export async function placeSelfcareCall(page: Page, from: string): Promise<void> {
  await page.getByTestId('lab-mode-selfcare').click();
  await page.getByTestId('lab-selfcare-from').fill(from);
  await page.getByTestId('lab-selfcare-call').click();
  await page.locator('[data-testid="lab-call-state"][data-state="live"]').waitFor();
  await page.getByTestId('lab-prompts').waitFor();
}

/** Presses keys on the keypad, then waits until the IVR's answer includes the prompt `promptId`; returns its prompts' text. */
export async function answer(page: Page, keys: string, promptId: string): Promise<string> {
  const turn = await page.getByTestId('lab-prompts').getAttribute('data-turn');
  await pressKeys(page, keys);
  // The answer to this input, not the prompts before it (they may have the same id).
  const next = page.locator(`[data-testid="lab-prompts"]:not([data-turn="${turn}"])`);
  await next.locator(`[data-prompt="${promptId}"]`).first().waitFor();
  return next.innerText();
}

/** Presses keys on the IVR keypad one by one. */
export async function pressKeys(page: Page, keys: string): Promise<void> {
  for (const key of keys) {
    const id = key === '*' ? 'star' : key === '#' ? 'hash' : key;
    await page.getByTestId(`lab-key-${id}`).click();
  }
}

/** Lets scrolling and highlight animations finish, so a screenshot shows the settled screen. */
export async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(700);
}

/** Waits for the dialogue to end and returns its outcome (gave-up, own-number, …). */
export async function dialogueOutcome(page: Page): Promise<string> {
  const chip = page.getByTestId('lab-outcome');
  await chip.waitFor();
  return (await chip.getAttribute('data-outcome')) ?? '';
}
