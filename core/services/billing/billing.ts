/**
 * The billing service: its settings, the rating job, and the long jobs
 * (rate, close, rerate, export) that take turns, one at a time. Every minute
 * it rates new usage and, when configured, closes ended cycles and writes
 * the previous day's export.
 */
import type { Transaction } from 'kysely';
import { ApiError, defaultBillingSettings, type BillingSettings, type ExportFileInfo } from '../../api';
import { addDays, cycleContaining, previousCycle, type CycleConfig } from '../../domain/billing';
import { localDay } from '../../domain/local-time';
import type { Schema } from '../../store/schema';
import { Mutex } from '../../store/mutex';
import type { EngineDeps } from '../engine/deps';
import { checkClosable, closeCycle, type CloseContext } from './cycles';
import { checkExportDir, exportInfo, writeExportFile } from './exports';
import { domainPlans, loadPlans } from './plans';
import { RatingJob } from './rating';
import { cycleConfigOf, readBillingSettings } from './state';

export type BillingJob = 'rate' | 'close' | 'rerate' | 'export';

export class Billing {
  readonly rating: RatingJob;
  private current: BillingSettings = defaultBillingSettings;
  private readonly jobs = new Mutex();
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Told of progress in long jobs (the core publishes it to consoles). */
  onProgress: (job: BillingJob, cycle: string | null, done: number) => void = () => undefined;

  private stopping = false;

  constructor(readonly deps: EngineDeps) {
    this.rating = new RatingJob(
      deps,
      () => this.current,
      () => this.checkStopping(),
    );
  }

  /** Long jobs call this between transactions: a stop ends them there (each batch is durable; a close resumes). */
  private checkStopping(): void {
    if (this.stopping)
      throw new ApiError(
        'unavailable',
        'The core is stopping: the billing job stopped between two batches and can run again after the start',
      );
  }

  async load(): Promise<void> {
    this.current = await readBillingSettings(this.deps.store.db);
  }

  settings(): BillingSettings {
    return this.current;
  }

  config(): CycleConfig {
    return cycleConfigOf(this.current);
  }

  start(intervalMs = 60_000): void {
    this.timer ??= setInterval(
      () => void this.tick().catch((error: Error) => this.deps.logger.error('billing tick failed', { error: error.message })),
      intervalMs,
    );
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping = true;
    // A job in progress ends after its current batch.
    await this.jobs.run(() => undefined);
  }

  /** Runs a job when no other billing job runs. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.jobs.run(fn);
  }

  async closeContext(operator: string, job: BillingJob, cycle: string): Promise<CloseContext> {
    const { store, clock, logger } = this.deps;
    return {
      db: store.db,
      write: <T>(fn: (trx: Transaction<Schema>) => Promise<T>) => store.write(fn),
      config: this.config(),
      plans: domainPlans(await loadPlans(store.db)),
      now: clock.now(),
      operator,
      logger,
      progress: (done) => {
        this.onProgress(job, cycle, done);
        this.checkStopping();
      },
    };
  }

  /** Rates what is new, then closes the cycle (call inside exclusive()). */
  async close(key: string, operator: string): Promise<void> {
    const now = this.deps.clock.now();
    const cycle = await checkClosable(this.deps.store.db, this.config(), key, now);
    await this.rating.run();
    await closeCycle({ ...(await this.closeContext(operator, 'close', key)), rated: this.rating.ratedParties(cycle) }, cycle);
    this.rating.invalidate();
  }

  /** Writes the file of an ended day (call inside exclusive()); nothing is recorded unless the file is complete. */
  async exportDay(day: string, operator: string): Promise<ExportFileInfo> {
    const { store, clock } = this.deps;
    const existing = await store.db.selectFrom('export_files').selectAll().where('day', '=', day).executeTakeFirst();
    if (existing) {
      throw new ApiError(
        'conflict',
        `The file for ${day} was written already (sequence ${existing.seq}, ${existing.filename}): download it`,
        {
          field: 'day',
        },
      );
    }
    const dir = await checkExportDir(this.current.exportDir);
    await this.rating.run();
    const last = await store.db
      .selectFrom('export_files')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    const written = await writeExportFile({ db: store.db, settings: this.current, now: clock.now() }, day, seq, dir);
    const row = {
      seq: written.seq,
      day: written.day,
      filename: written.filename,
      path: written.path,
      sha256: written.sha256,
      rows: written.rows,
      bytes: written.bytes,
      created_at: written.createdAt,
      created_by: operator,
    };
    await store.write((trx) => trx.insertInto('export_files').values(row).execute());
    return exportInfo(row);
  }

  /** The minute's work: rate new usage; close the ended cycle and export yesterday when so configured. */
  async tick(): Promise<void> {
    await this.exclusive(async () => {
      await this.rating.run();
      const now = this.deps.clock.now();
      const settings = this.current;
      if (settings.autoClose) {
        const ended = previousCycle(cycleContaining(now, this.config()));
        const row = await this.deps.store.db.selectFrom('billing_cycles').select('status').where('key', '=', ended.key).executeTakeFirst();
        if (row && row.status !== 'closed') {
          await this.close(ended.key, 'system');
          this.deps.bus.publish('billing/changed', { what: 'cycles' });
        }
      }
      if (settings.autoExport && settings.exportDir) {
        const yesterday = addDays(localDay(now, settings.timeZone), -1);
        const done = await this.deps.store.db.selectFrom('export_files').select('seq').where('day', '=', yesterday).executeTakeFirst();
        if (!done) {
          await this.exportDay(yesterday, 'system');
          this.deps.bus.publish('billing/changed', { what: 'exports' });
        }
      }
    });
  }
}
