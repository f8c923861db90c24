/**
 * The daily charge/CDR export for the operator's central billing system: one
 * CSV file per local day, format in docs/billing-export.md. The file is
 * written and fsynced under a temporary name, then renamed; only then is it
 * recorded, so a folder that cannot be written leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { ApiError, type BillingSettings, type ExportChunk, type ExportFileInfo } from '../../api';
import { addDays, cycleByKey, startOfLocalDay, type CycleConfig } from '../../domain/billing';
import { localDay } from '../../domain/local-time';
import type { Schema } from '../../store/schema';
import { fsyncDir } from '../../store/files';
import { statementOf } from './rows';
import { cycleConfigOf } from './state';

type Db = Kysely<Schema>;

export const exportFormatVersion = 1;

/** Columns of the data rows (D), in order; docs/billing-export.md explains each. */
export const exportColumns = [
  'record_type',
  'line_type',
  'cycle',
  'party',
  'plan',
  'plan_version',
  'line_key',
  'usage_kind',
  'record_id',
  'quantity',
  'time_utc',
  'time_local',
  'basis',
  'free_units',
  'gross_fen',
  'charged_fen',
  'capped',
  'currency',
  'reason',
] as const;

type Field = string | number | null;

/** Quotes only what needs it. Numbers stay numbers (a leading minus is a sign, not a formula). */
function field(value: Field): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // Free text (reasons) could start like a spreadsheet formula: neutralise it.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (fields: readonly Field[]) => fields.map(field).join(',') + '\r\n';

/** A data row's fields by column; the writer adds the record type, writes the party as E.164 digits
 * without the plus (what billing systems key subscribers by, and no formula trigger) and `at` as both times. */
type DataRow = { [C in Exclude<(typeof exportColumns)[number], 'record_type' | 'party' | 'time_utc' | 'time_local'>]?: Field } & {
  party: string;
  at: number;
};

const localFormats = new Map<string, Intl.DateTimeFormat>();
function localTime(at: number, timeZone: string): string {
  let format = localFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    localFormats.set(timeZone, format);
  }
  return format.format(at);
}

export function exportFileName(day: string, seq: number): string {
  return `reachback-charges-${day.replace(/-/g, '')}-${String(seq).padStart(6, '0')}.csv`;
}

/** Refuses a folder that is missing, not a folder, or cannot be written, naming the reason. */
export async function checkExportDir(dir: string | null): Promise<string> {
  if (!dir) throw new ApiError('validation', 'Set the export folder in the billing settings first', { field: 'exportDir' });
  const absolute = path.resolve(dir);
  const stat = await fs.stat(absolute).catch(() => null);
  if (!stat) throw new ApiError('validation', `The export folder ${absolute} does not exist`, { field: 'exportDir' });
  if (!stat.isDirectory()) throw new ApiError('validation', `${absolute} is not a folder`, { field: 'exportDir' });
  const probe = path.join(absolute, `.reachback-write-test-${process.pid}`);
  try {
    await fs.writeFile(probe, '');
    await fs.rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ApiError(
      'validation',
      `The export folder ${absolute} is not writable (${code}): choose another folder in the billing settings`,
      {
        field: 'exportDir',
        params: { code },
      },
    );
  }
  return absolute;
}

/** Streams the file through a hash: the trailer's checksum covers every byte after the BOM up to the trailer. */
class ExportWriter {
  private readonly hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  rows = 0;
  bytes = 0;

  constructor(
    private readonly handle: fs.FileHandle,
    private readonly timeZone: string,
  ) {}

  static async create(file: string, timeZone: string): Promise<ExportWriter> {
    const handle = await fs.open(file, 'wx');
    const writer = new ExportWriter(handle, timeZone);
    await writer.raw(Buffer.from([0xef, 0xbb, 0xbf]));
    return writer;
  }

  private async raw(bytes: Buffer): Promise<void> {
    await this.handle.write(bytes);
    this.bytes += bytes.length;
  }

