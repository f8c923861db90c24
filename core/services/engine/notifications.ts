/**
 * When a subscriber is reachable again: the called party's notices for the
 * calls of the period (merged per caller, packed, capped per day), and the
 * reachable alerts to callers who pressed 4 (subject to privacy and priority).
 */
import { ApiError } from '../../api';
import { composeCalledNotices, type CallForNotice, type NoticeOutcome } from '../../domain/compose';
import { localDay } from '../../domain/local-time';
import { formatNational } from '../../domain/msisdn';
import { chargeParty, priorityFor, reachableAlertAllowed, type Profile } from '../../domain/parties';
import { renderTemplate } from '../../domain/sms-templates';
import { formatSmsTime } from '../../domain/local-time';
import { rulesOf, type EngineDeps, type Trx } from './deps';
import { e164 } from './numbers';
import { loadProfile } from './profiles';
import { enqueueSms } from './sms-queue';

const calleeNoticeKinds = ['own-number', 'notification', 'missed-summary'];

/** How each caller choice reads to the called party; options 0 (no message taken) and 4 count as missed calls. */
function noticeOutcome(outcome: string): NoticeOutcome | null {
  switch (outcome) {
    case 'own-number':
    case 'callback':
    case 'voice':
    case 'agent-message':
    case 'gave-up':
      return outcome;
    case 'agent':
    case 'reachable-request':
      return 'gave-up';
    default:
      return null;
  }
}

/** The service rules and templates as the composer needs them, for one reader's language. */
export function composeContext(deps: EngineDeps, language: 'en' | 'zh-CN') {
  const rules = rulesOf(deps);
  return {
    language,
    timeZone: rules.timeZone,
    defaultCountryCode: rules.defaultCountryCode,
    shortCode: rules.shortCode,
    queryNumber: rules.queryNumber,
    voicemailNumber: rules.voicemailNumber,
    detailPriceFen: rules.detailPriceFen,
    detailWindowHours: rules.expiryHours.detailWindow,
    segmentBudget: rules.segmentBudget,
    template: deps.templates.get.bind(deps.templates),
  };
}

async function setStatus(trx: Trx, ids: number[], status: string, reason: string | null, at: number): Promise<void> {
  if (!ids.length) return;
  await trx
    .updateTable('calls')
    .set({ status, status_reason: reason, ...(status === 'notified' ? { notified_at: at } : {}) })
    .where('id', 'in', ids)
    .execute();
}

/** Calls to this number made up to `at` that still wait for the called party's notice (status) or the caller's reachable alert. */
function pendingCalls(trx: Trx, callee: string, column: 'status' | 'alert_status', at: number) {
  return trx
    .selectFrom('calls')
    .selectAll()
    .where('callee', '=', callee)
    .where(column, '=', 'pending')
    .where('at', '<=', at)
    .orderBy('at')
    .execute();
}

