// The test SIP network: Kamailio (registrar, proxy, reg events, agent distribution) and
// rtpengine (WebRTC <-> plain RTP), both on 127.0.0.1, started as child process groups.
// Plain ESM so that `npm run sipnet` and the TypeScript tests share it; types in network.d.mts.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Bundled into dist/bench.cjs import.meta is empty; the benchmark runs from the repo root.
const here = import.meta.dirname ?? path.resolve('sipnet');
export const kamailioConfigPath = path.join(here, 'kamailio.cfg');
const dbtextTemplates = '/usr/share/kamailio/dbtext/kamailio';
// Tables that presence, pua and auth_db open through db_text.
const dbtextTables = ['version', 'presentity', 'active_watchers', 'watchers', 'xcap', 'pua', 'subscriber'];

export const requiredBinaries = { kamailio: '/usr/sbin/kamailio', rtpengine: '/usr/bin/rtpengine', sipp: '/usr/bin/sipp' };

/** Names of the programs the network needs that are not installed (see sipnet/apt-packages.txt). */
export function missingSipTools() {
  return Object.entries(requiredBinaries)
    .filter(([name, bin]) => spawnSync('test', ['-x', bin]).status !== 0 && spawnSync('which', [name]).status !== 0)
    .map(([name]) => name);
}

/** A port that was free a moment ago on 127.0.0.1 (UDP or TCP). */
export async function freePort(kind = 'udp') {
  if (kind === 'tcp') {
    return new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
  }
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Whether something already listens on 127.0.0.1:port (TCP) or holds it (UDP). */
export async function portBusy(port, kind = 'udp') {
  if (kind === 'tcp') {
    return new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(true));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
    });
  }
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => resolve(true));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(false)));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one UDP datagram and resolves with the first answer, or null after timeoutMs. */
function udpExchange(port, payload, timeoutMs) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (value) => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('message', (msg) => done(msg.toString('latin1')));
    socket.on('error', () => done(null));
    socket.bind(0, '127.0.0.1', () => socket.send(payload, port, '127.0.0.1'));
  });
}

/** SIP OPTIONS to the proxy itself; true when it answers 200. */
export async function pingSip(port, timeoutMs = 500) {
  const branch = 'z9hG4bK' + randomBytes(8).toString('hex');
  const tag = randomBytes(4).toString('hex');
  const callId = randomBytes(8).toString('hex') + '@sipnet-probe';
  // The source port is filled in by rport; the Via host only has to be syntactically valid.
  const msg =
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:9;branch=${branch};rport\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=${tag}\r\nTo: <sip:127.0.0.1:${port}>\r\n` +
    `Call-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
  const answer = await udpExchange(port, Buffer.from(msg), timeoutMs);
  return answer !== null && /^SIP\/2\.0 200 /.test(answer);
}

/** rtpengine NG "ping" (bencode); true when it answers "pong". */
export async function pingRtpengine(port, timeoutMs = 500) {
  const cookie = randomBytes(6).toString('hex');
  const answer = await udpExchange(port, Buffer.from(`${cookie} d7:command4:pinge`), timeoutMs);
  return answer !== null && answer.startsWith(cookie) && answer.includes('4:pong');
}

function tcpOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Process groups still running, killed synchronously if Node exits without stop().
const liveGroups = new Set();
let exitHookInstalled = false;
function trackGroup(pid) {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of liveGroups) killGroup(group, 'SIGKILL');
    });
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * One daemon in its own process group, its output in a log file and the last lines in memory.
 */
class Daemon {
  constructor(name, bin, args, logFile, onLog) {
    this.name = name;
    this.bin = bin;
    this.args = args;
    this.logFile = logFile;
    this.onLog = onLog;
    this.child = null;
    this.tail = [];
    this.exitCode = undefined;
  }

  start() {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.exitCode = undefined;
    this.tail = [];
    const child = spawn(this.bin, this.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    trackGroup(child.pid);
    const collect = (chunk) => {
      log.write(chunk);
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        this.tail.push(line);
        if (this.tail.length > 200) this.tail.shift();
        this.onLog?.(this.name, line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        liveGroups.delete(child.pid);
        // Workers left behind by a killed main process go with it.
        killGroup(child.pid, 'SIGKILL');
        this.exitCode = code ?? signal;
        log.end();
        resolve();
      });
    });
    child.once('error', (error) => {
      this.tail.push(String(error));
    });
  }

  get running() {
    return this.child !== null && this.exitCode === undefined;
  }

  get pid() {
    return this.child?.pid;
  }

  async stop(signal = 'SIGTERM', graceMs = 5000) {
    if (!this.running) return;
    killGroup(this.child.pid, signal);
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)]);
    if (timedOut) {
      killGroup(this.child.pid, 'SIGKILL');
      await this.exited;
    }
  }

  lastLines(n = 30) {
    return this.tail.slice(-n).join('\n');
  }
}

