/**
 * The distribution with the real test SIP network: Kamailio asks the core (with its network token) which agent
 * rings for a call to the agent group, and the INVITE reaches that agent's registered phone.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { missingSipTools, startSipNetwork, type SipNetwork } from '../../../sipnet/network.mjs';
import { A, B, steps } from '../../adapters/network-api/testing';
import { SipPeer } from '../../adapters/sip-reginfo/testing/sip-peer';
import { networkToken, startHarness, type Harness } from '../../server/testing/harness';
import { deskSteps } from './testing';

const missing = missingSipTools().filter((tool) => tool !== 'sipp');

describe.skipIf(missing.length > 0 && !process.env.CI)('distribution through Kamailio', () => {
  let h: Harness;
  let network: SipNetwork;
  let phones: SipPeer[] = [];
  let caller: SipPeer;

  beforeAll(async () => {
    h = await startHarness();
    network = await startSipNetwork({
      distributionUrl: `${h.url}/api/v1/agents/route`,
      distributionToken: networkToken,
      agentRingTimeoutMs: 2000,
    });
    caller = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
  });

  afterAll(async () => {
    await caller?.close();
    await network?.stop();
    await h?.stop();
  });

  beforeEach(() => {
    phones = [];
  });

  afterEach(async () => {
    for (const phone of phones) await phone.close();
  });

  async function phone(user: string): Promise<SipPeer> {
    const peer = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    phones.push(peer);
    expect((await peer.register({ user, domain: network.domain, expires: 60 })).status).toBe(200);
    return peer;
  }

  const callAgents = (headers: Record<string, string>) =>
    caller.invite({ uri: `sip:agents@${network.domain}`, from: `sip:${A}@${network.domain}`, headers, holdMs: 50 });

  it('rings the Ready agent idle longest, then the other one while the first is taken, then answers busy', async () => {
    const d = deskSteps(h);
    const s = steps(h);
    await s.subscribe(B);
    const phone1 = await phone('agent1');
    const phone2 = await phone('agent2');
    const agent1 = await d.agent('agent1', { ready: true });
    h.clock.advance(5000);
    await d.agent('agent2', { ready: true });

    expect((await callAgents({ 'X-Reachback-Called': B, 'X-Reachback-Caller': A })).status).toBe(200);
    const invite = phone1.received.find((r) => r.method === 'INVITE')!;
    expect(invite.headers.get('x-reachback-called')).toBe(B);
    expect(phone2.received.filter((r) => r.method === 'INVITE')).toEqual([]);
    const [logged] = (await agent1.client.send('desk/my-calls', {})).rows;
    expect(logged).toMatchObject({ callId: invite.headers.get('call-id'), caller: A, called: B, attempt: 1, source: 'distribution' });

    // agent1's desk never reported the call, so agent1 stays reserved: the next call goes to agent2.
    expect((await callAgents({ 'X-Reachback-Called': B, 'X-Reachback-Caller': A })).status).toBe(200);
    expect(phone2.received.filter((r) => r.method === 'INVITE')).toHaveLength(1);

    // Both taken: a caller transferred from the IVR gets busy, and stays the missed call the IVR recorded.
    const { session } = await s.callAndPress(A, B, '0');
    const busy = await callAgents({ 'X-Reachback-Called': B, 'X-Reachback-Caller': A, 'X-Reachback-Session': session });
    expect(busy.status).toBe(486);
    const calls = (await h.api('GET', `/api/v1/subscribers/${encodeURIComponent(B)}/missed-calls`)).body.calls;
    expect(calls).toMatchObject([{ outcome: 'agent', status: 'pending' }]);
  });

  it('gives the caller 503 when the core refuses the proxy’s token', async () => {
    const wrong = await startSipNetwork({ distributionUrl: `${h.url}/api/v1/agents/route`, distributionToken: 'not-the-token-0123456789' });
    const peer = await SipPeer.open({ host: '127.0.0.1', port: wrong.udpPort });
    try {
      const response = await peer.invite({ uri: `sip:agents@${wrong.domain}`, from: `sip:${A}@${wrong.domain}` });
      expect(response.status).toBe(503);
    } finally {
      await peer.close();
      await wrong.stop();
    }
  });
});
