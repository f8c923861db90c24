/**
 * The durable outbound SMS queue: queued → submitted → delivered | failed |
 * expired, with retry and backoff. Messages wait for quiet hours to end,
 * and a queued message with the same merge key is updated, never duplicated.
 * A connector (the virtual SMSC here; SMPP later) takes the messages.
 */
import { analyzeSms } from '../../domain/sms-encoding';
import { inWindow, minuteOfDay, nextLocalTime } from '../../domain/local-time';
import type { Selectable } from 'kysely';
import type { SmsTable } from '../../store/schema';
import { countSms } from '../billing/rollups';
import { rulesOf, type EngineDeps, type Trx } from './deps';

export type SmsKind =
  | 'own-number'
  | 'notification'
  | 'missed-summary'
  | 'missed-detail'
  | 'reachable-alert'
  | 'opening-reminder'
  | 'service-closed'
  | 'reply'
  | 'cap-warning';

/** Kinds sent on the platform's initiative: they wait for quiet hours to end. Replies to the subscriber's own SMS do not. */
const heldByQuietHours = new Set<SmsKind>([
  'own-number',
  'notification',
  'missed-summary',
  'reachable-alert',
  'opening-reminder',
  'cap-warning',
]);

export interface NewSms {
  kind: SmsKind;
  sender: string;
  recipient: string;
  text: string;
  callIds?: number[];
  /** Within one recipient: a queued message with this key is updated instead of adding another. */
  mergeKey?: string | null;
  chargeParty: string;
  chargeable: boolean;
  validityHours: number;
  /** Not before this instant (bulk imports spread their reminders out). */
  notBefore?: number;
}

export interface SubmitResult {
  smscId: string;
}

export interface SmsConnector {
  readonly name: string;
  /** How many submits may be outstanding at once (the SMPP window); 1 when absent. */
  readonly maxInFlight?: number;
  submit(message: OutboundSms): Promise<SubmitResult>;
}

/** A queued SMS as a connector sends it. */
export interface OutboundSms {
  id: number;
  sender: string;
  recipient: string;
  text: string;
  encoding: string;
  parts: number;
}

/** Queues (or updates) a message inside the caller's transaction; returns its id. */
export async function enqueueSms(trx: Trx, deps: EngineDeps, sms: NewSms, at: number): Promise<number> {
  const rules = rulesOf(deps);
  const layout = analyzeSms(sms.text);
  const quiet = rules.quietHours;
  const hold =
    heldByQuietHours.has(sms.kind) && quiet.enabled && inWindow(minuteOfDay(at, rules.timeZone), quiet.from, quiet.to)
      ? nextLocalTime(at, quiet.to, rules.timeZone)
      : null;
  const fields = {
    text: sms.text,
    encoding: layout.encoding,
    parts: layout.parts,
    call_ids: JSON.stringify(sms.callIds ?? []),
    charge_party: sms.chargeParty,
    chargeable: sms.chargeable ? 1 : 0,
    updated_at: at,
  };
  if (sms.mergeKey) {
    const queued = await trx
      .selectFrom('sms')
      .select('id')
      .where('recipient', '=', sms.recipient)
      .where('merge_key', '=', sms.mergeKey)
      .where('state', '=', 'queued')
      .executeTakeFirst();
    if (queued) {
      await trx.updateTable('sms').set(fields).where('id', '=', queued.id).execute();
      return queued.id;
    }
  }
  const result = await trx
    .insertInto('sms')
    .values({
      ...fields,
      kind: sms.kind,
      sender: sms.sender,
      recipient: sms.recipient,
      state: 'queued',
      merge_key: sms.mergeKey ?? null,
      hold_until: hold,
      attempts: 0,
      next_attempt_at: Math.max(hold ?? at, sms.notBefore ?? at),
      expires_at: at + sms.validityHours * 3_600_000,
      smsc_id: null,
      error: null,
      created_at: at,
    })
    .executeTakeFirstOrThrow();
  await countSms(trx, sms.kind, at, 'queued');
  return Number(result.insertId);
}

