/**
 * Billing benchmarks (issue: Billing and rating), on one data set generated
 * straight into a file-backed store in bulk transactions:
 * - rating throughput: the rating job over a month of usage records;
 * - the monthly close over every subscriber (a statement each);
 * - each report's query time on that data (from the rollups).
 *
 * Size: BILLING_BENCH_SUBSCRIBERS (default 1,000,000) and BILLING_BENCH_RECORDS
 * (default 10,000,000). Runs alone: `node --expose-gc dist/bench.cjs billing`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../core/clock';
import { createLogger } from '../core/logger';
import { tariffPlanSchema, type TariffPlanInput } from '../core/domain/billing';
import { Billing } from '../core/services/billing/billing';
import { insertRows } from '../core/services/billing/bulk';
import { dReplyReport, revenueReport, smsReport, subscriberReport, topSubscribers } from '../core/services/billing/reports';
import { writePlan } from '../core/services/billing/plans';
import { saveBillingSettings } from '../core/services/billing/state';
import type { EngineDeps } from '../core/services/engine/deps';
import { TemplateService } from '../core/services/engine/templates';
import { EventBus } from '../core/services/event-bus';
import { SettingsService } from '../core/services/settings';
import { defaultBillingSettings } from '../core/api';
import type { Schema } from '../core/store/schema';
import { Store } from '../core/store/store';
import { tempDir } from '../core/store/testing/temp-dir';
import { percentile } from './report';

const quiet = createLogger({ level: 'error' });
const shanghai = (wall: string) => Date.parse(`${wall.replace(' ', 'T')}+08:00`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A small deterministic generator, so every run rates the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const prices = { notification: 10, 'voice-message': 20, 'manual-seat-message': 20, 'missed-detail': 10, 'reachable-alert': 10 };
const plans: TariffPlanInput[] = [
  {
    id: 'basic',
    name: 'Basic',
    versionPolicy: 'apply-to-all',
    versions: [{ number: 1, effectiveFrom: '2026-01-01', status: 'published', monthlyRent: 3000, usagePrices: prices }],
  },
  {
    id: 'premium',
    name: 'Premium',
    versionPolicy: 'apply-to-all',
    versions: [
      {
        number: 1,
        effectiveFrom: '2026-01-01',
        status: 'published',
        monthlyRent: 5000,
        usagePrices: prices,
        tiers: { notification: [{ after: 5, price: 5 }] },
        usageCap: 60,
      },
    ],
  },
  {
    id: 'lite',
    name: 'Lite',
    versionPolicy: 'grandfather',
    versions: [
      {
        number: 1,
        effectiveFrom: '2026-01-01',
        status: 'published',
        monthlyRent: 1000,
        rentProration: 'first-month-free',
        usagePrices: prices,
        freeQuota: [{ kinds: ['notification', 'missed-detail'], units: 3 }],
        totalCap: 1500,
      },
    ],
  },
];

/** Usage kinds in the proportions the engine writes them; a fifth are free (summaries, reminders, replies). */
const kinds: [string, number, number][] = [
  ['notification', 0.4, 1],
  ['missed-summary', 0.15, 0],
  ['missed-detail', 0.1, 1],
  ['voice-message', 0.1, 1],
  ['reachable-alert', 0.1, 1],
  ['manual-seat-message', 0.05, 1],
  ['opening-reminder', 0.05, 0],
  ['reply', 0.05, 0],
];

const party = (i: number) => `+86138${String(i).padStart(8, '0')}`;

/** Usage records in time order over [from, to), each for a random subscriber, in the engine's mix of kinds. */
async function addUsageRecords(store: Store<Schema>, subscribers: number, count: number, from: number, to: number, rand: () => number) {
  const step = (to - from) / count;
  const cumulative = kinds.map((_, i) => kinds.slice(0, i + 1).reduce((sum, k) => sum + k[1], 0));
  for (let start = 0; start < count; start += 100_000) {
    const rows: (string | number | null)[][] = [];
    for (let i = start; i < Math.min(count, start + 100_000); i++) {
      const r = rand();
      const k = kinds[cumulative.findIndex((c) => r < c)] ?? kinds[0]!;
      rows.push([party(Math.floor(rand() * subscribers)), k[0], k[2], 1, Math.floor(from + i * step), null, null, null]);
    }
    await store.write((trx) =>
      insertRows(trx, 'usage_records', ['party', 'kind', 'chargeable', 'quantity', 'at', 'sms_id', 'call_id', 'detail'], rows),
    );
  }
}

