/**
 * Subscribers and their services: provisioning (network API, console, SMS
 * commands, bulk import all come here), lists, and the free opening reminder
 * sent whenever a service is opened.
 */
import type { Selectable } from 'kysely';
import { ApiError } from '../../api';
import { serviceNames, subscriberInput, type ServiceName, type Subscriber, type SubscriberInput } from '../../api/engine-types';
import { renderTemplate, smsWords } from '../../domain/sms-templates';
import type { SubscribersTable } from '../../store/schema';
import { hashPassword } from '../access/passwords';
import { checkTariffCode, syncPlanAssignment } from '../billing/assignments';
import { readBillingSettings } from '../billing/state';
import { rulesOf, type EngineDeps, type Trx } from './deps';
import { e164 } from './numbers';
import { greetingOf } from './greetings';
import { enqueueSms } from './sms-queue';

export async function getSubscriber(trx: Trx | EngineDeps['store']['db'], msisdn: string): Promise<Subscriber | null> {
  const row = await trx.selectFrom('subscribers').selectAll().where('msisdn', '=', msisdn).executeTakeFirst();
  if (!row) return null;
  const lists = await trx.selectFrom('list_entries').select(['list', 'number']).where('msisdn', '=', msisdn).orderBy('added_at').execute();
  return toSubscriber(row, lists);
}

