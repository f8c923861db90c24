/** Who may use the desk and who may supervise it; SIP settings stay their owner's; the call log per agent and for supervisors. */
import { describe, expect, it } from 'vitest';
import { A, B } from '../../adapters/network-api/testing';
import type { Harness } from '../../server/testing/harness';
import { builtinRoleId, useDeskHarness, type DeskTest } from './testing';

let h: Harness;
let d: DeskTest['d'];
useDeskHarness((test) => ({ h, d } = test));

describe('permissions', () => {
  it('lets an agent use the desk but not supervise it, and refuses the desk to an operator without desk.use', async () => {
    const { client: agent } = await d.agent('agent1');
    for (const refused of [
      await agent.error('desk/agents', {}),
      await agent.error('desk/calls', {}),
      await agent.error('desk/config', {}),
      await agent.error('desk/config-update', { wrapUpSeconds: 5 }),
    ])
      expect(refused).toMatchObject({ code: 'forbidden', params: { permission: 'desk.supervise' } });

    const { client: cs } = await h.operator('carla', await builtinRoleId(await h.admin(), 'customer-service'));
    expect(await cs.error('desk/status', {})).toMatchObject({ code: 'forbidden', params: { permission: 'desk.use' } });
    expect(await cs.error('desk/take-message', { called: B, text: 'x' })).toMatchObject({ code: 'forbidden' });
    const denied = await (await h.admin()).send('audit/list', { actor: 'carla', outcome: 'denied' });
    expect(denied.rows.map((r) => r.command).sort()).toEqual(['desk/status', 'desk/take-message']);
  });

  it('lets a supervisor change the desk’s settings, which agents are told of', async () => {
    const { client: agent } = await d.agent('agent1');
    agent.subscribe('desk/config-changed');
    const sue = await d.supervisor();
    const next = await sue.send('desk/config-update', { wrapUpSeconds: 45, notReadyReasons: ['Coaching', 'Lunch'] });
    expect(next).toEqual({ wrapUpSeconds: 45, notReadyReasons: ['Coaching', 'Lunch'], reservationSeconds: 30 });
    await agent.nextEvent('desk/config-changed');
    expect((await agent.send('desk/status', {})).config.notReadyReasons).toEqual(['Coaching', 'Lunch']);
    expect(await sue.error('desk/config-update', { notReadyReasons: ['Lunch', 'lunch'] })).toMatchObject({ field: 'notReadyReasons' });
    expect(await sue.error('desk/config-update', { notReadyReasons: ['missed-call'] })).toMatchObject({ field: 'notReadyReasons.0' });
    await h.restart();
    expect(await (await d.supervisor('sam')).send('desk/config', {})).toMatchObject({ wrapUpSeconds: 45 });
  });
});

