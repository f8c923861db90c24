/**
 * The reminder engine's use cases, each one transaction: the network API
 * and the console call these. Events with an `id` are idempotent: the first
 * answer is stored with the effect and returned again for a redelivery.
 */
import type { Insertable, Kysely } from 'kysely';
import type { z } from 'zod';
import { ApiError } from '../../api';
import {
  callEvent,
  inboundSms,
  ivrInput,
  presenceEvent,
  selfcareCall,
  type ServiceName,
  type SubscriberInput,
} from '../../api/engine-types';
import { rulesOf, type EngineDeps, type Trx } from './deps';
import { ivrStep, startCall, storeRecording } from './calls';
import { outsideWrite } from '../../store/sqljs-driver';
import { prepare } from '../../store/prepared';
import type { NetworkEventsTable, Schema } from '../../store/schema';
import { TransactionBatcher } from './batcher';
import { BulkImports } from './bulk-import';
import { handleInboundSms } from './inbound-sms';
import { callsOf, presenceWatchList } from './queries';
import { applyPresence } from './notifications';
import { e164 } from './numbers';
import { normalizeMsisdn } from '../../domain/msisdn';
import { SmsDispatcher, type SmsConnector } from './sms-queue';
import { findSelfcareSession, prepareSelfcareInput, selfcareStep, startSelfcareCall } from './selfcare';
import { changeList, closeService, getSubscriber, provisionSubscriber, type ListName } from './subscribers';
import { dropAbandonedRecordings, greetingAudio, sessionRecordingAudio, storeGreetingRecording } from './greetings';
import { readVoiceFile, removeVoiceFiles } from './voice-files';
import { VirtualSmsc } from './virtual-smsc';

export interface EventAnswer<T> {
  status: number;
  body: T;
  /** True when this is the stored answer to an earlier delivery of the same id. */
  replayed: boolean;
}

function isUniqueViolation(error: unknown, table: string): boolean {
  return error instanceof Error && /UNIQUE constraint failed/.test(error.message) && error.message.includes(table);
}

export class Engine {
  readonly dispatcher: SmsDispatcher;
  readonly virtualSmsc: VirtualSmsc;
  readonly imports: BulkImports;
  private readonly batcher: TransactionBatcher;
  private sweepTimer: ReturnType<typeof setInterval> | null = null;

  constructor(readonly deps: EngineDeps) {
    this.virtualSmsc = new VirtualSmsc(deps, (smscId) => void this.dispatcher.receipt(smscId, 'delivered'));
    this.dispatcher = new SmsDispatcher(deps, this.virtualSmsc);
    this.imports = new BulkImports(deps);
    this.batcher = new TransactionBatcher(deps.store);
    deps.smsQueued = () => outsideWrite(() => queueMicrotask(() => this.dispatcher.kick()));
  }

  start(): void {
    this.dispatcher.start();
    this.dispatcher.kick();
    this.sweepTimer ??= setInterval(
      () => void this.sweep().catch((e: Error) => this.deps.logger.error('sweep failed', { error: e.message })),
      60_000,
    );
    this.sweepTimer.unref?.();
  }

  async stop(): Promise<void> {
    this.dispatcher.stop();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    await this.dispatcher.idle();
  }

  useConnector(connector: SmsConnector): void {
    this.dispatcher.setConnector(connector);
  }

  /** Runs `fn` once per event id: a redelivered id gets the first answer and changes nothing. */
  private async once<T>(
    eventId: string | undefined,
    endpoint: string,
    status: number,
    fn: (trx: Trx) => Promise<T>,
  ): Promise<EventAnswer<T>> {
    // The lookup runs in the same transaction as the effect, so a redelivery costs one read and writes nothing.
    const stored = async (trx: Trx | Engine['deps']['store']['db']): Promise<EventAnswer<T> | null> => {
      if (!eventId) return null;
      const prior = await priorEvent.first(trx, { id: eventId });
      if (!prior) return null;
      if (prior.endpoint !== endpoint)
        throw new ApiError('conflict', `The event id ${eventId} was already used for ${prior.endpoint}`, { field: 'id' });
      return { status: prior.status, body: JSON.parse(prior.response) as T, replayed: true };
    };
    try {
      return await this.batcher.run(async (trx) => {
        const earlier = await stored(trx);
        if (earlier) return earlier;
        const body = await fn(trx);
        if (eventId) {
          await recordEvent.run(trx, { id: eventId, endpoint, status, response: JSON.stringify(body), at: this.deps.clock.now() });
        }
        return { status, body, replayed: false };
      });
    } catch (error) {
      // Two deliveries of one id raced: the loser returns the winner's answer.
      if (isUniqueViolation(error, 'network_events')) return (await stored(this.deps.store.db))!;
      throw error;
    }
  }

