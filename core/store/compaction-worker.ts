/**
 * The snapshot builder's process (see compaction.ts): takes jobs one at a time from the store over IPC and
 * answers each. It runs at the lowest CPU priority, all its threads.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { compactSnapshot, type CompactionJob } from './compaction';

// Linux gives each thread its own nice value: every thread there now (V8's, libuv's) goes to 19, and threads started
// later inherit it from the thread that starts them. Elsewhere, or if not allowed, the snapshot runs at normal priority.
try {
  for (const tid of readdirSync('/proc/self/task')) os.setPriority(Number(tid), 19);
} catch {
  // Not Linux, or not allowed.
}
const wasmDir = process.env.REACHBACK_SQL_WASM_DIR!;
const sqlJs = initSqlJs({ locateFile: (file: string) => path.join(wasmDir, file) });

// The store went away (it closed, or its process died): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
process.on('message', async ({ id, job }: { id: number; job: CompactionJob }) => {
  try {
    // Connected to the store until the file replaces the old one: an orphan never overwrites a newer store's snapshot.
    const { bytes } = await compactSnapshot(await sqlJs, job, () => process.connected);
    process.send!({ id, ok: true, bytes });
  } catch (error) {
    process.send!({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
