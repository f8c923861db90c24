/**
 * Snapshots: the whole database image plus the journal seq it includes.
 *
 *   "RBSNAP01" | u32 header length | header JSON {seq, bytes, crc32, createdAt} | database bytes
 *
 * Written to a temp file, fsynced, renamed over the old one, then the
 * directory is fsynced: a crash leaves either the old or the new snapshot.
 */
import { promises as fs, closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
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
export function readSnapshot(dir: string, minRoom = defaultMinRoom): Snapshot | null {
  const file = snapshotPath(dir);
  if (!existsSync(file)) return null;
  const raw = readWithGrowthRoom(file, minRoom);
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
  return { header, data: keepGrowthRoom(data, raw) };
}

/** The least room to grow a database gets (address space, not memory: see growthRoom). */
export const defaultMinRoom = 1024 * 1024 * 1024;

/**
 * Room for the database to grow after opening: as much again as it holds, at least minRoom, within the largest
 * buffer Node allows. sql.js's in-memory file grows by copying itself into an array an eighth bigger, which stalled
 * every write for 10 to 50 ms each time a busy database crossed its size (and took the billing close a quarter of
 * its time at 3 GB, several seconds a copy); untouched room costs address space, not memory. When the room runs
 * out the store moves the database once into the largest room (Store.regrow), so sql.js never grows it itself.
 */
function growthRoom(size: number, minRoom = defaultMinRoom): number {
  return Math.max(0, Math.min(Math.max(minRoom, size), largestRoom(size)));
}

/** The most a database can reach in one buffer: as large as Node allows (4 GiB on 64-bit), less a margin. */
export const largestCapacity = bufferConstants.MAX_LENGTH - 1024 * 1024;

/** The room behind a database of `size` bytes in the largest buffer. */
function largestRoom(size: number): number {
  return Math.max(0, largestCapacity - size);
}

/**
 * A buffer for a database of `size` bytes with the largest room behind it, or growthRoom's on a machine that
 * refuses to reserve that much address space.
 */
export function largestBuffer(size: number, minRoom = defaultMinRoom): Buffer {
  try {
    return Buffer.allocUnsafeSlow(size + largestRoom(size));
  } catch {
    return Buffer.allocUnsafeSlow(size + growthRoom(size, minRoom));
  }
}

/** A copy of a database image at the start of `raw`, with the rest of raw as room to grow (see keepGrowthRoom). */
export function intoRoom(image: Uint8Array, raw: Buffer): Uint8Array {
  raw.set(image);
  return keepGrowthRoom(raw.subarray(0, image.length), raw);
}

/** A copy of a database image with room to grow behind it (see growthRoom): a new store starts from one. */
export function withGrowthRoom(image: Uint8Array, minRoom = defaultMinRoom): Uint8Array {
  return intoRoom(image, Buffer.allocUnsafeSlow(image.length + growthRoom(image.length, minRoom)));
}

/** How many bytes the database can reach in the buffer given to sql.js before sql.js has to grow it. */
export function capacityOf(image: Uint8Array): number {
  return image.buffer.byteLength - image.byteOffset;
}

/**
 * Reads the file into a buffer with unused room after it. The room is
 * allocated but never written, so it costs address space, not memory,
 * until the database grows into it.
 */
function readWithGrowthRoom(file: string, minRoom: number): Buffer {
  const size = statSync(file).size;
  const buffer = Buffer.allocUnsafeSlow(size + growthRoom(size, minRoom));
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * sql.js's in-memory file system keeps what `data.slice()` returns as the
 * file's storage and grows it by copying into a bigger array. Handing it a
 * view that already has room behind it means the first writes after opening
 * do not copy the whole database: at 100 MB that is 112 MB less peak memory.
 * If sql.js ever stops using slice(), it simply copies as before.
 */
function keepGrowthRoom(data: Buffer, raw: Buffer): Buffer {
  const room = Buffer.from(raw.buffer, raw.byteOffset, raw.buffer.byteLength - raw.byteOffset);
  const offset = data.byteOffset - raw.byteOffset;
  Object.defineProperty(data, 'slice', {
    value: (start = 0, end = data.length) =>
      start === 0 && end === data.length ? room.subarray(offset) : Buffer.prototype.subarray.call(data, start, end),
  });
  return data;
}

const flushSliceBytes = 1024 * 1024;

/**
 * Writes the snapshot file. `stillWanted` is asked before the new file replaces the old one: the builder process
 * gives up there when the store that asked for it has gone (a new store may already be running on the data dir).
 */
export async function writeSnapshot(
  dir: string,
  seq: number,
  data: Uint8Array,
  createdAt: number,
  stillWanted: () => boolean = () => true,
): Promise<void> {
  const header: SnapshotHeader = { seq, bytes: data.length, crc32: crc32(data), createdAt };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const lengthBytes = Buffer.alloc(4);
  lengthBytes.writeUInt32LE(headerBytes.length, 0);
  const target = snapshotPath(dir);
  // A name of its own per snapshot, so two writers can never rename each other's file.
  const temp = `${target}.${seq}.${process.pid}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writev([magic, lengthBytes, headerBytes]);
    // Flushed a slice at a time: one fsync of the whole image would hold up the journal's small fsyncs behind it
    // on the same disk, and every write waiting for them.
    for (let offset = 0; offset < data.length; offset += flushSliceBytes) {
      const length = Math.min(flushSliceBytes, data.length - offset);
      await handle.write(data, offset, length);
      await handle.datasync();
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (!stillWanted()) {
    await fs.rm(temp, { force: true });
    throw new Error('the store that asked for this snapshot has gone');
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
