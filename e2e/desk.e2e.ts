/**
 * The agent desk with real peers: the core (built server), the test SIP network (Kamailio asking the core which
 * agent rings, rtpengine bridging WebRTC and plain RTP) and two agents in Chromium with JsSIP.
 *
 * A caller transferred from the IVR (sipp: PCMA audio, then an RFC 4733 digit) reaches the agent group; the agent
 * idle longest rings, answers with Alt+A, audio flows both ways (the page's getStats), the caller's digit passes
 * rtpengine and the agent's SIP INFO digit reaches sipp; the context pop shows the called party; the agent writes a
 * message, hangs up (Wrap-up), reloads, loses the core connection and saves anyway; the called party powers on
 * and the message arrives in the virtual SMSC. Also: a down WebSocket server (reconnecting), a wrong SIP password
 * (refused, no storm), a call without the called-party header (the desk asks), RFC 2833 digits, agents in Wrap-up
 * get no call, longest idle first, hold and resume both ways and a blind transfer (re-INVITEs and REFER at sipp),
 * Kamailio restarting (the desks re-register by themselves), a blocked microphone, and the supervisors' view.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipPeer } from '../core/adapters/sip-reginfo/testing/sip-peer';
import { callerScenario, inDialogRequest, reply, waitForBye } from '../sipnet/caller-scenario.mjs';
import { freePort, missingSipTools, startSipNetwork, type SipNetwork } from '../sipnet/network.mjs';
import { startServer, type RunningServer } from './support/app';
import { launchBrowser, newPage, snap } from './support/browser';
import { changeOneTimePassword, openNav, sendFromPage, signIn, until } from './support/console';

const adminPassword = 'Floor-Lead-2026';
const agentPassword = 'Seat-Pass-2026';
/** A calls B, who is off; C has privacy "nobody". */
const A = '+8613900139000';
const B = '+8613800138000';
const C = '+8613700137000';
const sipPasswords = { agent1: 'Sip-Secret-1', agent2: 'Sip-Secret-2' };
const messageText = 'Please call me back about the flat viewing on Saturday.';

let server: RunningServer;
let browser: Browser;
let admin: Page;
let agent1: Page;
let agent2: Page;
let network: SipNetwork;
let caller: SipPeer;
let networkToken = '';
let workDir = '';
const dtmfLog: { event: number; callid: string }[] = [];
let dtmfSocket: dgram.Socket;
/** REGISTER requests each agent's page sent over the SIP WebSocket, with when. */
const registers: Record<string, number[]> = { agent1: [], agent2: [] };
/** agent1's connections to the core, so the test can cut them (a network drop) and let them back. */
let coreDown = false;
const coreRoutes: WebSocketRoute[] = [];

