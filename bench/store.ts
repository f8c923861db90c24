/**
 * Store benchmarks (issue: Foundation):
 * - durable single-row commits/s with 1, 10 and 100 concurrent writers;
 * - open + replay time and peak RSS for a 100 MB database.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../core/logger';
import { listSegments } from '../core/store/journal';
import { snapshotPath } from '../core/store/snapshot';
import { Store } from '../core/store/store';
import { ledgerMigrations, type LedgerSchema } from '../core/store/testing/ledger';
import { tempDir } from '../core/store/testing/temp-dir';
import { percentile } from './report';

const quiet = createLogger({ level: 'error' });

async function commitsPerSecond(writers: number, seconds: number) {
  const { dir, cleanup } = tempDir('reachback-bench-');
  const store = await Store.open<LedgerSchema>({ dataDir: dir, migrations: ledgerMigrations, logger: quiet });
  let next = 1;
  let commits = 0;
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const writer = async () => {
    while (performance.now() < deadline) {
      const id = next++;
      const t0 = performance.now();
      await store.write((trx) =>
        trx
          .insertInto('entries')
          .values({ id, payload: `row ${id}` })
          .execute(),
      );
      latencies.push(performance.now() - t0);
      commits++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: writers }, writer));
  const elapsed = (performance.now() - t0) / 1000;
  await store.close({ snapshot: false });
  cleanup();
  latencies.sort((a, b) => a - b);
  return { writers, perSecond: Math.round(commits / elapsed), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Builds a data dir with a snapshot of about `megabytes` MB plus `journalTx` journaled transactions after it. */
async function buildLargeDataDir(dir: string, megabytes: number, journalTx: number) {
  const store = await Store.open<LedgerSchema>({
    dataDir: dir,
    migrations: ledgerMigrations,
    logger: quiet,
    snapshotAfterBytes: Number.MAX_SAFE_INTEGER,
  });
  const payload = 'p'.repeat(1000);
  const rows = Math.ceil((megabytes * 1024 * 1024) / 1040);
  const perTx = 5000;
  for (let start = 0; start < rows; start += perTx) {
    await store.write(async (trx) => {
      for (let id = start; id < Math.min(rows, start + perTx); id++)
        await trx
          .insertInto('entries')
          .values({ id, payload: `${id}${payload}` })
          .execute();
    });
  }
  await store.snapshot();
  const writes = [];
  for (let i = 0; i < journalTx; i++)
    writes.push(
      store.write((trx) =>
        trx
          .insertInto('mirrors')
          .values({ entry_id: i, payload: `m${i}` })
          .execute(),
      ),
    );
  await Promise.all(writes);
  await store.close({ snapshot: false });
}

/** Runs in a fresh child process so RSS reflects the open alone. */
export async function measureOpenChild(dir: string): Promise<void> {
  const t0 = performance.now();
  const store = await Store.open<LedgerSchema>({ dataDir: dir, migrations: ledgerMigrations, logger: quiet });
  const openMs = performance.now() - t0;
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
  const report = store.openReport;
  const databaseBytes = store.status().databaseBytes;
  await store.close({ snapshot: false });
  process.stdout.write(JSON.stringify({ openMs, peakRss: hwm, replayed: report.replayedRecords, databaseBytes }));
}

export async function storeBenchmarks(): Promise<string> {
  const rows: string[] = [];
  for (const writers of [1, 10, 100]) {
    const r = await commitsPerSecond(writers, 4);
    console.log(`commits: ${writers} writers → ${r.perSecond}/s`);
    rows.push(`| ${writers} | ${r.perSecond.toLocaleString('en')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
  }

  const { dir, cleanup } = tempDir('reachback-bench-open-');
  await buildLargeDataDir(dir, 100, 20_000);
  const snapshotBytes = statSync(snapshotPath(dir)).size;
  const journalBytes = listSegments(dir).reduce((sum, f) => sum + statSync(f).size, 0);
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'bench.cjs'), '--child-open', dir], { encoding: 'utf8' });
    runs.push(JSON.parse(out) as { openMs: number; peakRss: number; replayed: number; databaseBytes: number });
  }
  cleanup();
  const median = runs.map((r) => r.openMs).sort((a, b) => a - b)[1]!;
  const rss = Math.max(...runs.map((r) => r.peakRss));
  const db = runs[0]!.databaseBytes;
  console.log(`open: ${median.toFixed(0)} ms, peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB for ${(db / 2 ** 20).toFixed(0)} MiB`);

  return `
## Store (Foundation)

### Durable commits per second

Each commit is one single-row INSERT in its own \`store.write()\` transaction, acknowledged only after its journal record is fsynced (group commit shares one fsync among the writers waiting at that moment). N writers loop concurrently for 4 s on a fresh data dir in the OS temp dir; latency is from the call to the acknowledgement. Target: at least 10,000/s with 100 writers.

| writers | commits/s | p50 ms | p99 ms |
|---:|---:|---:|---:|
${rows.join('\n')}

### Open and replay of a 100 MB database

A data dir with a ${(snapshotBytes / 2 ** 20).toFixed(0)} MiB snapshot (${(db / 2 ** 20).toFixed(0)} MiB database: ~100k rows of 1 KB) plus ${runs[0]!.replayed.toLocaleString('en')} journaled transactions after it (${(journalBytes / 2 ** 20).toFixed(1)} MiB of journal). \`Store.open()\` (lock, read and verify the snapshot, load it into sql.js, replay the journal, check migrations) runs in a fresh Node process; the figure is the median of 3 runs, and peak RSS is the process's VmHWM (it includes Node's own ~45 MiB). Targets: under 1 s; peak RSS under 3× the database size.

| open + replay | peak RSS | database | RSS / database |
|---:|---:|---:|---:|
| ${median.toFixed(0)} ms | ${(rss / 2 ** 20).toFixed(0)} MiB | ${(db / 2 ** 20).toFixed(0)} MiB | ${(rss / db).toFixed(2)}× |

Where the peak comes from: Node itself (~45 MiB), the snapshot image, which sql.js keeps as its in-memory database file (1×), the SQLite page cache and the code. The snapshot is read into a buffer with room behind it, so the first replayed writes grow the file in place instead of copying it into a bigger array (before that, the copy cost another 1.1× at its peak). The journal is decoded and applied one record at a time, so its length does not add to the peak.
`;
}