  /** A data row by column name; the party as digits, the time `at` as both time columns. */
  data(row: DataRow): Promise<void> {
    this.rows += 1;
    const values: Record<string, Field> = {
      ...row,
      record_type: 'D',
      party: row.party.replace(/^\+/, ''),
      time_utc: new Date(row.at).toISOString(),
      time_local: localTime(row.at, this.timeZone),
    };
    return this.add(line(exportColumns.map((column) => values[column] ?? null)));
  }

  async add(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength > 1 << 20) await this.drain();
  }

  private async drain(): Promise<void> {
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(bytes);
    await this.raw(bytes);
  }

  /** Writes the trailer, fsyncs and closes; returns the checksum. */
  async finish(): Promise<string> {
    await this.drain();
    const sha256 = this.hash.digest('hex');
    await this.raw(Buffer.from(line(['T', this.rows, sha256]), 'utf8'));
    await this.handle.sync();
    await this.handle.close();
    return sha256;
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

interface ExportSource {
  db: Db;
  settings: BillingSettings;
  now: number;
}

async function writeRows(writer: ExportWriter, source: ExportSource, day: string): Promise<void> {
  const { db, settings } = source;
  const config: CycleConfig = cycleConfigOf(settings);
  const tz = settings.timeZone;
  const start = startOfLocalDay(day, tz);
  const end = startOfLocalDay(addDays(day, 1), tz);
  const plans = new Map((await db.selectFrom('tariff_plans').select(['id', 'currency']).execute()).map((p) => [p.id, p.currency]));
  const currencyOf = (planId: string | null) => (planId && plans.get(planId)) || 'CNY';

  // Usage: each rated record of the day, keyset-paged by (at, id) along the usage_records_at index.
  let after = { at: start - 1, id: Number.MAX_SAFE_INTEGER };
  for (;;) {
    const rows = await db
      .selectFrom('usage_records as r')
      .innerJoin('usage_charges as c', 'c.record_id', 'r.id')
      .select([
        'r.id',
        'r.party',
        'r.kind',
        'r.quantity',
        'r.at',
        'c.cycle_key',
        'c.plan_id',
        'c.version',
        'c.basis',
        'c.free_units',
        'c.gross',
        'c.amount',
        'c.capped',
      ])
      .where((eb) => eb.or([eb('r.at', '>', after.at), eb.and([eb('r.at', '=', after.at), eb('r.id', '>', after.id)])]))
      .where('r.at', '>=', start)
      .where('r.at', '<', end)
      .orderBy('r.at')
      .orderBy('r.id')
      .limit(20_000)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      await writer.data({
        line_type: 'usage',
        cycle: r.cycle_key,
        party: r.party,
        plan: r.plan_id,
        plan_version: r.version,
        line_key: `usage:${r.id}`,
        usage_kind: r.kind,
        record_id: r.id,
        quantity: r.quantity,
        at: Number(r.at),
        basis: r.basis,
        free_units: r.free_units,
        gross_fen: Number(r.gross),
        charged_fen: Number(r.amount),
        capped: r.capped,
        currency: currencyOf(r.plan_id),
      });
    }
    const last = rows[rows.length - 1]!;
    after = { at: Number(last.at), id: last.id };
  }

  // Cycles closed that day: each subscriber's rent lines, then the statement total (what to invoice).
  const closed = await db
    .selectFrom('billing_cycles')
    .select('key')
    .where('closed_at', '>=', start)
    .where('closed_at', '<', end)
    .orderBy('key')
    .execute();
  for (const { key } of closed) {
    const cycle = cycleByKey(key, config);
    let party = '';
    for (;;) {
      const rows = await db
        .selectFrom('statements')
        .selectAll()
        .where('cycle_key', '=', key)
        .where('party', '>', party)
        .orderBy('party')
        .limit(10_000)
        .execute();
      if (!rows.length) break;
      for (const row of rows) {
        const statement = statementOf(row, cycle);
        for (const rent of statement.rent.lines) {
          await writer.data({
            line_type: 'rent',
            cycle: key,
            party: row.party,
            plan: rent.planId,
            plan_version: rent.version,
            line_key: rent.key,
            quantity: rent.days,
            at: rent.from,
            basis: rent.basis,
            gross_fen: rent.amount,
            charged_fen: rent.amount,
            currency: statement.currency,
          });
        }
        await writer.data({
          line_type: 'statement',
          cycle: key,
          party: row.party,
          plan: row.plan_id,
          line_key: 'statement',
          quantity: statement.usage.records,
          at: Number(row.closed_at),
          basis: 'statement',
          gross_fen: statement.rent.total + statement.usage.gross,
          charged_fen: statement.total,
          currency: statement.currency,
        });
      }
      party = rows[rows.length - 1]!.party;
    }
  }

  // Adjustments made that day (to any cycle).
  const adjustments = await db
    .selectFrom('adjustments')
    .selectAll()
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .orderBy('id')
    .execute();
  for (const a of adjustments) {
    await writer.data({
      line_type: 'adjustment',
      cycle: a.cycle_key,
      party: a.party,
      plan: a.plan_id,
      line_key: a.line_key,
      at: Number(a.created_at),
      basis: a.source,
      gross_fen: Number(a.amount),
      charged_fen: Number(a.amount),
      currency: a.currency,
      reason: a.reason,
    });
  }
}

