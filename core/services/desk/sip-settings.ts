/** Each operator's softphone settings. The password stays in clear: only that operator's own browser receives it, to register. */
import type { Kysely, Selectable } from 'kysely';
import type { z } from 'zod';
import { ApiError, type DeskSipSettings, type DtmfMode, type deskSipSettingsInput } from '../../api';
import type { AgentSipSettingsTable, Schema } from '../../store/schema';
import type { Trx } from '../engine/deps';

type Db = Kysely<Schema> | Trx;
type Input = z.output<typeof deskSipSettingsInput>;

/** sip:agent1@reachback.test → agent1: what the distribution answers and the proxy dials. */
export function sipUserOf(sipUri: string): string {
  return /^sips?:([^@]+)@/i.exec(sipUri)![1]!;
}

function toSettings(row: Selectable<AgentSipSettingsTable>): DeskSipSettings {
  return {
    wsUri: row.ws_uri,
    sipUri: row.sip_uri,
    password: row.password,
    displayName: row.display_name,
    dtmfMode: row.dtmf_mode as DtmfMode,
    callWaiting: row.call_waiting === 1,
    wrapUpSeconds: row.wrap_up_seconds,
    updatedAt: Number(row.updated_at),
  };
}

export async function getSipSettings(db: Db, operatorId: number): Promise<DeskSipSettings | null> {
  const row = await db.selectFrom('agent_sip_settings').selectAll().where('operator_id', '=', operatorId).executeTakeFirst();
  return row ? toSettings(row) : null;
}

/** Saves an operator's settings; an empty or missing password keeps the saved one. Two operators cannot share a SIP user. */
export async function saveSipSettings(
  trx: Trx,
  operatorId: number,
  input: Input,
  at: number,
): Promise<{ before: DeskSipSettings | null; after: DeskSipSettings }> {
  const before = await getSipSettings(trx, operatorId);
  const sipUser = sipUserOf(input.sipUri);
  const taken = await trx
    .selectFrom('agent_sip_settings')
    .innerJoin('operators', 'operators.id', 'agent_sip_settings.operator_id')
    .select('operators.username')
    .where('agent_sip_settings.sip_user', '=', sipUser)
    .where('agent_sip_settings.operator_id', '!=', operatorId)
    .executeTakeFirst();
  if (taken) throw new ApiError('conflict', `The SIP user ${sipUser} is already ${taken.username}'s`, { field: 'sipUri' });
  const values = {
    ws_uri: input.wsUri,
    sip_uri: input.sipUri,
    sip_user: sipUser,
    password: input.password || before?.password || '',
    display_name: input.displayName,
    dtmf_mode: input.dtmfMode,
    call_waiting: input.callWaiting ? 1 : 0,
    wrap_up_seconds: input.wrapUpSeconds,
    updated_at: at,
  };
  await trx
    .insertInto('agent_sip_settings')
    .values({ operator_id: operatorId, ...values })
    .onConflict((oc) => oc.column('operator_id').doUpdateSet(values))
    .execute();
  return { before, after: (await getSipSettings(trx, operatorId))! };
}