const missing = missingSipTools();
if (missing.length && process.env.CI) throw new Error(`SIP tools missing: ${missing.join(', ')}`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the network API's JSON, read loosely by the test
async function networkApi(method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${server.baseUrl}${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${networkToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function settledSnap(name: string, on: Page): Promise<void> {
  await on.waitForTimeout(500);
  await snap(on, name);
}

/** The caller's SDP, with the direction it offers or answers. */
const callerSdp = (direction: string) => `v=0
      o=- 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8 101
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=ptime:20
      a=${direction}`;

/** The caller's side answering the agent's re-INVITE (hold or resume). */
const answerReInvite = (direction: string) => `<recv request="INVITE"/>
  ${reply({ sdp: callerSdp(direction) })}
  <recv request="ACK"/>`;

/** The caller's side sending its own re-INVITE (it puts the agent on hold, or takes them off). */
const sendReInvite = (cseq: number, direction: string) => `${inDialogRequest('INVITE', cseq, { sdp: callerSdp(direction) })}
  <recv response="100" optional="true"/>
  <recv response="200"/>
  ${inDialogRequest('ACK', cseq)}`;

/**
 * The caller for hold and transfer: the agent holds and resumes (speech plays again after the resume), the
 * caller's side holds and resumes the agent, the agent holds again and transfers the caller blind (REFER, 202),
 * and hangs up its own leg.
 */
const holdAndTransfer = `${answerReInvite('recvonly')}
  ${answerReInvite('sendrecv')}
  <nop>
    <action>
      <exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/>
    </action>
  </nop>
  <pause milliseconds="2000"/>
  ${sendReInvite(2, 'sendonly')}
  <pause milliseconds="2000"/>
  ${sendReInvite(3, 'sendrecv')}
  ${answerReInvite('recvonly')}
  <recv request="REFER"/>
  ${reply({ status: '202 Accepted' })}
  ${waitForBye}`;

/** The requests sipp received in its message trace, each whole, in order. */
function receivedRequests(trace: string, method: string): string[] {
  return trace
    .split(/^-{20,}.*$/m)
    .filter((block) => /message received/.test(block))
    .map((block) => block.slice(block.indexOf('\n\n') + 2).trimStart())
    .filter((message) => message.startsWith(`${method} `));
}

interface SippCall {
  done: Promise<{ code: number | null; output: string }>;
  messages(): string;
}

/** A plain-SIP caller (sipp, PCMA + an RFC 4733 digit) calling the agent group through Kamailio. */
async function sippCall(options: { session?: string; withCalled?: boolean; called?: string; then?: string }): Promise<SippCall> {
  const scenario = callerScenario(workDir, options);
  const trace = path.join(workDir, `messages-${Date.now()}.log`);
  const args = [
    '-sf', scenario,
    '-s', network.agentGroup,
    '-key', 'caller', A,
    '-key', 'called', options.called ?? B,
    '-p', String(await freePort('udp')),
    '-mp', String(await freePort('udp')),
    '-m', '1',
    '-aa',
    '-nostdin',
    '-timeout', '60s',
    '-trace_msg',
    '-message_file', trace,
    `127.0.0.1:${network.udpPort}`,
  ]; // prettier-ignore
  const child = spawn('sipp', args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once('exit', (code) => resolve({ code, output })));
  return {
    done,
    messages: () => {
      try {
        return readFileSync(trace, 'utf8');
      } catch {
        return '';
      }
    },
  };
}

/** The caller meets B switched off, and presses 0 for an operator: the IVR's transfer names the session. */
async function ivrTransfer(): Promise<{ session: string; headers: Record<string, string> }> {
  const call = await networkApi('POST', '/api/v1/calls', { caller: A, callee: B, reason: 'power_off', at: Date.now() });
  expect(call.status).toBe(201);
  const pressed = await networkApi('POST', `/api/v1/ivr/${call.json.session}/input`, { digits: '0' });
  expect(pressed.json.action.type).toBe('transfer');
  return { session: call.json.session, headers: pressed.json.action.headers };
}

async function packets(page: Page): Promise<{ in: number; out: number }> {
  const audio = page.getByTestId('desk-audio');
  return { in: Number(await audio.getAttribute('data-packets-in')), out: Number(await audio.getAttribute('data-packets-out')) };
}

function phoneState(page: Page, state: string) {
  return page.locator(`[data-testid="desk-phone-state"][data-state="${state}"]`);
}

function agentState(page: Page, state: string) {
  return page.locator(`[data-testid="desk-state"][data-state="${state}"]`);
}

function ringing(page: Page) {
  return page.locator('[data-testid="desk-call"][data-state="ringing"]');
}

/** Fills and saves the phone settings dialog (open already). */
async function savePhoneSettings(page: Page, settings: { wsUri?: string; sipUri?: string; password?: string }): Promise<void> {
  const dialog = page.getByTestId('desk-settings-dialog');
  await dialog.waitFor();
  if (settings.wsUri !== undefined) await page.getByTestId('desk-settings-wsUri').fill(settings.wsUri);
  if (settings.sipUri !== undefined) await page.getByTestId('desk-settings-sipUri').fill(settings.sipUri);
  if (settings.password !== undefined) await page.getByTestId('desk-settings-password').fill(settings.password);
  await page.getByTestId('desk-settings-save').click();
  await dialog.waitFor({ state: 'detached' });
}

async function openAgent(username: keyof typeof sipPasswords, oneTime: string, options: { routeCore?: boolean } = {}): Promise<Page> {
  const page = await newPage(browser);
  if (options.routeCore) {
    await page.routeWebSocket(/\/ws\?key=/, (ws) => {
      if (coreDown) {
        ws.close({ code: 1006, reason: 'network down' });
        return;
      }
      ws.connectToServer();
      coreRoutes.push(ws);
    });
  }
  page.on('pageerror', (e) => console.log(`[${username}] pageerror`, e.message, e.stack));
  page.on('websocket', (ws) => {
    if (!ws.url().includes(`:${network.wsPort}`)) return;
    ws.on('framesent', (frame) => {
      if (typeof frame.payload === 'string' && frame.payload.startsWith('REGISTER ')) registers[username]!.push(Date.now());
    });
  });
  await signIn(page, server.consoleUrl, username, oneTime);
  await changeOneTimePassword(page, oneTime, agentPassword);
  return page;
}

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'reachback-desk-'));
  server = await startServer();
  browser = await launchBrowser();
  admin = await newPage(browser);
  await signIn(admin, server.consoleUrl, 'admin', server.adminPassword);
  await changeOneTimePassword(admin, server.adminPassword, adminPassword);
  await admin.getByTestId('notice').getByTitle('Dismiss').click();

  // Kamailio asks the core with a network token, as any network element does.
  networkToken = (await sendFromPage<{ token: string }>(admin, 'network-tokens/create', { name: 'Kamailio agent group' })).token;
  network = await startSipNetwork({
    distributionUrl: `${server.baseUrl}/api/v1/agents/route`,
    distributionToken: networkToken,
    dtmfLogPort: true,
    users: sipPasswords,
    agentRingTimeoutMs: 15_000,
  });
  dtmfSocket = dgram.createSocket('udp4');
  dtmfSocket.on('message', (data) => {
    for (const line of String(data).split('\n').filter(Boolean)) {
      try {
        const entry = JSON.parse(line) as { event: number; callid: string };
        dtmfLog.push(entry);
      } catch {
        // Not one of rtpengine's lines.
      }
    }
  });
  await new Promise<void>((resolve) => dtmfSocket.bind(network.dtmfLogPort!, '127.0.0.1', resolve));
  caller = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });

  // B subscribes and is switched off; C subscribes and lets nobody know when they are back.
  for (const [msisdn, privacy] of [
    [B, { mode: 'all' }],
    [C, { mode: 'nobody' }],
  ] as const) {
    const put = await networkApi('PUT', `/api/v1/subscribers/${encodeURIComponent(msisdn)}`, {
      services: { missedCallAlert: true, reachableAlert: false, voicemail: false },
      language: 'en',
      privacy,
    });
    expect(put.status).toBeLessThan(300);
  }
  expect((await networkApi('POST', '/api/v1/presence', { msisdn: B, state: 'unreachable', at: Date.now() })).status).toBe(200);

  // Two agents; a long wrap-up so that the test decides when it ends.
  const roles = await sendFromPage<{ id: number; builtin: string | null }[]>(admin, 'roles/list');
  const agentRole = roles.find((r) => r.builtin === 'agent')!.id;
  const one = await sendFromPage<{ oneTimePassword: string }>(admin, 'operators/create', {
    username: 'agent1',
    displayName: 'Li Na',
    roleId: agentRole,
  });
  const two = await sendFromPage<{ oneTimePassword: string }>(admin, 'operators/create', {
    username: 'agent2',
    displayName: 'Wang Fang',
    roleId: agentRole,
  });
  await sendFromPage(admin, 'desk/config-update', { wrapUpSeconds: 120 });
  agent1 = await openAgent('agent1', one.oneTimePassword, { routeCore: true });
  agent2 = await openAgent('agent2', two.oneTimePassword);
});

