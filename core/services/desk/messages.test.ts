/** The context pop and taking a message: delivered when the called party is reachable, refused with the field named. */
import { describe, expect, it } from 'vitest';
import { A, B, C } from '../../adapters/network-api/testing';
import type { Harness } from '../../server/testing/harness';
import { useDeskHarness, type DeskTest } from './testing';

let h: Harness;
let d: DeskTest['d'];
let s: DeskTest['s'];
useDeskHarness((test) => ({ h, d, s } = test));

describe('context pop', () => {
  it('shows the called party’s services, privacy in plain terms, pending missed calls, and the numbers for the form', async () => {
    await s.subscribe(B, {
      privacy: { mode: 'nobody', hidden: [] },
      services: { missedCallAlert: true, reachableAlert: false, voicemail: true },
    });
    await s.callAndPress(C, B, 'timeout');
    const { client } = await d.agent('agent1');
    const context = await client.send('desk/context', { called: '138 0013 8000', caller: '13900139000' });
    expect(context.called).toMatchObject({
      msisdn: B,
      national: '138 0013 8000',
      state: 'active',
      language: 'en',
      services: { missedCallAlert: true, reachableAlert: false, voicemail: true },
      pendingMissedCalls: 1,
      presence: 'unreachable',
      messages: { accepted: true },
    });
    expect(context.called.privacy.rules).toEqual([
      expect.objectContaining({ code: 'reachability-nobody', may: false, text: expect.stringMatching(/^Do not tell the caller when/) }),
    ]);
    expect(context).toMatchObject({ caller: A, callerNational: '139 0013 9000', suggestedCallback: A, session: null });
  });

  it('names the rules for a whitelist with hidden windows, and finds the parties from the IVR session alone', async () => {
    await s.subscribe(B, { privacy: { mode: 'whitelist', hidden: [{ from: '22:00', to: '07:00' }] } });
    await h.api('PUT', `/api/v1/subscribers/${encodeURIComponent(B)}/whitelist/${encodeURIComponent(A)}`);
    const { session } = await s.callAndPress(A, B, '0');
    const { client } = await d.agent('agent1');
    const context = await client.send('desk/context', { session });
    expect(context.called.msisdn).toBe(B);
    expect(context.caller).toBe(A);
    expect(context.session).toMatchObject({ id: session, outcome: 'agent' });
    expect(context.called.privacy.rules.map((r) => [r.code, r.may, r.params])).toEqual([
      ['reachability-whitelisted', true, undefined],
      ['hidden-window', false, { from: '22:00', to: '07:00' }],
    ]);
    const stranger = await client.send('desk/context', { called: B, caller: C });
    expect(stranger.called.privacy.rules.map((r) => r.code)).toEqual(['reachability-whitelist-only']);
  });

  it('refuses an unknown called party naming the field, and asks for the number when the call did not say', async () => {
    const { client } = await d.agent('agent1');
    expect(await client.error('desk/context', { called: B })).toMatchObject({ code: 'not_found', field: 'called' });
    expect(await client.error('desk/context', {})).toMatchObject({ code: 'validation', field: 'called' });
    expect(await client.error('desk/context', { called: 'abc' })).toMatchObject({ code: 'validation', field: 'called' });
  });
});

