/**
 * Reminder-engine benchmarks (issue: Reminder engine):
 * - ingest of unreachable-call events through the HTTP API, 50 concurrent clients, durable before the reply;
 * - latency from a presence event to the merged SMS being queued, with 100 pending calls from 20 callers.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { ManualClock } from '../core/clock';
import { createLogger } from '../core/logger';
import { startApp } from '../core/server/app';
import { tempDir } from '../core/store/testing/temp-dir';
import { percentile } from './report';

const token = 'bench-network-token-0123456789';
const quiet = createLogger({ level: 'error' });

/**
 * The load generator runs in its own process, so it does not compete with the server's event loop.
 * `ratePerSecond` 0: each client sends its next event as soon as the last is answered (the most the core takes).
 * Otherwise every client keeps to a fixed schedule (rate / clients each) and latency counts from when the
 * event was due, not when it was sent, so a stall delays the events behind it too (no coordinated omission).
 */
export async function ingestLoadChild(
  url: string,
  clients: number,
  seconds: number,
  subscribers: number,
  ratePerSecond = 0,
  warmupSeconds = 0,
): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const started = performance.now();
  // The same load runs first for the warm-up (JIT, connections, SQLite's page cache); only events due after it count.
  const measureFrom = started + warmupSeconds * 1000;
  const deadline = measureFrom + seconds * 1000;
  const interval = ratePerSecond ? (1000 * clients) / ratePerSecond : 0;
  const send = (c: number, i: number) => {
    const body = JSON.stringify({
      id: `bench-${c}-${i}`,
      caller: `+86139${String(i % 100000).padStart(8, '0')}`,
      callee: `+86138${String(i % subscribers).padStart(8, '0')}`,
      reason: 'power_off',
      at: 1_790_000_000_000 + i,
    });
    return new Promise<number>((resolve) => {
      const req = http.request(
        `${url}/api/v1/calls`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  };
  const client = async (c: number) => {
    // Clients start spread over one interval, so a fixed rate is not sent in bursts.
    let due = started + (interval * c) / clients;
    for (;;) {
      if (interval) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const t0 = interval ? due : performance.now();
      if (t0 >= deadline) return;
      const status = await send(c, n++);
      if (t0 >= measureFrom) {
        latencies.push(performance.now() - t0);
        if (status !== 201) errors++;
      }
      due += interval;
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const elapsed = (performance.now() - measureFrom) / 1000;
  latencies.sort((a, b) => a - b);
  process.send!({
    count: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  });
  agent.destroy();
}

async function seedSubscribers(app: Awaited<ReturnType<typeof startApp>>, count: number): Promise<void> {
  const engine = app.core.services.engine;
  for (let i = 0; i < count; i++) {
    await engine.provision(`+86138${String(i).padStart(8, '0')}`, {
      services: { missedCallAlert: true, reachableAlert: false, voicemail: false },
      language: 'en',
    });
  }
  await engine.dispatcher.idle();
}

type LoadResult = { count: number; errors: number; perSecond: number; p50: number; p99: number };

const ingestSetup = { subscribers: 1000, rate: 5000, clients: 50, warmupSeconds: 3, seconds: 10 };

async function ingest(): Promise<{ closedLoop: LoadResult; fixedRate: LoadResult }> {
  const { subscribers, clients, seconds, warmupSeconds, rate } = ingestSetup;
  const run = async (ratePerSecond: number): Promise<LoadResult> => {
    const { dir, cleanup } = tempDir('reachback-bench-ingest-');
    const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, version: 'bench', logger: quiet, networkToken: token });
    await seedSubscribers(app, subscribers);
    const args = ['--child-ingest', app.http.url, clients, seconds, subscribers, ratePerSecond, warmupSeconds].map(String);
    const child = fork(path.join(__dirname, 'bench.cjs'), args, { stdio: 'inherit' });
    const result = await new Promise<LoadResult>((resolve) => child.once('message', (m) => resolve(m as LoadResult)));
    await app.stop();
    cleanup();
    return result;
  };
  return { closedLoop: await run(0), fixedRate: await run(rate) };
}

async function presenceLatency(): Promise<{ runs: number; p50: number; p99: number; sms: number }> {
  const { dir, cleanup } = tempDir('reachback-bench-presence-');
  const clock = new ManualClock(Date.UTC(2026, 10, 25, 4, 0));
  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, version: 'bench', logger: quiet, clock });
  const engine = app.core.services.engine;
  // The dispatcher is stopped: the figure is the time until the merged SMS are durably queued.
  await engine.stop();
  // 1,000 runs: with 200 the p99 was the second-slowest run, and one snapshot in the background decided it.
  const runs = 1000;
  const latencies: number[] = [];
  let sms = 0;
  for (let r = 0; r < runs; r++) {
    const callee = `+86138${String(r).padStart(8, '0')}`;
    await engine.provision(callee, { services: { missedCallAlert: true, reachableAlert: false, voicemail: false }, language: 'en' });
    for (let c = 0; c < 100; c++) {
      const caller = `+86139${String(c % 20).padStart(8, '0')}`;
      const { body } = await engine.call({ caller, callee, reason: 'power_off', at: clock.now() });
      // Half leave their number, half give up: both the merged SMS and the summary are built.
      await engine.ivrInput(body.session, c % 2 ? { digits: '2' } : { event: 'timeout' });
      clock.advance(1000);
    }
    const t0 = performance.now();
    const answer = await engine.presence({ msisdn: callee, state: 'reachable', at: clock.now() });
    latencies.push(performance.now() - t0);
    sms += answer.body.notices;
  }
  await app.stop();
  cleanup();
  latencies.sort((a, b) => a - b);
  return { runs, p50: percentile(latencies, 50), p99: percentile(latencies, 99), sms: sms / runs };
}

