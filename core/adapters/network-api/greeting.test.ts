/**
 * The subscriber's personal greeting through the network API: recorded by self-care IVR (upload, play back, keep),
 * played to callers before the menu, deleted by self-care or the console; bad uploads change nothing.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { networkToken, startHarness, type Harness } from '../../server/testing/harness';
import { A, B, steps, testWav } from './testing';

let h: Harness;
let s: ReturnType<typeof steps>;
beforeEach(async () => {
  h = await startHarness();
  s = steps(h);
});
afterEach(async () => h.stop());

type Prompt = { id: string; language: string; text: string; audio?: string };
type Action = { type: string; prompts: Prompt[]; maxDurationMs?: number };
type Answer = { status: number; body: { action: Action; error?: { code: string; message: string; field: string } } };

const pin = '2580';
const greetingPath = `/api/v1/subscribers/${encodeURIComponent(B)}/greeting`;
const ids = (action: Action) => action.prompts.map((p) => p.id);
const voiceFiles = () => {
  try {
    return readdirSync(path.join(h.dataDir, 'voice')).sort();
  } catch {
    return [];
  }
};

async function press(session: string, input: string): Promise<Answer> {
  return (await s.press(session, input)) as unknown as Answer;
}

/** B calls the voicemail number from their own phone and signs in with the PIN. */
async function signIn(): Promise<string> {
  const call = await h.api('POST', '/api/v1/selfcare/calls', { caller: B, at: h.clock.now() });
  await press(call.body.session, `${pin}#`);
  return call.body.session as string;
}

function upload(session: string, wav: Buffer, type = 'audio/wav') {
  return h.api('PUT', `/api/v1/ivr/${session}/recording`, wav, { 'content-type': type });
}

