// `npm run sipnet`: the test SIP network for development and demos, on 127.0.0.1 only:
// Kamailio (registrar, proxy, reg events, agent group) and rtpengine, until Ctrl-C.
// Settings come from the environment; see sipnet/README.md.
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, missingSipTools, portBusy, startSipNetwork } from '../sipnet/network.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`npm run sipnet — Kamailio + rtpengine on 127.0.0.1 (see sipnet/README.md)

Environment:
  SIPNET_UDP_PORT          SIP over UDP (default 5060)
  SIPNET_WS_PORT           SIP over WebSocket (default 8088)
  SIPNET_NG_PORT           rtpengine control (default 2223)
  SIPNET_DOMAIN            registrar domain (default reachback.test)
  SIPNET_DISTRIBUTION_URL  the core's agent-distribution endpoint, e.g. http://127.0.0.1:<core-port>/api/v1/agents/route
  SIPNET_DISTRIBUTION_TOKEN  a network token of the core, sent as Authorization: Bearer <token>
  SIPNET_AGENTS            without a core: agents to ring in turn, e.g. agent1,agent2
  SIPNET_USERS             digest auth for REGISTER, e.g. agent1:secret,agent2:secret
  SIPNET_DTMF_LOG_PORT     rtpengine sends RFC 4733 digits as JSON lines here
  SIPNET_LOG=all           print every daemon log line (default: warnings, errors, routing)`);
  process.exit(0);
}

const missing = missingSipTools();
if (missing.includes('kamailio') || missing.includes('rtpengine')) {
  console.error(
    `Not installed: ${missing.join(', ')}.\nInstall them with:\n  sudo apt-get install -y --no-install-recommends $(cat sipnet/apt-packages.txt)`,
  );
  process.exit(1);
}

/** The wanted port, or a free one (with a note) when something already holds it. */
async function portFor(name, wanted, kind) {
  if (!(await portBusy(wanted, kind))) return wanted;
  const port = await freePort(kind);
  console.warn(`${name}: ${kind.toUpperCase()} port ${wanted} is busy, using ${port}`);
  return port;
}

const numberFrom = (value, fallback) => (value ? Number(value) : fallback);
const udpPort = await portFor('SIP', numberFrom(env.SIPNET_UDP_PORT, 5060), 'udp');
const wsPort = await portFor('WebSocket', numberFrom(env.SIPNET_WS_PORT, 8088), 'tcp');
const rtpengineNgPort = await portFor('rtpengine', numberFrom(env.SIPNET_NG_PORT, 2223), 'udp');
const domain = env.SIPNET_DOMAIN || 'reachback.test';
const users = env.SIPNET_USERS
  ? Object.fromEntries(
      env.SIPNET_USERS.split(',').map((pair) => {
        const [user, ...password] = pair.split(':');
        return [user.trim(), password.join(':')];
      }),
    )
  : undefined;

// Without the core, a stand-in endpoint rings SIPNET_AGENTS in turn.
let standIn = null;
let distributionUrl = env.SIPNET_DISTRIBUTION_URL;
if (!distributionUrl && env.SIPNET_AGENTS) {
  const agents = env.SIPNET_AGENTS.split(',').map((a) => a.trim());
  standIn = http.createServer((req, res) => {
    const attempt = Number(new URL(req.url, 'http://x').searchParams.get('attempt') ?? 1);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ agent: agents[attempt - 1] ?? null }));
  });
  await new Promise((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  distributionUrl = `http://127.0.0.1:${standIn.address().port}/distribution`;
}

const showAll = env.SIPNET_LOG === 'all';
const network = await startSipNetwork({
  udpPort,
  wsPort,
  rtpengineNgPort,
  domain,
  ...(distributionUrl ? { distributionUrl } : {}),
  ...(env.SIPNET_DISTRIBUTION_TOKEN ? { distributionToken: env.SIPNET_DISTRIBUTION_TOKEN } : {}),
  ...(users ? { users } : {}),
  ...(env.SIPNET_DTMF_LOG_PORT ? { dtmfLogPort: Number(env.SIPNET_DTMF_LOG_PORT) } : {}),
  keepRundir: true,
  onLog: (daemon, line) => {
    if (showAll || /WARN|ERROR|CRIT|<script>/.test(line)) console.log(`[${daemon}] ${line}`);
  },
}).catch((error) => {
  console.error(String(error.message ?? error));
  standIn?.close();
  process.exit(1);
});

const target = `127.0.0.1:${network.udpPort}`;
const scenarios = path.relative(process.cwd(), path.join(root, 'sipnet', 'scenarios')) || '.';
console.log(`
Reachback test SIP network is up (127.0.0.1 only)
  SIP UDP        sip:${target}      domain ${domain}
  WebSocket      ${network.wsUrl}   (JsSIP: uri sip:agent1@${domain}, ws_servers ${network.wsUrl})
  rtpengine NG   127.0.0.1:${network.rtpengineNgPort}${network.dtmfLogPort ? `   DTMF log -> 127.0.0.1:${network.dtmfLogPort}` : ''}
  agent group    sip:${network.agentGroup}@${domain} -> ${distributionUrl ? `asks ${distributionUrl}` : 'no distribution endpoint (set SIPNET_DISTRIBUTION_URL or SIPNET_AGENTS): 503'}
  registration   ${users ? `digest auth for ${Object.keys(users).join(', ')}` : 'open (no authentication)'}
  logs           ${network.rundir}

Be an agent with sipp (register port 5070, then answer one call with echoed audio):
  sipp -sf ${scenarios}/register.xml -key user agent1 -key contact_port 5070 -key expires 300 -key domain ${domain} -m 1 -nostdin ${target}
  sipp -sf ${scenarios}/agent.xml -p 5070 -mp 6070 -rtp_echo -m 1 ${target}

Call the agent group (2.5 s of PCMA audio, then DTMF 1, hang-up 5 s later):
  sipp -sf ${scenarios}/caller.xml -s ${network.agentGroup} -key caller +4930123456 -key called +4915112345678 -d 5000 -p 5090 -m 1 ${target}

Watch a subscriber's registrations (RFC 3680), then register it:
  sipp -sf ${scenarios}/register.xml -key user 4915112345678 -key contact_port 5999 -key expires 60 -key domain ${domain} -m 1 -nostdin ${target}

Ctrl-C stops everything.
`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the SIP network…`);
  await network.stop();
  standIn?.close();
  console.log(`stopped; logs kept in ${network.rundir}`);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
