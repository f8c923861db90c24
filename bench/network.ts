/**
 * Network-adapter benchmarks (issue: Network adapters):
 * - submit_sm per second through the whole path: the engine's durable SMS
 *   queue, the dispatcher, the SMPP connector and a real SMPP peer;
 * - how closely the connector holds a configured TPS.
 * The SMSC simulator runs in its own process so it does not share the
 * core's event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SipPeer } from '../core/adapters/sip-reginfo/testing/sip-peer';
import { SmscSimulator } from '../core/adapters/smpp/testing/smsc-simulator';
import { missingSipTools, startSipNetwork } from '../sipnet/network.mjs';
import { percentile } from './report';
import { createLogger } from '../core/logger';
import { startApp } from '../core/server/app';
import { tempDir } from '../core/store/testing/temp-dir';

const quiet = createLogger({ level: 'error' });

/** Child process: an SMSC that acknowledges at once and reports its submits' arrival times on request. */
export async function smscChild(): Promise<void> {
  const smsc = await SmscSimulator.start({ systemId: 'bench', password: 'bench' });
  process.send!({ port: smsc.port });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'times') {
      process.send!({ times: smsc.submits.map((s) => s.receivedAt) });
      smsc.submits.length = 0;
    }
    if (message.type === 'stop') void smsc.close().then(() => process.exit(0));
  });
}

interface SmscProcess {
  port: number;
  times(): Promise<number[]>;
  stop(): Promise<void>;
}

