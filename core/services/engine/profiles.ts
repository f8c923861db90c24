/** Loads subscribers as the domain's Profile (with their lists) for the rules in domain/parties. */
import type { Selectable } from 'kysely';
import type { Kysely } from 'kysely';
import type { Profile, PrivacyMode } from '../../domain/parties';
import { prepare } from '../../store/prepared';
import type { Schema, SubscribersTable } from '../../store/schema';
import type { Trx } from './deps';

type Db = Kysely<Schema> | Trx;

export function toProfile(row: Selectable<SubscribersTable>, lists: { list: string; number: string }[]): Profile {
  return {
    msisdn: row.msisdn,
    active: row.state === 'active',
    language: row.language === 'en' ? 'en' : 'zh-CN',
    tariff: row.tariff,
    services: { missedCallAlert: row.missed_call_alert === 1, reachableAlert: row.reachable_alert === 1, voicemail: row.voicemail === 1 },
    privacy: { mode: row.privacy_mode as PrivacyMode, hidden: JSON.parse(row.privacy_hidden) as { from: string; to: string }[] },
    whitelist: new Set(lists.filter((l) => l.list === 'white').map((l) => l.number)),
    blacklist: new Set(lists.filter((l) => l.list === 'black').map((l) => l.number)),
    hasGreeting: row.greeting_file !== null,
  };
}

/**
 * The subscriber behind a number, or null when it is not one (cancelled
 * subscribers count as not subscribed). `lists` says how much of their
 * black- and whitelist the caller needs: all of it, none, or only the
 * entries for one counterpart number (a call needs just the caller's).
 */
export async function loadProfile(db: Db, msisdn: string, lists: 'all' | 'none' | { of: string } = 'all'): Promise<Profile | null> {
  const row = await subscriberRow.first(db, { msisdn });
  if (!row || row.state === 'cancelled') return null;
  if (lists === 'none') return toProfile(row, []);
  const entries = typeof lists === 'object' ? listEntriesFor.run(db, { msisdn, number: lists.of }) : listEntries.run(db, { msisdn });
  return toProfile(row, await entries);
}

// Every call event loads its parties: built once (see store/prepared).
const subscriberRow = prepare((db: Db, v: { msisdn: string }) => db.selectFrom('subscribers').selectAll().where('msisdn', '=', v.msisdn));
const listEntries = prepare((db: Db, v: { msisdn: string }) =>
  db.selectFrom('list_entries').select(['list', 'number']).where('msisdn', '=', v.msisdn),
);
const listEntriesFor = prepare((db: Db, v: { msisdn: string; number: string }) =>
  db.selectFrom('list_entries').select(['list', 'number']).where('msisdn', '=', v.msisdn).where('number', '=', v.number),
);
