/**
 * Network events that arrive together are applied in one transaction (one
 * journal record, one fsync wait), each inside its own savepoint: an event
 * that fails is rolled back alone and its caller gets its own error, while
 * the others commit. The savepoint statements are journaled like any other,
 * so a replay rolls back exactly what was rolled back.
 */
import { CompiledQuery } from 'kysely';
import { executeCompiled } from '../../store/prepared';
import type { Schema } from '../../store/schema';
import type { Store } from '../../store/store';
import type { Trx } from './deps';

// Compiled once: they run around every event.
const savepoint = CompiledQuery.raw('SAVEPOINT event');
const release = CompiledQuery.raw('RELEASE event');
const rollbackTo = CompiledQuery.raw('ROLLBACK TO event');

interface Queued {
  work: (trx: Trx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class TransactionBatcher {
  private readonly queue: Queued[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store<Schema>,
    /** Measured (bench/engine.ts): 16 events a transaction took more per second than 64, and held the loop less long. */
    private readonly maxBatch = 16,
  ) {}

  run<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || !this.queue.length) return;
    this.scheduled = true;
    // Everything that arrives in this turn of the event loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush(this.queue.splice(0, this.maxBatch));
      this.schedule();
    });
  }

  private async flush(batch: Queued[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.store.write(async (trx) => {
        for (const item of batch) {
          await executeCompiled<Schema, unknown>(trx, savepoint);
          try {
            outcomes.push({ ok: true, value: await item.work(trx) });
            await executeCompiled<Schema, unknown>(trx, release);
          } catch (error) {
            await executeCompiled<Schema, unknown>(trx, rollbackTo);
            await executeCompiled<Schema, unknown>(trx, release);
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => (outcomes[i]!.ok ? item.resolve(outcomes[i]!.value) : item.reject(outcomes[i]!.value)));
  }
}
