/**
 * The write-ahead journal. Each committed transaction becomes one record:
 *
 *   [u32 payload length][u32 crc32(payload)][payload = v8.serialize({seq, texts, statements})]
 *
 * where each statement is [index into texts, params]: a batch of events runs the same few statements many
 * times, and writing each SQL text once per record makes the journal about half as long. Records written
 * before this carry [sql, params] and no texts; both are read.
 * in segment files `journal-<first seq>.rbj` that start with an 8-byte magic.
 * Appends are batched: while one batch is being written and fsynced, new
 * records collect in the next one (group commit). A record's writer is told
 * it is durable only after the fsync of its batch. Batches are written
 * strictly in order, also across segments, so "durable up to seq N" holds.
 */
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Logger } from '../logger';
import { crc32, fsyncDir } from './files';
import type { JournalStatement } from './sqljs-driver';

export const segmentMagic = Buffer.from('RBJRNL01');
const recordHeaderBytes = 8;

export interface JournalRecord {
  seq: number;
  statements: JournalStatement[];
}

export function segmentName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(16, '0')}.rbj`;
}

export function listSegments(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /^journal-\d{16}\.rbj$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/** The record as written: each SQL text once. */
interface PackedRecord {
  seq: number;
  texts: string[];
  statements: [number, JournalStatement[1]][];
}

export function encodeRecord(record: JournalRecord): Buffer {
  const texts: string[] = [];
  const indexOf = new Map<string, number>();
  const statements = record.statements.map(([sql, params]): [number, JournalStatement[1]] => {
    let index = indexOf.get(sql);
    if (index === undefined) {
      index = texts.push(sql) - 1;
      indexOf.set(sql, index);
    }
    return [index, params];
  });
  const payload = serialize({ seq: record.seq, texts, statements } satisfies PackedRecord);
  const frame = Buffer.allocUnsafe(recordHeaderBytes + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, recordHeaderBytes);
  return frame;
}

export interface SegmentScan {
  file: string;
  records: number;
  /** Bytes up to the end of the last good record. */
  goodBytes: number;
  /** Bytes after goodBytes that did not form a whole, checksummed record. */
  badBytes: number;
  /** The file does not start with the segment magic. */
  badMagic?: boolean;
}

/**
 * Reads a segment, handing each record to `onRecord` as it is decoded (so a
 * long journal never sits in memory as objects), and stops at the first
 * record that is short or fails its checksum.
 */
export function scanSegment(file: string, onRecord: (record: JournalRecord) => void = () => undefined): SegmentScan {
  const data = readFileSync(file);
  if (data.length < segmentMagic.length) return { file, records: 0, goodBytes: 0, badBytes: data.length };
  if (!data.subarray(0, segmentMagic.length).equals(segmentMagic)) {
    // A new segment whose first write was torn can start with zeros: the caller decides whether that is a torn tail.
    return { file, records: 0, goodBytes: 0, badBytes: data.length, badMagic: true };
  }
  let records = 0;
  let offset = segmentMagic.length;
  while (offset + recordHeaderBytes <= data.length) {
    const length = data.readUInt32LE(offset);
    const checksum = data.readUInt32LE(offset + 4);
    const end = offset + recordHeaderBytes + length;
    if (end > data.length) break;
    const payload = data.subarray(offset + recordHeaderBytes, end);
    // Zero-filled space (a file size persisted before its data) reads as length 0 with a matching crc: torn too.
    if (length === 0 || crc32(payload) !== checksum) break;
    let record: JournalRecord;
    try {
      record = unpack(deserialize(payload) as JournalRecord | PackedRecord);
    } catch {
      break;
    }
    onRecord(record);
    records++;
    offset = end;
  }
  return { file, records, goodBytes: offset, badBytes: data.length - offset };
}

function unpack(record: JournalRecord | PackedRecord): JournalRecord {
  if (!('texts' in record)) return record;
  const { texts } = record;
  return { seq: record.seq, statements: record.statements.map(([index, params]) => [texts[index]!, params]) };
}

export interface Segment {
  file: string;
  handle: fs.FileHandle | null;
  bytes: number;
}

interface Batch {
  segment: Segment;
  chunks: Buffer[];
  lastSeq: number;
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class Journal {
  private current: Segment;
  private readonly sealed: Segment[] = [];
  private readonly batches: Batch[] = [];
  private readonly waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private durableSeq: number;
  private failure: Error | null = null;

  /**
   * @param dir data dir
   * @param existing segments already on disk (older first) that replay kept; they are deleted by dropSealed()
   * @param nextSeq seq of the next record; a new segment is created for it on first flush
   */
  constructor(
    private readonly dir: string,
    existing: { file: string; bytes: number }[],
    nextSeq: number,
    private readonly logger: Logger,
  ) {
    this.durableSeq = nextSeq - 1;
    for (const s of existing) this.sealed.push({ file: s.file, handle: null, bytes: s.bytes });
    this.current = this.newSegment(nextSeq);
  }

  private newSegment(firstSeq: number): Segment {
    return { file: path.join(this.dir, segmentName(firstSeq)), handle: null, bytes: 0 };
  }

  get failed(): Error | null {
    return this.failure;
  }

  /** Total bytes of all segments on disk, written or queued. */
  get bytes(): number {
    let total = this.current.bytes;
    for (const s of this.sealed) total += s.bytes;
    for (const b of this.batches) for (const c of b.chunks) total += c.length;
    return total;
  }

  append(seq: number, statements: JournalStatement[]): void {
    if (this.failure) throw this.failure;
    const frame = encodeRecord({ seq, statements });
    const last = this.batches[this.batches.length - 1];
    // The batch at index 0 may be in flight; only later batches (or an idle queue) take new records.
    const canJoin = last && last.segment === this.current && (this.batches.length > 1 || !this.flushing);
    if (canJoin) {
      last.chunks.push(frame);
      last.lastSeq = seq;
    } else {
      this.batches.push({ segment: this.current, chunks: [frame], lastSeq: seq });
    }
    if (!this.flushing) this.flushing = this.flushLoop();
  }

  /** Resolves once every record up to `seq` is on disk. */
  waitDurable(seq: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (seq <= this.durableSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.batches.length) {
        const batch = this.batches[0]!;
        await this.writeBatch(batch);
        this.batches.shift();
        this.durableSeq = batch.lastSeq;
        while (this.waiters.length && this.waiters[0]!.seq <= this.durableSeq) this.waiters.shift()!.resolve();
      }
    } catch (error) {
      this.fail(error as Error);
    } finally {
      this.flushing = null;
    }
  }

  private async writeBatch(batch: Batch): Promise<void> {
    const segment = batch.segment;
    let data = batch.chunks.length === 1 ? batch.chunks[0]! : Buffer.concat(batch.chunks);
    if (!segment.handle) {
      segment.handle = await fs.open(segment.file, 'w');
      data = Buffer.concat([segmentMagic, data]);
      await segment.handle.write(data, 0, data.length, 0);
      await segment.handle.datasync();
      await fsyncDir(this.dir);
    } else {
      await segment.handle.write(data, 0, data.length, segment.bytes);
      await segment.handle.datasync();
    }
    segment.bytes += data.length;
  }

  private fail(error: Error): void {
    const failure = new Error(`Journal write failed; no further writes are accepted until restart: ${error.message}`);
    this.failure = failure;
    this.logger.error('journal write failed', { error: error.message, file: this.current.file });
    for (const w of this.waiters.splice(0)) w.reject(failure);
  }

  /** New records go to a new segment starting at `nextSeq`; returns the segments sealed so far, for dropSealed(). */
  rotate(nextSeq: number): Segment[] {
    if (this.current.handle || this.batches.some((b) => b.segment === this.current)) this.sealed.push(this.current);
    this.current = this.newSegment(nextSeq);
    return [...this.sealed];
  }

  /** Deletes the given sealed segments once their records are on disk; call after a snapshot covers them. */
  async dropSealed(segments: Segment[]): Promise<void> {
    const drop = segments.filter((s) => this.sealed.includes(s));
    if (!drop.length) return;
    const lastSealedBatch = [...this.batches].reverse().find((b) => drop.includes(b.segment));
    if (lastSealedBatch) await this.waitDurable(lastSealedBatch.lastSeq);
    for (const segment of drop) {
      this.sealed.splice(this.sealed.indexOf(segment), 1);
      await segment.handle?.close();
      await fs.rm(segment.file, { force: true });
    }
    await fsyncDir(this.dir);
  }

  /** Waits for queued records, then closes files. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    for (const segment of [...this.sealed, this.current]) {
      await segment.handle?.close();
      segment.handle = null;
    }
  }
}
