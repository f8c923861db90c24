/**
 * Agent-desk benchmarks (issue: Agent desk): INVITE → ringing on the desk, answer → first audio, save → stored.
 * The built server (dist/server.cjs), the test SIP network (sipnet/: Kamailio + rtpengine), one agent in Debian's
 * Chromium (playwright-core, fake media) and sipp as the caller, as in e2e/desk.e2e.ts. Self-contained: e2e/support
 * finds the repository from its own location, and playwright-core is loaded at run time instead of bundled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as Playwright from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { callerScenario } from '../sipnet/caller-scenario.mjs';
import { freePort, missingSipTools, startSipNetwork, type SipNetwork } from '../sipnet/network.mjs';
import { percentile } from './report';

const root = path.resolve(__dirname, '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const caller = '+8613900139000';
const sipPassword = 'Sip-Secret-1';

interface Stats {
  runs: number;
  p50: number;
  p99: number;
  max: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return { runs: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; consoleUrl: string; password: string }> {
  const child = spawn(process.execPath, [path.join(root, 'dist', 'server.cjs'), '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REACHBACK_LOG_LEVEL: 'warn' },
  });
  let out = '';
  child.stderr!.on('data', (d) => (out += String(d)));
  const consoleUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const match = /Console:\s+(\S+)/.exec(out);
      if (match && /Data dir:/.test(out)) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { child, consoleUrl, password: /One-time password:\s+(\S+)/.exec(out)?.[1] ?? '' };
}

async function signIn(page: Page, consoleUrl: string, username: string, oneTime: string, password: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(oneTime);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('screen-change-password').waitFor();
  await page.getByTestId('password-current').fill(oneTime);
  await page.getByTestId('password-new').fill(password);
  await page.getByTestId('password-confirm').fill(password);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('nav-dashboard').waitFor();
}

/** A command to the core over the page's own WebSocket and session (as e2e/support/console.ts sendFromPage). */
async function send<T>(page: Page, name: string, args: unknown = {}): Promise<T> {
  const reply = (await page.evaluate(`(async () => {
    const key = sessionStorage.getItem('reachback.launchKey') ?? '';
    const token = sessionStorage.getItem('reachback.sessionToken') ?? '';
    const socket = new WebSocket(\`ws://\${location.host}/ws?key=\${encodeURIComponent(key)}\`);
    await new Promise((resolve, reject) => {
      socket.onopen = resolve;
      socket.onerror = reject;
    });
    const call = (id, command, commandArgs) =>
      new Promise((resolve) => {
        socket.addEventListener('message', function onMessage(event) {
          const message = JSON.parse(String(event.data));
          if (message.id !== id) return;
          socket.removeEventListener('message', onMessage);
          resolve(message);
        });
        socket.send(JSON.stringify({ type: 'command', id, name: command, args: commandArgs }));
      });
    await call(1, 'session/resume', { token });
    const reply = await call(2, ${JSON.stringify(name)}, ${JSON.stringify(args)});
    socket.close();
    return reply;
  })()`)) as { ok: boolean; result?: unknown; error?: { code: string } };
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error?.code}`);
  return reply.result as T;
}

/** The wall-clock time sipp logged for sending the INVITE (its -trace_msg file), in ms since the epoch. */
function inviteSentAt(trace: string): number | null {
  const match = /-{10,} (\d{4}-\d\d-\d\d)\s+(\d\d:\d\d:\d\d)\.(\d+)\s*\n\s*UDP message sent[^\n]*\n\s*\nINVITE /.exec(trace);
  if (!match) return null;
  const [, day, time, fraction] = match;
  return new Date(`${day}T${time}`).getTime() + Number(`0.${fraction}`) * 1000;
}

async function measure(runs: number): Promise<{ ring: Stats; ringFromSpawn: Stats; audio: Stats; save: Stats }> {
  const playwright = createRequire(__filename)('playwright-core') as typeof Playwright;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'reachback-bench-desk-'));
  const server = await startServer(workDir);
  const baseUrl = new URL(server.consoleUrl).origin;
  let browser: Browser | undefined;
  let network: SipNetwork | undefined;
  try {
    browser = await playwright.chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        ...['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
        ...['--disable-component-update', '--disable-sync', '--use-fake-ui-for-media-stream'],
        ...['--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection'],
      ],
    });
    const newPage = async () => (await browser!.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' })).newPage();
    const admin = await newPage();
    await signIn(admin, server.consoleUrl, 'admin', server.password, 'Floor-Lead-2026');
    const networkToken = (await send<{ token: string }>(admin, 'network-tokens/create', { name: 'Kamailio agent group' })).token;
    const api = async (method: string, urlPath: string, body: unknown) => {
      const response = await fetch(`${baseUrl}${urlPath}`, {
        method,
        headers: { Authorization: `Bearer ${networkToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${method} ${urlPath}: ${response.status} ${await response.text()}`);
    };
    network = await startSipNetwork({
      distributionUrl: `${baseUrl}/api/v1/agents/route`,
      distributionToken: networkToken,
      users: { agent1: sipPassword },
      agentRingTimeoutMs: 15_000,
    });
    const roles = await send<{ id: number; builtin: string | null }[]>(admin, 'roles/list');
    const agentRole = roles.find((r) => r.builtin === 'agent')!.id;
    const created = await send<{ oneTimePassword: string }>(admin, 'operators/create', {
      ...{ username: 'agent1', displayName: 'Li Na', roleId: agentRole },
    });
    // One called party per run, switched off, so that every message is a new one.
    const called = Array.from({ length: runs }, (_, i) => `+86138${String(i).padStart(8, '0')}`);
    for (const msisdn of called) {
      await api('PUT', `/api/v1/subscribers/${encodeURIComponent(msisdn)}`, {
        ...{ services: { missedCallAlert: true, reachableAlert: false, voicemail: false }, language: 'en', privacy: { mode: 'all' } },
      });
      await api('POST', '/api/v1/presence', { msisdn, state: 'unreachable', at: Date.now() });
    }

    const agent = await newPage();
    // Keeps the page's RTCPeerConnections, so the bench can ask them for their stats.
    await agent.context().addInitScript(`{
      const Native = window.RTCPeerConnection;
      const kept = (window.benchConnections = []);
      window.RTCPeerConnection = class extends Native {
        constructor(...args) {
          super(...args);
          kept.push(this);
        }
      };
    }`);
    await signIn(agent, server.consoleUrl, 'agent1', created.oneTimePassword, 'Seat-Pass-2026');
    await agent.getByTestId('nav-desk').click();
    await agent.getByTestId('screen-desk').waitFor();
    const dialog = agent.getByTestId('desk-settings-dialog');
    await dialog.waitFor();
    await agent.getByTestId('desk-settings-wsUri').fill(network.wsUrl);
    await agent.getByTestId('desk-settings-sipUri').fill(`sip:agent1@${network.domain}`);
    await agent.getByTestId('desk-settings-password').fill(sipPassword);
    await agent.getByTestId('desk-settings-save').click();
    await dialog.waitFor({ state: 'detached' });
    await agent.locator('[data-testid="desk-phone-state"][data-state="registered"]').waitFor({ timeout: 20_000 });

    const scenario = callerScenario(workDir);
    const ring: number[] = [];
    const ringFromSpawn: number[] = [];
    const audio: number[] = [];
    const save: number[] = [];
    for (let r = 0; r < runs; r++) {
      await agent.getByTestId('desk-ready').click();
      await agent.locator('[data-testid="desk-state"][data-state="ready"]').waitFor();
      // A page-side watcher: the wall-clock time the ringing call appears in the DOM.
      await agent.evaluate(`(() => {
        window.benchRingingAt = undefined;
        const selector = '[data-testid="desk-call"][data-state="ringing"]';
        const observer = new MutationObserver(() => {
          if (document.querySelector(selector)) {
            window.benchRingingAt = performance.timeOrigin + performance.now();
            observer.disconnect();
          }
        });
        observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
      })()`);
      const trace = path.join(workDir, `messages-${r}.log`);
      const args = [
        '-sf', scenario, '-s', network.agentGroup, '-key', 'caller', caller, '-key', 'called', called[r]!,
        '-p', String(await freePort('udp')), '-mp', String(await freePort('udp')),
        '-m', '1', '-aa', '-nostdin', '-timeout', '60s', '-trace_msg', '-message_file', trace,
        `127.0.0.1:${network.udpPort}`,
      ]; // prettier-ignore
      const spawnedAt = Date.now();
      const sipp = spawn('sipp', args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
      let sippOutput = '';
      sipp.stdout.on('data', (d) => (sippOutput += String(d)));
      sipp.stderr.on('data', (d) => (sippOutput += String(d)));
      const sippDone = new Promise<number | null>((resolve) => sipp.once('exit', resolve));
      await agent.locator('[data-testid="desk-call"][data-state="ringing"]').waitFor({ timeout: 15_000 });
      const ringingAt = Number(await agent.evaluate('window.benchRingingAt ?? 0'));
      const invitedAt = inviteSentAt(readFileSync(trace, 'utf8'));
      if (invitedAt === null) throw new Error(`no INVITE in sipp's trace:\n${readFileSync(trace, 'utf8').slice(0, 2000)}`);
      ring.push(ringingAt - invitedAt);
      ringFromSpawn.push(ringingAt - spawnedAt);

      const answeredAt = Date.now();
      // Answer → the first RTP packet counted by the page's RTCPeerConnection (getStats every 5 ms).
      audio.push(
        Number(
          await agent.evaluate(`(async () => {
            const connections = window.benchConnections;
            const known = new Set(connections.filter((c) => c.connectionState === 'closed'));
            const t0 = performance.now();
            document.querySelector('[data-testid="desk-answer"]').click();
            for (;;) {
              for (const connection of connections) {
                if (known.has(connection) || connection.connectionState === 'closed') continue;
                const report = await connection.getStats();
                for (const entry of report.values()) {
                  if (entry.type === 'inbound-rtp' && entry.kind === 'audio' && entry.packetsReceived > 0) return performance.now() - t0;
                }
              }
              if (performance.now() - t0 > 15000) throw new Error('no audio within 15 s of answering');
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          })()`),
        ),
      );

      // Save → the desk showing the core's answer (the message stored).
      await agent.getByTestId('desk-message-text').fill(`Benchmark message ${r}: please call back.`);
      save.push(
        Number(
          await agent.evaluate(`(async () => {
            const t0 = performance.now();
            document.querySelector('[data-testid="desk-message-save"]').click();
            for (;;) {
              if (document.querySelector('[data-testid="desk-message-saved"]')) return performance.now() - t0;
              if (performance.now() - t0 > 15000) throw new Error('not saved within 15 s');
              await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
            }
          })()`),
        ),
      );
      // The scenario sends its digit 2.5 s into the call and takes the BYE only after it.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, answeredAt + 3000 - Date.now())));
      await agent.getByTestId('desk-hangup').click();
      const code = await sippDone;
      if (code !== 0) throw new Error(`sipp exited with ${code}:\n${sippOutput}`);
      await agent.locator('[data-testid="desk-state"][data-state="wrap-up"]').waitFor();
      console.log(
        `desk run ${r + 1}: ringing ${ring.at(-1)!.toFixed(1)} ms, audio ${audio.at(-1)!.toFixed(1)} ms, saved ${save.at(-1)!.toFixed(1)} ms`,
      );
    }
    return { ring: stats(ring), ringFromSpawn: stats(ringFromSpawn), audio: stats(audio), save: stats(save) };
  } finally {
    await browser?.close();
    await network?.stop();
    if (server.child.exitCode === null) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    rmSync(workDir, { recursive: true, force: true });
  }
}

