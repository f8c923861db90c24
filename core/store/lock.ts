/**
 * One writer per data dir. The lock file holds the owner's pid and is
 * created atomically with its content (write a temp file, then hard-link it
 * into place), so a reader never sees a half-written lock. A lock whose
 * process is gone is stale and taken over. Within one process, open data
 * dirs are tracked in memory: a lock with our own pid that we do not hold is
 * from an earlier run that reused the pid (common for pid 1 in containers).
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const lockFileName = 'reachback.lock';

const heldHere = new Set<string>();

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data dir ${dataDir} is in use by another Reachback instance (pid ${ownerPid}). Stop that instance or choose another --data-dir.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file; 0 if it is unreadable (treated as stale). */
function readLockOwner(file: string): number {
  try {
    return Number((JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }).pid) || 0;
  } catch {
    return 0;
  }
}

export interface DataDirLock {
  release(): void;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, lockFileName);
  if (heldHere.has(dir)) throw new DataDirLockedError(dir, process.pid);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }), { flush: true });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(temp, file);
        heldHere.add(dir);
        let released = false;
        return {
          release() {
            if (released) return;
            released = true;
            heldHere.delete(dir);
            rmSync(file, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readLockOwner(file);
        if (owner && owner !== process.pid && isAlive(owner)) throw new DataDirLockedError(dir, owner);
        rmSync(file, { force: true });
      }
    }
    throw new Error(`Could not take the lock file ${file}`);
  } finally {
    rmSync(temp, { force: true });
  }
}
