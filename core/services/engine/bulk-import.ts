/**
 * Bulk provisioning from CSV: validated line by line (bad lines are reported
 * and skipped, good ones applied), in batches of one transaction each, with
 * progress events and cancellation between batches. The opening reminders
 * are spread out to the configured rate so the SMSC is not flooded.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../api';
import type { ImportJob, SubscriberInput } from '../../api/engine-types';
import { normalizeMsisdn } from '../../domain/msisdn';
import type { Handlers } from '../context';
import { recordAudit } from '../audit';
import { actorOf } from '../context';
import { rulesOf, type EngineDeps } from './deps';
import { provisionSubscriber } from './subscribers';

const batchSize = 200;
const columns = ['msisdn', 'missedcallalert', 'reachablealert', 'voicemail', 'language', 'privacy', 'tariff'] as const;

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function flag(value: string | undefined, name: string): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (['1', 'yes', 'y', 'true', 'on', '是', '开通'].includes(v)) return true;
  if (['', '0', 'no', 'n', 'false', 'off', '否'].includes(v)) return false;
  throw new Error(`${name}: use yes or no`);
}

export function parseImportLine(cells: Record<string, string>, defaultCountryCode: string): { msisdn: string; input: SubscriberInput } {
  const number = normalizeMsisdn(cells.msisdn ?? '', defaultCountryCode);
  if (!number.ok) throw new Error(`msisdn: ${number.message}`);
  const language = (cells.language ?? '').trim() || 'zh-CN';
  if (!['en', 'zh-CN'].includes(language)) throw new Error('language: use en or zh-CN');
  const privacy = (cells.privacy ?? '').trim() || 'all';
  if (!['all', 'whitelist', 'nobody'].includes(privacy)) throw new Error('privacy: use all, whitelist or nobody');
  return {
    msisdn: number.e164,
    input: {
      services: {
        missedCallAlert: flag(cells.missedcallalert, 'missedCallAlert'),
        reachableAlert: flag(cells.reachablealert, 'reachableAlert'),
        voicemail: flag(cells.voicemail, 'voicemail'),
      },
      language: language as 'en' | 'zh-CN',
      privacy: { mode: privacy as 'all' | 'whitelist' | 'nobody', hidden: [] },
      // Empty: the current plan is kept, and a new subscriber takes the default plan.
      tariff: (cells.tariff ?? '').trim() || undefined,
    },
  };
}

export class BulkImports {
  private readonly jobs = new Map<string, ImportJob & { cancel: boolean }>();

  constructor(private readonly deps: EngineDeps) {}

  list(): ImportJob[] {
    return [...this.jobs.values()].map(({ cancel: _cancel, ...job }) => job).sort((a, b) => b.startedAt - a.startedAt);
  }

  start(csv: string, onDone: (job: ImportJob) => void): ImportJob {
    const rows = parseCsv(csv);
    const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
    if (!header.includes('msisdn'))
      throw new ApiError('validation', `csv: the first line must name the columns: ${columns.join(',')}`, { field: 'csv' });
    const unknown = header.filter((h) => !(columns as readonly string[]).includes(h));
    if (unknown.length)
      throw new ApiError('validation', `csv: unknown columns ${unknown.join(', ')}; use ${columns.join(',')}`, { field: 'csv' });
    const job = {
      id: randomBytes(6).toString('hex'),
      state: 'running' as ImportJob['state'],
      total: rows.length,
      done: 0,
      opened: 0,
      failed: 0,
      errors: [] as ImportJob['errors'],
      startedAt: this.deps.clock.now(),
      finishedAt: null as number | null,
      cancel: false,
    };
    this.jobs.set(job.id, job);
    void this.run(job, header, rows).then(
      () => onDone(this.view(job)),
      (error: Error) => {
        job.state = 'failed';
        job.errors.push({ line: 0, message: error.message });
        job.finishedAt = this.deps.clock.now();
        this.publish(job);
        onDone(this.view(job));
      },
    );
    return this.view(job);
  }

  cancel(id: string): ImportJob {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('not_found', `There is no import ${id}`, { field: 'id' });
    job.cancel = true;
    return this.view(job);
  }

  private view(job: ImportJob & { cancel: boolean }): ImportJob {
    const { cancel: _cancel, ...rest } = job;
    return { ...rest, errors: rest.errors.slice(0, 200) };
  }

  private publish(job: ImportJob & { cancel: boolean }): void {
    this.deps.bus.publish('provisioning/progress', this.view(job));
  }

  private async run(job: ImportJob & { cancel: boolean }, header: string[], rows: string[][]): Promise<void> {
    const rules = rulesOf(this.deps);
    const spacingMs = 1000 / rules.bulkRemindersPerSecond;
    let reminders = 0;
    for (let start = 0; start < rows.length; start += batchSize) {
      if (job.cancel) {
        job.state = 'cancelled';
        break;
      }
      const batch = rows.slice(start, start + batchSize);
      await this.deps.store.write(async (trx) => {
        for (const [offset, cells] of batch.entries()) {
          const line = start + offset + 2; // 1-based, after the header
          try {
            const { msisdn, input } = parseImportLine(
              Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])),
              rules.defaultCountryCode,
            );
            const at = this.deps.clock.now();
            const result = await provisionSubscriber(trx, this.deps, msisdn, input, at, at + Math.floor(reminders * spacingMs));
            reminders += result.opened.length;
            job.opened += result.opened.length;
          } catch (error) {
            job.failed++;
            job.errors.push({ line, message: (error as Error).message });
          }
        }
      });
      job.done += batch.length;
      this.deps.smsQueued();
      this.publish(job);
      // Let the console and the network API in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (job.state === 'running') job.state = 'done';
    job.finishedAt = this.deps.clock.now();
    this.publish(job);
  }
}

export const bulkImportHandlers: Pick<Handlers, 'provisioning/import' | 'provisioning/cancel' | 'provisioning/jobs'> = {
  'provisioning/import': async (input, ctx) => {
    const actor = actorOf(ctx);
    const who = { actorId: actor.operatorId, actorName: actor.username, command: ctx.command };
    return ctx.services.engine.imports.start(input.csv, (done) => {
      const detail = `bulk import ${done.state}: ${done.done} of ${done.total} lines, ${done.opened} services opened, ${done.failed} lines refused`;
      void recordAudit(ctx.services, who, { target: `import:${done.id}`, detail });
    });
  },
  'provisioning/cancel': async (input, ctx) => ctx.services.engine.imports.cancel(input.id),
  'provisioning/jobs': async (_input, ctx) => ctx.services.engine.imports.list(),
};