/** Sends (or updates, while still queued) the called party's notices for every pending call up to `at`. */
export async function notifyCalledParty(
  trx: Trx,
  deps: EngineDeps,
  callee: string,
  at: number,
): Promise<{ queued: number; notifiedCalls: number }> {
  const rules = rulesOf(deps);
  const pending = await pendingCalls(trx, callee, 'status', at);
  if (!pending.length) return { queued: 0, notifiedCalls: 0 };
  const called = await loadProfile(trx, callee, 'none');
  if (!called?.active || !called.services.missedCallAlert) {
    await setStatus(
      trx,
      pending.map((c) => c.id),
      'logged',
      'called party has no missed-call alert service',
      at,
    );
    return { queued: 0, notifiedCalls: 0 };
  }
  const expiry = rules.expiryHours.notification * 3_600_000;
  const expired = pending.filter((c) => at - Number(c.at) > expiry);
  await setStatus(
    trx,
    expired.map((c) => c.id),
    'expired',
    `older than ${rules.expiryHours.notification} h when the subscriber was reachable`,
    at,
  );
  const clirSilenced = pending.filter((c) => c.clir === 1 && rules.clirPolicy === 'no-alert' && !expired.includes(c));
  await setStatus(
    trx,
    clirSilenced.map((c) => c.id),
    'suppressed',
    'caller ID restricted: no alert by policy',
    at,
  );
  const fresh = pending.filter((c) => !expired.includes(c) && !clirSilenced.includes(c));

  // Notices still queued (for example held by quiet hours) are rebuilt with the new calls, never sent twice.
  const queued = await trx
    .selectFrom('sms')
    .select(['id', 'merge_key', 'call_ids'])
    .where('recipient', '=', callee)
    .where('state', '=', 'queued')
    .where('kind', 'in', calleeNoticeKinds)
    .execute();
  const queuedCallIds = queued.flatMap((q) => JSON.parse(q.call_ids) as number[]);
  const earlier = queuedCallIds.length ? await trx.selectFrom('calls').selectAll().where('id', 'in', queuedCallIds).execute() : [];
  const toNotice = (c: (typeof pending)[number]): CallForNotice | null => {
    const outcome = noticeOutcome(c.outcome);
    return outcome
      ? { id: c.id, caller: c.caller, clir: c.clir === 1, at: Number(c.at), outcome, callback: c.callback, message: c.message }
      : null;
  };
  const calls = [...earlier, ...fresh].map(toNotice).filter((c): c is CallForNotice => c !== null);
  const composed = composeCalledNotices(composeContext(deps, called.language), calls);

  // The daily cap counts notices already sent today, not the queued ones being rebuilt.
  const day = localDay(at, rules.timeZone);
  const sentToday = (
    await trx
      .selectFrom('sms')
      .select(['created_at'])
      .where('recipient', '=', callee)
      .where('kind', 'in', calleeNoticeKinds)
      .where('state', '!=', 'queued')
      .where('created_at', '>=', at - 86_400_000)
      .execute()
  ).filter((r) => localDay(Number(r.created_at), rules.timeZone) === day).length;
  const allowed = Math.max(0, rules.dailyAlertCap - sentToday);
  const kept = composed.slice(0, allowed);
  const dropped = composed.slice(allowed);
  await setStatus(
    trx,
    dropped.flatMap((d) => d.callIds),
    'suppressed',
    `daily cap of ${rules.dailyAlertCap} alerts reached`,
    at,
  );

  const usedKeys = new Set<string>();
  for (const sms of kept) {
    const firstCall = fresh.find((c) => sms.callIds.includes(c.id)) ?? earlier.find((c) => sms.callIds.includes(c.id));
    const calling = firstCall && firstCall.caller !== 'anonymous' ? await loadProfile(trx, firstCall.caller, 'none') : null;
    const priority = priorityFor(rules, called, calling);
    const smsId = await enqueueSms(
      trx,
      deps,
      {
        kind: sms.kind,
        sender: sms.sender,
        recipient: callee,
        text: sms.text,
        callIds: sms.callIds,
        mergeKey: sms.mergeKey,
        chargeParty: chargeParty(priority, called, calling, 'called'),
        chargeable: sms.kind !== 'missed-summary',
        validityHours: rules.expiryHours.notification,
      },
      at,
    );
    usedKeys.add(sms.mergeKey);
    if (sms.kind === 'missed-summary') await recordDigest(trx, callee, sms.callIds, smsId, at, rules.expiryHours.detailWindow);
  }
  // A queued notice whose content moved into another one is withdrawn.
  const stale = queued.filter((q) => !usedKeys.has(q.merge_key ?? ''));
  if (stale.length)
    await trx
      .deleteFrom('sms')
      .where(
        'id',
        'in',
        stale.map((q) => q.id),
      )
      .execute();
  await setStatus(
    trx,
    kept.flatMap((k) => k.callIds),
    'notified',
    null,
    at,
  );
  deps.smsQueued();
  return { queued: kept.length, notifiedCalls: kept.reduce((n, k) => n + k.callIds.length, 0) };
}

/** The D window: a D reply within it details these calls. A rebuilt summary updates its digest. */
async function recordDigest(trx: Trx, msisdn: string, callIds: number[], _smsId: number, at: number, windowHours: number): Promise<void> {
  const open = await trx
    .selectFrom('digests')
    .select('id')
    .where('msisdn', '=', msisdn)
    .where('detailed_at', 'is', null)
    .where('expires_at', '>', at)
    .orderBy('sent_at', 'desc')
    .executeTakeFirst();
  const values = { call_ids: JSON.stringify(callIds), sent_at: at, expires_at: at + windowHours * 3_600_000 };
  if (open) await trx.updateTable('digests').set(values).where('id', '=', open.id).execute();
  else
    await trx
      .insertInto('digests')
      .values({ msisdn, ...values, detailed_at: null })
      .execute();
}

