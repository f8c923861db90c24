/**
 * The context pop: the called party as an agent needs them while the caller
 * is on the line, and the numbers to prefill the message form with.
 */
import type { Kysely } from 'kysely';
import { ApiError, type DeskContext } from '../../api';
import { deskMessageRefusal, deskPrivacyRules } from '../../domain/desk-privacy';
import { formatNational, normalizeMsisdn } from '../../domain/msisdn';
import type { Schema } from '../../store/schema';
import type { EngineDeps, Trx } from '../engine/deps';
import { e164 } from '../engine/numbers';
import { loadProfile } from '../engine/profiles';
import { pendingCallCount } from '../engine/queries';

type Db = Kysely<Schema> | Trx;

/**
 * A caller's number as the desk got it; nothing or 'anonymous' means unknown. A SIP header that is not a number is
 * dropped (the call goes on without it); a number the agent typed is refused naming the field.
 */
export function partyNumber(value: string | null | undefined, field: string, defaultCountryCode: string, from: 'header' | 'typed') {
  const text = value?.trim();
  if (!text || text.toLowerCase() === 'anonymous') return null;
  if (from === 'typed') return e164(text, field, defaultCountryCode);
  const parsed = normalizeMsisdn(text, defaultCountryCode);
  return parsed.ok ? parsed.e164 : null;
}

export async function ivrCallOf(db: Db, session: string | null | undefined) {
  if (!session) return undefined;
  return db
    .selectFrom('calls')
    .select(['id', 'caller', 'callee', 'clir', 'at', 'outcome', 'callback'])
    .where('session', '=', session)
    .executeTakeFirst();
}

/** The caller as the agent typed it, else the one the IVR call recorded (unless they withheld their number). */
export function callerOf(typed: string | null | undefined, ivr: Awaited<ReturnType<typeof ivrCallOf>>, defaultCountryCode: string) {
  return partyNumber(typed, 'caller', defaultCountryCode, 'typed') ?? (ivr && !ivr.clir && ivr.caller !== 'anonymous' ? ivr.caller : null);
}

export async function deskContext(
  deps: EngineDeps,
  input: { called?: string; caller?: string | null; session?: string | null },
): Promise<DeskContext> {
  const db = deps.store.db;
  const rules = deps.settings.serviceRules;
  const cc = rules.defaultCountryCode;
  const ivr = await ivrCallOf(db, input.session);
  const called = input.called ? e164(input.called, 'called', cc) : ivr?.callee;
  if (!called) throw new ApiError('validation', 'called: enter the number the caller was trying to reach', { field: 'called' });
  const caller = callerOf(input.caller, ivr, cc);
  const profile = await loadProfile(db, called, { of: caller ?? 'anonymous' });
  if (!profile) throw new ApiError('not_found', `${called} is not a subscriber (or no longer is)`, { field: 'called' });
  const calling = caller ? await loadProfile(db, caller, 'none') : null;
  const presence = await db.selectFrom('presence').select('state').where('msisdn', '=', called).executeTakeFirst();
  const refusal = deskMessageRefusal(profile, caller);
  const callback = ivr?.callback ?? caller;
  return {
    called: {
      msisdn: called,
      national: formatNational(called, cc),
      state: profile.active ? 'active' : 'suspended',
      language: profile.language,
      services: profile.services,
      privacy: { mode: profile.privacy.mode, hidden: profile.privacy.hidden, rules: deskPrivacyRules(rules, profile, calling, caller) },
      pendingMissedCalls: await pendingCallCount(db, called),
      presence: (presence?.state as 'reachable' | 'unreachable' | undefined) ?? 'unknown',
      messages: refusal ? { accepted: false, reason: refusal.reason, text: refusal.text } : { accepted: true },
    },
    caller,
    callerNational: caller ? formatNational(caller, cc) : null,
    session: ivr && input.session ? { id: input.session, at: Number(ivr.at), outcome: ivr.outcome, callback: ivr.callback } : null,
    suggestedCallback: callback,
  };
}
