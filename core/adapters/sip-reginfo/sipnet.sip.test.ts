/**
 * Smoke test of the test SIP network itself (sipnet/): a sipp caller reaches a sipp agent through
 * Kamailio's agent group, the core's distribution endpoint decides who rings, the call context
 * travels in headers, and a WebSocket agent gets an SDP rewritten by rtpengine for WebRTC.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort, missingSipTools, startSipNetwork, type SipNetwork } from '../../../sipnet/network.mjs';
import { buildResponse, newTag, parseSipMessage, serializeSipMessage, type SipRequest } from './sip-message';
import { SipPeer } from './testing/sip-peer';

const missing = missingSipTools();
const scenarios = path.resolve(import.meta.dirname, '../../../sipnet/scenarios');

const PCMA_SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 8 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  '',
].join('\r\n');

async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function runSipp(args: string[], cwd: string, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sipp', [...args, '-nostdin', '-timeout', String(Math.ceil(timeoutMs / 1000)), '-timeout_error'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output: output.slice(-3000) });
    });
  });
}

/** The core's distribution endpoint, answering what the test says. */
interface Distribution {
  url: string;
  queries: URLSearchParams[];
  answer: (query: URLSearchParams) => { status: number; body?: unknown };
  close(): Promise<void>;
}

async function distributionEndpoint(): Promise<Distribution> {
  const state: Omit<Distribution, 'url' | 'close'> = { queries: [], answer: () => ({ status: 200, body: { agent: null } }) };
  const server = http.createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    state.queries.push(query);
    const { status, body } = state.answer(query);
    res.writeHead(status, { 'content-type': 'application/json' });
    // Pretty-printed on purpose: Kamailio must cope with whitespace and newlines.
    res.end(body === undefined ? '' : JSON.stringify(body, null, 2));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/api/sip/distribution`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe.skipIf(missing.length > 0 && !process.env.CI)('the test SIP network', () => {
  let network: SipNetwork;
  let distribution: Distribution;
  let caller: SipPeer;
  let workdir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    distribution = await distributionEndpoint();
    network = await startSipNetwork({
      distributionUrl: distribution.url,
      agentRingTimeoutMs: 2000,
      onLog: (daemon, line) => {
        if (/\b(ERROR|CRITICAL|ALERT)\b/.test(line)) errors.push(`${daemon}: ${line}`);
      },
    });
    caller = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    workdir = mkdtempSync(path.join(os.tmpdir(), 'reachback-sipp-'));
  });

  afterAll(async () => {
    await caller?.close();
    await network?.stop();
    await distribution?.close();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  beforeEach(() => {
    distribution.queries.length = 0;
    errors.length = 0;
  });

  afterEach(() => {
    expect(errors, 'errors in the daemons’ logs').toEqual([]);
  });

  const callGroup = (headers: Record<string, string> = { 'X-Reachback-Called': '+4915112345678', 'X-Reachback-Caller': '+4930123456' }) =>
    caller.invite({ uri: `sip:agents@${network.domain}`, from: `sip:+4930123456@${network.domain}`, headers });

  it('a sipp caller (PCMA) reaches the sipp agent the core picked, with the call context in headers', async () => {
    const target = `127.0.0.1:${network.udpPort}`;
    const agentPort = await freePort('udp');
    const callerPort = await freePort('udp');
    distribution.answer = () => ({ status: 200, body: { agent: 'agent1' } });

    const registered = await runSipp(
      [
        '-sf',
        path.join(scenarios, 'register.xml'),
        '-key',
        'user',
        'agent1',
        '-key',
        'contact_port',
        String(agentPort),
        '-key',
        'expires',
        '120',
        '-key',
        'domain',
        network.domain,
        '-p',
        String(await freePort('udp')),
        '-m',
        '1',
        target,
      ],
      workdir,
    );
    expect(registered.code, registered.output).toBe(0);

    const agentLog = path.join(workdir, 'agent-messages.log');
    const agent = runSipp(
      [
        '-sf',
        path.join(scenarios, 'agent.xml'),
        '-p',
        String(agentPort),
        '-mp',
        String(await freePort('udp')),
        '-rtp_echo',
        '-m',
        '1',
        '-trace_msg',
        '-message_file',
        agentLog,
        target,
      ],
      workdir,
    );
    // sipp binds its port at once; give it a moment before the INVITE can arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const call = await runSipp(
      [
        '-sf',
        path.join(scenarios, 'caller.xml'),
        '-s',
        'agents',
        '-key',
        'caller',
        '+4930123456',
        '-key',
        'called',
        '+4915112345678',
        '-d',
        '200',
        '-p',
        String(callerPort),
        '-mp',
        String(await freePort('udp')),
        '-m',
        '1',
        target,
      ],
      workdir,
    );
    const answered = await agent;
    expect(call.code, call.output).toBe(0);
    expect(answered.code, answered.output).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);

    const invite = readFileSync(agentLog, 'utf8');
    expect(invite).toMatch(/^INVITE sip:agent1@127\.0\.0\.1:\d+ SIP\/2\.0/m);
    expect(invite).toMatch(/^X-Reachback-Called: \+4915112345678$/m);
    expect(invite).toMatch(/^X-Reachback-Caller: \+4930123456$/m);
    expect(invite).toMatch(/^m=audio \d+ RTP\/AVP 8 101$/m);

    expect(distribution.queries).toHaveLength(1);
    const query = distribution.queries[0]!;
    expect(Object.fromEntries(query)).toMatchObject({ caller: '+4930123456', called: '+4915112345678', attempt: '1', tried: '' });
    expect(query.get('callid')).toMatch(/@127\.0\.0\.1$/);
  });

  it('answers 486 Busy Here when the core has no agent, and 503 when the core fails', async () => {
    distribution.answer = () => ({ status: 200, body: { agent: null } });
    expect((await callGroup()).status).toBe(486);
    distribution.answer = () => ({ status: 404 });
    expect((await callGroup()).status).toBe(486);
    distribution.answer = () => ({ status: 500, body: { error: 'boom' } });
    expect((await callGroup()).status).toBe(503);
  });

  it('asks the core again when its agent is not registered or declines, telling it whom it tried', async () => {
    const declining = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    const answering = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    try {
      declining.answer = (request) => declining.ok(request, 486, 'Busy Here');
      expect((await declining.register({ user: 'agent2', domain: network.domain, expires: 60 })).status).toBe(200);
      expect((await answering.register({ user: 'agent3', domain: network.domain, expires: 60 })).status).toBe(200);
      const order = ['ghost', 'agent2', 'agent3'];
      distribution.answer = (q) => ({ status: 200, body: { agent: order[Number(q.get('attempt')) - 1] ?? null } });

      const response = await callGroup();
      expect(response.status).toBe(200);
      expect(distribution.queries.map((q) => [q.get('attempt'), q.get('tried')])).toEqual([
        ['1', ''],
        ['2', 'ghost'],
        ['3', 'ghost,agent2'],
      ]);
      expect(declining.received.filter((r) => r.method === 'INVITE')).toHaveLength(1);
      const invite = answering.received.find((r) => r.method === 'INVITE')!;
      expect(invite.headers.get('x-reachback-called')).toBe('+4915112345678');
      await waitUntil('the BYE', () => answering.received.some((r) => r.method === 'BYE'));
    } finally {
      await declining.close();
      await answering.close();
    }
  });

  it('asks again when the agent rings without answering, and gives the caller 486 when nobody takes it', async () => {
    const ringing = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    try {
      ringing.answer = (request) => (request.method === 'INVITE' ? ringing.ok(request, 180, 'Ringing') : ringing.ok(request));
      await ringing.register({ user: 'agent5', domain: network.domain, expires: 60 });
      distribution.answer = (q) => ({ status: 200, body: { agent: q.get('attempt') === '1' ? 'agent5' : null } });
      const started = Date.now();
      expect((await callGroup()).status).toBe(486);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(distribution.queries.map((q) => q.get('tried'))).toEqual(['', 'agent5']);
      await waitUntil('the CANCEL to the ringing agent', () => ringing.received.some((r) => r.method === 'CANCEL'));
    } finally {
      await ringing.close();
    }
  });

  it('fills in the caller from the From user when the headers are missing', async () => {
    const agent = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    try {
      await agent.register({ user: 'agent4', domain: network.domain, expires: 60 });
      distribution.answer = () => ({ status: 200, body: { agent: 'agent4' } });
      expect((await callGroup({})).status).toBe(200);
      expect(Object.fromEntries(distribution.queries[0]!)).toMatchObject({ caller: '+4930123456', called: '' });
      const invite = agent.received.find((r) => r.method === 'INVITE')!;
      expect(invite.headers.get('x-reachback-caller')).toBe('+4930123456');
      expect(invite.headers.has('x-reachback-called')).toBe(false);
    } finally {
      await agent.close();
    }
  });

  it('routes a call to any registered user directly, without rtpengine between plain SIP legs', async () => {
    const phone = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    try {
      await phone.register({ user: '4915100000009', domain: network.domain, expires: 60 });
      const response = await caller.invite({
        uri: `sip:4915100000009@${network.domain}`,
        from: `sip:+4930123456@${network.domain}`,
        sdp: PCMA_SDP,
      });
      expect(response.status).toBe(200);
      const invite = phone.received.find((r) => r.method === 'INVITE')!;
      expect(invite.body).toBe(PCMA_SDP);
      expect((await caller.invite({ uri: `sip:4915100000010@${network.domain}`, from: `sip:+4930123456@${network.domain}` })).status).toBe(
        404,
      );
    } finally {
      await phone.close();
    }
  });

  it('registers a WebSocket agent and offers it WebRTC media through rtpengine', async () => {
    const ws = new WebSocket(network.wsUrl, 'sip');
    const inbox: SipRequest[] = [];
    const responses: string[] = [];
    ws.on('message', (data: Buffer) => {
      const message = parseSipMessage(data.toString());
      if (message.kind === 'response') {
        responses.push(`${message.status} ${message.headers.get('cseq')}`);
        return;
      }
      inbox.push(message);
      // The desk is busy: decline, as a second call would be.
      if (message.method === 'INVITE') ws.send(serializeSipMessage(buildResponse(message, 486, 'Busy Here', { toTag: newTag() })));
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    try {
      const register = [
        `REGISTER sip:${network.domain} SIP/2.0`,
        `Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK${newTag()}`,
        'Max-Forwards: 70',
        `From: <sip:wsagent@${network.domain}>;tag=${newTag()}`,
        `To: <sip:wsagent@${network.domain}>`,
        `Call-ID: ${newTag()}@df7jal23ls0d.invalid`,
        'CSeq: 1 REGISTER',
        `Contact: <sip:wsagent@df7jal23ls0d.invalid;transport=ws>`,
        'Expires: 60',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      ws.send(register);
      await waitUntil('200 to REGISTER', () => responses.includes('200 1 REGISTER'));

      distribution.answer = () => ({ status: 200, body: { agent: 'wsagent' } });
      const response = await caller.invite({
        uri: `sip:agents@${network.domain}`,
        from: `sip:+4930123456@${network.domain}`,
        headers: { 'X-Reachback-Called': '+4915112345678' },
        sdp: PCMA_SDP,
      });
      expect(response.status).toBe(486);
      const invite = inbox.find((r) => r.method === 'INVITE')!;
      expect(invite.headers.get('x-reachback-called')).toBe('+4915112345678');
      // rtpengine's offer towards the browser: DTLS-SRTP with ICE and rtcp-mux, media at rtpengine.
      expect(invite.body).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 8 101/m);
      expect(invite.body).toMatch(/^a=ice-ufrag:/m);
      expect(invite.body).toMatch(/^a=fingerprint:/m);
      expect(invite.body).toMatch(/^a=rtcp-mux/m);
      expect(invite.body).not.toMatch(/m=audio 40000 /);
      expect(distribution.queries.map((q) => q.get('tried'))).toEqual(['', 'wsagent']);
    } finally {
      ws.close();
    }
  });
});

describe.skipIf(missing.length > 0 && !process.env.CI)('the test SIP network with passwords', () => {
  it('challenges REGISTER with digest and accepts only the right password', async () => {
    const network = await startSipNetwork({ users: { agent1: 'correct horse', agent2: 'x:y' } });
    const peer = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
    try {
      const unauthenticated = await peer.register({ user: 'agent1', domain: network.domain, expires: 60 });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers.get('www-authenticate')).toMatch(/^Digest realm="reachback\.test"/);
      expect((await peer.register({ user: 'agent1', domain: network.domain, expires: 60, password: 'wrong' })).status).toBe(401);
      expect((await peer.register({ user: 'agent1', domain: network.domain, expires: 60, password: 'correct horse' })).status).toBe(200);
      expect((await peer.register({ user: 'agent2', domain: network.domain, expires: 60, password: 'x:y' })).status).toBe(200);
      expect((await peer.register({ user: 'stranger', domain: network.domain, expires: 60, password: 'x' })).status).toBe(401);
    } finally {
      await peer.close();
      await network.stop();
    }
  });
});