export async function deskBenchmarks(): Promise<string> {
  const missing = [...missingSipTools(), ...(existsSync(chromiumPath) ? [] : ['chromium'])];
  if (missing.length) return `\n## Agent desk\n\nNot measured: ${missing.join(', ')} not installed (sipnet/apt-packages.txt).\n`;
  const runs = 20;
  const { ring, ringFromSpawn, audio, save } = await measure(runs);
  const row = (name: string, s: Stats) => `| ${name} | ${s.runs} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} |`;
  console.log(`INVITE → ringing: p50 ${ring.p50.toFixed(1)} ms p99 ${ring.p99.toFixed(1)} ms`);
  console.log(`answer → first audio: p50 ${audio.p50.toFixed(1)} ms p99 ${audio.p99.toFixed(1)} ms`);
  console.log(`save → stored: p50 ${save.p50.toFixed(1)} ms p99 ${save.p99.toFixed(1)} ms`);
  return `
## Agent desk

The built server (dist/server.cjs), the test SIP network (sipnet/: Kamailio over UDP and WebSocket, rtpengine bridging WebRTC and plain RTP) and one agent signed in to the console in headless Chromium (playwright-core, fake microphone), registered with JsSIP and Ready; all on 127.0.0.1. ${runs} calls in a row, each from sipp (sipnet/scenarios/caller.xml: PCMA audio from g711a.pcap right after the ACK, staying on the line until the agent hangs up) to the agent group with a different switched-off called party in X-Reachback-Called. For each call the agent answers, saves a message and hangs up, then goes Ready again. With ${runs} runs the p99 is the slowest run.

- **INVITE → ringing**: from the INVITE sipp sent (the wall-clock time in sipp's \`-trace_msg\` log) to the desk's ringing call appearing in the page's DOM (a MutationObserver on \`desk-call[data-state=ringing]\`, stamped with \`performance.timeOrigin + performance.now()\`). The path: Kamailio asks the core's agent-distribution endpoint which agent rings, then sends the INVITE over the WebSocket to JsSIP. Measured from starting the sipp process instead (its start-up included): p50 ${ringFromSpawn.p50.toFixed(1)} ms, p99 ${ringFromSpawn.p99.toFixed(1)} ms.
- **answer → first audio**: in the page, from clicking Answer to the call's RTCPeerConnection reporting an audio \`inbound-rtp\` with \`packetsReceived > 0\` (getStats polled every 5 ms): the 200 OK, ICE and DTLS with rtpengine, and sipp's first RTP packet relayed.
- **save → stored**: in the page, from clicking Save on the message form to the desk showing the core's answer (\`desk-message-saved\`, checked every animation frame): the command over the console's WebSocket, the message stored durably by the core, and the answer rendered.

| figure | runs | p50 ms | p99 ms | max ms |
|---|---:|---:|---:|---:|
${row('INVITE → ringing', ring)}
${row('answer → first audio', audio)}
${row('save → stored', save)}
`;
}