async function waitFor(what, daemon, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!daemon.running) {
      throw new Error(`${daemon.name} exited (${daemon.exitCode}) before ${what}:\n${daemon.lastLines()}`);
    }
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`${daemon.name}: ${what} not within ${timeoutMs} ms:\n${daemon.lastLines()}`);
}

const RUNDIR_PREFIX = 'reachback-sipnet-';
const OWNER_FILE = 'owner.json';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The pid still belongs to a Kamailio or rtpengine (and not to a process that reused the number). */
function isOurDaemon(pid) {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(requiredBinaries.kamailio) || cmdline.includes(requiredBinaries.rtpengine);
  } catch {
    return false;
  }
}

/** Records who owns the daemons, so that a later start can clean up after a killed Node process. */
function writeOwner(rundir, groups) {
  writeFileSync(path.join(rundir, OWNER_FILE), JSON.stringify({ owner: process.pid, groups: groups.filter(Boolean) }));
}

/**
 * Daemons whose Node process died without stop() (SIGKILL, a crashed test worker) keep running
 * in their own process groups; kill them and remove their temp run directories.
 */
export function sweepOrphans() {
  let entries;
  try {
    entries = readdirSync(os.tmpdir()).filter((name) => name.startsWith(RUNDIR_PREFIX));
  } catch {
    return 0;
  }
  let swept = 0;
  for (const name of entries) {
    const dir = path.join(os.tmpdir(), name);
    let owner;
    try {
      owner = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (!Number.isInteger(owner.owner) || alive(owner.owner)) continue;
    for (const group of owner.groups ?? []) if (Number.isInteger(group) && group > 1 && isOurDaemon(group)) killGroup(group, 'SIGKILL');
    rmSync(path.join(dir, OWNER_FILE), { force: true });
    swept++;
  }
  return swept;
}

const dbtextEscape = (value) => String(value).replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/\n/g, '\\n');

function prepareDb(dbDir, users, domain) {
  rmSync(dbDir, { recursive: true, force: true });
  mkdirSync(dbDir, { recursive: true });
  for (const table of dbtextTables) copyFileSync(path.join(dbtextTemplates, table), path.join(dbDir, table));
  if (users) {
    // db_text refuses empty ha1 columns, so they are filled in even though auth_db hashes the password itself.
    const md5 = (text) => createHash('md5').update(text).digest('hex');
    const rows = Object.entries(users).map(([user, password], i) =>
      [i + 1, user, domain, password, md5(`${user}:${domain}:${password}`), md5(`${user}@${domain}:${domain}:${password}`)]
        .map(dbtextEscape)
        .join(':'),
    );
    const header = 'id(int,auto) username(string) domain(string) password(string) ha1(string) ha1b(string) \n';
    writeFileSync(path.join(dbDir, 'subscriber'), header + rows.map((r) => r + '\n').join(''));
  }
}

/**
 * Starts rtpengine and Kamailio on 127.0.0.1 and waits until both answer.
 * @param {import('./network.d.mts').SipNetworkOptions} [options]
 * @returns {Promise<import('./network.d.mts').SipNetwork>}
 */