interface DataSet {
  store: Store<Schema>;
  billing: Billing;
  clock: ManualClock;
  cleanup: () => void;
  subscribers: number;
  records: number;
  loadSeconds: number;
}

async function generate(subscribers: number, records: number): Promise<DataSet> {
  const { dir, cleanup } = tempDir('reachback-bench-billing-');
  const clock = new ManualClock(shanghai('2026-03-01 00:00'));
  // No snapshot while loading: each would copy the whole database; the journal holds it all.
  const store = await Store.open<Schema>({
    dataDir: dir,
    clock,
    logger: quiet,
    snapshotAfterBytes: Number.MAX_SAFE_INTEGER,
    detectReentry: false,
  });
  const settings = new SettingsService(store);
  await settings.load();
  const templates = new TemplateService();
  await templates.load(store.db);
  const voiceDir = path.join(dir, 'voice');
  mkdirSync(voiceDir, { recursive: true });
  const deps: EngineDeps = { store, clock, logger: quiet, bus: new EventBus(), settings, templates, voiceDir, smsQueued: () => undefined };
  const t0 = performance.now();
  const now = clock.now();
  await store.write(async (trx) => {
    await saveBillingSettings(trx, { ...defaultBillingSettings, warningSms: false }, now);
    for (const input of plans) await writePlan(trx, null, tariffPlanSchema.parse(input), 'bench', now);
  });
  const billing = new Billing(deps);
  await billing.load();

  const rand = random(42);
  const cycleStart = shanghai('2026-03-01 00:00');
  const cycleEnd = shanghai('2026-04-01 00:00');
  const planOf = (i: number) => (i % 10 < 6 ? 'basic' : i % 10 < 9 ? 'premium' : 'lite');
  const batch = 100_000;
  for (let start = 0; start < subscribers; start += batch) {
    const subs: (string | number | null)[][] = [];
    const assignments: (string | number | null)[][] = [];
    for (let i = start; i < Math.min(subscribers, start + batch); i++) {
      const msisdn = party(i);
      const plan = planOf(i);
      subs.push([msisdn, 'zh-CN', 'active', now, plan, 1, 0, 0, 'all', '[]', null, now, now]);
      // Most were there all month; some opened, changed plan or closed mid-cycle.
      const mid = cycleStart + Math.floor(rand() * (cycleEnd - cycleStart));
      const version = plan === 'lite' ? 1 : null;
      if (i % 100 === 1) assignments.push([msisdn, plan, version, mid, null, now]);
      else if (i % 100 === 2) {
        assignments.push([msisdn, 'basic', null, shanghai('2026-01-15 00:00'), mid, now]);
        assignments.push([msisdn, 'premium', null, mid, null, now]);
      } else if (i % 100 === 3) assignments.push([msisdn, plan, version, shanghai('2026-01-15 00:00'), mid, now]);
      else assignments.push([msisdn, plan, version, shanghai('2026-02-01 00:00'), null, now]);
    }
    await store.write(async (trx) => {
      await insertRows(
        trx,
        'subscribers',
        [
          'msisdn',
          'language',
          'state',
          'state_since',
          'tariff',
          'missed_call_alert',
          'reachable_alert',
          'voicemail',
          'privacy_mode',
          'privacy_hidden',
          'pin_hash',
          'created_at',
          'updated_at',
        ],
        subs,
      );
      await insertRows(trx, 'plan_assignments', ['party', 'plan_id', 'version', 'from_at', 'to_at', 'created_at'], assignments);
    });
  }
  await store.write((trx) =>
    insertRows(
      trx,
      'rollup_subscribers',
      ['day', 'plan_id', 'starts', 'ends', 'opened', 'closed'],
      ['basic', 'premium', 'lite'].map((plan) => [
        '2026-02-01',
        plan,
        Math.round(subscribers * (plan === 'basic' ? 0.6 : plan === 'premium' ? 0.3 : 0.1)),
        0,
        0,
        0,
      ]),
    ),
  );

  // A month of usage in time order (as the engine writes it), each record for a random subscriber.
  await addUsageRecords(store, subscribers, records, cycleStart, cycleEnd, rand);
  // SMS volumes per hour, as the dispatcher counts them.
  const sms: (string | number)[][] = [];
  for (let hour = Math.floor(cycleStart / 3_600_000); hour < cycleEnd / 3_600_000; hour++) {
    for (const kind of ['notification', 'missed-summary', 'missed-detail', 'reachable-alert', 'opening-reminder']) {
      const sent = Math.round((records / 744 / 5) * (0.5 + rand()));
      sms.push([
        hour,
        kind,
        sent,
        sent,
        Math.round(sent * 0.97),
        Math.round(sent * 0.02),
        sent - Math.round(sent * 0.97) - Math.round(sent * 0.02),
      ]);
    }
  }
  await store.write((trx) => insertRows(trx, 'rollup_sms', ['hour', 'kind', 'queued', 'submitted', 'delivered', 'failed', 'expired'], sms));
  return { store, billing, clock, cleanup, subscribers, records, loadSeconds: (performance.now() - t0) / 1000 };
}

