/**
 * The agent desk service: the desk's shared settings, the clock-driven state
 * changes (wrap-up over, a reservation nobody answered, a session that
 * ended) and the live view that supervisors and the agents' own desks get.
 *
 * Every change runs in a store transaction; the agents it touched are
 * announced once it is durable. Timed changes are applied by tick(), every
 * second and before each distribution decision, from the injected clock.
 */
import type { Kysely } from 'kysely';
import { defaultDeskConfig, deskConfigSchema, type DeskAgentView, type DeskConfig } from '../../api';
import type { Clock } from '../../clock';
import { minuteOfDay } from '../../domain/local-time';
import type { Logger } from '../../logger';
import type { Schema } from '../../store/schema';
import type { Store } from '../../store/store';
import type { SessionRegistry } from '../access/sessions';
import type { EngineDeps, Trx } from '../engine/deps';
import type { EventBus } from '../event-bus';
import { callView, markEnded, type CallRow } from './call-log';
import { changeState, choosePresence, idleSince, settleActivity, shownState, signOff, type StateRow } from './states';

type Db = Kysely<Schema> | Trx;

export interface DeskDeps {
  store: Store<Schema>;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  sessions: SessionRegistry;
  /** The engine's dependencies: the desk records messages and missed calls through the engine's use cases. */
  engine: EngineDeps;
}

/** Operators whose state changed in a transaction, announced after it commits. */
export type Changed = Set<number>;

const configKey = 'config';

export class Desk {
  private current: DeskConfig = defaultDeskConfig;
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticking: Promise<void> | null = null;

  constructor(readonly deps: DeskDeps) {}

  /** Reads the shared settings and signs every agent off: sessions live in memory, so after a restart nobody is at a desk. */
  async load(): Promise<void> {
    const row = await this.deps.store.db.selectFrom('desk_settings').selectAll().where('key', '=', configKey).executeTakeFirst();
    this.current = row ? deskConfigSchema.parse({ ...defaultDeskConfig, ...(JSON.parse(row.value_json) as object) }) : defaultDeskConfig;
    await this.write(async (trx, changed) => {
      const online = await trx.selectFrom('agent_states').selectAll().where('presence', '!=', 'offline').execute();
      for (const row of online) if (await signOff(trx, row, this.deps.clock.now())) changed.add(row.operator_id);
    });
  }

  config(): DeskConfig {
    return this.current;
  }

