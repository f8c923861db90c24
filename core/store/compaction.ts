/**
 * Snapshots without stopping the writers. A snapshot is the last one plus the journal records after it, so it
 * can be built anywhere those files can be read: a child process loads the previous snapshot, replays the sealed
 * journal segments up to the snapshot's seq (the same replay as opening the store), exports the database and
 * writes the new snapshot file. The store's own thread only rotates the journal. Exporting the live database
 * instead held every write for as long as the copy took: 50 ms at 45 MB, and it grows with the data.
 *
 * A process, not a worker thread, so that all of its threads (V8's garbage-collection helpers and libuv's pool too,
 * which a worker shares with the event loop) run under the idle scheduling policy (idleScheduling): at 5,000
 * events/s its replay took the ingest p99 from about 6 ms to 15-44 ms as a nice-19 thread, 10-15 ms idle.
 */
import { fork, spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { buildSync } from 'esbuild';
import type { SqlJsStatic } from 'sql.js';
import { applyNext, loadSnapshot } from './database';
import { scanSegment } from './journal';
import { writeSnapshot } from './snapshot';

export interface CompactionJob {
  dir: string;
  /** The seq of the snapshot on disk now (0: none). */
  fromSeq: number;
  /** The new snapshot covers every record up to this seq. */
  seq: number;
  /** The sealed segments holding the records after fromSeq, oldest first. */
  segments: string[];
  createdAt: number;
}

/** Builds and writes the snapshot for `job`; runs in the builder process (and in tests, anywhere). See writeSnapshot. */
export async function compactSnapshot(SQL: SqlJsStatic, job: CompactionJob, stillWanted?: () => boolean): Promise<{ bytes: number }> {
  const { sql, header } = loadSnapshot(SQL, job.dir);
  try {
    if ((header?.seq ?? 0) !== job.fromSeq) {
      throw new Error(`the snapshot on disk is at transaction ${header?.seq ?? 0}, not ${job.fromSeq} as the store expects`);
    }
    let lastSeq = job.fromSeq;
    for (const file of job.segments) {
      scanSegment(file, (record) => {
        if (record.seq <= job.seq) lastSeq = applyNext(sql, record, file, lastSeq);
      });
    }
    if (lastSeq !== job.seq) throw new Error(`the sealed journal ends at transaction ${lastSeq}, not ${job.seq}`);
    const data = sql.export();
    await writeSnapshot(job.dir, job.seq, data, job.createdAt, stillWanted);
    return { bytes: data.length };
  } finally {
    sql.close();
  }
}

type Reply = { id: number; ok: true; bytes: number } | { id: number; ok: false; message: string };

/** The store's side: one builder process, started on the first snapshot and ended with the store. */
export class Compactor {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: { bytes: number }) => void; reject: (e: Error) => void }>();

  compact(job: CompactionJob): Promise<{ bytes: number }> {
    const child = (this.child ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Waiting for an answer keeps the process alive; an idle builder does not.
      child.channel?.ref();
      child.send({ id, job });
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Waiting for the exit must keep this process alive: the handle is unref'd.
    child.ref();
    child.kill();
    await exited;
  }

  private start(): ChildProcess {
    const source = builderSource();
    // ELECTRON_RUN_AS_NODE: in the packaged app process.execPath is Electron, which then runs the script as Node.
    const options = {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', REACHBACK_SQL_WASM_DIR: source.wasmDir },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'] as StdioOptions,
    };
    const child = idleScheduling()
      ? spawn('chrt', ['--idle', '0', process.execPath, source.file], options)
      : fork(source.file, [], { ...options, execArgv: [] });
    // Never what keeps the store's process alive, except while a snapshot is awaited (compact).
    child.unref();
    child.channel?.unref();
    child.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!this.pending.size) child.channel?.unref();
      if (reply.ok) waiter?.resolve({ bytes: reply.bytes });
      else waiter?.reject(new Error(`snapshot compaction failed: ${reply.message}`));
    });
    const failAll = (error: Error) => {
      if (this.child === child) this.child = null;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    child.on('error', failAll);
    child.on('exit', (code, signal) => failAll(new Error(`the snapshot builder stopped (${signal ?? `exit code ${code}`})`)));
    return child;
  }
}

/**
 * Whether Linux's SCHED_IDLE policy can be had (util-linux's chrt): a task under it gives way at once to any other
 * that wakes. Under nice 19 alone the builder still held a core up to a scheduler slice after the journal's
 * write or fsync completed, each commit waited several of those, and the ingest p99 doubled while it ran.
 */
let idle: boolean | null = null;
function idleScheduling(): boolean {
  idle ??= process.platform === 'linux' && spawnSync('chrt', ['--idle', '0', 'true'], { stdio: 'ignore' }).status === 0;
  return idle;
}

/**
 * The builder's script: built beside the bundle that runs the store (dist/, with sql.js's wasm), or, running from
 * source (tests, development), bundled now by esbuild, a development dependency, into the temp dir.
 */
function builderSource(): { file: string; wasmDir: string } {
  // In the packaged app the script and the wasm are unpacked beside the asar archive (electron-builder.yml):
  // a process is started from a real file.
  const dir = __dirname.replace(/app\.asar(?=[\\/]|$)/, 'app.asar.unpacked');
  const bundled = path.join(dir, 'store-compactor.cjs');
  if (existsSync(bundled)) return { file: bundled, wasmDir: dir };
  const load = createRequire(__filename);
  const esbuild = load('esbuild') as { buildSync: typeof buildSync };
  const built = esbuild.buildSync({
    entryPoints: [path.join(__dirname, 'compaction-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = built.outputFiles[0]!.text;
  const cache = path.join(os.tmpdir(), 'reachback-dev');
  const file = path.join(cache, `store-compactor-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    // Written under a name of its own, then renamed: test workers building at once never run a half-written file.
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, file);
  }
  return { file, wasmDir: path.dirname(load.resolve('sql.js/dist/sql-wasm.wasm')) };
}