const verdict = (met: boolean, detail: string) => `**Target ${met ? 'met' : 'missed'}**: ${detail}.`;

export async function engineBenchmarks(): Promise<string> {
  const { closedLoop, fixedRate } = await ingest();
  const load = ingestSetup;
  console.log(`ingest, as fast as answered: ${closedLoop.perSecond.toFixed(0)}/s p99 ${closedLoop.p99.toFixed(1)} ms`);
  console.log(
    `ingest at ${load.rate}/s: ${fixedRate.perSecond.toFixed(0)}/s p99 ${fixedRate.p99.toFixed(1)} ms (${fixedRate.errors} errors)`,
  );
  const presence = await presenceLatency();
  console.log(`presence → queued: p50 ${presence.p50.toFixed(2)} ms p99 ${presence.p99.toFixed(2)} ms`);
  return `
## Reminder engine

### Ingest of unreachable-call events

\`POST /api/v1/calls\` over HTTP/1.1 keep-alive from a separate Node process with ${load.clients} concurrent clients for ${load.seconds} s, after ${load.warmupSeconds} s of the same load that are not counted (a cold core is slow for about a second while V8 and WebAssembly compile the hot paths), against the headless core on 127.0.0.1 (one event loop, sql.js store in the OS temp dir). Each event has its own \`id\` (so the idempotency record is written too), a caller and one of ${load.subscribers} provisioned called parties; the core validates, authenticates the bearer token, runs the IVR start, writes the call and replies only after the journal record is fsynced (group commit). Two runs:

- **at ${load.rate.toLocaleString('en')} events/s**: each client keeps to a fixed schedule (${load.rate / load.clients} events/s each, starts spread out) and latency counts from when an event was due, so a stall also delays the events queued behind it (no coordinated omission). This is the target's figure: at least 5,000 events/s with p99 under 20 ms.
- **as fast as answered**: each client sends its next event when the last is answered (closed loop): the most the core takes, with the latency of a saturated core.

| run | events | events/s | p50 ms | p99 ms | errors |
|---|---:|---:|---:|---:|---:|
| at ${load.rate.toLocaleString('en')}/s | ${fixedRate.count.toLocaleString('en')} | ${fixedRate.perSecond.toFixed(0)} | ${fixedRate.p50.toFixed(2)} | ${fixedRate.p99.toFixed(2)} | ${fixedRate.errors} |
| as fast as answered | ${closedLoop.count.toLocaleString('en')} | ${closedLoop.perSecond.toFixed(0)} | ${closedLoop.p50.toFixed(2)} | ${closedLoop.p99.toFixed(2)} | ${closedLoop.errors} |

${verdict(fixedRate.perSecond >= load.rate * 0.99 && fixedRate.p99 < 20, `${fixedRate.perSecond.toFixed(0)} events/s with p99 ${fixedRate.p99.toFixed(1)} ms at the fixed rate, against 5,000 events/s with p99 under 20 ms`)}

What the tail is made of, by measuring: the disk alone is not it (fdatasync of a 2 KB append is 0.2 ms at p99 on its own), nor the load generator (1.3 ms p99 against a server that answers at once). Without snapshots the p99 is about 6 ms. Once the journal passes 64 MB (about every 13 s at this rate) a snapshot is built from the last one and the sealed journal in another process: as a nice-19 thread its replay made the journal's small writes and fsyncs take 2–9 ms each (every wake-up waited out its scheduler slice) and the p99 15–44 ms; under Linux's idle scheduling policy, as now, 10–15 ms. Before that it was sql.js growing its in-memory database file by copying it, 10 to 50 ms each time; the store now gives the file room to grow. Runs vary by a few ms of p99 from one to the next.

### Presence to merged SMS queued

For each of ${presence.runs} called parties: 100 pending calls from 20 callers (half pressed 2, half gave up), then \`presence: reachable\`. The figure is the time of \`engine.presence()\` in process: load the pending calls, compose the merged SMS (${presence.sms.toFixed(0)} per presence: one per caller plus the summary), queue them, and fsync. The SMS dispatcher is stopped so that sending does not overlap. Target: p99 under 10 ms.

| runs | p50 ms | p99 ms |
|---:|---:|---:|
| ${presence.runs} | ${presence.p50.toFixed(2)} | ${presence.p99.toFixed(2)} |

${verdict(presence.p99 < 10, `p99 ${presence.p99.toFixed(2)} ms against under 10 ms`)}
`;
}