  async saveConfig(trx: Trx, next: DeskConfig, at: number): Promise<void> {
    await trx
      .insertInto('desk_settings')
      .values({ key: configKey, value_json: JSON.stringify(next), updated_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value_json: JSON.stringify(next), updated_at: at }))
      .execute();
  }

  /** After the saving transaction committed. */
  configSaved(next: DeskConfig): void {
    this.current = next;
    this.deps.bus.publish('desk/config-changed', {});
  }

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => {
      // A tick still running (a slow disk) is not doubled up.
      this.ticking ??= this.tick()
        .catch((e: Error) => this.deps.logger.error('desk tick failed', { error: e.message }))
        .finally(() => (this.ticking = null));
    }, intervalMs);
    this.timer.unref?.();
  }

  /** Stops the timer and waits for a tick in progress, so the store can close after it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  /** One transaction; the agents it changed are announced once it is durable. */
  async write<T>(fn: (trx: Trx, changed: Changed) => Promise<T>): Promise<T> {
    const changed: Changed = new Set();
    const result = await this.deps.store.write((trx) => fn(trx, changed));
    await this.announce(changed);
    return result;
  }

  /** Applies what the clock made due: wrap-ups over, reservations nobody answered, agents whose session ended. */
  async tick(): Promise<void> {
    // Most ticks find nothing due: look first, and take the store's write lock only when there is work.
    const online = await this.online(this.deps.store.db);
    const at = this.deps.clock.now();
    if (online.some((row) => this.due(row, at))) await this.write((trx, changed) => this.applyDue(trx, changed));
  }

  async applyDue(trx: Trx, changed: Changed): Promise<void> {
    const at = this.deps.clock.now();
    for (const row of await this.online(trx)) {
      const due = this.due(row, at);
      if (due === 'signed-out') {
        if (await signOff(trx, row, at)) changed.add(row.operator_id);
      } else if (due === 'wrap-up-over') {
        // Back to what the agent chose: Ready, or Not ready if they said so during the call.
        if (await changeState(trx, row, { activity: 'idle', wrap_up_until: null }, at)) changed.add(row.operator_id);
      } else if (due === 'reservation-over') {
        const calls = await trx
          .selectFrom('agent_calls')
          .selectAll()
          .where('operator_id', '=', row.operator_id)
          .where('ended_at', 'is', null)
          .where('answered_at', 'is', null)
          .execute();
        await this.releaseUnanswered(trx, row, calls, at);
        changed.add(row.operator_id);
      }
    }
  }

  private online(db: Db): Promise<StateRow[]> {
    return db.selectFrom('agent_states').selectAll().where('presence', '!=', 'offline').execute();
  }

  private due(row: StateRow, at: number): 'signed-out' | 'wrap-up-over' | 'reservation-over' | null {
    if (!this.signedIn(row.operator_id)) return 'signed-out';
    if (row.activity === 'wrap-up' && Number(row.wrap_up_until) <= at) return 'wrap-up-over';
    if (row.activity === 'ringing' && row.reserved_until !== null && Number(row.reserved_until) <= at) return 'reservation-over';
    return null;
  }

  /**
   * Calls that rang at the desk and were not taken (the proxy moved on, or nobody reported anything in time):
   * the agent goes Not ready, so the next call does not ring at an empty desk too.
   */
  async releaseUnanswered(trx: Trx, row: StateRow, calls: CallRow[], at: number): Promise<void> {
    for (const call of calls) await markEnded(trx, call, 'missed', at);
    await choosePresence(trx, row, 'not-ready', 'missed-call', at);
    await settleActivity(trx, row, at, await this.timing(trx, row.operator_id));
  }

  /** Whether the operator has a live console session (the desk is open somewhere). */
  signedIn(operatorId: number): boolean {
    const { sessions } = this.deps;
    return sessions.sessionsOf(new Set([operatorId])).some((id) => sessions.isLive(id));
  }

  /** Wrap-up (the agent's own setting, else the desk's) and the reservation time, for settleActivity. */
  async timing(db: Db, operatorId: number, answeredCallEnded = false) {
    const own = await db
      .selectFrom('agent_sip_settings')
      .select('wrap_up_seconds')
      .where('operator_id', '=', operatorId)
      .executeTakeFirst();
    return {
      answeredCallEnded,
      wrapUpSeconds: own?.wrap_up_seconds ?? this.current.wrapUpSeconds,
      reservationSeconds: this.current.reservationSeconds,
    };
  }

  async announce(operatorIds: Iterable<number>): Promise<void> {
    const { bus, sessions } = this.deps;
    for (const operatorId of operatorIds) {
      const view = await this.agentView(this.deps.store.db, operatorId);
      if (!view) continue;
      bus.publish('desk/agent-changed', view);
      const own = sessions.sessionsOf(new Set([operatorId]));
      if (own.length) bus.publish('desk/my-state', view, own);
    }
  }

  /** Every agent who has used the desk (disabled operators left out), by name. */
  async agents(): Promise<DeskAgentView[]> {
    const db = this.deps.store.db;
    const rows = await db
      .selectFrom('agent_states')
      .innerJoin('operators', 'operators.id', 'agent_states.operator_id')
      .select('operator_id')
      .where('operators.disabled', '=', 0)
      .orderBy('operators.username')
      .execute();
    const views: DeskAgentView[] = [];
    for (const { operator_id } of rows) {
      const view = await this.agentView(db, operator_id);
      if (view) views.push(view);
    }
    return views;
  }

  async agentView(db: Db, operatorId: number): Promise<DeskAgentView | null> {
    const row = await db
      .selectFrom('agent_states')
      .innerJoin('operators', 'operators.id', 'agent_states.operator_id')
      .leftJoin('agent_sip_settings', 'agent_sip_settings.operator_id', 'agent_states.operator_id')
      .selectAll('agent_states')
      .select(['operators.username', 'operators.display_name', 'agent_sip_settings.sip_user'])
      .where('agent_states.operator_id', '=', operatorId)
      .executeTakeFirst();
    if (!row) return null;
    const current = row.current_call_id
      ? await db.selectFrom('agent_calls').selectAll().where('id', '=', row.current_call_id).executeTakeFirst()
      : undefined;
    return {
      operatorId,
      username: row.username,
      displayName: row.display_name,
      sipUser: row.sip_user,
      state: shownState(row),
      presence: row.presence as DeskAgentView['presence'],
      activity: row.activity as DeskAgentView['activity'],
      reason: row.reason,
      since: Number(row.since),
      wrapUpEndsAt: row.activity === 'wrap-up' && row.wrap_up_until !== null ? Number(row.wrap_up_until) : null,
      idleSince: idleSince(row),
      currentCall: current ? await callView(db, current) : null,
      today: await this.today(db, operatorId),
    };
  }

  /** The agent's figures since local midnight in the operator's time zone. */
  private async today(db: Db, operatorId: number): Promise<DeskAgentView['today']> {
    const at = this.deps.clock.now();
    const midnight = at - (at % 60_000) - minuteOfDay(at, this.deps.engine.settings.serviceRules.timeZone) * 60_000;
    const calls = await db
      .selectFrom('agent_calls')
      .select(['answered_at', 'ended_at', 'outcome'])
      .where('operator_id', '=', operatorId)
      .where('offered_at', '>=', midnight)
      .execute();
    const messages = await db
      .selectFrom('agent_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('operator_id', '=', operatorId)
      .where('created_at', '>=', midnight)
      .executeTakeFirstOrThrow();
    const talked = calls.filter((c) => c.answered_at !== null && c.ended_at !== null);
    return {
      offered: calls.length,
      answered: calls.filter((c) => c.answered_at !== null).length,
      missed: calls.filter((c) => c.outcome === 'missed' || c.outcome === 'rejected').length,
      talkMs: talked.reduce((sum, c) => sum + Number(c.ended_at) - Number(c.answered_at), 0),
      messages: Number(messages.n),
    };
  }
}