  private msisdn(value: string, field = 'msisdn'): string {
    return e164(value, field, rulesOf(this.deps).defaultCountryCode);
  }

  async getSubscriber(raw: string) {
    const msisdn = this.msisdn(raw);
    const subscriber = await getSubscriber(this.deps.store.db, msisdn);
    if (!subscriber) throw new ApiError('not_found', `${msisdn} is not a subscriber`, { field: 'msisdn' });
    return subscriber;
  }

  async provision(raw: string, input: SubscriberInput) {
    const msisdn = this.msisdn(raw);
    const result = await this.deps.store.write((trx) => provisionSubscriber(trx, this.deps, msisdn, input, this.deps.clock.now()));
    this.deps.smsQueued();
    this.subscriberChanged(msisdn);
    return result;
  }

  async closeService(raw: string, service: ServiceName) {
    const msisdn = this.msisdn(raw);
    const result = await this.deps.store.write((trx) => closeService(trx, this.deps, msisdn, service, this.deps.clock.now()));
    this.subscriberChanged(msisdn);
    return result;
  }

  async changeList(raw: string, list: ListName, number: string, add: boolean) {
    const msisdn = this.msisdn(raw);
    const result = await this.deps.store.write((trx) => changeList(trx, this.deps, msisdn, list, number, add, this.deps.clock.now()));
    this.subscriberChanged(msisdn);
    return result;
  }

  /** Told after the change committed, so a screen that reloads reads it. */
  private subscriberChanged(msisdn: string | null): void {
    if (msisdn) this.deps.bus.publish('subscribers/changed', { msisdn });
  }

  async call(event: z.input<typeof callEvent>) {
    const parsed = callEvent.parse(event);
    const answer = await this.once(parsed.id, 'calls', 201, (trx) => startCall(trx, this.deps, parsed));
    if (!answer.replayed) this.deps.bus.publish('calls/changed', { callee: this.msisdn(parsed.callee, 'callee') });
    return answer;
  }

  /** A call to the voicemail number: the subscriber's self-care dialogue. */
  async selfcareCall(event: z.input<typeof selfcareCall>) {
    const parsed = selfcareCall.parse(event);
    return this.once(parsed.id, 'selfcare/calls', 201, (trx) => startSelfcareCall(trx, this.deps, parsed));
  }

  /**
   * With an `id`, a retried key press (an HTTP retry) is answered again instead of advancing the dialogue twice.
   * `selfcare` says which dialogue it was, so callers need not look the session up again.
   */
  async ivrInput(session: string, input: z.input<typeof ivrInput>) {
    const parsed = ivrInput.parse(input);
    const selfcare = await findSelfcareSession(this.deps.store.db, session);
    if (selfcare) {
      const prepared = { row: selfcare, input: await prepareSelfcareInput(this.deps, selfcare, parsed) };
      const answer = await this.once(parsed.id, `ivr/${session}`, 200, (trx) =>
        selfcareStep(trx, this.deps, prepared, parsed, this.deps.clock.now()),
      );
      if (!answer.replayed) {
        await removeVoiceFiles(this.deps, answer.body.deletedFiles);
        this.subscriberChanged(answer.body.changed);
      }
      return { action: answer.body.action, outcome: null, selfcare: true };
    }
    const answer = await this.once(parsed.id, `ivr/${session}`, 200, (trx) =>
      ivrStep(trx, this.deps, session, parsed, this.deps.clock.now()),
    );
    return { ...answer.body, selfcare: false };
  }

  /** A voice message's audio for the media server, unless its owner deleted it. */
  async voiceMessageAudio(callId: number): Promise<Buffer> {
    const call = await this.deps.store.db
      .selectFrom('calls')
      .select(['voice_file', 'voice_deleted_at'])
      .where('id', '=', callId)
      .executeTakeFirst();
    if (!call?.voice_file) throw new ApiError('not_found', `There is no voice message ${callId}`, { field: 'id' });
    if (call.voice_deleted_at !== null) throw new ApiError('not_found', `The subscriber deleted voice message ${callId}`, { field: 'id' });
    return readVoiceFile(this.deps, call.voice_file);
  }