export async function startSipNetwork(options = {}) {
  const missing = missingSipTools().filter((name) => name !== 'sipp');
  if (missing.length) {
    throw new Error(`not installed: ${missing.join(', ')}; install the packages in sipnet/apt-packages.txt`);
  }
  const domain = options.domain ?? 'reachback.test';
  const agentGroup = options.agentGroup ?? 'agents';
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  sweepOrphans();
  const rundir = options.rundir ?? mkdtempSync(path.join(os.tmpdir(), RUNDIR_PREFIX));
  mkdirSync(rundir, { recursive: true });
  const dbDir = path.join(rundir, 'db');

  const udpPort = options.udpPort || (await freePort('udp'));
  const wsPort = options.wsPort || (await freePort('tcp'));
  const rtpengineNgPort = options.rtpengineNgPort || (await freePort('udp'));
  const dtmfLogPort = options.dtmfLogPort === true ? await freePort('udp') : options.dtmfLogPort || undefined;
  const [rtpMin, rtpMax] = options.rtpPortRange ?? [30000, 39999];

  const rtpengineArgs = [
    '--config-file=none',
    '--foreground',
    '--log-stderr',
    '--table=-1',
    '--interface=127.0.0.1',
    `--listen-ng=127.0.0.1:${rtpengineNgPort}`,
    `--port-min=${rtpMin}`,
    `--port-max=${rtpMax}`,
    '--delete-delay=0',
    `--log-level=${options.verbose ? 7 : 5}`,
    `--pidfile=${path.join(rundir, 'rtpengine.pid')}`,
    ...(dtmfLogPort ? [`--dtmf-log-dest=127.0.0.1:${dtmfLogPort}`] : []),
  ];
  const defines = {
    DBURL: `text://${dbDir}`,
    SIP_DOMAIN: domain,
    SERVER_ADDRESS: `sip:127.0.0.1:${udpPort}`,
    REGINFO_ADDRESS: `sip:reginfo@127.0.0.1:${udpPort}`,
    CTL_SOCKET: `unix:${path.join(rundir, 'kamailio_ctl')}`,
    RTPENGINE_SOCKET: `udp:127.0.0.1:${rtpengineNgPort}`,
    AGENT_GROUP: agentGroup,
    ...(options.distributionUrl ? { DIST_URL: options.distributionUrl } : {}),
    ...(options.distributionToken ? { DIST_TOKEN: options.distributionToken } : {}),
  };
  const numbers = {
    ...(options.distributionTimeoutSeconds ? { DIST_TIMEOUT: options.distributionTimeoutSeconds } : {}),
    ...(options.agentRingTimeoutMs ? { AGENT_RING_TIMEOUT: options.agentRingTimeoutMs } : {}),
  };
  for (const [name, value] of Object.entries(defines)) {
    if (/["\s]/.test(value)) throw new Error(`sipnet: ${name} must not contain quotes or spaces: ${value}`);
  }
  const kamailioArgs = [
    '-f',
    options.configPath ?? kamailioConfigPath,
    '-DD',
    '-E',
    '-Y',
    rundir,
    '-P',
    path.join(rundir, 'kamailio.pid'),
    '-m',
    '64',
    '-M',
    '8',
    '-l',
    `udp:127.0.0.1:${udpPort}`,
    '-l',
    `tcp:127.0.0.1:${wsPort}`,
    `--alias=${domain}`,
    ...Object.entries(defines).flatMap(([name, value]) => ['-A', `${name}="${value}"`]),
    ...Object.entries(numbers).flatMap(([name, value]) => ['-A', `${name}=${Number(value)}`]),
    ...(options.users ? ['-A', 'WITH_AUTH'] : []),
    ...(options.verbose ? ['--debug=3'] : []),
  ];

  const onLog = options.onLog;
  const rtpengine = new Daemon('rtpengine', requiredBinaries.rtpengine, rtpengineArgs, path.join(rundir, 'rtpengine.log'), onLog);
  const kamailio = new Daemon('kamailio', requiredBinaries.kamailio, kamailioArgs, path.join(rundir, 'kamailio.log'), onLog);

  const startKamailio = async () => {
    if (kamailio.running) return;
    // Every start is a fresh registrar: no contacts, no presentities, no subscriptions.
    prepareDb(dbDir, options.users, domain);
    kamailio.start();
    writeOwner(rundir, [rtpengine.pid, kamailio.pid]);
    await waitFor('answering SIP OPTIONS', kamailio, () => pingSip(udpPort), startTimeoutMs);
    await waitFor('accepting WebSocket connections', kamailio, () => tcpOpen(wsPort), startTimeoutMs);
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all([kamailio.stop(), rtpengine.stop()]);
    rmSync(path.join(rundir, OWNER_FILE), { force: true });
    if (!options.rundir && !options.keepRundir) rmSync(rundir, { recursive: true, force: true });
  };

  try {
    rtpengine.start();
    writeOwner(rundir, [rtpengine.pid]);
    await waitFor('answering NG ping', rtpengine, () => pingRtpengine(rtpengineNgPort), startTimeoutMs);
    await startKamailio();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    domain,
    agentGroup,
    udpPort,
    wsPort,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    rtpengineNgPort,
    dtmfLogPort,
    rundir,
    kamailio: {
      get pid() {
        return kamailio.pid;
      },
      get running() {
        return kamailio.running;
      },
      start: startKamailio,
      stop: (signal) => kamailio.stop(signal ?? 'SIGTERM'),
      async restart(signal) {
        await kamailio.stop(signal ?? 'SIGTERM');
        await startKamailio();
      },
      log: (lines) => kamailio.lastLines(lines),
    },
    rtpengine: {
      get pid() {
        return rtpengine.pid;
      },
      log: (lines) => rtpengine.lastLines(lines),
    },
    stop,
  };
}
