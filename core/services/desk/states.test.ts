/** Agent states: Ready, Not ready with a reason, On call, Wrap-up on a timer, Offline when the session ends; seen live. */
import { describe, expect, it } from 'vitest';
import type { DeskAgentView } from '../../api';
import type { Harness } from '../../server/testing/harness';
import { builtinRoleId, useDeskHarness, type DeskTest } from './testing';

let h: Harness;
let d: DeskTest['d'];
useDeskHarness((test) => ({ h, d } = test));

const second = 1000;

describe('agent states', () => {
  it('starts Not ready when the desk opens, needs SIP settings for Ready, and takes Not ready reasons from the list', async () => {
    const { client } = await h.operator('newbie', await builtinRoleId(await h.admin(), 'agent'));
    const status = await client.send('desk/status', {});
    expect(status.agent).toMatchObject({ state: 'not-ready', presence: 'not-ready', reason: null, sipUser: null });
    expect(status.hasSipSettings).toBe(false);
    expect(status.config.notReadyReasons).toContain('Lunch');
    expect(await client.error('desk/set-state', { state: 'ready' })).toMatchObject({ code: 'conflict', field: 'state' });

    const { client: agent } = await d.agent('agent1');
    expect(await agent.send('desk/set-state', { state: 'ready' })).toMatchObject({ state: 'ready', reason: null });
    h.clock.advance(5 * second);
    const lunch = await agent.send('desk/set-state', { state: 'not-ready', reason: 'Lunch' });
    expect(lunch).toMatchObject({ state: 'not-ready', reason: 'Lunch', since: h.clock.now(), idleSince: null });
    expect(await agent.error('desk/set-state', { state: 'not-ready', reason: 'Nap' })).toMatchObject({
      code: 'validation',
      field: 'reason',
    });
    expect(await agent.error('desk/set-state', { state: 'not-ready', reason: 'missed-call' })).toMatchObject({ field: 'reason' });
  });

  it('rings, talks, wraps up for the configured time and returns to Ready by itself, with supervisors watching live', async () => {
    const sue = await d.supervisor();
    sue.subscribe('desk/agent-changed');
    const { client: agent } = await d.agent('agent1', { ready: true });
    const seen = async (state: DeskAgentView['state']) => {
      for (;;) {
        const view = await sue.nextEvent('desk/agent-changed');
        if (view.username === 'agent1' && view.state === state) return view;
      }
    };

    expect(await d.route({ callid: 'call-1@caller', caller: '+8613900139000', called: '+8613800138000' })).toBe('agent1');
    expect((await seen('ringing')).currentCall).toMatchObject({
      callId: 'call-1@caller',
      caller: '+8613900139000',
      source: 'distribution',
    });
    await agent.send('desk/call-started', { callId: 'call-1@caller', caller: '+8613900139000', called: '+8613800138000' });
    h.clock.advance(2 * second);
    await agent.send('desk/call-answered', { callId: 'call-1@caller' });
    expect((await seen('on-call')).currentCall!.answeredAt).toBe(h.clock.now());
    h.clock.advance(60 * second);
    const ended = await agent.send('desk/call-ended', { callId: 'call-1@caller', reason: 'hangup' });
    expect(ended).toMatchObject({ outcome: 'answered', durationMs: 60 * second });

    const wrapUp = await seen('wrap-up');
    expect(wrapUp.wrapUpEndsAt).toBe(h.clock.now() + 30 * second);
    expect(wrapUp.today).toMatchObject({ offered: 1, answered: 1, missed: 0, talkMs: 60 * second });
    // The agent's own desk is told of every change without subscribing.
    const mine = agent.events.filter((e) => e.name === 'desk/my-state').map((e) => (e.payload as DeskAgentView).state);
    expect(mine.filter((state, i) => state !== mine[i - 1])).toEqual(['not-ready', 'ready', 'ringing', 'on-call', 'wrap-up']);

    h.clock.advance(29 * second);
    await d.tick();
    expect((await agent.send('desk/status', {})).agent.state).toBe('wrap-up');
    h.clock.advance(1 * second);
    await d.tick();
    const ready = await seen('ready');
    expect(ready.since).toBe(h.clock.now());
    expect(ready.idleSince).toBe(h.clock.now() - 30 * second);
  });

  it('uses the agent’s own wrap-up time, ends wrap-up when the agent says so, and applies a choice made during the call after it', async () => {
    const { client: agent } = await d.agent('agent1', { ready: true, wrapUpSeconds: 10 });
    const talk = async (callId: string) => {
      expect(await d.route({ callid: callId })).toBe('agent1');
      await agent.send('desk/call-answered', { callId });
      return agent.send('desk/call-ended', { callId, reason: 'hangup' });
    };
    await talk('a@x');
    expect((await agent.send('desk/status', {})).agent.wrapUpEndsAt).toBe(h.clock.now() + 10 * second);
    expect(await agent.send('desk/set-state', { state: 'ready' })).toMatchObject({ state: 'ready', wrapUpEndsAt: null });

    expect(await d.route({ callid: 'b@x' })).toBe('agent1');
    await agent.send('desk/call-answered', { callId: 'b@x' });
    // Going Not ready while talking: the call goes on, wrap-up follows, then Not ready.
    expect(await agent.send('desk/set-state', { state: 'not-ready', reason: 'Break' })).toMatchObject({ state: 'on-call' });
    await agent.send('desk/call-ended', { callId: 'b@x', reason: 'hangup' });
    h.clock.advance(10 * second);
    await d.tick();
    expect((await agent.send('desk/status', {})).agent).toMatchObject({ state: 'not-ready', reason: 'Break' });
  });

  it('goes Offline when the agent signs out or the session expires, and an Offline agent is offered no call', async () => {
    const one = await d.agent('agent1', { ready: true });
    expect(await d.route({ callid: 'ringing-at-sign-out' })).toBe('agent1');
    await d.agent('agent2', { ready: true });
    const sue = await d.supervisor();
    await one.client.send('session/logout', {});
    await d.tick();
    const agents = await sue.send('desk/agents', {});
    expect(agents.find((a) => a.username === 'agent1')).toMatchObject({ state: 'offline', presence: 'offline', currentCall: null });
    // The call that rang at the closed desk is over with it.
    expect((await sue.send('desk/calls', { operatorId: one.id })).rows[0]).toMatchObject({ outcome: 'missed', endedAt: h.clock.now() });
    expect(agents.find((a) => a.username === 'agent2')).toMatchObject({ state: 'ready' });

    // agent2's session idles out (30 minutes by default).
    h.clock.advance(31 * 60_000);
    expect(await d.route({ callid: 'c@x' })).toBeNull();
    const after = await (await d.supervisor('sam')).send('desk/agents', {});
    expect(after.find((a) => a.username === 'agent2')).toMatchObject({ state: 'offline' });
  });

  it('signs every agent off when the core restarts: sessions do not survive it', async () => {
    await d.agent('agent1', { ready: true });
    await h.restart();
    expect(await d.route({ callid: 'd@x' })).toBeNull();
    const agents = await (await d.supervisor()).send('desk/agents', {});
    expect(agents.map((a) => [a.username, a.state])).toEqual([['agent1', 'offline']]);
  });
});
