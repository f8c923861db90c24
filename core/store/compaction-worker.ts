/** The snapshot worker thread (see compaction.ts): takes jobs one at a time and answers each. */
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import initSqlJs from 'sql.js';
import { compactSnapshot, type CompactionJob } from './compaction';

const { wasmDir } = workerData as { wasmDir: string };

// The lowest CPU priority for this thread alone: on a busy machine the snapshot may take longer, but the writers
// go first. Linux gives threads their own nice value (found through /proc/thread-self); elsewhere this is skipped.
try {
  os.setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
} catch {
  // Not Linux, or not allowed: the snapshot runs at normal priority.
}
const sqlJs = initSqlJs({ locateFile: (file: string) => path.join(wasmDir, file) });

parentPort!.on('message', async ({ id, job }: { id: number; job: CompactionJob }) => {
  try {
    const { bytes } = await compactSnapshot(await sqlJs, job);
    parentPort!.postMessage({ id, ok: true, bytes });
  } catch (error) {
    parentPort!.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
