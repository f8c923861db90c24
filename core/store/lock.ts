/**
 * One writer per data dir. The lock file holds the owner's pid; a lock whose
 * process is gone is stale and taken over.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync, fsyncSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const lockFileName = 'reachback.lock';

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

/** The pid in a lock file; 0 if it is unreadable or half-written (treated as stale). */
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
  const file = path.join(dataDir, lockFileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
      fsyncSync(fd);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readLockOwner(file);
      if (owner && owner !== process.pid && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
      if (owner === process.pid) throw new DataDirLockedError(dataDir, owner);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock file ${file}`);
}
