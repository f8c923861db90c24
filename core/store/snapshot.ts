/**
 * Snapshots: the whole database image plus the journal seq it includes.
 *
 *   "RBSNAP01" | u32 header length | header JSON {seq, bytes, crc32, createdAt} | database bytes
 *
 * Written to a temp file, fsynced, renamed over the old one, then the
 * directory is fsynced: a crash leaves either the old or the new snapshot.
 */
import { promises as fs, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, fsyncDir, StoreFileError } from './files';

const magic = Buffer.from('RBSNAP01');
export const snapshotFileName = 'snapshot.rbs';

export interface SnapshotHeader {
  seq: number;
  bytes: number;
  crc32: number;
  createdAt: number;
}

export interface Snapshot {
  header: SnapshotHeader;
  data: Uint8Array;
}

export function snapshotPath(dir: string): string {
  return path.join(dir, snapshotFileName);
}

/** Reads and verifies the snapshot; null if there is none. A damaged file is an error that names it. */
export function readSnapshot(dir: string): Snapshot | null {
  const file = snapshotPath(dir);
  if (!existsSync(file)) return null;
  const raw = readFileSync(file);
  if (raw.length < magic.length + 4 || !raw.subarray(0, magic.length).equals(magic)) {
    throw new StoreFileError(file, 'The snapshot is not a Reachback snapshot or is damaged; it was left untouched. Restore it from backup');
  }
  const headerLength = raw.readUInt32LE(magic.length);
  const headerStart = magic.length + 4;
  let header: SnapshotHeader;
  try {
    header = JSON.parse(raw.subarray(headerStart, headerStart + headerLength).toString('utf8')) as SnapshotHeader;
  } catch {
    throw new StoreFileError(file, 'The snapshot header is damaged; it was left untouched. Restore it from backup');
  }
  const data = raw.subarray(headerStart + headerLength);
  if (data.length !== header.bytes || crc32(data) !== header.crc32) {
    throw new StoreFileError(file, 'The snapshot fails its checksum; it was left untouched. Restore it from backup');
  }
  return { header, data };
}

export async function writeSnapshot(dir: string, seq: number, data: Uint8Array, createdAt: number): Promise<void> {
  const header: SnapshotHeader = { seq, bytes: data.length, crc32: crc32(data), createdAt };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const lengthBytes = Buffer.alloc(4);
  lengthBytes.writeUInt32LE(headerBytes.length, 0);
  const target = snapshotPath(dir);
  // A name of its own per snapshot, so two writers can never rename each other's file.
  const temp = `${target}.${seq}.${process.pid}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writev([magic, lengthBytes, headerBytes, data]);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, target);
  await fsyncDir(dir);
}

/** Temp files left by a crash mid-snapshot are incomplete by definition. */
export async function removeStaleSnapshotTemp(dir: string): Promise<boolean> {
  const stale = readdirSync(dir).filter((name) => name.startsWith(snapshotFileName) && name.endsWith('.tmp'));
  for (const name of stale) await fs.rm(path.join(dir, name));
  return stale.length > 0;
}
