/**
 * Self-care by IVR through the network API: the subscriber calls the
 * voicemail number, proves who they are with a PIN, listens to and deletes
 * voice messages, manages the lists and privacy, and changes the PIN.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { networkToken, startHarness, type Harness } from '../../server/testing/harness';
import { A, B, C, steps } from './testing';

let h: Harness;
let s: ReturnType<typeof steps>;
beforeEach(async () => {
  h = await startHarness();
  s = steps(h);
});
afterEach(async () => h.stop());

type Action = { type: string; prompts: { id: string; text: string; audio?: string }[]; terminator?: string };

async function dial(caller: string | undefined, extra: Record<string, unknown> = {}) {
  const res = await h.api('POST', '/api/v1/selfcare/calls', { caller, at: h.clock.now(), ...extra });
  return res as { status: number; body: { session: string; action: Action } };
}

async function press(session: string, input: string) {
  const res = await s.press(session, input);
  return res as unknown as { status: number; body: { action: Action; error?: { code: string; message: string; field: string } } };
}

const ids = (action: Action) => action.prompts.map((p) => p.id);

async function subscriberRow(msisdn: string) {
  return (await h.api('GET', `/api/v1/subscribers/${encodeURIComponent(msisdn)}`)).body;
}

describe('self-care by IVR', () => {
  it('from their own phone a subscriber without a PIN chooses one, then manages the service', async () => {
    await s.subscribe(B, { language: 'en', services: { missedCallAlert: true, reachableAlert: false, voicemail: true } });
    const call = await dial(B);
    expect(call.status).toBe(201);
    expect(ids(call.body.action)).toEqual(['selfcare-welcome', 'selfcare-choose-pin']);
    expect(call.body.action.terminator).toBe('#');
    expect(ids((await press(call.body.session, '12#')).body.action)).toEqual(['selfcare-pin-invalid', 'selfcare-choose-pin']);
    expect(ids((await press(call.body.session, '4321#')).body.action)).toEqual(['selfcare-repeat-pin']);
    expect(ids((await press(call.body.session, '4322#')).body.action)).toEqual(['selfcare-pin-mismatch', 'selfcare-choose-pin']);
    await press(call.body.session, '4321#');
    const saved = await press(call.body.session, '4321#');
    expect(ids(saved.body.action)).toEqual(['selfcare-pin-saved', 'selfcare-main']);
    expect((await subscriberRow(B)).hasPin).toBe(true);

    // Blacklist: add C, and the count in the menu follows.
    expect((await press(call.body.session, '2')).body.action.prompts[0]!.text).toBe(
      'Numbers on your blacklist: 0. Press 1 to add a number, 2 to remove one, or star for the main menu.',
    );
    await press(call.body.session, '1');
    const added = await press(call.body.session, '13700137000#');
    expect(added.body.action.prompts.map((p) => p.text)).toEqual([
      '137 0013 7000 is added.',
      'Numbers on your blacklist: 1. Press 1 to add a number, 2 to remove one, or star for the main menu.',
    ]);
    expect((await subscriberRow(B)).blacklist).toEqual([C]);
    await press(call.body.session, '2');
    expect(ids((await press(call.body.session, '13900139000#')).body.action)[0]).toBe('selfcare-list-not-found');
    await press(call.body.session, '*');

    // Privacy: whitelist only.
    expect((await press(call.body.session, '4')).body.action.prompts[0]!.text).toContain('now everyone');
    expect((await press(call.body.session, '2')).body.action.prompts[0]!.text).toBe('Saved: your whitelist only.');
    expect((await subscriberRow(B)).privacy.mode).toBe('whitelist');

    const bye = await press(call.body.session, '0');
    expect(bye.body.action.type).toBe('hangup');
    const after = await press(call.body.session, '1');
    expect(after.status).toBe(409);
    expect(after.body.error?.field).toBe('session');
  });

  it('plays new voice messages first, oldest first, marks them heard, and deletes one with its file', async () => {
    await s.subscribe(B, { language: 'en', services: { missedCallAlert: true, reachableAlert: false, voicemail: true }, pin: '2580' });
    await s.leaveVoiceMessage(A, B);
    h.clock.advance(60_000);
    await s.leaveVoiceMessage(C, B);
    const call = await dial(B);
    expect(ids(call.body.action)).toEqual(['selfcare-welcome', 'selfcare-enter-pin']);
    expect(ids((await press(call.body.session, '2580#')).body.action)).toEqual(['selfcare-main']);
    const first = await press(call.body.session, '1');
    expect(first.body.action.prompts.map((p) => p.text)).toEqual([
      'Voice messages: 2, new: 2.',
      'Message 1, from 139 0013 9000, at 25 Nov 17:00.',
      '[voice message]',
      'Press 1 to hear it again, 2 for the next message, 3 to delete it, or star for the main menu.',
    ]);
    const audioPath = first.body.action.prompts[2]!.audio!;
    expect(audioPath).toMatch(/^\/api\/v1\/voice-messages\/\d+$/);
    const audio = await fetch(`${h.url}${audioPath}`, { headers: { authorization: `Bearer ${networkToken}` } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(
      Buffer.from(await audio.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('RIFF');
    expect((await fetch(`${h.url}${audioPath}`)).status).toBe(401);

    const second = await press(call.body.session, '2');
    expect(second.body.action.prompts[0]!.text).toBe('Message 2, from 137 0013 7000, at 25 Nov 17:01.');
    const voiceDir = path.join(h.dataDir, 'voice');
    expect(readdirSync(voiceDir)).toHaveLength(2);
    const deleted = await press(call.body.session, '3');
    expect(readdirSync(voiceDir)).toHaveLength(1);
    expect(ids(deleted.body.action)).toEqual(['selfcare-voice-deleted', 'selfcare-voice-end', 'selfcare-main']);
    expect(
      (
        await fetch(`${h.url}${second.body.action.prompts.find((p) => p.audio)!.audio}`, {
          headers: { authorization: `Bearer ${networkToken}` },
        })
      ).status,
    ).toBe(404);
    await press(call.body.session, 'hangup');

    // The next call: both heard, one left.
    const again = await dial(B);
    await press(again.body.session, '2580#');
    expect((await press(again.body.session, '1')).body.action.prompts[0]!.text).toBe('Voice messages: 1, new: 0.');
  });

  it('from another phone the subscriber enters their number, and a wrong PIN three times ends the call; five lock it', async () => {
    await s.subscribe(B, { language: 'en', pin: '2580' });
    const call = await dial(A);
    expect(ids(call.body.action)).toEqual(['selfcare-welcome', 'selfcare-identify']);
    expect(ids((await press(call.body.session, '13600136000#')).body.action)).toEqual(['selfcare-not-subscriber', 'selfcare-identify']);
    expect(ids((await press(call.body.session, '13800138000#')).body.action)).toEqual(['selfcare-enter-pin']);
    expect(ids((await press(call.body.session, '1111#')).body.action)).toEqual(['selfcare-wrong-pin', 'selfcare-enter-pin']);
    await press(call.body.session, '1112#');
    const third = await press(call.body.session, '1113#');
    expect(third.body.action.type).toBe('hangup');

    const next = await dial(undefined, { clir: true });
    await press(next.body.session, '13800138000#');
    await press(next.body.session, '1114#');
    const fifth = await press(next.body.session, '1115#');
    expect(ids(fifth.body.action)).toEqual(['selfcare-wrong-pin', 'selfcare-enter-pin']);
    // Locked now: even the right PIN is refused, without being checked.
    const locked = await press(next.body.session, '2580#');
    expect(ids(locked.body.action)).toEqual(['selfcare-pin-locked']);

    h.clock.advance(61 * 60_000);
    const later = await dial(B);
    await press(later.body.session, '2580#');
    expect(ids((await press(later.body.session, '9')).body.action)).toEqual(['invalid', 'selfcare-main']);
  });

  it('refuses bad input clearly and changes nothing', async () => {
    await s.subscribe(B, { language: 'en', pin: '2580' });
    expect((await h.api('POST', '/api/v1/selfcare/calls', { at: h.clock.now() })).body.error.field).toBe('caller');
    expect((await h.api('POST', '/api/v1/selfcare/calls', { caller: '12', at: h.clock.now() })).status).toBe(400);
    const call = await dial(B);
    const recorded = await press(call.body.session, 'recorded');
    expect(recorded.status).toBe(400);
    expect((await h.api('GET', '/api/v1/voice-messages/abc')).status).toBe(400);
    expect((await h.api('GET', '/api/v1/voice-messages/999')).status).toBe(404);
    // A subscriber with no PIN calling from elsewhere is told how to set one.
    await s.subscribe(C, { language: 'en' });
    const other = await dial(A);
    const noPin = await press(other.body.session, '13700137000#');
    expect(ids(noPin.body.action)).toEqual(['selfcare-no-pin']);
    expect((await subscriberRow(C)).hasPin).toBe(false);
  });

  it('tells the console whose settings changed, by self-care, SMS command or the network, and not for a mere PIN check', async () => {
    const admin = await h.admin();
    admin.subscribe('subscribers/changed');
    await admin.send('session/me', {}); // the subscription is in place before anything changes
    await s.subscribe(B, { language: 'en', services: { missedCallAlert: true, reachableAlert: false, voicemail: true } });
    expect(await admin.nextEvent('subscribers/changed')).toEqual({ msisdn: B });

    // Self-care from B's phone: choosing the PIN is a change; the menu alone is not.
    const call = await dial(B);
    await press(call.body.session, '4321#');
    await press(call.body.session, '4321#');
    expect(await admin.nextEvent('subscribers/changed')).toEqual({ msisdn: B });
    await press(call.body.session, '2');
    await expect(admin.nextEvent('subscribers/changed', 300)).rejects.toThrow(/no subscribers\/changed event/);
    await press(call.body.session, '1');
    await press(call.body.session, '13700137000#');
    expect(await admin.nextEvent('subscribers/changed')).toEqual({ msisdn: B });

    // An SMS command from the subscriber.
    const reply = await h.api('POST', '/api/v1/sms/inbound', {
      from: '13800138000',
      to: '06001',
      text: 'WL+ 13900139000',
      at: h.clock.now(),
    });
    expect(reply.status).toBe(200);
    expect(await admin.nextEvent('subscribers/changed')).toEqual({ msisdn: B });
  });

  it('a retried key press with the same id is answered again, not applied twice', async () => {
    await s.subscribe(B, { language: 'en', pin: '2580' });
    const call = await dial(B);
    const first = await h.api('POST', `/api/v1/ivr/${call.body.session}/input`, { digits: '1111#', id: 'k1' });
    const retry = await h.api('POST', `/api/v1/ivr/${call.body.session}/input`, { digits: '1111#', id: 'k1' });
    expect(retry.body).toEqual(first.body);
    // Only one failure counted: two more wrong PINs are allowed in this call.
    expect(ids((await press(call.body.session, '1112#')).body.action)).toEqual(['selfcare-wrong-pin', 'selfcare-enter-pin']);
  });
});
