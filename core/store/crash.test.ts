/**
 * The crash test: a child process commits in a loop and acknowledges each
 * commit; the parent kills it with SIGKILL at random points (some aimed at a
 * snapshot in progress), reopens the store, and checks that every
 * acknowledged transaction is there and no partial one is.
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../logger';
import { Store } from './store';
import { ledgerMigrations, type LedgerSchema } from './testing/ledger';
import { tempDir } from './testing/temp-dir';

const runs = 14;
let work: ReturnType<typeof tempDir>;
let childScript: string;

beforeAll(() => {
  work = tempDir('reachback-crash-');
  childScript = path.join(work.dir, 'crash-child.cjs');
  // Laid out as dist/ is: the child, the snapshot worker and sql.js's wasm side by side.
  const bundle = (entry: string, outfile: string) =>
    buildSync({ entryPoints: [path.join(__dirname, entry)], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'silent' });
  bundle('testing/crash-child.ts', childScript);
  bundle('compaction-worker.ts', path.join(work.dir, 'store-compactor.cjs'));
  // sql.js looks for its wasm beside the bundle.
  copyFileSync(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'), path.join(work.dir, 'sql-wasm.wasm'));
});
afterAll(() => work.cleanup());

type KillPlan = { kind: 'random'; afterAcks: number } | { kind: 'snapshot'; phase: 'start' | 'written'; delayMs: number };

function runChild(dataDir: string, firstId: number, plan: KillPlan): Promise<{ acked: number[]; killedIn: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript], {
      env: { ...process.env, CRASH_DATA_DIR: dataDir, CRASH_FIRST_ID: String(firstId) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let killedIn = '';
    let inSnapshot = false;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const kill = () => {
      if (killedIn) return;
      killedIn = inSnapshot ? 'snapshot' : 'commit loop';
      child.kill('SIGKILL');
    };
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('ack ')) {
        acked.push(Number(line.slice(4)));
        if (plan.kind === 'random' && acked.length >= plan.afterAcks) kill();
      } else if (line.startsWith('snap ')) {
        const phase = line.slice(5);
        inSnapshot = phase !== 'done';
        if (plan.kind === 'snapshot' && phase === plan.phase) setTimeout(kill, plan.delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, killedIn });
      else reject(new Error(`crash child exited by itself (code ${code}): ${stderr}`));
    });
    setTimeout(kill, 20_000); // never hang: a plan that did not fire still ends in a kill
  });
}

describe('crash safety', () => {
  it(`loses no acknowledged transaction and shows no partial one across ${runs} SIGKILLs`, async () => {
    const dataDir = path.join(work.dir, 'data');
    const allAcked: number[] = [];
    const killedIn: string[] = [];
    for (let run = 0; run < runs; run++) {
      const plan: KillPlan =
        run % 3 === 2
          ? { kind: 'snapshot', phase: run % 2 ? 'start' : 'written', delayMs: Math.floor(Math.random() * 4) }
          : { kind: 'random', afterAcks: 50 + Math.floor(Math.random() * 3000) };
      const result = await runChild(dataDir, (run + 1) * 1_000_000, plan);
      killedIn.push(result.killedIn);
      allAcked.push(...result.acked);

      const store = await Store.open<LedgerSchema>({ dataDir, migrations: ledgerMigrations, logger: memoryLogger() });
      try {
        const entries = new Set((await store.db.selectFrom('entries').select('id').execute()).map((r) => r.id));
        const mirrors = new Set((await store.db.selectFrom('mirrors').select('entry_id').execute()).map((r) => r.entry_id));
        const missing = allAcked.filter((id) => !entries.has(id));
        expect(missing, `run ${run}: acknowledged but missing`).toEqual([]);
        const partial = [...entries].filter((id) => !mirrors.has(id)).concat([...mirrors].filter((id) => !entries.has(id)));
        expect(partial, `run ${run}: partial transactions`).toEqual([]);
      } finally {
        await store.close({ snapshot: false });
      }
    }
    expect(killedIn.filter((k) => k === 'snapshot').length).toBeGreaterThanOrEqual(2);
    expect(allAcked.length).toBeGreaterThan(runs * 40);
  }, 300_000);
});
