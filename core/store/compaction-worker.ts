/** The snapshot worker thread (see compaction.ts): takes jobs one at a time and answers each. */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import initSqlJs from 'sql.js';
import { compactSnapshot, type CompactionJob } from './compaction';

const { wasmDir } = workerData as { wasmDir: string };
const sqlJs = initSqlJs({ locateFile: (file: string) => path.join(wasmDir, file) });

parentPort!.on('message', async ({ id, job }: { id: number; job: CompactionJob }) => {
  try {
    const { bytes } = await compactSnapshot(await sqlJs, job);
    parentPort!.postMessage({ id, ok: true, bytes });
  } catch (error) {
    parentPort!.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
