/** GET /api/v1/agents/route: longest idle Ready agent, reservations, retries, and the missed call when nobody is Ready. */
import { describe, expect, it } from 'vitest';
import { A, B, C } from '../../adapters/network-api/testing';
import type { Harness } from '../../server/testing/harness';
import { useDeskHarness, type DeskTest } from './testing';

let h: Harness;
let d: DeskTest['d'];
let s: DeskTest['s'];
useDeskHarness((test) => ({ h, d, s } = test));

const second = 1000;

/** The agent takes the call and hangs up `talkMs` later. */
async function takeCall(agent: Awaited<ReturnType<typeof d.agent>>, callId: string, talkMs = 10 * second) {
  await agent.client.send('desk/call-answered', { callId });
  h.clock.advance(talkMs);
  await agent.client.send('desk/call-ended', { callId, reason: 'hangup' });
}

describe('distribution', () => {
  it('offers each call to the Ready agent idle longest, and never two calls to one agent', async () => {
    await h.admin().then((admin) => admin.send('desk/config-update', { wrapUpSeconds: 0 }));
    const one = await d.agent('agent1', { ready: true });
    h.clock.advance(5 * second);
    const two = await d.agent('agent2', { ready: true });

    expect(await d.route({ callid: 'c1', caller: A, called: B })).toBe('agent1');
    expect(await d.route({ callid: 'c2', caller: A, called: B })).toBe('agent2');
    // Both are reserved now.
    expect(await d.route({ callid: 'c3', caller: A, called: B })).toBeNull();

    await takeCall(two, 'c2', 5 * second);
    await takeCall(one, 'c1', 20 * second);
    // agent2 finished first, so has waited longest.
    expect(await d.route({ callid: 'c4' })).toBe('agent2');
    expect(await d.route({ callid: 'c5' })).toBe('agent1');
  });

  it('offers no call to an agent in Wrap-up or Not ready', async () => {
    const one = await d.agent('agent1', { ready: true });
    await d.agent('agent2');
    expect(await d.route({ callid: 'c1' })).toBe('agent1');
    await takeCall(one, 'c1');
    expect((await one.client.send('desk/status', {})).agent.state).toBe('wrap-up');
    expect(await d.route({ callid: 'c2' })).toBeNull();
    h.clock.advance(30 * second);
    expect(await d.route({ callid: 'c3' })).toBe('agent1');
  });

  it('releases an agent the proxy moved on from (attempt 2 with tried) as Not ready: missed call, and skips the tried ones', async () => {
    const one = await d.agent('agent1', { ready: true });
    h.clock.advance(second);
    const two = await d.agent('agent2', { ready: true });
    expect(await d.route({ callid: 'c1', caller: A, called: B, attempt: 1 })).toBe('agent1');
    expect(await d.route({ callid: 'c1', caller: A, called: B, attempt: 2, tried: ['agent1'] })).toBe('agent2');

    expect((await one.client.send('desk/status', {})).agent).toMatchObject({ state: 'not-ready', reason: 'missed-call' });
    const [missed] = (await one.client.send('desk/my-calls', {})).rows;
    expect(missed).toMatchObject({ callId: 'c1', outcome: 'missed', attempt: 1, answeredAt: null });
    // The softphone reports the refusal late: the log says so, the state stays.
    await one.client.send('desk/call-ended', { callId: 'c1', reason: 'rejected' });
    expect((await one.client.send('desk/my-calls', {})).rows[0]!.outcome).toBe('rejected');

    await two.client.send('desk/call-answered', { callId: 'c1' });
    expect((await two.client.send('desk/status', {})).agent.currentCall).toMatchObject({ callId: 'c1', attempt: 2, caller: A, called: B });
    // A third question after both were tried: nobody else.
    expect(await d.route({ callid: 'c1', attempt: 3, tried: ['agent1', 'agent2'] })).toBeNull();
  });

  it('releases a reservation nobody answered when its time is up', async () => {
    const one = await d.agent('agent1', { ready: true });
    expect(await d.route({ callid: 'c1' })).toBe('agent1');
    await one.client.send('desk/call-started', { callId: 'c1' });
    h.clock.advance(29 * second);
    await d.tick();
    expect((await one.client.send('desk/status', {})).agent.state).toBe('ringing');
    h.clock.advance(second);
    await d.tick();
    expect((await one.client.send('desk/status', {})).agent).toMatchObject({ state: 'not-ready', reason: 'missed-call' });
    expect((await one.client.send('desk/my-calls', {})).rows[0]).toMatchObject({ outcome: 'missed' });
  });

  it('answers {"agent":null} when nobody is Ready and records the call as missed, once, as if the caller gave up', async () => {
    await s.subscribe(B);
    expect(await d.route({ callid: 'c1', caller: A, called: B })).toBeNull();
    expect(await d.route({ callid: 'c1', caller: A, called: B, attempt: 2 })).toBeNull();
    const calls = await h.api('GET', `/api/v1/subscribers/${encodeURIComponent(B)}/missed-calls`);
    expect(calls.body.calls).toMatchObject([{ caller: A, callee: B, outcome: 'gave-up', status: 'pending' }]);

    await s.powerOn(B);
    expect(await s.texts(B)).toEqual([expect.stringMatching(/^You have 1 missed calls\./)]);
  });

  it('leaves a caller transferred from the IVR (pressed 0) as the missed call they already are', async () => {
    await s.subscribe(B);
    const { session, last } = await s.callAndPress(A, B, '0');
    expect(last!.body.action.headers!['X-Reachback-Session']).toBe(session);
    expect(await d.route({ callid: 'c1', caller: A, called: B, session })).toBeNull();
    const calls = (await h.api('GET', `/api/v1/subscribers/${encodeURIComponent(B)}/missed-calls`)).body.calls;
    expect(calls).toMatchObject([{ outcome: 'agent', status: 'pending' }]);
  });

  it('records nothing when a party is unknown or the called number is not a subscriber', async () => {
    await s.subscribe(B);
    expect(await d.route({ callid: 'c1', caller: A })).toBeNull();
    expect(await d.route({ callid: 'c2', caller: A, called: C })).toBeNull();
    expect(await d.route({ callid: 'c3', caller: 'anonymous', called: B })).toBeNull();
    expect((await h.api('GET', `/api/v1/subscribers/${encodeURIComponent(B)}/missed-calls`)).body.calls).toEqual([]);
  });

  it('refuses a request without a valid network token (401) and one without a Call-ID (400)', async () => {
    await d.agent('agent1', { ready: true });
    const query = `/api/v1/agents/route?caller=&called=&callid=x&attempt=1&tried=`;
    expect((await h.api('GET', query, undefined, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await h.api('GET', query, undefined, { authorization: '' })).status).toBe(401);
    const noCallId = await h.api('GET', '/api/v1/agents/route?caller=&called=&attempt=1&tried=');
    expect(noCallId).toMatchObject({ status: 400, body: { error: { field: 'callid' } } });
    // Nothing was reserved by the refused requests.
    expect(await d.route({ callid: 'y' })).toBe('agent1');
  });
});