describe('SIP settings', () => {
  it('returns the password to its owner only, keeps it when left empty, and keeps it out of the audit log', async () => {
    const { client: agent } = await d.agent('agent1');
    expect((await agent.send('desk/sip-settings', {})).settings).toMatchObject({
      wsUri: 'ws://127.0.0.1:8088',
      sipUri: 'sip:agent1@reachback.test',
      password: 'agent1-secret',
      dtmfMode: 'info',
      callWaiting: false,
      wrapUpSeconds: null,
    });
    const changed = await agent.send('desk/sip-settings-update', {
      wsUri: 'wss://pbx.example.net:7443/ws',
      sipUri: 'sip:agent1@reachback.test',
      password: '',
      dtmfMode: 'rfc2833',
      callWaiting: true,
    });
    expect(changed).toMatchObject({ password: 'agent1-secret', dtmfMode: 'rfc2833', callWaiting: true });

    const sue = await d.supervisor();
    const views = JSON.stringify(await sue.send('desk/agents', {}));
    expect(views).toContain('"sipUser":"agent1"');
    expect(views).not.toContain('agent1-secret');
    const audit = JSON.stringify(await (await h.admin()).send('audit/list', { command: 'desk/sip-settings-update' }));
    expect(audit).not.toContain('agent1-secret');
    expect(audit).toContain('[redacted]');
    expect((await sue.send('desk/sip-settings', {})).settings).toBeNull();
  });

  it('refuses a SIP user another agent has, and addresses that are not ws(s):// or sip:', async () => {
    await d.agent('agent1');
    const { client: other } = await d.agent('agent2');
    const base = { wsUri: 'ws://127.0.0.1:8088', sipUri: 'sip:agent2@reachback.test' };
    expect(await other.error('desk/sip-settings-update', { ...base, sipUri: 'sip:agent1@reachback.test' })).toMatchObject({
      code: 'conflict',
      field: 'sipUri',
    });
    expect(await other.error('desk/sip-settings-update', { ...base, wsUri: 'http://127.0.0.1:8088' })).toMatchObject({ field: 'wsUri' });
    expect(await other.error('desk/sip-settings-update', { ...base, sipUri: 'agent2@reachback.test' })).toMatchObject({ field: 'sipUri' });
    expect(await other.error('desk/sip-settings-update', { ...base, sipUri: 'sip:agent.2@reachback.test' })).toMatchObject({
      field: 'sipUri',
    });
  });
});

describe('call log', () => {
  it('shows agents their own calls, and supervisors everyone’s with filters and paging', async () => {
    await (await h.admin()).send('desk/config-update', { wrapUpSeconds: 0 });
    const one = await d.agent('agent1', { ready: true });
    const two = await d.agent('agent2', { ready: true });
    for (let i = 1; i <= 4; i++) {
      h.clock.advance(1000);
      const agent = (await d.route({ callid: `c${i}`, caller: A, called: B })) === 'agent1' ? one : two;
      if (i === 4) {
        await agent.client.send('desk/call-ended', { callId: `c${i}`, reason: 'rejected' });
        continue;
      }
      await agent.client.send('desk/call-answered', { callId: `c${i}` });
      h.clock.advance(3000);
      await agent.client.send('desk/call-ended', {
        callId: `c${i}`,
        reason: i === 3 ? 'transferred' : 'hangup',
        transferTarget: i === 3 ? 'sip:sales@reachback.test' : undefined,
      });
    }
    const own = await one.client.send('desk/my-calls', {});
    expect(own.rows.every((r) => r.agent === 'agent1')).toBe(true);
    await one.client.send('desk/call-notes', { id: own.rows[0]!.id, notes: 'Asked about roaming.' });
    const othersCall = (await two.client.send('desk/my-calls', {})).rows[0]!;
    expect(await one.client.error('desk/call-notes', { id: othersCall.id, notes: 'x' })).toMatchObject({ code: 'not_found', field: 'id' });

    const sue = await d.supervisor();
    const all = await sue.send('desk/calls', { pageSize: 2 });
    expect(all.total).toBe(4);
    expect(all.rows.map((r) => r.callId)).toEqual(['c4', 'c3']);
    expect((await sue.send('desk/calls', { page: 1, pageSize: 2 })).rows.map((r) => r.callId)).toEqual(['c2', 'c1']);
    expect((await sue.send('desk/calls', { outcome: 'rejected' })).rows.map((r) => r.callId)).toEqual(['c4']);
    expect((await sue.send('desk/calls', { outcome: 'transferred' })).rows[0]).toMatchObject({
      transferTarget: 'sip:sales@reachback.test',
      durationMs: 3000,
    });
    expect((await sue.send('desk/calls', { operatorId: one.id })).total).toBe(own.total);
    expect((await sue.send('desk/calls', { number: '13800138000' })).total).toBe(4);
    expect((await sue.send('desk/calls', { number: '999' })).total).toBe(0);
    const agents = await sue.send('desk/agents', {});
    expect(agents.reduce((n, a) => n + a.today.offered, 0)).toBe(4);
  });
});