afterAll(async () => {
  await browser?.close();
  dtmfSocket?.close();
  await caller?.close();
  await network?.stop();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(missing.length > 0 && !process.env.CI)('the agent desk on a real SIP network', () => {
  it('shows a down WebSocket server as reconnecting, a wrong password as refused without a storm, then registers', async () => {
    expect(await agent1.getByTestId('nav-desk').isVisible()).toBe(true);
    expect(await agent1.getByTestId('nav-desk-calls').isVisible()).toBe(true);
    expect(await agent1.getByTestId('nav-desk-supervisor').count()).toBe(0);
    await openNav(agent1, 'desk');
    // First visit: no SIP settings yet, so the dialog asks for them; the desk signed the agent in as Not ready.
    await agent1.getByTestId('desk-settings-dialog').waitFor();
    await agentState(agent1, 'not-ready').waitFor();

    // A SIP URI the proxy could not route to: refused by the core, said by the field, and nothing is lost.
    await agent1.getByTestId('desk-settings-wsUri').fill(network.wsUrl);
    await agent1.getByTestId('desk-settings-sipUri').fill(`agent1@${network.domain}`);
    await agent1.getByTestId('desk-settings-save').click();
    const sipUri = agent1.getByTestId('desk-settings-sipUri');
    await agent1.locator('[data-testid="desk-settings-sipUri"][aria-invalid="true"]').waitFor();
    expect(await agent1.getByTestId('desk-settings-dialog').innerText()).toContain('Use sip:user@domain');
    expect(await sipUri.inputValue()).toBe(`agent1@${network.domain}`);
    await settledSnap('desk-settings-wrong-uri', agent1);

    const closedPort = await freePort('tcp');
    await savePhoneSettings(agent1, {
      wsUri: `ws://127.0.0.1:${closedPort}`,
      sipUri: `sip:agent1@${network.domain}`,
      password: sipPasswords.agent1,
    });
    await phoneState(agent1, 'reconnecting').waitFor();
    expect(await agent1.getByTestId('desk-phone-detail').innerText()).toContain(`ws://127.0.0.1:${closedPort} cannot be reached`);
    expect(await agent1.getByTestId('topbar-phone').getAttribute('data-state')).toBe('reconnecting');
    expect(await agent1.getByTestId('desk-ready').isDisabled()).toBe(true);
    await settledSnap('desk-ws-down', agent1);

    // The right server, the wrong password: refused once, and not tried again by itself.
    await agent1.getByTestId('desk-settings-open').click();
    await savePhoneSettings(agent1, { wsUri: network.wsUrl, password: 'not-the-password' });
    await agent1.locator('[data-testid="desk-phone-state"][data-state="failed"][data-error="auth"]').waitFor();
    const refusedAt = Date.now();
    expect(await agent1.getByTestId('desk-phone-detail').innerText()).toContain('wrong SIP user or password');
    await agent1.waitForTimeout(3000);
    const registersWhileRefused = registers.agent1!.filter((at) => at >= refusedAt - 2000).length;
    expect(registersWhileRefused).toBeLessThanOrEqual(2);
    await settledSnap('desk-wrong-password', agent1);

    await agent1.getByTestId('desk-settings-open').click();
    await savePhoneSettings(agent1, { password: sipPasswords.agent1 });
    await phoneState(agent1, 'registered').waitFor();
    expect(await agent1.getByTestId('desk-phone-detail').innerText()).toContain(`agent1@${network.domain}`);
    await agent1.getByTestId('desk-ready').click();
    await agentState(agent1, 'ready').waitFor();
    await settledSnap('desk-ready', agent1);
  });

  it('sets up a second agent who sends keypad tones in the audio (RFC 2833), Ready after the first', async () => {
    await openNav(agent2, 'desk');
    const dialog = agent2.getByTestId('desk-settings-dialog');
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: 'Keypad tones' }).click();
    await agent2.getByRole('option', { name: 'In the audio (RFC 2833)' }).click();
    await savePhoneSettings(agent2, { wsUri: network.wsUrl, sipUri: `sip:agent2@${network.domain}`, password: sipPasswords.agent2 });
    await phoneState(agent2, 'registered').waitFor();
    await agent2.getByTestId('desk-ready').click();
    await agentState(agent2, 'ready').waitFor();
  });

  let callA: SippCall;
  let callAId = '';

  it('rings the agent idle longest for a caller from the IVR, and pops the called party’s context', async () => {
    const { session, headers } = await ivrTransfer();
    expect(headers['X-Reachback-Called']).toBe(B);
    const invitedAt = Date.now();
    callA = await sippCall({ session });
    const call = ringing(agent1);
    await call.waitFor({ timeout: 15_000 });
    console.info(`[desk] sipp started → ringing on the desk: ${Date.now() - invitedAt} ms`);
    callAId = (await call.getAttribute('data-call-id'))!;
    await agentState(agent1, 'ringing').waitFor();
    expect(await ringing(agent2).count()).toBe(0);
    expect(await agent1.getByTestId('desk-call-caller').innerText()).toBe('139 0013 9000');
    expect(await agent1.getByTestId('desk-call-called').innerText()).toBe('for 138 0013 8000');
    expect(await agent1.getByTestId('topbar-phone').getAttribute('data-state')).toBe('ringing');

    // The context pops while it rings: who was called, what may be said, what is waiting for them.
    const profile = agent1.locator(`[data-testid="desk-profile"][data-msisdn="${B}"]`);
    await profile.waitFor();
    expect(await agent1.getByTestId('desk-context-called').innerText()).toBe('138 0013 8000');
    expect(await agent1.getByTestId('desk-context-pending').innerText()).toBe('1');
    expect(await agent1.getByTestId('desk-context-language').innerText()).toBe('Speaks English');
    expect(await agent1.getByTestId('desk-context-service').first().getAttribute('data-service')).toBe('missedCallAlert');
    const rule = agent1.getByTestId('desk-privacy-rule').first();
    expect(await rule.getAttribute('data-code')).toBe('reachability-allowed');
    expect(await rule.getAttribute('data-may')).toBe('true');
    expect(await agent1.getByTestId('desk-context-session').innerText()).toContain('Came from the IVR');
    expect(await agent1.getByTestId('desk-message-caller').inputValue()).toBe('139 0013 9000');
    expect(await agent1.getByTestId('desk-message-callback').inputValue()).toBe('139 0013 9000');
    expect(await agent1.getByTestId('desk-message-called').inputValue()).toBe('138 0013 8000');
    await settledSnap('desk-ringing', agent1);
  });

  it('answers with Alt+A: audio flows both ways through rtpengine, and digits pass each way', async () => {
    await agent1.keyboard.press('Alt+KeyA');
    await agent1.locator('[data-testid="desk-call"][data-state="active"]').waitFor({ timeout: 10_000 });
    await agentState(agent1, 'on-call').waitFor();
    await agent1.waitForFunction(
      () => {
        const audio = document.querySelector('[data-testid="desk-audio"]');
        return Number(audio?.getAttribute('data-packets-in')) > 25 && Number(audio?.getAttribute('data-packets-out')) > 25;
      },
      undefined,
      { timeout: 10_000 },
    );
    const counted = await packets(agent1);
    expect(counted.in).toBeGreaterThan(25);
    expect(counted.out).toBeGreaterThan(25);

    console.info(`[desk] audio after answering: ${counted.in} RTP packets in, ${counted.out} out (getStats in the page)`);

    // The caller's RFC 4733 digit (sent 2.5 s into the call) crossed rtpengine.
    await until('the caller’s digit in rtpengine’s DTMF log', () => dtmfLog.find((d) => d.event === 1 && d.callid === callAId), 10_000);
    // The agent's digit goes as SIP INFO (the default) and reaches the caller.
    await agent1.getByTestId('desk-keypad-toggle').click();
    await agent1.getByTestId('desk-key-5').click();
    await until('the INFO at sipp', () => /INFO sip:[\s\S]*Signal=5/.test(callA.messages()), 10_000);
    expect(await agent1.getByTestId('desk-dtmf').innerText()).toBe('You sent 5');

    // A second call straight to agent1 while busy: 486 at once (call waiting is off), and the desk says so.
    const second = await caller.invite({ uri: `sip:agent1@${network.domain}`, from: `sip:${C}@${network.domain}` });
    expect(second.status).toBe(486);
    await agent1.locator('[data-testid="desk-call-ended"][data-reason="busy"]').waitFor();
    expect(await agent1.locator('[data-testid="desk-call"][data-state="active"]').count()).toBe(1);

    // Alt+M mutes even while typing the message, and types nothing.
    await agent1.getByTestId('desk-message-text').fill(messageText.slice(0, 20));
    await agent1.getByTestId('desk-message-text').press('Alt+KeyM');
    await agent1.getByTestId('desk-call-muted').waitFor();
    expect(await agent1.getByTestId('desk-message-text').inputValue()).toBe(messageText.slice(0, 20));
    await settledSnap('desk-in-call', agent1);
    await agent1.keyboard.press('Alt+KeyM');
    await agent1.getByTestId('desk-call-muted').waitFor({ state: 'detached' });
    // The counters only grow, also when the caller's stream changes (sipp's digit comes from another SSRC).
    const later = await packets(agent1);
    expect(later.in).toBeGreaterThanOrEqual(counted.in);
    expect(later.out).toBeGreaterThan(counted.out);
  });

  it('hangs up into Wrap-up; the draft survives a reload and a dropped connection to the core, then is saved', async () => {
    await agent1.getByTestId('desk-message-text').fill(messageText);
    await agent1.keyboard.press('Alt+KeyH');
    await agent1.locator('[data-testid="desk-call-ended"][data-reason="hangup"]').waitFor();
    const sipp = await callA.done;
    expect(sipp.code, sipp.output).toBe(0);
    await agentState(agent1, 'wrap-up').waitFor();
    expect(await agent1.getByTestId('desk-state-elapsed').innerText()).toMatch(/^[12]:\d\d left$/);
    expect(await agent1.getByTestId('desk-state-next').innerText()).toBe('After wrap-up: Ready');

    // A reload: the phone comes back by itself, the call's context and the draft too.
    await agent1.reload();
    await agent1.getByTestId('screen-desk').waitFor();
    await phoneState(agent1, 'registered').waitFor();
    await agentState(agent1, 'wrap-up').waitFor();
    expect(await agent1.getByTestId('desk-message-text').inputValue()).toBe(messageText);
    expect(await agent1.getByTestId('desk-draft-state').innerText()).toBe('Draft restored');
    await agent1.locator(`[data-testid="desk-profile"][data-msisdn="${B}"]`).waitFor();

    // The connection to the core drops: the desk says so, and a save waits for it instead of losing the message.
    coreDown = true;
    for (const route of coreRoutes.splice(0)) await route.close({ code: 1006, reason: 'network down' });
    await agent1.getByTestId('desk-core-offline').waitFor();
    await agent1.getByTestId('desk-message-save').click();
    await settledSnap('desk-core-offline', agent1);
    coreDown = false;
    await agent1.getByTestId('desk-message-saved').waitFor({ timeout: 20_000 });
    expect(await agent1.getByTestId('desk-message-saved').getAttribute('data-delivery')).toBe('when-reachable');
    expect(await agent1.getByTestId('desk-readback').innerText()).toBe(
      'Thank you. I have taken your message for 138 0013 8000. They will get it by text message as soon as their phone is back on. ' +
        'They can call you back on 139 0013 9000.',
    );
    await agent1.getByTestId('desk-core-offline').waitFor({ state: 'detached' });
    await settledSnap('desk-message-saved', agent1);
  });

  it('gives the next call to the Ready agent while the first is in Wrap-up; without the called header the desk asks', async () => {
    const callB = await sippCall({ withCalled: false });
    await ringing(agent2).waitFor({ timeout: 15_000 });
    expect(await ringing(agent1).count()).toBe(0);
    expect(await agent2.getByTestId('desk-call-called').innerText()).toBe('Called number not given: ask the caller');
    await agent2.getByTestId('desk-answer').click();
    await agent2.locator('[data-testid="desk-call"][data-state="active"]').waitFor({ timeout: 10_000 });
    expect(await agent2.getByTestId('desk-lookup-intro').innerText()).toContain('Ask the caller which number');
    await settledSnap('desk-ask-number', agent2);

    // Not a subscriber: said by the field. Then the number the caller gives.
    await agent2.getByTestId('desk-lookup-number').fill('136 0013 6000');
    await agent2.getByTestId('desk-lookup-submit').click();
    await agent2.getByText('136 0013 6000 is not a subscriber').waitFor();
    await agent2.getByTestId('desk-lookup-number').fill('137 0013 7000');
    await agent2.getByTestId('desk-lookup-submit').click();
    await agent2.locator(`[data-testid="desk-profile"][data-msisdn="${C}"]`).waitFor();
    const rule = agent2.getByTestId('desk-privacy-rule').first();
    expect(await rule.getAttribute('data-code')).toBe('reachability-nobody');
    expect(await rule.getAttribute('data-may')).toBe('false');
    expect(await agent2.getByTestId('desk-message-called').inputValue()).toBe('137 0013 7000');

    // Keypad tones in the audio: rtpengine sees the agent's digit (and the caller's, 2.5 s into the call).
    await agent2.waitForFunction(() => Number(document.querySelector('[data-testid="desk-audio"]')?.getAttribute('data-packets-out')) > 10);
    const callId = (await agent2.getByTestId('desk-call').getAttribute('data-call-id'))!;
    await until('the caller’s digit', () => dtmfLog.find((d) => d.event === 1 && d.callid === callId), 10_000);
    await agent2.getByTestId('desk-keypad-toggle').click();
    await agent2.getByTestId('desk-key-7').click();
    await until(
      'the agent’s RFC 2833 digit in rtpengine’s DTMF log',
      () => dtmfLog.find((d) => d.event === 7 && d.callid === callId),
      10_000,
    );

    // A message for someone whose privacy forbids saying whether they are back: the read-back says nothing of it.
    await agent2.getByTestId('desk-message-text').fill('Your sister called about dinner.');
    await agent2.getByTestId('desk-message-text').press('Control+Enter');
    await agent2.getByTestId('desk-readback').waitFor();
    expect(await agent2.getByTestId('desk-readback').innerText()).toBe(
      'Thank you. I have taken your message for 137 0013 7000. It will be delivered to them by text message. They can call you back on 139 0013 9000.',
    );
    await settledSnap('desk-neutral-readback', agent2);
    await agent2.getByTestId('desk-hangup').click();
    const sipp = await callB.done;
    expect(sipp.code, `${sipp.output}\n${callB.messages().slice(-3000)}`).toBe(0);
    await agentState(agent2, 'wrap-up').waitFor();
  });

  it('gives a caller busy when every agent is in Wrap-up, and rings nobody', async () => {
    const response = await caller.invite({
      uri: `sip:${network.agentGroup}@${network.domain}`,
      from: `sip:${A}@${network.domain}`,
      headers: { 'X-Reachback-Called': B, 'X-Reachback-Caller': A },
    });
    expect(response.status).toBe(486);
    expect(await ringing(agent1).count()).toBe(0);
    expect(await ringing(agent2).count()).toBe(0);
  });

  it('offers the next call to the agent idle longest, not the one who pressed Ready first', async () => {
    await agent2.getByTestId('desk-ready').click();
    await agentState(agent2, 'ready').waitFor();
    await agent1.getByTestId('desk-ready').click();
    await agentState(agent1, 'ready').waitFor();
    // agent1's last call ended before agent2's: agent1 has waited longest.
    await openNav(admin, 'desk-supervisor');
    await admin.locator('[data-testid="desk-agent"][data-username="agent1"] [data-testid="desk-agent-next"]').waitFor();
    await settledSnap('desk-supervisor-agents', admin);

    const invite = caller.invite({
      uri: `sip:${network.agentGroup}@${network.domain}`,
      from: `sip:${A}@${network.domain}`,
      headers: { 'X-Reachback-Called': B, 'X-Reachback-Caller': A },
      timeoutMs: 30_000,
    });
    await ringing(agent1).waitFor({ timeout: 10_000 });
    expect(await ringing(agent2).count()).toBe(0);
    await admin.locator('[data-testid="desk-agent"][data-username="agent1"][data-state="ringing"]').waitFor();
    // agent1 declines: the proxy asks the core again, and agent2 rings; agent2 declines too and the caller gets busy.
    await agent1.getByTestId('desk-reject').click();
    await ringing(agent2).waitFor({ timeout: 10_000 });
    await agent2.keyboard.press('Alt+KeyH');
    expect((await invite).status).toBeGreaterThanOrEqual(400);
    await agentState(agent1, 'ready').waitFor();
    await agentState(agent2, 'ready').waitFor();
  });

  it('holds and resumes by re-INVITE, follows the caller’s own hold, and hands the caller on by blind transfer', async () => {
    // agent1 steps away, so agent2 takes this one.
    await agent1.getByTestId('desk-not-ready').click();
    await agent1.locator('[data-testid="desk-reason"][data-reason="Lunch"]').click();
    await agent1.locator('[data-testid="desk-state"]', { hasText: 'Not ready: Lunch' }).waitFor();
    const call = await sippCall({ then: holdAndTransfer });
    await ringing(agent2).waitFor({ timeout: 15_000 });
    await agent2.getByTestId('desk-answer').click();
    await agent2.locator('[data-testid="desk-call"][data-state="active"]').waitFor({ timeout: 10_000 });
    const invites = () => receivedRequests(call.messages(), 'INVITE');
    // sipp takes requests only once its opening speech and digit are done (2.5 s in): the digit marks it.
    const callId = (await agent2.getByTestId('desk-call').getAttribute('data-call-id'))!;
    await until('the caller’s opening digit', () => dtmfLog.find((d) => d.event === 1 && d.callid === callId), 10_000);

    // Hold: a re-INVITE offering to send only; "On hold" shows once the caller's side has agreed.
    await agent2.getByTestId('desk-hold').click();
    await agent2.getByTestId('desk-call-held').waitFor();
    expect(invites()).toHaveLength(1);
    expect(invites()[0]).toMatch(/^a=sendonly\r?$/m);
    expect(await agent2.getByTestId('desk-hold').textContent()).toBe('Resume');
    await settledSnap('desk-on-hold', agent2);

    // Resume: a re-INVITE back to both ways, and the caller's speech reaches the desk again.
    const beforeResume = await packets(agent2);
    await agent2.getByTestId('desk-hold').click();
    await agent2.getByTestId('desk-call-held').waitFor({ state: 'detached' });
    expect(invites()).toHaveLength(2);
    expect(invites()[1]).not.toMatch(/^a=(sendonly|recvonly|inactive)\r?$/m);
    await until('the caller’s speech after the resume', async () => (await packets(agent2)).in > beforeResume.in + 25, 10_000);

    // The caller's side puts the agent on hold and takes them off: said on the desk, and not mistaken for the
    // agent's own hold.
    await agent2.getByTestId('desk-call-remote-held').waitFor({ timeout: 10_000 });
    expect(await agent2.getByTestId('desk-call-held').count()).toBe(0);
    expect(await agent2.getByTestId('desk-hold').textContent()).toBe('Hold');
    await agent2.getByTestId('desk-call-remote-held').waitFor({ state: 'detached', timeout: 10_000 });

    // The agent's own hold still works after the caller's re-INVITEs (JsSIP's flag is put right first).
    await agent2.getByTestId('desk-hold').click();
    await agent2.getByTestId('desk-call-held').waitFor();
    expect(invites()).toHaveLength(3);
    expect(invites()[2]).toMatch(/^a=sendonly\r?$/m);

    // Blind transfer to a number: REFER with the target, and once it is accepted the agent's leg ends.
    await agent2.getByTestId('desk-transfer-toggle').click();
    await agent2.getByTestId('desk-transfer-target').fill('+8613600136000');
    await agent2.getByTestId('desk-transfer').click();
    await agent2.locator('[data-testid="desk-call-ended"][data-reason="transferred"]').waitFor();
    expect(await agent2.getByTestId('desk-call-ended').innerText()).toBe('The call from 139 0013 9000 was transferred to 136 0013 6000.');
    const sipp = await call.done;
    expect(sipp.code, `${sipp.output}\n${call.messages().slice(-3000)}`).toBe(0);
    const [refer] = receivedRequests(call.messages(), 'REFER');
    expect(refer).toMatch(new RegExp(`^Refer-To: <?sip:\\+8613600136000@${network.domain.replace(/\./g, '\\.')}>?\\r?$`, 'mi'));
    await agentState(agent2, 'wrap-up').waitFor();
    await settledSnap('desk-transferred', agent2);
  });

  it('shows the SIP server down as reconnecting, and re-registers by itself once Kamailio is back', async () => {
    await network.kamailio.stop('SIGKILL');
    await phoneState(agent1, 'reconnecting').waitFor({ timeout: 10_000 });
    await phoneState(agent2, 'reconnecting').waitFor({ timeout: 10_000 });
    expect(await agent1.getByTestId('topbar-phone').getAttribute('data-state')).toBe('reconnecting');
    await settledSnap('desk-kamailio-down', agent1);
    const restartedAt = Date.now();
    await network.kamailio.start();
    await phoneState(agent1, 'registered').waitFor({ timeout: 40_000 });
    await phoneState(agent2, 'registered').waitFor({ timeout: 40_000 });
    await agent1.waitForTimeout(1000);
    // One REGISTER and its authenticated retry per agent: JsSIP registers on reconnect, and the desk does not add one.
    for (const agent of ['agent1', 'agent2']) {
      const sent = registers[agent]!.filter((at) => at >= restartedAt).length;
      expect(sent).toBeGreaterThanOrEqual(1);
      expect(sent).toBeLessThanOrEqual(2);
    }
  });

  it('delivers the message taken at the desk when the called party powers on', async () => {
    const before = await networkApi('GET', `/api/v1/virtual-smsc/messages?to=${encodeURIComponent(B)}`);
    expect(before.json.messages.some((m: { text: string }) => m.text.includes(messageText))).toBe(false);
    expect((await networkApi('POST', '/api/v1/presence', { msisdn: B, state: 'reachable', at: Date.now() })).status).toBe(200);
    const delivered = await until(
      'the message in the virtual SMSC',
      async () => {
        const list = await networkApi('GET', `/api/v1/virtual-smsc/messages?to=${encodeURIComponent(B)}`);
        return list.json.messages.find((m: { text: string }) => m.text.includes(messageText));
      },
      15_000,
    );
    expect(delivered.text).toContain(messageText);
  });

  it('lists the calls with outcome and message, for the agent and for supervisors', async () => {
    await openNav(agent1, 'desk-calls');
    const row = agent1.locator('.desk-log-row').filter({ hasText: messageText.slice(0, 20) });
    await row.waitFor();
    expect(await row.getByTestId('desk-log-outcome').getAttribute('data-outcome')).toBe('answered');
    await settledSnap('desk-call-log', agent1);
    // The phone stays registered on other screens.
    expect(await agent1.getByTestId('topbar-phone').getAttribute('data-state')).toBe('registered');

    const agentRow = admin.locator('[data-testid="desk-agent"][data-username="agent1"]');
    expect(await agentRow.locator('td').nth(4).innerText()).toBe('1');
    await admin.getByTestId('desk-supervisor-tab-calls').click();
    await admin.locator('.desk-log-row').filter({ hasText: 'Your sister called' }).waitFor();
    const outcomes = await admin.getByTestId('desk-log-outcome').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-outcome')));
    expect(outcomes).toEqual(expect.arrayContaining(['answered', 'rejected', 'transferred']));
    const transferred = admin.locator('.desk-log-row').filter({ hasText: 'Transferred to' });
    expect(await transferred.first().innerText()).toContain('+8613600136000');
    await settledSnap('desk-supervisor-calls', admin);
  });

  it('keeps the desk usable with the microphone blocked, and says so', async () => {
    const page = await newPage(browser);
    await page.context().addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await signIn(page, server.consoleUrl, 'admin', adminPassword);
    await openNav(page, 'desk');
    await page.locator('[data-testid="desk-settings-mic"]').waitFor();
    await page.getByTestId('desk-settings-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.locator('[data-testid="desk-mic"][data-state="denied"]').waitFor();
    expect(await page.getByTestId('desk-mic').innerText()).toContain('The microphone is blocked');
    await agentState(page, 'not-ready').waitFor();
    // The rest of the desk works: a Not ready reason from the desk's list.
    await page.getByTestId('desk-not-ready').click();
    await page.locator('[data-testid="desk-reason"][data-reason="Lunch"]').click();
    await page.locator('[data-testid="desk-state"]', { hasText: 'Not ready: Lunch' }).waitFor();
    await settledSnap('desk-mic-blocked', page);
    await page.context().close();
  });

  it('reads well in Chinese', async () => {
    await openNav(agent1, 'desk');
    await agent1.getByTestId('lang-switch').click();
    await agent1.getByTestId('lang-zh-CN').click();
    await agent1.getByText('坐席台').first().waitFor();
    expect(await agent1.getByTestId('desk-phone-state').innerText()).toBe('已注册');
    await settledSnap('desk-zh-CN', agent1);
    await agent1.getByTestId('lang-switch').click();
    await agent1.getByTestId('lang-en').click();
  });
});