/** Wall time, and CPU time of the process (user + system, all threads): the machine may be shared. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; result: T }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, result };
}

function verdict(met: boolean, figures: string): string {
  return met ? `Target met: ${figures}.` : `**Target missed**: ${figures}.`;
}

/** Median of three runs (the first may warm a cache). */
async function queryTime(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push((await timed(fn)).ms);
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

let peakRss = 0;
function sampleRss(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}

export async function billingBenchmarks(): Promise<string> {
  const subscribers = Number(process.env.BILLING_BENCH_SUBSCRIBERS ?? 1_000_000);
  const records = Number(process.env.BILLING_BENCH_RECORDS ?? 10_000_000);
  const sampler = setInterval(sampleRss, 200);
  const data = await generate(subscribers, records);
  const { store, billing, clock } = data;
  console.log(
    `billing: generated ${subscribers.toLocaleString('en')} subscribers and ${records.toLocaleString('en')} records in ${data.loadSeconds.toFixed(0)} s`,
  );

  clock.set(shanghai('2026-03-31 23:00'));
  const rating = await timed(() => billing.rating.run());
  const ratePerSecond = rating.result.records / (rating.ms / 1000);
  console.log(
    `billing: rated ${rating.result.records.toLocaleString('en')} records in ${(rating.ms / 1000).toFixed(1)} s (${ratePerSecond.toFixed(0)}/s), CPU ${(rating.cpuMs / 1000).toFixed(1)} s`,
  );
  const again = await timed(() => billing.rating.run());

  clock.set(shanghai('2026-04-01 08:00'));
  const close = await timed(() => billing.close('2026-03', 'bench'));
  const cycle = await store.db.selectFrom('billing_cycles').selectAll().where('key', '=', '2026-03').executeTakeFirstOrThrow();
  console.log(
    `billing: closed 2026-03 (${cycle.statements.toLocaleString('en')} statements) in ${(close.ms / 1000).toFixed(1)} s, CPU ${(close.cpuMs / 1000).toFixed(1)} s`,
  );

  const config = billing.config();
  const currencies = new Map([
    ['basic', 'CNY'],
    ['premium', 'CNY'],
    ['lite', 'CNY'],
  ]);
  const month = { from: '2026-03-01', to: '2026-03-31' };
  const reports: [string, () => Promise<unknown>][] = [
    ['revenue by day and kind', () => revenueReport(store.db, config, currencies, { ...month, granularity: 'day', by: 'kind' })],
    ['revenue by month and plan', () => revenueReport(store.db, config, currencies, { ...month, granularity: 'month', by: 'plan' })],
    [
      'revenue by day and service, one plan',
      () => revenueReport(store.db, config, currencies, { ...month, granularity: 'day', by: 'service', planId: 'premium' }),
    ],
    ['subscribers by day', () => subscriberReport(store.db, config, { ...month, granularity: 'day' })],
    ['SMS volumes and delivery by day and kind', () => smsReport(store.db, config, { ...month, granularity: 'day', by: 'kind' })],
    ['D-reply conversion by day', () => dReplyReport(store.db, config, { ...month, granularity: 'day' })],
    ['top 20 subscribers by charge', () => topSubscribers(store.db, { from: '2026-03', limit: 20 })],
    ['top 20 subscribers by charge, one plan', () => topSubscribers(store.db, { from: '2026-03', planId: 'lite', limit: 20 })],
  ];
  const reportTimes: [string, number][] = [];
  for (const [name, run] of reports) reportTimes.push([name, await queryTime(run)]);
  for (const [name, ms] of reportTimes) console.log(`billing: ${name}: ${ms.toFixed(1)} ms`);

  // The reports reconcile with the statements.
  const revenue = (await revenueReport(store.db, config, currencies, { ...month, granularity: 'month', by: 'total' })).totals[0]!.charged;
  if (revenue !== Number(cycle.total)) throw new Error(`revenue ${revenue} differs from the statements' total ${cycle.total}`);

  // Rating as the core does it every minute: the first 400,000 records of April, in chunks, each subscriber's
  // state rebuilt on first sight (from their stored lines: none yet) and continued from memory after.
  const incremental = Math.min(400_000, Math.floor(records / 25));
  await addUsageRecords(store, subscribers, incremental, shanghai('2026-04-01 00:00'), shanghai('2026-04-03 00:00'), random(7));
  clock.set(shanghai('2026-04-03 00:00'));
  const steady = await timed(() => billing.rating.run());
  console.log(
    `billing: rated ${steady.result.records.toLocaleString('en')} new records incrementally in ${(steady.ms / 1000).toFixed(1)} s`,
  );

  const status = store.status();
  sampleRss();
  clearInterval(sampler);
  await store.close({ snapshot: false });
  data.cleanup();
  const journal = status.journalBytes;
  return `
## Billing

A generated month on a file-backed store (the OS temp dir): ${subscribers.toLocaleString('en')} subscribers on three plans (${'60 % basic: rent and per-use prices; 30 % premium: a notification tier and a usage cap; 10 % lite: grandfathered, first month free, a shared free quota and a total cap'}), 1 % opening mid-cycle, 1 % changing plan mid-cycle, 1 % closing mid-cycle; ${records.toLocaleString('en')} usage records in time order over March 2026, each for a random subscriber, in the engine's mix of kinds (a quarter free). The data is written in bulk transactions of 100,000 rows through the journal (${data.loadSeconds.toFixed(0)} s, not part of any figure). Database ${mib(status.databaseBytes)}, journal ${mib(journal)}; peak RSS of the process ${mib(peakRss)}.

### Rating throughput

The rating job (\`billing/rate\`, also run every minute by the core) over the whole month as one backlog (it was never run during the month): so far behind, it reads the cycle's records and lines once in id order into columns, rates each subscriber's month at once through the domain's \`rate\`, and writes the lines back in id order with the rollups, 100,000 per durable transaction, then the thresholds and the watermark. (Less than 500,000 records behind, as every minute in normal running, it takes new records in chunks of 50,000 and continues each subscriber's rating state from memory.) CPU seconds are the process's user + system time, all threads: the machine is shared. Target: at least 200,000 records/s.

| records | subscribers | seconds | CPU seconds | records/s | second run (nothing new) |
|---:|---:|---:|---:|---:|---:|
| ${rating.result.records.toLocaleString('en')} | ${rating.result.parties.toLocaleString('en')} | ${(rating.ms / 1000).toFixed(1)} | ${(rating.cpuMs / 1000).toFixed(1)} | ${ratePerSecond.toFixed(0)} | ${again.ms.toFixed(0)} ms |

${verdict(ratePerSecond >= 200_000, `${ratePerSecond.toFixed(0)} records/s against 200,000`)}

Every minute the job takes what is new instead: ${steady.result.records.toLocaleString('en')} records of April rated in chunks of 50,000 (${(steady.result.records / (steady.ms / 1000)).toFixed(0)} records/s; ${steady.result.parties.toLocaleString('en')} subscriber-chunks, each subscriber's state rebuilt the first time it is seen in the cycle).

### Monthly close

\`billing/close\` of March 2026 after the rating: the cycle's records are read once in id order into columns; every subscriber with time on a plan in the cycle is rated again through \`chargeCycle\` (rent by proration policy, usage with quotas, tiers and caps) and gets one frozen statement. Stored lines are read back and compared only for subscribers whose rating state the rating job does not hold for exactly these records, spans and rent (after a restart: all of them, in one scan when they are more than a tenth of the records); batches of 2,000 subscribers, one durable transaction each. Target: under 60 s.

| subscribers | usage records | statements | seconds | CPU seconds |
|---:|---:|---:|---:|---:|
| ${subscribers.toLocaleString('en')} | ${records.toLocaleString('en')} | ${Number(cycle.statements).toLocaleString('en')} | ${(close.ms / 1000).toFixed(1)} | ${(close.cpuMs / 1000).toFixed(1)} |

${verdict(close.ms < 60_000, `${(close.ms / 1000).toFixed(1)} s against 60 s`)}

### Reports

Each report's query (median of 3) on that data, from the rollups the rating and the close keep; the revenue total equals the sum of the statements (checked). Target: under 1 s each.

| report | ms |
|---|---:|
${reportTimes.map(([name, ms]) => `| ${name} | ${ms.toFixed(1)} |`).join('\n')}

${verdict(
  reportTimes.every(([, ms]) => ms < 1000),
  `the slowest ${Math.max(...reportTimes.map(([, ms]) => ms)).toFixed(1)} ms against 1 s`,
)}

### Where the time goes

Profiles at full scale (rating, before the last changes: 59 s; close: 78 s). In sql.js, reading a record costs about 1 µs in id order (read by subscriber instead, each B-tree search makes it 2.7 µs), writing a line about 2 µs through the journal (every statement and its parameters are serialised and fsynced). What was taken out, largest first: sql.js grew its in-memory file by copying the whole multi-GB image into an array an eighth bigger, several seconds a copy (19 s of the close, 7 s of the rating): the store now moves the database once into the largest buffer Node allows when its room runs out; a fresh party string hashed into a Map for each of the 10 million records (12 % of both jobs): parties are interned by their E.164 digits in a typed hash table; an object per record read and an array per line written, kept until the batch was written, so they outlived the young generation (garbage collection was 18–25 %): rows are scanned as value arrays straight into typed columns, a subscriber's records become objects only while it is rated, lines go out one array per INSERT; per-line rollup keys, statement JSON encoded character by character by sql.js (bound as UTF-8 bytes now). The last of it was V8's allocation-site pretenuring. A trace of the rating's collections showed scavenges of 6–9 ms each (999 of them, 6.4 s) freeing only half of the young generation, and a sampling heap profile (objects collected by full collections only) found the lines made by \`rate\` and the records made for it, about 170 bytes a record, in the old generation: V8 had started allocating some of their literals straight into the old generation, and everything young such an object points to survives scavenges until a full collection. The core now turns pretenuring off when it starts (\`core/server/v8-tuning.ts\`; set at run time, as a packaged Electron app cannot give its own main process V8 flags): at 300,000 subscribers the rating went from 11.7 to 10.3 s and the close from 12.5 to 10.3 s; at full scale the rating from 50–51 s to 40 s and the close from 58 s to 46 s, with the engine's ingest latency unchanged (Engine above). Tried and dropped: a larger young generation (\`--max-semi-space-size=64\`: the rating gained as much, but scavenges of a larger space pushed the ingest p99 to 18–77 ms), a larger SQLite page cache, binding repeated strings as cached UTF-8 bytes, larger INSERT statements (none measurably faster). Rating in JavaScript (\`rate\`, spans, comparing lines) is about 1.5 µs a record. The hard limit is the 4 GiB a buffer can hold: the store's database cannot grow past it.
`;
}