/** Writes the day's file into the export folder; the caller records it (recordExport) once this returned. */
export async function writeExportFile(
  source: ExportSource,
  day: string,
  seq: number,
  dir: string,
): Promise<Omit<ExportFileInfo, 'createdBy'>> {
  const tz = source.settings.timeZone;
  const dayEnd = startOfLocalDay(addDays(day, 1), tz);
  if (source.now < dayEnd) {
    throw new ApiError(
      'validation',
      `${day} is not over yet (${tz}, today is ${localDay(source.now, tz)}): a day is exported once it has ended`,
      {
        field: 'day',
      },
    );
  }
  const filename = exportFileName(day, seq);
  const file = path.join(dir, filename);
  const temp = path.join(dir, `.${filename}.tmp`);
  await fs.rm(temp, { force: true });
  const writer = await ExportWriter.create(temp, tz).catch((error: NodeJS.ErrnoException) => {
    throw new ApiError('validation', `The export folder ${dir} is not writable (${error.code ?? 'error'})`, { field: 'exportDir' });
  });
  try {
    await writer.add(line(['H', 'reachback-charges', exportFormatVersion, seq, day, new Date(source.now).toISOString(), tz]));
    await writer.add(line([...exportColumns]));
    await writeRows(writer, source, day);
    const sha256 = await writer.finish();
    await fs.rename(temp, file);
    await fsyncDir(dir);
    return { seq, day, filename, path: file, rows: writer.rows, bytes: writer.bytes, sha256, createdAt: source.now };
  } catch (error) {
    await writer.abort();
    await fs.rm(temp, { force: true });
    if (error instanceof ApiError) throw error;
    throw new ApiError('validation', `Writing the export file in ${dir} failed: ${(error as Error).message}`, { field: 'exportDir' });
  }
}

type ExportRow = Schema['export_files'];

export function exportInfo(row: ExportRow): ExportFileInfo {
  return {
    seq: row.seq,
    day: row.day,
    filename: row.filename,
    path: row.path,
    rows: row.rows,
    bytes: row.bytes,
    sha256: row.sha256,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
  };
}

export async function readExportChunk(db: Db, seq: number, offset: number, maxBytes: number): Promise<ExportChunk> {
  const row = await db.selectFrom('export_files').selectAll().where('seq', '=', seq).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `There is no export file with sequence ${seq}`, { field: 'seq' });
  const handle = await fs.open(row.path, 'r').catch(() => {
    throw new ApiError('not_found', `The export file ${row.path} is no longer in the export folder (moved or deleted)`, { field: 'seq' });
  });
  try {
    const { size } = await handle.stat();
    const length = Math.max(0, Math.min(maxBytes, size - offset));
    const buffer = Buffer.alloc(length);
    if (length) await handle.read(buffer, 0, length, offset);
    return { seq, filename: row.filename, totalBytes: size, offset, base64: buffer.toString('base64'), done: offset + length >= size };
  } finally {
    await handle.close();
  }
}
