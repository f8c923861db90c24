/** Read models for the console: subscriber search and detail, virtual handsets, dashboard figures. */
import { sql, type Kysely } from 'kysely';
import { ApiError, type Page } from '../../api';
import type { EngineStats, MissedCall, SmsRecord, SubscriberDetail, SubscriberSummary, VirtualHandset } from '../../api/engine-types';
import { localDay } from '../../domain/local-time';
import { normalizeMsisdn } from '../../domain/msisdn';
import type { Schema } from '../../store/schema';
import { rulesOf, type EngineDeps } from './deps';
import { getSubscriber } from './subscribers';

type Db = Kysely<Schema>;

export async function searchSubscribers(
  db: Db,
  q: { query: string; state?: string; page: number; pageSize: number },
  defaultCountryCode: string,
): Promise<Page<SubscriberSummary>> {
  // A whole number in any form finds its subscriber; a fragment matches digits anywhere in the E.164 form.
  const whole = normalizeMsisdn(q.query, defaultCountryCode);
  const digits = whole.ok ? whole.e164.slice(1) : q.query.replace(/\D/g, '');
  let base = db.selectFrom('subscribers');
  if (digits) base = base.where('msisdn', 'like', `%${digits}%`);
  if (q.state) base = base.where('state', '=', q.state);
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('calls')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('calls.callee', '=', 'subscribers.msisdn')
        .where('calls.status', '=', 'pending')
        .as('pending'),
    )
    .orderBy('updated_at', 'desc')
    .limit(q.pageSize)
    .offset(q.page * q.pageSize)
    .execute();
  return {
    total,
    rows: rows.map((r) => ({
      msisdn: r.msisdn,
      state: r.state as SubscriberSummary['state'],
      services: { missedCallAlert: r.missed_call_alert === 1, reachableAlert: r.reachable_alert === 1, voicemail: r.voicemail === 1 },
      language: r.language === 'en' ? 'en' : 'zh-CN',
      privacyMode: r.privacy_mode as SubscriberSummary['privacyMode'],
      tariff: r.tariff,
      pendingCalls: Number(r.pending ?? 0),
      updatedAt: Number(r.updated_at),
    })),
  };
}

/** Calls to this number still waiting for its notice. */
export async function pendingCallCount(db: Db, callee: string): Promise<number> {
  const row = await db
    .selectFrom('calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('callee', '=', callee)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function callsOf(db: Db, msisdn: string): Promise<MissedCall[]> {
  const rows = await db
    .selectFrom('calls')
    .selectAll()
    .where((eb) => eb.or([eb('callee', '=', msisdn), eb('caller', '=', msisdn)]))
    .orderBy('at', 'desc')
    .limit(200)
    .execute();
  return rows.map((c) => ({
    id: c.id,
    caller: c.clir ? null : c.caller,
    callee: c.callee,
    at: Number(c.at),
    reason: c.reason,
    outcome: c.outcome,
    callback: c.callback,
    status: c.status,
    statusReason: c.status_reason,
    alertStatus: c.alert_status,
    // A message its owner deleted by self-care is gone: nothing left to play.
    hasVoice: c.voice_file !== null && c.voice_deleted_at === null,
  }));
}

export async function smsOf(db: Db, msisdn: string): Promise<SmsRecord[]> {
  const rows = await db.selectFrom('sms').selectAll().where('recipient', '=', msisdn).orderBy('id', 'desc').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    from: r.sender,
    to: r.recipient,
    text: r.text,
    encoding: r.encoding,
    parts: r.parts,
    state: r.state,
    attempts: r.attempts,
    error: r.error,
    holdUntil: r.hold_until === null ? null : Number(r.hold_until),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }));
}

export async function subscriberDetail(db: Db, msisdn: string): Promise<SubscriberDetail> {
  const subscriber = await getSubscriber(db, msisdn);
  if (!subscriber) throw new ApiError('not_found', `${msisdn} is not a subscriber`, { field: 'msisdn' });
  const presence = await db.selectFrom('presence').selectAll().where('msisdn', '=', msisdn).executeTakeFirst();
  return {
    subscriber,
    presence: presence ? { state: presence.state as 'reachable' | 'unreachable', at: Number(presence.at) } : null,
    calls: await callsOf(db, msisdn),
    sms: await smsOf(db, msisdn),
  };
}