describe('taking a message', () => {
  it('delivers the message as written when the called party powers on, and logs it with the call', async () => {
    await s.subscribe(B);
    const agent = await d.agent('agent1', { ready: true });
    expect(await d.route({ callid: 'c1@x', caller: A, called: B })).toBe('agent1');
    await agent.client.send('desk/call-started', { callId: 'c1@x', caller: A, called: B });
    await agent.client.send('desk/call-answered', { callId: 'c1@x' });
    const saved = await agent.client.send('desk/take-message', {
      called: B,
      caller: A,
      callback: '13700137000',
      text: 'Please call back about the contract before Friday.',
      callId: 'c1@x',
    });
    expect(saved).toMatchObject({ delivery: 'when-reachable', calledNational: '138 0013 8000', duplicate: false });
    expect(saved.message).toMatchObject({ called: B, caller: A, callback: C, text: 'Please call back about the contract before Friday.' });
    // The save retried after a network drop stores nothing new.
    const again = await agent.client.send('desk/take-message', {
      called: B,
      caller: A,
      text: 'Please call back about the contract before Friday.',
      callId: 'c1@x',
    });
    expect(again).toMatchObject({ duplicate: true, message: { id: saved.message.id } });
    await agent.client.send('desk/call-ended', { callId: 'c1@x', reason: 'hangup' });
    expect(await s.texts(B)).toEqual([]);

    await h.api('POST', '/api/v1/presence', { msisdn: B, state: 'reachable', at: h.clock.now() });
    expect(await s.texts(B)).toEqual([
      expect.stringMatching(
        /^Message from 139 0013 9000 at .*, taken by our operator: Please call back about the contract before Friday\. Call back on 137 0013 7000\.$/,
      ),
    ]);
    const [logged] = (await agent.client.send('desk/my-calls', {})).rows;
    expect(logged).toMatchObject({ callId: 'c1@x', outcome: 'answered', messages: [{ engineCallId: saved.message.engineCallId }] });
    const audit = await (await h.admin()).send('audit/list', { command: 'desk/take-message' });
    expect(audit.rows[0]).toMatchObject({ actorName: 'agent1', target: `subscriber:${B}`, after: { text: expect.any(String), caller: A } });
  });

  it('sends the message at once to a called party who is reachable', async () => {
    await s.subscribe(B);
    await s.powerOn(B);
    const { client } = await d.agent('agent1');
    const saved = await client.send('desk/take-message', { called: B, text: 'Call your mother.' });
    expect(saved.delivery).toBe('now');
    await h.settle();
    expect(await s.texts(B)).toEqual([expect.stringMatching(/^Message from unknown number at .*: Call your mother\.$/)]);
  });

  it('turns the IVR call of a caller who pressed 0 into the message, instead of a missed call as well', async () => {
    await s.subscribe(B);
    const { session } = await s.callAndPress(A, B, '0');
    const { client } = await d.agent('agent1');
    await client.send('desk/take-message', { called: B, text: 'Running late, start without me.', session });
    const calls = (await h.api('GET', `/api/v1/subscribers/${encodeURIComponent(B)}/missed-calls`)).body.calls;
    expect(calls).toMatchObject([{ caller: A, outcome: 'agent-message', status: 'pending' }]);
    await s.powerOn(B);
    expect(await s.texts(B)).toEqual([expect.stringMatching(/taken by our operator: Running late, start without me\.$/)]);
  });

  it('refuses an unknown, cancelled, suspended or unserved called party, and a caller they blacklisted, naming the field', async () => {
    const { client } = await d.agent('agent1');
    const message = (called: string, caller?: string) => client.error('desk/take-message', { called, caller, text: 'Hello' });
    expect(await message(B)).toMatchObject({ code: 'not_found', field: 'called' });
    await s.subscribe(B, { state: 'cancelled' });
    expect(await message(B)).toMatchObject({ code: 'not_found', field: 'called' });
    await s.subscribe(B, { state: 'suspended' });
    expect(await message(B)).toMatchObject({ code: 'conflict', field: 'called', message: expect.stringMatching(/suspended/) });
    await s.subscribe(B, { services: { missedCallAlert: false, reachableAlert: true } });
    expect(await message(B)).toMatchObject({ code: 'conflict', field: 'called', message: expect.stringMatching(/missed-call alert/) });
    await s.subscribe(B);
    await h.api('PUT', `/api/v1/subscribers/${encodeURIComponent(B)}/blacklist/${encodeURIComponent(A)}`);
    expect(await message(B, A)).toMatchObject({ code: 'conflict', field: 'caller' });
    expect(await message('12')).toMatchObject({ code: 'validation', field: 'called' });
    expect(await client.error('desk/take-message', { called: B, text: '   ' })).toMatchObject({ code: 'validation', field: 'text' });
    const context = await client.send('desk/context', { called: B, caller: A });
    expect(context.called.messages).toMatchObject({ accepted: false, reason: 'caller-blocked' });
    expect(context.called.privacy.rules.map((r) => r.code)).toEqual(['caller-blocked']);
  });
});
