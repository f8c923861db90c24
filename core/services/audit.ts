/** The audit log: who did what, when, from where, with the before and after of what changed. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEntry, AuditOutcome, AuditQuery, Page } from '../api';
import { auditQuery } from '../api';
import type { Schema } from '../store/schema';
import type { AuditFn, CoreServices } from './context';

export interface AuditRecord {
  target?: string | null;
  before?: unknown;
  after?: unknown;
  detail?: string | null;
  outcome?: AuditOutcome;
}

export interface AuditWho {
  at: number;
  actorId: number | null;
  actorName: string;
  command: string;
}

/** Never let a secret reach the audit log. */
const secretKeys = /password|token|secret|pin/i;
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretKeys.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(redact(value));
}

export async function insertAudit(trx: Transaction<Schema>, who: AuditWho, record: AuditRecord): Promise<AuditEntry> {
  const row = {
    at: who.at,
    actor_id: who.actorId,
    actor_name: who.actorName,
    command: who.command,
    outcome: record.outcome ?? 'ok',
    target: record.target ?? null,
    before_json: json(record.before),
    after_json: json(record.after),
    detail: record.detail ?? null,
  };
  const result = await trx.insertInto('audit_log').values(row).executeTakeFirstOrThrow();
  return toEntry({ ...row, id: Number(result.insertId) });
}

/** One transaction whose audit() calls are recorded with it and announced once it is durable. */
export async function auditedWrite<T>(
  services: CoreServices,
  who: Omit<AuditWho, 'at'>,
  fn: (trx: Transaction<Schema>, audit: AuditFn) => Promise<T>,
): Promise<T> {
  const entries: AuditEntry[] = [];
  const at = services.clock.now();
  const result = await services.store.write((trx) =>
    fn(trx, async (record) => {
      entries.push(await insertAudit(trx, { ...who, at }, record));
    }),
  );
  for (const entry of entries) services.bus.publish('audit/appended', entry);
  return result;
}

/** Records an event that changes nothing else (a refused command, a sign-out). */
export function recordAudit(services: CoreServices, who: Omit<AuditWho, 'at'>, record: AuditRecord): Promise<void> {
  return auditedWrite(services, who, (_trx, audit) => audit(record));
}

type AuditRow = Schema['audit_log'] extends infer T ? { [K in keyof T]: K extends 'id' ? number : T[K] } : never;

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: Number(row.at),
    actorId: row.actor_id,
    actorName: row.actor_name,
    command: row.command,
    outcome: row.outcome as AuditOutcome,
    target: row.target,
    before: row.before_json ? JSON.parse(row.before_json) : null,
    after: row.after_json ? JSON.parse(row.after_json) : null,
    detail: row.detail,
  };
}

function filtered(db: Kysely<Schema>, q: Omit<ReturnType<typeof auditQuery.parse>, 'page' | 'pageSize'>) {
  let query = db.selectFrom('audit_log');
  const contains = (column: 'actor_name' | 'command' | 'target' | 'detail' | 'before_json' | 'after_json', text: string) =>
    sql<boolean>`${sql.ref(column)} like ${`%${escapeLike(text)}%`} escape '\\'`;
  if (q.actor) query = query.where(contains('actor_name', q.actor));
  if (q.command) query = query.where(contains('command', q.command));
  if (q.outcome) query = query.where('outcome', '=', q.outcome);
  if (q.from !== undefined) query = query.where('at', '>=', q.from);
  if (q.to !== undefined) query = query.where('at', '<=', q.to);
  if (q.text) {
    const text = q.text;
    query = query.where((eb) => eb.or((['target', 'detail', 'before_json', 'after_json'] as const).map((c) => contains(c, text))));
  }
  return query;
}

/** Makes % and _ (and the escape character itself) match literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listAudit(db: Kysely<Schema>, input: AuditQuery): Promise<Page<AuditEntry>> {
  const q = auditQuery.parse(input);
  const base = filtered(db, q);
  const [{ total }] = (await base.select(sql<number>`count(*)`.as('total')).execute()) as [{ total: number }];
  const rows = await base
    .selectAll()
    .orderBy('at', q.sort)
    .orderBy('id', q.sort)
    .limit(q.pageSize)
    .offset(q.page * q.pageSize)
    .execute();
  return { rows: rows.map(toEntry), total: Number(total) };
}

/** CSV with a UTF-8 byte order mark and CRLF line ends, so spreadsheet tools open CJK text correctly. */
export async function exportAuditCsv(
  db: Kysely<Schema>,
  input: Omit<AuditQuery, 'page' | 'pageSize'>,
): Promise<{ csv: string; rows: number }> {
  const q = auditQuery.parse({ ...input, page: 0, pageSize: 1 });
  const rows = await filtered(db, q).selectAll().orderBy('at', q.sort).orderBy('id', q.sort).execute();
  const header = ['id', 'time_utc', 'actor', 'command', 'outcome', 'target', 'detail', 'before', 'after'];
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        new Date(Number(r.at)).toISOString(),
        r.actor_name,
        r.command,
        r.outcome,
        r.target ?? '',
        r.detail ?? '',
        r.before_json ?? '',
        r.after_json ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  return { csv: '\uFEFF' + lines.join('\r\n') + '\r\n', rows: rows.length };
}

export function csvField(value: unknown): string {
  let text = String(value);
  // A leading = + - @ would be run as a formula by spreadsheet tools.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