/** The Lab's phones: the numbers asked for plus every number that took part recently. */
export async function virtualHandsets(db: Db, numbers: string[], only = false): Promise<VirtualHandset[]> {
  const recent = only
    ? []
    : await db
        .selectFrom('virtual_inbox')
        .select('recipient as msisdn')
        .union(db.selectFrom('calls').select('caller as msisdn').where('caller', '!=', 'anonymous'))
        .union(db.selectFrom('calls').select('callee as msisdn'))
        .execute();
  const all = [...new Set([...numbers, ...recent.map((r) => r.msisdn)])].slice(0, 40);
  const handsets: VirtualHandset[] = [];
  for (const msisdn of all) {
    const presence = await db.selectFrom('presence').selectAll().where('msisdn', '=', msisdn).executeTakeFirst();
    const subscriber = await getSubscriber(db, msisdn);
    const messages = await db
      .selectFrom('virtual_inbox')
      .selectAll()
      .where('recipient', '=', msisdn)
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    handsets.push({
      msisdn,
      presence: presence ? (presence.state as 'reachable' | 'unreachable') : 'unknown',
      presenceAt: presence ? Number(presence.at) : null,
      subscriber: subscriber && subscriber.state !== 'cancelled' ? { services: subscriber.services, language: subscriber.language } : null,
      messages: messages.map((m) => ({ id: m.id, from: m.sender, text: m.text, encoding: m.encoding, parts: m.parts, at: Number(m.at) })),
    });
  }
  return handsets;
}

export async function engineStats(deps: EngineDeps): Promise<EngineStats> {
  const db = deps.store.db;
  const rules = rulesOf(deps);
  const now = deps.clock.now();
  const since = now - (now % 3_600_000) - 23 * 3_600_000;
  const today = localDay(now, rules.timeZone);
  const calls = await db.selectFrom('calls').select(['at', 'outcome']).where('at', '>=', since).execute();
  const sms = await db.selectFrom('sms').select(['created_at', 'updated_at', 'state', 'kind']).where('created_at', '>=', since).execute();
  const isToday = (at: number) => localDay(at, rules.timeZone) === today;
  const byOutcome: Record<string, number> = {};
  for (const c of calls.filter((c) => isToday(Number(c.at)))) byOutcome[c.outcome] = (byOutcome[c.outcome] ?? 0) + 1;
  const countBy = async (column: 'state', table: 'sms' | 'subscribers') =>
    Object.fromEntries(
      (
        await db
          .selectFrom(table)
          .select([column, sql<number>`count(*)`.as('n')])
          .groupBy(column)
          .execute()
      ).map((r) => [r[column], Number(r.n)]),
    ) as Record<string, number>;
  const subscriberStates = await countBy('state', 'subscribers');
  // D replies are counted once each (a digest detailed), however many SMS the details took.
  const detailed = (await db.selectFrom('digests').select('detailed_at').where('detailed_at', '>=', since).execute()).map((d) =>
    Number(d.detailed_at),
  );
  // Clock-hour buckets, the current hour last.
  const hourly: EngineStats['hourly'] = [];
  const currentHourStart = now - (now % 3_600_000);
  for (let h = 23; h >= 0; h--) {
    const from = currentHourStart - h * 3_600_000;
    const to = from + 3_600_000;
    const inHour = (at: number) => at >= from && at < to;
    const label = new Intl.DateTimeFormat('en-GB', {
      timeZone: rules.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(from);
    hourly.push({
      hour: label,
      calls: calls.filter((c) => inHour(Number(c.at))).length,
      smsSent: sms.filter((s) => s.state !== 'queued' && inHour(Number(s.created_at))).length,
      smsDelivered: sms.filter((s) => s.state === 'delivered' && inHour(Number(s.updated_at))).length,
      detailReplies: detailed.filter(inHour).length,
    });
  }
  const pending = async (column: 'status' | 'alert_status') =>
    Number(
      (
        await db
          .selectFrom('calls')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(column, '=', 'pending')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const todaySms = sms.filter((s) => isToday(Number(s.created_at)));
  return {
    today: {
      calls: calls.filter((c) => isToday(Number(c.at))).length,
      byOutcome,
      summaries: todaySms.filter((s) => s.kind === 'missed-summary').length,
      detailReplies: detailed.filter(isToday).length,
      smsSent: todaySms.filter((s) => s.state !== 'queued').length,
      smsDelivered: todaySms.filter((s) => s.state === 'delivered').length,
    },
    pendingNotices: await pending('status'),
    pendingReachableAlerts: await pending('alert_status'),
    smsByState: await countBy('state', 'sms'),
    subscribers: {
      active: subscriberStates.active ?? 0,
      suspended: subscriberStates.suspended ?? 0,
      cancelled: subscriberStates.cancelled ?? 0,
    },
    hourly,
  };
}

/** Numbers whose power-on the engine is waiting for (pending calls or reachable requests), optionally with every active subscriber. */
export async function presenceWatchList(db: Db, withActiveSubscribers: boolean): Promise<string[]> {
  const waiting = await db
    .selectFrom('calls')
    .select('callee')
    .distinct()
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb('alert_status', '=', 'pending')]))
    .execute();
  const numbers = waiting.map((c) => c.callee);
  if (withActiveSubscribers) {
    const active = await db.selectFrom('subscribers').select('msisdn').where('state', '=', 'active').execute();
    numbers.push(...active.map((s) => s.msisdn));
  }
  return numbers;
}