/** Usage kinds for the billing engine, by what an SMS told its reader. */
const usageKindByOutcome: Record<string, string> = {
  'own-number': 'notification',
  callback: 'notification',
  voice: 'voice-message',
  'agent-message': 'manual-seat-message',
  'gave-up': 'missed-summary',
};

/**
 * Sends due messages through the connector, up to its window at once. A
 * batch is marked `submitting` durably before it goes out, so a message
 * the SMSC may have accepted is never taken for an unsent one: after a
 * crash only those (at most one window) are resent, and they are logged.
 */
export class SmsDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private recovered = false;
  /** Submits whose outcome is being written, by SMSC id: a receipt that overtakes the write waits for it. */
  private readonly recording = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: EngineDeps,
    private connector: SmsConnector,
  ) {}

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => this.kick(), intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  setConnector(connector: SmsConnector): void {
    this.connector = connector;
  }

  /** Runs a pass now (or right after the current one). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = null));
  }

  /** Resolves when no pass is running: for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        if (!this.recovered) {
          await this.recoverInterrupted();
          this.recovered = true;
        }
        await this.expire();
        while (await this.sendDue()) {
          // keep going while messages are due
        }
      } catch (error) {
        this.deps.logger.error('sms dispatch pass failed', { error: (error as Error).message });
      }
    } while (this.again);
  }

  /** Messages left `submitting` by a crash: their fate at the SMSC is unknown, so they are sent again. */
  async recoverInterrupted(): Promise<number> {
    const interrupted = await this.deps.store.write((trx) =>
      trx.updateTable('sms').set({ state: 'queued' }).where('state', '=', 'submitting').returning(['id', 'recipient']).execute(),
    );
    if (interrupted.length)
      this.deps.logger.warn('resending messages whose submit was interrupted by a stop; the SMSC may have had them', {
        ids: interrupted.map((m) => m.id),
      });
    return interrupted.length;
  }
  private async expire(): Promise<void> {
    const now = this.deps.clock.now();
    const expired = await this.deps.store.db
      .selectFrom('sms')
      .select(['id', 'recipient', 'kind', 'created_at'])
      .where('state', '=', 'queued')
      .where('expires_at', '<=', now)
      .execute();
    if (!expired.length) return;
    await this.deps.store.write(async (trx) => {
      await trx
        .updateTable('sms')
        .set({ state: 'expired', error: 'validity period ended before it could be sent', updated_at: now })
        .where(
          'id',
          'in',
          expired.map((e) => e.id),
        )
        .execute();
      for (const e of expired) await countSms(trx, e.kind, e.created_at, 'expired');
    });
    for (const e of expired) this.deps.bus.publish('sms/changed', { id: e.id, to: e.recipient, state: 'expired' });
  }

  /** Sends one batch of due messages, up to the window at once; false when nothing was due or a submit failed. */
  private async sendDue(): Promise<boolean> {
    const now = this.deps.clock.now();
    const window = Math.max(1, this.connector.maxInFlight ?? 1);
    const due = await this.deps.store.db
      .selectFrom('sms')
      .selectAll()
      .where('state', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .where('expires_at', '>', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(window * 4)
      .execute();
    if (!due.length) return false;
    await this.deps.store.write((trx) =>
      trx
        .updateTable('sms')
        .set({ state: 'submitting' })
        .where(
          'id',
          'in',
          due.map((m) => m.id),
        )
        .execute(),
    );
    let next = 0;
    let failures = 0;
    const worker = async () => {
      while (next < due.length) {
        const sms = due[next++]!;
        if (!(await this.submitOne(sms, now))) failures++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, due.length) }, worker));
    // A failure stops the pass: the failed messages wait for their backoff instead of a hot loop.
    return failures === 0;
  }

  private async submitOne(sms: Selectable<SmsTable>, now: number): Promise<boolean> {
    try {
      const { smscId } = await this.connector.submit({
        id: sms.id,
        sender: sms.sender,
        recipient: sms.recipient,
        text: sms.text,
        encoding: sms.encoding,
        parts: sms.parts,
      });
      const at = this.deps.clock.now();
      const written = this.deps.store.write(async (trx) => {
        // A receipt may have overtaken this write: only a message still `submitting` becomes `submitted`.
        await trx
          .updateTable('sms')
          .set({ smsc_id: smscId, attempts: sms.attempts + 1, error: null, updated_at: at })
          .where('id', '=', sms.id)
          .execute();
        await trx.updateTable('sms').set({ state: 'submitted' }).where('id', '=', sms.id).where('state', '=', 'submitting').execute();
        await recordSmsUsage(trx, sms, at);
        await countSms(trx, sms.kind, sms.created_at, 'submitted');
      });
      this.recording.set(smscId, written);
      try {
        await written;
      } finally {
        this.recording.delete(smscId);
      }
      this.deps.bus.publish('sms/changed', { id: sms.id, to: sms.recipient, state: 'submitted' });
      return true;
    } catch (error) {
      const { maxAttempts, backoffSeconds } = rulesOf(this.deps).smsRetry;
      const attempts = sms.attempts + 1;
      const failed = attempts >= maxAttempts;
      const message = (error as Error).message;
      await this.deps.store.write(async (trx) => {
        await trx
          .updateTable('sms')
          .set({
            state: failed ? 'failed' : 'queued',
            attempts,
            error: message,
            next_attempt_at: now + backoffSeconds * 1000 * 2 ** (attempts - 1),
            updated_at: now,
          })
          .where('id', '=', sms.id)
          .execute();
        if (failed) await countSms(trx, sms.kind, sms.created_at, 'failed');
      });
      this.deps.logger.warn('sms submit failed', { sms: sms.id, connector: this.connector.name, attempts, final: failed, error: message });
      this.deps.bus.publish('sms/changed', { id: sms.id, to: sms.recipient, state: failed ? 'failed' : 'queued' });
      return false;
    }
  }

  /** A delivery receipt from the SMSC: moves the message to its final state. */
  async receipt(smscId: string, state: 'delivered' | 'failed' | 'expired', error?: string): Promise<boolean> {
    await this.recording.get(smscId)?.catch(() => undefined);
    const now = this.deps.clock.now();
    const sms = await this.deps.store.db
      .selectFrom('sms')
      .select(['id', 'state', 'recipient', 'kind', 'created_at'])
      .where('smsc_id', '=', smscId)
      .executeTakeFirst();
    if (!sms) {
      this.deps.logger.warn('delivery receipt for an unknown message', { smscId, state });
      return false;
    }
    await this.deps.store.write(async (trx) => {
      await trx
        .updateTable('sms')
        .set({ state, error: error ?? null, updated_at: now })
        .where('id', '=', sms.id)
        .execute();
      // A repeated receipt changes nothing in the counts.
      if (sms.state === 'submitted' || sms.state === 'submitting') await countSms(trx, sms.kind, sms.created_at, state);
    });
    this.deps.bus.publish('sms/changed', { id: sms.id, to: sms.recipient, state });
    return true;
  }
}

