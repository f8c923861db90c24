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

/** The load generator runs in its own process, so it does not compete with the server's event loop. */
export async function ingestLoadChild(url: string, clients: number, seconds: number, subscribers: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  const client = async (c: number) => {
    while (performance.now() < deadline) {
      const i = n++;
      const body = JSON.stringify({
        id: `bench-${c}-${i}`,
        caller: `+86139${String(i % 100000).padStart(8, '0')}`,
        callee: `+86138${String(i % subscribers).padStart(8, '0')}`,
        reason: 'power_off',
        at: 1_790_000_000_000 + i,
      });
      const t0 = performance.now();
      const status = await new Promise<number>((resolve) => {
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
      latencies.push(performance.now() - t0);
      if (status !== 201) errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const elapsed = (performance.now() - t0) / 1000;
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

async function ingest(): Promise<{ count: number; errors: number; perSecond: number; p50: number; p99: number; subscribers: number }> {
  const { dir, cleanup } = tempDir('reachback-bench-ingest-');
  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, version: 'bench', logger: quiet, networkToken: token });
  const subscribers = 1000;
  await seedSubscribers(app, subscribers);
  const child = fork(path.join(__dirname, 'bench.cjs'), ['--child-ingest', app.http.url, '50', '8', String(subscribers)], {
    stdio: 'inherit',
  });
  const result = await new Promise<{ count: number; errors: number; perSecond: number; p50: number; p99: number }>((resolve) =>
    child.once('message', (m) => resolve(m as never)),
  );
  await app.stop();
  cleanup();
  return { ...result, subscribers };
}

async function presenceLatency(): Promise<{ runs: number; p50: number; p99: number; sms: number }> {
  const { dir, cleanup } = tempDir('reachback-bench-presence-');
  const clock = new ManualClock(Date.UTC(2026, 10, 25, 4, 0));
  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, version: 'bench', logger: quiet, clock });
  const engine = app.core.services.engine;
  // The dispatcher is stopped: the figure is the time until the merged SMS are durably queued.
  await engine.stop();
  const runs = 200;
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

export async function engineBenchmarks(): Promise<string> {
  const load = await ingest();
  console.log(`ingest: ${load.perSecond.toFixed(0)}/s p99 ${load.p99.toFixed(1)} ms (${load.errors} errors)`);
  const presence = await presenceLatency();
  console.log(`presence → queued: p50 ${presence.p50.toFixed(2)} ms p99 ${presence.p99.toFixed(2)} ms`);
  return `
## Reminder engine

### Ingest of unreachable-call events

\`POST /api/v1/calls\` over HTTP/1.1 keep-alive from a separate Node process with 50 concurrent clients for 8 s, against the headless core on 127.0.0.1 (one event loop, sql.js store in the OS temp dir). Each event has its own \`id\` (so the idempotency record is written too), a caller and one of ${load.subscribers} provisioned called parties; the core validates, authenticates the bearer token, runs the IVR start, writes the call and replies only after the journal record is fsynced (group commit). Latency is measured by the client from request to response. Target: at least 5,000 events/s with p99 under 20 ms.

| events | events/s | p50 ms | p99 ms | errors |
|---:|---:|---:|---:|---:|
| ${load.count.toLocaleString('en')} | ${load.perSecond.toFixed(0)} | ${load.p50.toFixed(2)} | ${load.p99.toFixed(2)} | ${load.errors} |

### Presence to merged SMS queued

For each of ${presence.runs} called parties: 100 pending calls from 20 callers (half pressed 2, half gave up), then \`presence: reachable\`. The figure is the time of \`engine.presence()\` in process: load the pending calls, compose the merged SMS (${presence.sms.toFixed(0)} per presence: one per caller plus the summary), queue them, and fsync. The SMS dispatcher is stopped so that sending does not overlap. Target: p99 under 10 ms.

| runs | p50 ms | p99 ms |
|---:|---:|---:|
| ${presence.runs} | ${presence.p50.toFixed(2)} | ${presence.p99.toFixed(2)} |
`;
}