  /** A recording from the media server: in a self-care call the subscriber's new greeting, otherwise the caller's voice message. */
  async uploadRecording(session: string, bytes: Buffer) {
    const selfcare = await findSelfcareSession(this.deps.store.db, session);
    if (selfcare) return storeGreetingRecording(this.deps, selfcare, bytes);
    return storeRecording(this.deps, session, bytes);
  }

  /** What a self-care call recorded, for the media server to play it back before the subscriber keeps it. */
  async sessionRecording(session: string): Promise<Buffer> {
    return sessionRecordingAudio(this.deps, session);
  }

  /** The subscriber's greeting as their callers hear it. */
  async greeting(raw: string) {
    return greetingAudio(this.deps, this.msisdn(raw));
  }

  async presence(event: z.input<typeof presenceEvent>) {
    const parsed = presenceEvent.parse(event);
    return this.once(parsed.id, 'presence', 200, (trx) => applyPresence(trx, this.deps, parsed));
  }

  async inboundSms(event: z.input<typeof inboundSms>) {
    const parsed = inboundSms.parse(event);
    const answer = await this.once(parsed.id, 'sms/inbound', 200, (trx) => handleInboundSms(trx, this.deps, parsed));
    // A command may have changed the sender's services, lists, privacy or language.
    const sender = normalizeMsisdn(parsed.from, rulesOf(this.deps).defaultCountryCode);
    if (!answer.replayed && sender.ok) this.subscriberChanged(sender.e164);
    return answer;
  }

  /** Numbers whose power-on matters: with calls waiting for it, and optionally every active subscriber. */
  async presenceWatchList(withActiveSubscribers: boolean): Promise<string[]> {
    return presenceWatchList(this.deps.store.db, withActiveSubscribers);
  }

  /** The calls to this number, newest first (the network API's query channel). */
  async missedCalls(raw: string) {
    const msisdn = this.msisdn(raw);
    return (await callsOf(this.deps.store.db, msisdn)).filter((c) => c.callee === msisdn);
  }

  /** Expires what waited too long: pending calls and reachable requests, and dialogues the media server abandoned. */
  async sweep(): Promise<{ expiredCalls: number; expiredAlerts: number; abandoned: number }> {
    const rules = rulesOf(this.deps);
    const now = this.deps.clock.now();
    const dropped: string[] = [];
    const swept = await this.deps.store.write(async (trx) => {
      const calls = await trx
        .updateTable('calls')
        .set({ status: 'expired', status_reason: `not reachable within ${rules.expiryHours.notification} h` })
        .where('status', '=', 'pending')
        .where('at', '<', now - rules.expiryHours.notification * 3_600_000)
        .executeTakeFirst();
      const alerts = await trx
        .updateTable('calls')
        .set({ alert_status: 'expired' })
        .where('alert_status', '=', 'pending')
        .where('at', '<', now - rules.expiryHours.reachableAlert * 3_600_000)
        .executeTakeFirst();
      const abandoned = await trx
        .updateTable('calls')
        .set({ status: 'pending', outcome: 'gave-up', status_reason: 'the dialogue was abandoned', ended_at: now })
        .where('status', '=', 'open')
        .where('at', '<', now - 3_600_000)
        .executeTakeFirst();
      // Event ids are remembered for a week: far longer than any network element retries.
      await trx
        .deleteFrom('network_events')
        .where('at', '<', now - 7 * 24 * 3_600_000)
        .execute();
      // A greeting recorded in a self-care call the media server abandoned (no hang-up came) will never be kept.
      dropped.push(...(await dropAbandonedRecordings(trx, now)));
      return {
        expiredCalls: Number(calls.numUpdatedRows),
        expiredAlerts: Number(alerts.numUpdatedRows),
        abandoned: Number(abandoned.numUpdatedRows),
      };
    });
    await removeVoiceFiles(this.deps, dropped);
    return swept;
  }
}

// Every network event with an id looks up and records its answer: built once (see store/prepared).
const priorEvent = prepare((db: Kysely<Schema>, v: { id: string }) => db.selectFrom('network_events').selectAll().where('id', '=', v.id));
const recordEvent = prepare((db: Kysely<Schema>, v: Insertable<NetworkEventsTable>) =>
  db.insertInto('network_events').values({ id: v.id, endpoint: v.endpoint, status: v.status, response: v.response, at: v.at }),
);