/** "The <user> you dialed at <time> is now on": one per caller, if privacy and priority allow. */
export async function sendReachableAlerts(trx: Trx, deps: EngineDeps, callee: string, at: number): Promise<number> {
  const rules = rulesOf(deps);
  const requests = await pendingCalls(trx, callee, 'alert_status', at);
  if (!requests.length) return 0;
  const called = await loadProfile(trx, callee);
  const byCaller = new Map<string, typeof requests>();
  for (const r of requests) byCaller.set(r.caller, [...(byCaller.get(r.caller) ?? []), r]);
  let queued = 0;
  for (const [caller, calls] of byCaller) {
    const ids = calls.map((c) => c.id);
    const calling: Profile | null = await loadProfile(trx, caller, 'none');
    const last = calls[calls.length - 1]!;
    const fresh = calls.filter((c) => at - Number(c.at) <= rules.expiryHours.reachableAlert * 3_600_000);
    const priority = priorityFor(rules, called, calling);
    const verdict = reachableAlertAllowed(rules, priority, called, calling, { caller, clir: last.clir === 1, at: Number(last.at) }, at);
    if (!fresh.length || !verdict.allowed || !calling) {
      const reason = !fresh.length ? `older than ${rules.expiryHours.reachableAlert} h` : verdict.reason;
      await trx
        .updateTable('calls')
        .set({ alert_status: fresh.length ? 'suppressed' : 'expired', status_reason: reason })
        .where('id', 'in', ids)
        .execute();
      continue;
    }
    const text = renderTemplate(deps.templates.get('reachable-alert', calling.language), {
      user: formatNational(callee, rules.defaultCountryCode),
      lastTime: formatSmsTime(Number(last.at), calling.language, rules.timeZone),
      firstTime: formatSmsTime(Number(calls[0]!.at), calling.language, rules.timeZone),
      count: calls.length,
      countTimes: String(calls.length),
    });
    await enqueueSms(
      trx,
      deps,
      {
        kind: 'reachable-alert',
        sender: rules.shortCode,
        recipient: caller,
        text,
        callIds: ids,
        mergeKey: `reachable:${callee}`,
        chargeParty: chargeParty(priority, called, calling, 'calling'),
        chargeable: true,
        validityHours: rules.expiryHours.reachableAlert,
      },
      at,
    );
    await trx.updateTable('calls').set({ alert_status: 'sent' }).where('id', 'in', ids).execute();
    queued++;
  }
  deps.smsQueued();
  return queued;
}

export interface PresenceResult {
  msisdn: string;
  state: 'reachable' | 'unreachable';
  notices: number;
  reachableAlerts: number;
}

/** A presence event from the network (HLR alert, SMSC alert_notification, SIP registration). */
export async function applyPresence(
  trx: Trx,
  deps: EngineDeps,
  event: { msisdn: string; state: 'reachable' | 'unreachable'; at: number },
): Promise<PresenceResult> {
  const rules = rulesOf(deps);
  const msisdn = e164(event.msisdn, 'msisdn', rules.defaultCountryCode);
  const current = await trx.selectFrom('presence').selectAll().where('msisdn', '=', msisdn).executeTakeFirst();
  if (current && Number(current.at) > event.at) {
    throw new ApiError(
      'conflict',
      `Out of order: a newer presence event for ${msisdn} (at ${new Date(Number(current.at)).toISOString()}) was already applied`,
      {
        field: 'at',
        params: { appliedAt: Number(current.at) },
      },
    );
  }
  const known =
    current ||
    (await trx.selectFrom('subscribers').select('msisdn').where('msisdn', '=', msisdn).executeTakeFirst()) ||
    (await trx.selectFrom('calls').select('id').where('callee', '=', msisdn).limit(1).executeTakeFirst());
  if (!known) throw new ApiError('not_found', `${msisdn} is not a subscriber and has no calls waiting; nothing to do`, { field: 'msisdn' });
  await trx
    .insertInto('presence')
    .values({ msisdn, state: event.state, at: event.at })
    .onConflict((oc) => oc.column('msisdn').doUpdateSet({ state: event.state, at: event.at }))
    .execute();
  if (event.state === 'unreachable') return { msisdn, state: event.state, notices: 0, reachableAlerts: 0 };
  const { queued } = await notifyCalledParty(trx, deps, msisdn, event.at);
  const reachableAlerts = await sendReachableAlerts(trx, deps, msisdn, event.at);
  return { msisdn, state: event.state, notices: queued, reachableAlerts };
}