async function recordSmsUsage(
  trx: Trx,
  sms: { id: number; kind: string; charge_party: string; chargeable: number; call_ids: string },
  at: number,
): Promise<void> {
  const callIds = JSON.parse(sms.call_ids) as number[];
  const base = { party: sms.charge_party, chargeable: sms.chargeable, at, sms_id: sms.id };
  if (sms.kind === 'notification' && callIds.length) {
    // A packed SMS carries several notices: one usage record per caller and kind.
    const calls = await trx.selectFrom('calls').select(['id', 'caller', 'outcome']).where('id', 'in', callIds).execute();
    const seen = new Map<string, number>();
    for (const call of calls) {
      const key = `${usageKindByOutcome[call.outcome] ?? 'notification'}|${call.caller}`;
      if (!seen.has(key)) seen.set(key, call.id);
    }
    for (const [key, callId] of seen) {
      await trx
        .insertInto('usage_records')
        .values({ ...base, kind: key.split('|')[0]!, quantity: 1, call_id: callId, detail: null })
        .execute();
    }
    return;
  }
  await trx
    .insertInto('usage_records')
    .values({
      ...base,
      kind: sms.kind === 'own-number' ? 'notification' : sms.kind,
      quantity: 1,
      call_id: callIds[0] ?? null,
      detail: null,
    })
    .execute();
}