function toSubscriber(row: Selectable<SubscribersTable>, lists: { list: string; number: string }[]): Subscriber {
  return {
    msisdn: row.msisdn,
    services: { missedCallAlert: row.missed_call_alert === 1, reachableAlert: row.reachable_alert === 1, voicemail: row.voicemail === 1 },
    language: row.language === 'en' ? 'en' : 'zh-CN',
    privacy: { mode: row.privacy_mode as Subscriber['privacy']['mode'], hidden: JSON.parse(row.privacy_hidden) },
    tariff: row.tariff,
    state: row.state as Subscriber['state'],
    stateSince: Number(row.state_since),
    hasPin: row.pin_hash !== null,
    greeting: greetingOf(row),
    blacklist: lists.filter((l) => l.list === 'black').map((l) => l.number),
    whitelist: lists.filter((l) => l.list === 'white').map((l) => l.number),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface ProvisionResult {
  subscriber: Subscriber;
  created: boolean;
  opened: ServiceName[];
  closed: ServiceName[];
  before: Subscriber | null;
}

/**
 * Creates or updates a subscriber in the caller's transaction. Each service
 * that becomes open gets a free opening reminder and a usage record (the
 * monthly service starts); each closed one a usage record (it stops).
 */
export async function provisionSubscriber(
  trx: Trx,
  deps: EngineDeps,
  msisdn: string,
  rawInput: SubscriberInput,
  at: number,
  /** Bulk imports spread the opening reminders out. */
  reminderNotBefore?: number,
): Promise<ProvisionResult> {
  const input = subscriberInput.parse(rawInput);
  const before = await getSubscriber(trx, msisdn);
  // A tariff left out keeps the current plan; a new subscriber who names none (opened by SMS, or provisioned
  // without one) takes the operator's default plan: without one they would use the service unbilled.
  const tariff = input.tariff !== undefined ? input.tariff : before ? before.tariff : (await readBillingSettings(trx)).defaultPlan;
  // Before anything is written: callers such as the bulk import share one transaction across many subscribers.
  await checkTariffCode(trx, before?.tariff, tariff);
  const pinHash = input.pin ? await hashPassword(input.pin) : undefined;
  const fields = {
    language: input.language,
    tariff,
    missed_call_alert: input.services.missedCallAlert ? 1 : 0,
    reachable_alert: input.services.reachableAlert ? 1 : 0,
    voicemail: input.services.voicemail ? 1 : 0,
    privacy_mode: input.privacy.mode,
    privacy_hidden: JSON.stringify(input.privacy.hidden),
    updated_at: at,
    ...(pinHash ? { pin_hash: pinHash } : {}),
  };
  const stateChanged = !before || before.state !== input.state;
  if (before) {
    await trx
      .updateTable('subscribers')
      .set({ ...fields, ...(stateChanged ? { state: input.state, state_since: at } : {}) })
      .where('msisdn', '=', msisdn)
      .execute();
  } else {
    await trx
      .insertInto('subscribers')
      .values({ msisdn, ...fields, state: input.state, state_since: at, pin_hash: pinHash ?? null, created_at: at })
      .execute();
  }
  const wasOn = (s: ServiceName) => !!before && before.state === 'active' && before.services[s];
  const isOn = (s: ServiceName) => input.state === 'active' && input.services[s];
  const opened = serviceNames.filter((s) => isOn(s) && !wasOn(s));
  const closed = serviceNames.filter((s) => wasOn(s) && !isOn(s));
  const rules = rulesOf(deps);
  for (const service of opened) {
    const text = renderTemplate(deps.templates.get('opening-reminder', input.language), {
      serviceName: smsWords[input.language].services[service],
      shortCode: rules.shortCode,
    });
    await enqueueSms(
      trx,
      deps,
      {
        kind: 'opening-reminder',
        sender: rules.shortCode,
        recipient: msisdn,
        text,
        chargeParty: msisdn,
        chargeable: false,
        validityHours: 72,
        notBefore: reminderNotBefore,
      },
      at,
    );
  }
  for (const [service, kind] of [
    ...opened.map((s) => [s, 'service-opened'] as const),
    ...closed.map((s) => [s, 'service-closed'] as const),
  ]) {
    await trx
      .insertInto('usage_records')
      .values({ party: msisdn, kind, chargeable: 1, quantity: 1, at, sms_id: null, call_id: null, detail: service })
      .execute();
  }
  await syncPlanAssignment(trx, msisdn, tariff, serviceNames.some(isOn), at);
  const subscriber = (await getSubscriber(trx, msisdn))!;
  return { subscriber, created: !before, opened, closed, before };
}

/** Closes one service, keeping everything else as it is. */
export async function closeService(trx: Trx, deps: EngineDeps, msisdn: string, service: ServiceName, at: number): Promise<ProvisionResult> {
  const current = await getSubscriber(trx, msisdn);
  if (!current) throw new ApiError('not_found', `${msisdn} is not a subscriber`, { field: 'msisdn' });
  return provisionSubscriber(trx, deps, msisdn, { ...current, pin: undefined, services: { ...current.services, [service]: false } }, at);
}

export type ListName = 'blacklist' | 'whitelist';

export async function changeList(
  trx: Trx,
  deps: EngineDeps,
  msisdn: string,
  list: ListName,
  rawNumber: string,
  add: boolean,
  at: number,
): Promise<{ changed: boolean; number: string }> {
  const rules = rulesOf(deps);
  const subscriber = await getSubscriber(trx, msisdn);
  if (!subscriber) throw new ApiError('not_found', `${msisdn} is not a subscriber`, { field: 'msisdn' });
  const number = e164(rawNumber, 'number', rules.defaultCountryCode);
  if (number === msisdn) throw new ApiError('validation', 'number: a subscriber cannot list their own number', { field: 'number' });
  const key = list === 'blacklist' ? 'black' : 'white';
  const current = list === 'blacklist' ? subscriber.blacklist : subscriber.whitelist;
  if (!add) {
    if (!current.includes(number)) return { changed: false, number };
    await trx.deleteFrom('list_entries').where('msisdn', '=', msisdn).where('list', '=', key).where('number', '=', number).execute();
    return { changed: true, number };
  }
  if (current.includes(number)) return { changed: false, number };
  const max = list === 'blacklist' ? rules.blacklistMax : rules.whitelistMax;
  if (current.length >= max) {
    throw new ApiError('conflict', `The ${list} already holds ${max} numbers, the most allowed; remove one first`, {
      field: 'number',
      params: { max },
    });
  }
  await trx.insertInto('list_entries').values({ msisdn, list: key, number, added_at: at }).execute();
  await trx.updateTable('subscribers').set({ updated_at: at }).where('msisdn', '=', msisdn).execute();
  return { changed: true, number };
}