async function startSmscProcess(): Promise<SmscProcess> {
  const child: ChildProcess = fork(path.join(__dirname, 'bench.cjs'), ['--child-smsc'], { stdio: 'inherit' });
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  const { port } = await next<{ port: number }>();
  return {
    port,
    async times() {
      const answer = next<{ times: number[] }>();
      child.send({ type: 'times' });
      return (await answer).times;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

async function startCoreWithSmsc(port: number, tps: number) {
  const { dir, cleanup } = tempDir('reachback-bench-smpp-');
  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, version: 'bench', logger: quiet });
  const { settings, store, clock, links } = app.core.services;
  const link = { host: '127.0.0.1', port, systemId: 'bench', password: 'bench', windowSize: 50, tps, requestReceipts: false };
  const smsc = { enabled: true, link } as typeof settings.smsc;
  await store.write((trx) => settings.save(trx, 'smsc', smsc, clock.now()));
  await settings.load();
  await links.smsc.apply(settings.smsc);
  for (let i = 0; i < 200 && links.smsc.status().link?.state !== 'bound'; i++) await new Promise((r) => setTimeout(r, 25));
  return { app, cleanup };
}

/** Queues `count` one-part messages in one transaction, as a burst of notices would. */
async function queueMessages(app: Awaited<ReturnType<typeof startApp>>, count: number): Promise<void> {
  const { store, clock } = app.core.services;
  const now = clock.now();
  await store.write(async (trx) => {
    for (let i = 0; i < count; i++) {
      await trx
        .insertInto('sms')
        .values({
          kind: 'reply',
          sender: '06001',
          recipient: `+86138${String(i).padStart(8, '0')}`,
          text: `Benchmark message ${i}`,
          encoding: 'gsm7',
          parts: 1,
          state: 'queued',
          merge_key: null,
          call_ids: '[]',
          charge_party: `+86138${String(i).padStart(8, '0')}`,
          chargeable: 0,
          hold_until: null,
          attempts: 0,
          next_attempt_at: now,
          expires_at: now + 86_400_000,
          smsc_id: null,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  });
}

async function drained(app: Awaited<ReturnType<typeof startApp>>): Promise<void> {
  const dispatcher = app.core.services.engine.dispatcher;
  for (;;) {
    dispatcher.kick();
    await dispatcher.idle();
    const left = await app.core.services.store.db
      .selectFrom('sms')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', 'in', ['queued', 'submitting'])
      .executeTakeFirstOrThrow();
    if (Number(left.n) === 0) return;
  }
}

async function throughput(smsc: SmscProcess): Promise<{ count: number; seconds: number; perSecond: number }> {
  const { app, cleanup } = await startCoreWithSmsc(smsc.port, 0);
  const count = 20_000;
  await queueMessages(app, count);
  await smsc.times();
  const t0 = performance.now();
  await drained(app);
  const seconds = (performance.now() - t0) / 1000;
  const received = (await smsc.times()).length;
  await app.stop();
  cleanup();
  return { count: received, seconds, perSecond: received / seconds };
}

/** The rate the SMSC saw, between its 10th and last submit (the pacer's start is not part of the steady rate). */
async function throttle(smsc: SmscProcess, tps: number, seconds: number): Promise<{ tps: number; measured: number; error: number }> {
  const { app, cleanup } = await startCoreWithSmsc(smsc.port, tps);
  await queueMessages(app, tps * seconds);
  await smsc.times();
  await drained(app);
  const times = await smsc.times();
  const steady = times.slice(10);
  const measured = (steady.length - 1) / ((steady.at(-1)! - steady[0]!) / 1000);
  await app.stop();
  cleanup();
  return { tps, measured, error: (measured - tps) / tps };
}

/**
 * A phone registers → Kamailio's reg event → the watcher → presence in the
 * engine → the merged SMS queued and sent → submit_sm at the SMSC. The
 * simulator runs in process here so both ends share one clock.
 */
async function registerToSubmit(runs: number): Promise<{ runs: number; p50: number; p99: number; max: number } | null> {
  if (missingSipTools().length) return null;
  const network = await startSipNetwork();
  const phone = await SipPeer.open({ host: '127.0.0.1', port: network.udpPort });
  const smsc = await SmscSimulator.start({ systemId: 'bench', password: 'bench' });
  const { dir, cleanup } = tempDir('reachback-bench-register-');
  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, version: 'bench', logger: quiet });
  const { settings, store, clock, links, engine } = app.core.services;
  const link = { host: '127.0.0.1', port: smsc.port, systemId: 'bench', password: 'bench', windowSize: 10, tps: 0 };
  const registrar = {
    ...{ registrarHost: '127.0.0.1', registrarPort: network.udpPort, domain: network.domain },
    ...{ localHost: '127.0.0.1', localPort: 0, userPart: 'digits' as const, expires: 600, keepaliveIntervalMs: 0 },
  };
  await store.write(async (trx) => {
    await settings.save(trx, 'smsc', { enabled: true, link } as typeof settings.smsc, clock.now());
    await settings.save(trx, 'sip', { enabled: true, registrar, watch: 'with-pending-calls', numbers: [] }, clock.now());
  });
  await settings.load();
  await links.smsc.apply(settings.smsc);
  await links.sip.apply(settings.sip);
  const latencies: number[] = [];
  for (let r = 0; r < runs; r++) {
    const callee = `+86138${String(r).padStart(8, '0')}`;
    await engine.provision(callee, { services: { missedCallAlert: true, reachableAlert: false, voicemail: false }, language: 'en' });
    const { body } = await engine.call({ caller: '+8613900139000', callee, reason: 'power_off', at: clock.now() });
    await engine.ivrInput(body.session, { digits: '2' });
    for (let i = 0; i < 500 && links.sip.status().watcher!.subscriptions.active < r + 1; i++) await new Promise((x) => setTimeout(x, 5));
    const before = smsc.submits.length;
    const t0 = performance.now();
    await phone.register({ user: callee.slice(1), domain: network.domain, expires: 600 });
    const digits = callee.slice(1);
    for (;;) {
      const submit = smsc.submits.slice(before).find((m) => m.destinationAddr === digits && m.sourceAddr === '8613900139000');
      if (submit) {
        latencies.push(submit.receivedAt - t0);
        break;
      }
      await new Promise((x) => setImmediate(x));
    }
  }
  await app.stop();
  cleanup();
  await smsc.close();
  await phone.close();
  await network.stop();
  latencies.sort((a, b) => a - b);
  return { runs, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)! };
}

export async function networkBenchmarks(): Promise<string> {
  const smsc = await startSmscProcess();
  const load = await throughput(smsc);
  console.log(`smpp: ${load.perSecond.toFixed(0)} submit_sm/s`);
  const throttles = [];
  for (const tps of [100, 500, 1000]) {
    const result = await throttle(smsc, tps, 5);
    console.log(`throttle ${tps}: ${result.measured.toFixed(1)}/s`);
    throttles.push(result);
  }
  await smsc.stop();
  const register = await registerToSubmit(200);
  if (register) console.log(`REGISTER → submit_sm: p50 ${register.p50.toFixed(1)} ms p99 ${register.p99.toFixed(1)} ms`);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
  return `
## Network adapters

### SMPP submit_sm throughput

${load.count.toLocaleString('en')} one-part messages queued in the engine's durable SMS queue, then sent by the SMS dispatcher through the SMPP connector (transceiver, window 50, no TPS limit, no receipts requested) to an SMPP peer built on the \`smpp\` package's server role in a separate process on 127.0.0.1 that acknowledges every submit_sm at once. Each message is marked \`submitting\` before it goes out and \`submitted\` with the SMSC's message id after the submit_sm_resp, both durable (group commit). Time from the first submit to the queue being empty. Target: at least 2,000 submit_sm/s.

| messages | seconds | submit_sm/s |
|---:|---:|---:|
| ${load.count.toLocaleString('en')} | ${load.seconds.toFixed(2)} | ${load.perSecond.toFixed(0)} |

### Throttle accuracy

The same path with the link's TPS set; ${5} s of messages queued at once. The rate is the one the SMSC observed between its 10th and its last submit_sm. Target: within ±5 %.

| configured TPS | measured submit_sm/s | deviation |
|---:|---:|---:|
${throttles.map((t) => `| ${t.tps} | ${t.measured.toFixed(1)} | ${pct(t.error)} |`).join('\n')}

### REGISTER to submit_sm

${
  register
    ? `For each of ${register.runs} subscribers with one waiting call (the caller pressed 2): a phone sends REGISTER to Kamailio (sipnet/, UDP on 127.0.0.1); Kamailio's reg event NOTIFY reaches the core's RFC 3680 watcher, which reports presence to the engine; the engine queues the merged SMS durably and the dispatcher submits it over SMPP. The figure is the time from sending the REGISTER to the SMSC simulator (in the core's process, for one clock) receiving the submit_sm. Target: p99 under 50 ms.

| runs | p50 ms | p99 ms | max ms |
|---:|---:|---:|---:|
| ${register.runs} | ${register.p50.toFixed(1)} | ${register.p99.toFixed(1)} | ${register.max.toFixed(1)} |`
    : 'Not measured: Kamailio is not installed (sipnet/apt-packages.txt).'
}
`;
}