async function fetchAudio(audioPath: string, token: string | null = networkToken) {
  const res = await fetch(`${h.url}${audioPath}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The whole self-care story: 6, 2, upload, recorded, 1 keep, hang up. */
async function recordGreeting(wav: Buffer): Promise<void> {
  const session = await signIn();
  await press(session, '6');
  await press(session, '2');
  expect((await upload(session, wav)).status).toBe(200);
  await press(session, 'recorded');
  expect(ids((await press(session, '1')).body.action)).toEqual(['selfcare-greeting-saved', 'selfcare-main']);
  await press(session, 'hangup');
}

const greetingOf = async () => (await h.api('GET', `/api/v1/subscribers/${encodeURIComponent(B)}`)).body.greeting;

beforeEach(async () => {
  await s.subscribe(B, { language: 'en', pin });
});

describe('the personal greeting', () => {
  it('is recorded by self-care IVR, played back, kept, and then heard by callers before the menu', async () => {
    const session = await signIn();
    expect(ids((await press(session, '6')).body.action)).toEqual(['selfcare-greeting-none', 'selfcare-greeting-options-none']);
    const record = await press(session, '2');
    expect(record.body.action).toMatchObject({ type: 'record', maxDurationMs: 60_000 });
    expect(record.body.action.prompts[0]!.text).toBe(
      'Please record your greeting after the tone, and press the hash key when you are done.',
    );

    const wav = testWav(2000);
    const uploaded = await upload(session, wav);
    expect(uploaded).toEqual({ status: 200, body: { durationMs: 2000 } });
    const review = await press(session, 'recorded');
    expect(ids(review.body.action)).toEqual(['selfcare-greeting-new', 'selfcare-greeting-review']);
    const playback = review.body.action.prompts[0]!.audio!;
    expect(playback).toBe(`/api/v1/ivr/${session}/recording`);
    expect((await fetchAudio(playback)).bytes.equals(wav)).toBe(true);

    // Not kept yet: callers hear the standard menu.
    expect((await s.call(A, B)).body.action.prompts[0]!.id).toBe('unreachable');
    expect(await greetingOf()).toBeNull();

    expect(ids((await press(session, '1')).body.action)).toEqual(['selfcare-greeting-saved', 'selfcare-main']);
    expect(await greetingOf()).toEqual({ recordedAt: h.clock.now(), durationMs: 2000 });
    expect((await fetchAudio(playback)).status).toBe(404);
    expect(voiceFiles()).toHaveLength(1);

    const call = await s.call(A, B);
    const [greeting, ...menu] = call.body.action.prompts as Prompt[];
    expect(greeting).toMatchObject({ id: 'greeting', language: 'en', audio: greetingPath });
    expect(menu.map((p) => p.id)).toEqual(['unreachable', 'option-2', 'option-3', 'option-0', 'beep']);
    const audio = await fetchAudio(greeting!.audio!);
    expect(audio.status).toBe(200);
    expect(audio.type).toBe('audio/wav');
    expect(audio.bytes.equals(wav)).toBe(true);

    // The greeting menu now says since when, and plays it.
    const again = await signIn();
    const greetingMenu = await press(again, '6');
    expect(greetingMenu.body.action.prompts[0]!.text).toBe('Your personal greeting was recorded on 25 Nov 17:00.');
    const listen = await press(again, '1');
    expect(listen.body.action.prompts[0]).toMatchObject({ id: 'selfcare-greeting-audio', audio: greetingPath });
  });

  it('in Chinese for a Chinese-speaking subscriber, and to a caller who hides their number', async () => {
    await s.subscribe(B, { language: 'zh-CN', pin });
    await recordGreeting(testWav(1000));
    const hidden = await s.call(undefined, B, { clir: true });
    expect(hidden.body.action.prompts[0]).toMatchObject({
      id: 'greeting',
      language: 'zh-CN',
      text: '[机主的个人问候语]',
      audio: greetingPath,
    });
  });

  it('is not played to a blacklisted caller, nor for a suspended subscriber', async () => {
    await recordGreeting(testWav(1000));
    await s.subscribe(B, { language: 'en', pin, state: 'suspended' });
    expect(ids((await s.call(A, B)).body.action)).not.toContain('greeting');
    await s.subscribe(B, { language: 'en', pin });
    await h.api('PUT', `/api/v1/subscribers/${encodeURIComponent(B)}/blacklist/${encodeURIComponent(A)}`);
    const blocked = await s.call(A, B);
    expect(blocked.body.action.type).toBe('hangup');
    expect(ids(blocked.body.action)).toEqual(['no-service']);
  });

  it('records again and cancels, and a hang-up while recording keeps the old greeting', async () => {
    const old = testWav(1000);
    await recordGreeting(old);
    const kept = await greetingOf();
    h.clock.advance(60_000);

    const session = await signIn();
    await press(session, '6');
    await press(session, '2');
    await upload(session, testWav(3000));
    await press(session, 'recorded');
    expect(voiceFiles()).toHaveLength(2);
    expect((await press(session, '2')).body.action.type).toBe('record');
    expect(voiceFiles()).toHaveLength(1);
    await upload(session, testWav(4000));
    await press(session, 'recorded');
    const cancelled = await press(session, '3');
    expect(ids(cancelled.body.action)).toEqual(['selfcare-greeting-unchanged', 'selfcare-greeting-set', 'selfcare-greeting-options']);
    expect(voiceFiles()).toHaveLength(1);

    await press(session, '2');
    await upload(session, testWav(5000));
    const hangup = await press(session, 'hangup');
    expect(hangup.body.action.type).toBe('hangup');
    expect(await greetingOf()).toEqual(kept);
    expect(voiceFiles()).toHaveLength(1);
    expect((await fetchAudio(greetingPath)).bytes.equals(old)).toBe(true);
  });

  it('is deleted by self-care after confirmation, with its file', async () => {
    await recordGreeting(testWav(1000));
    const session = await signIn();
    await press(session, '6');
    expect(ids((await press(session, '3')).body.action)).toEqual(['selfcare-greeting-delete-confirm']);
    expect(ids((await press(session, '1')).body.action)).toEqual(['selfcare-greeting-deleted', 'selfcare-main']);
    expect(await greetingOf()).toBeNull();
    expect(voiceFiles()).toEqual([]);
    const gone = await h.api('GET', greetingPath);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'not_found', field: 'msisdn', message: `${B} has no personal greeting` });
    expect(ids((await s.call(A, B)).body.action)[0]).toBe('unreachable');
  });

  it('refuses an upload that is not a WAV, or too long, or out of turn, and changes nothing', async () => {
    await recordGreeting(testWav(1000));
    const kept = await greetingOf();
    const session = await signIn();
    await press(session, '6');
    // Not recording yet.
    expect((await upload(session, testWav(1000))).status).toBe(409);
    await press(session, '2');

    const notWav = await upload(session, Buffer.from('this is not a wav file at all, just some text bytes'));
    expect(notWav.status).toBe(400);
    expect(notWav.body.error).toMatchObject({ code: 'validation', field: 'body' });
    expect(notWav.body.error.message).toMatch(/must be a WAV file/);
    const tooLong = await upload(session, testWav(61_000));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toBe('The recording lasts 61 s; at most 60 s is allowed');
    expect((await upload(session, testWav(1000), 'text/plain')).status).toBe(415);

    // Nothing was taken: recorded is refused, the old greeting and its file stay.
    const early = await press(session, 'recorded');
    expect(early.status).toBe(409);
    expect(early.body.error?.message).toMatch(/Upload the recording/);
    expect(await greetingOf()).toEqual(kept);
    expect(voiceFiles()).toHaveLength(1);
    expect((await fetchAudio(`/api/v1/ivr/${session}/recording`)).status).toBe(404);
  });

  it('answers unknown sessions, numbers and tokens clearly', async () => {
    const unknown = '0123456789abcdef01234567';
    expect((await upload(unknown, testWav(1000))).status).toBe(404);
    const missing = await h.api('GET', `/api/v1/ivr/${unknown}/recording`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(`There is no IVR session ${unknown}`);
    const caller = await s.call(A, B);
    expect((await h.api('GET', `/api/v1/ivr/${caller.body.session}/recording`)).status).toBe(404);

    expect((await h.api('GET', greetingPath)).body.error.message).toBe(`${B} has no personal greeting`);
    expect((await h.api('GET', '/api/v1/subscribers/13700137000/greeting')).body.error.message).toBe('+8613700137000 is not a subscriber');
    expect((await h.api('GET', '/api/v1/subscribers/12/greeting')).status).toBe(400);
    await recordGreeting(testWav(1000));
    expect((await fetchAudio(greetingPath, null)).status).toBe(401);
    expect((await fetchAudio(greetingPath, 'not-a-token')).status).toBe(401);
    expect((await fetchAudio(greetingPath)).status).toBe(200);
  });

  it('drops a recording left waiting by a self-care call the media server abandoned', async () => {
    const session = await signIn();
    await press(session, '6');
    await press(session, '2');
    await upload(session, testWav(1000));
    expect(voiceFiles()).toHaveLength(1);
    h.clock.advance(2 * 3_600_000);
    await h.app.core.services.engine.sweep();
    expect(voiceFiles()).toEqual([]);
    expect(await greetingOf()).toBeNull();
  });
});

describe('the greeting in the console', () => {
  it('customer service plays it (audited) and deletes it (audited, file removed); others may not', async () => {
    await recordGreeting(testWav(1000));
    const admin = await h.admin();
    const roles = await admin.send('roles/list', {});
    const { client: cathy } = await h.operator('cathy', roles.find((r) => r.builtin === 'customer-service')!.id);
    const { client: dave } = await h.operator('dave', roles.find((r) => r.builtin === 'desk-supervisor')!.id);

    const detail = await cathy.send('subscribers/get', { msisdn: '13800138000' });
    expect(detail.subscriber.greeting).toEqual({ recordedAt: h.clock.now(), durationMs: 1000 });
    const played = await cathy.send('subscribers/greeting', { msisdn: '13800138000' });
    expect(played).toMatchObject({ msisdn: B, durationMs: 1000 });
    expect(Buffer.from(played.wavBase64, 'base64').toString('ascii', 0, 4)).toBe('RIFF');

    expect((await dave.error('subscribers/greeting', { msisdn: B })).code).toBe('forbidden');
    expect((await dave.error('subscribers/greeting-delete', { msisdn: B })).code).toBe('forbidden');
    expect(voiceFiles()).toHaveLength(1);

    const after = await cathy.send('subscribers/greeting-delete', { msisdn: B });
    expect(after.subscriber.greeting).toBeNull();
    expect(voiceFiles()).toEqual([]);
    expect(await cathy.error('subscribers/greeting-delete', { msisdn: B })).toMatchObject({ code: 'not_found', field: 'msisdn' });
    expect(await cathy.error('subscribers/greeting', { msisdn: B })).toMatchObject({ code: 'not_found' });

    const audit = await admin.send('audit/list', { actor: 'cathy', command: 'subscribers/greeting' });
    const byCommand = Object.fromEntries(audit.rows.filter((r) => r.outcome === 'ok').map((r) => [r.command, r]));
    expect(byCommand['subscribers/greeting']?.detail).toBe('played the personal greeting');
    expect(byCommand['subscribers/greeting-delete']).toMatchObject({ target: `subscriber:${B}`, detail: 'deleted the personal greeting' });
  });
});
