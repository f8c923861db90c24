/** The agent desk's commands: an agent's own desk (desk.use) and the supervisors' view (desk.supervise). Every change is audited. */
import { ApiError, deskConfigSchema, type DeskCallView } from '../../api';
import { formatNational } from '../../domain/msisdn';
import { actorOf, type AuditFn, type CommandContext, type Handlers } from '../context';
import type { Trx } from '../engine/deps';
import { recordAgentMessage } from '../engine/desk-calls';
import { e164 } from '../engine/numbers';
import {
  callView,
  completeParties,
  findCall,
  listCalls,
  markAnswered,
  markEnded,
  messageView,
  openCall,
  outcomeOf,
  setNotes,
  type CallRow,
} from './call-log';
import { callerOf, deskContext, ivrCallOf, partyNumber } from './called-party';
import type { Changed } from './desk';
import { getSipSettings, saveSipSettings } from './sip-settings';
import { choosePresence, loadState, settleActivity, signIn } from './states';

type DeskHandlers = Pick<
  Handlers,
  | 'desk/status'
  | 'desk/sip-settings'
  | 'desk/sip-settings-update'
  | 'desk/set-state'
  | 'desk/call-started'
  | 'desk/call-answered'
  | 'desk/call-ended'
  | 'desk/call-notes'
  | 'desk/context'
  | 'desk/take-message'
  | 'desk/my-calls'
  | 'desk/calls'
  | 'desk/agents'
  | 'desk/config'
  | 'desk/config-update'
>;

/** One audited transaction; the agents whose state it changed are announced once it is durable. */
async function deskWrite<T>(ctx: CommandContext, fn: (trx: Trx, audit: AuditFn, changed: Changed) => Promise<T>): Promise<T> {
  const changed: Changed = new Set();
  const result = await ctx.write((trx, audit) => fn(trx, audit, changed));
  await ctx.services.desk.announce(changed);
  return result;
}

async function myView(ctx: CommandContext) {
  return (await ctx.services.desk.agentView(ctx.services.store.db, actorOf(ctx).operatorId))!;
}

const target = (ctx: CommandContext) => `agent:${actorOf(ctx).username}`;
const countryCode = (ctx: CommandContext) => ctx.services.settings.serviceRules.defaultCountryCode;

/** A call event from the softphone: the call in the agent's log (opened now if the desk missed its start), then the state it leaves. */
async function callEvent(
  ctx: CommandContext,
  callId: string,
  apply: (trx: Trx, row: CallRow) => Promise<{ answeredCallEnded: boolean; detail: string }>,
): Promise<DeskCallView> {
  const { desk, clock } = ctx.services;
  const me = actorOf(ctx).operatorId;
  return deskWrite(ctx, async (trx, audit, changed) => {
    const at = clock.now();
    const state = await loadState(trx, me);
    await signIn(trx, state, at);
    const row =
      (await findCall(trx, me, callId)) ??
      (await openCall(trx, { callId, operatorId: me, caller: null, called: null, session: null, source: 'direct', attempt: null, at }));
    const { answeredCallEnded, detail } = await apply(trx, row);
    await settleActivity(trx, state, at, await desk.timing(trx, me, answeredCallEnded));
    changed.add(me);
    await audit({ target: target(ctx), detail: `${detail} (Call-ID ${callId})` });
    return callView(trx, row);
  });
}

export const deskHandlers: DeskHandlers = {
  'desk/status': async (_input, ctx) => {
    const { desk, clock, store } = ctx.services;
    const me = actorOf(ctx).operatorId;
    await deskWrite(ctx, async (trx, audit, changed) => {
      if (await signIn(trx, await loadState(trx, me), clock.now())) {
        changed.add(me);
        await audit({ target: target(ctx), detail: 'signed in to the desk: Not ready' });
      }
    });
    return { agent: await myView(ctx), config: desk.config(), hasSipSettings: (await getSipSettings(store.db, me)) !== null };
  },

  'desk/sip-settings': async (_input, ctx) => ({ settings: await getSipSettings(ctx.services.store.db, actorOf(ctx).operatorId) }),

  'desk/sip-settings-update': async (input, ctx) => {
    const me = actorOf(ctx).operatorId;
    return deskWrite(ctx, async (trx, audit, changed) => {
      const { before, after } = await saveSipSettings(trx, me, input, ctx.services.clock.now());
      await audit({ target: target(ctx), before, after });
      changed.add(me);
      return after;
    });
  },

  'desk/set-state': async (input, ctx) => {
    const { desk, clock, store } = ctx.services;
    const me = actorOf(ctx).operatorId;
    const reason = input.state === 'not-ready' ? input.reason : null;
    if (reason !== null && !desk.config().notReadyReasons.includes(reason))
      throw new ApiError('validation', `reason: choose one of ${desk.config().notReadyReasons.join(', ')}`, { field: 'reason' });
    if (input.state === 'ready' && !(await getSipSettings(store.db, me)))
      throw new ApiError('conflict', 'Save your SIP settings first: calls are routed to your SIP user', { field: 'state' });
    await deskWrite(ctx, async (trx, audit, changed) => {
      if (await choosePresence(trx, await loadState(trx, me), input.state, reason, clock.now())) changed.add(me);
      await audit({ target: target(ctx), detail: reason ? `not ready: ${reason}` : 'ready' });
    });
    return myView(ctx);
  },

  'desk/call-started': async (input, ctx) => {
    const cc = countryCode(ctx);
    const parties = {
      caller: partyNumber(input.caller, 'caller', cc, 'header'),
      called: partyNumber(input.called, 'called', cc, 'header'),
      session: input.session ?? null,
    };
    return callEvent(ctx, input.callId, async (trx, row) => {
      await completeParties(trx, row, parties, ctx.services.clock.now());
      return { answeredCallEnded: false, detail: `call ringing from ${row.caller ?? 'an unknown caller'}` };
    });
  },

  'desk/call-answered': async (input, ctx) =>
    callEvent(ctx, input.callId, async (trx, row) => {
      await markAnswered(trx, row, ctx.services.clock.now());
      return { answeredCallEnded: false, detail: 'call answered' };
    }),

  'desk/call-ended': async (input, ctx) => {
    const me = actorOf(ctx).operatorId;
    if (!(await findCall(ctx.services.store.db, me, input.callId)))
      throw new ApiError('not_found', `There is no call ${input.callId} at your desk`, { field: 'callId' });
    return callEvent(ctx, input.callId, async (trx, row) => {
      const answered = row.answered_at !== null;
      const outcome = outcomeOf(answered, input.reason);
      // Already over (the core released it when the proxy moved on): only a refusal is worth correcting.
      if (row.ended_at !== null) {
        if (outcome === 'rejected' && row.outcome === 'missed') await markEnded(trx, row, outcome, ctx.services.clock.now());
        return { answeredCallEnded: false, detail: `call ended again: ${input.reason}` };
      }
      await markEnded(trx, row, outcome, ctx.services.clock.now(), input.transferTarget ?? null);
      return { answeredCallEnded: answered, detail: `call ended: ${outcome}${input.transferTarget ? ` to ${input.transferTarget}` : ''}` };
    });
  },

  'desk/call-notes': async (input, ctx) =>
    deskWrite(ctx, async (trx, audit) => {
      const row = await setNotes(trx, actorOf(ctx).operatorId, input.id, input.notes, ctx.services.clock.now());
      await audit({ target: target(ctx), detail: `notes on call ${input.id}`, after: { notes: input.notes } });
      return callView(trx, row);
    }),

  'desk/context': async (input, ctx) => deskContext(ctx.services.engine.deps, input),

  'desk/take-message': async (input, ctx) => {
    const { engine, clock, settings } = ctx.services;
    const me = actorOf(ctx).operatorId;
    const cc = countryCode(ctx);
    const called = e164(input.called, 'called', cc);
    const ivr = await ivrCallOf(ctx.services.store.db, input.session);
    const caller = callerOf(input.caller, ivr, cc);
    const callback = input.callback ? e164(input.callback, 'callback', cc) : null;
    const callId = input.callId ?? null;
    const text = input.text;
    const saved = await deskWrite(ctx, async (trx, audit, changed) => {
      // A save retried after a network drop finds the first one.
      const earlier = callId
        ? await trx
            .selectFrom('agent_messages')
            .selectAll()
            .where('operator_id', '=', me)
            .where('sip_call_id', '=', callId)
            .where('called', '=', called)
            .where('text', '=', text)
            .executeTakeFirst()
        : undefined;
      if (earlier) {
        const engineCall = await trx.selectFrom('calls').select('status').where('id', '=', earlier.engine_call_id).executeTakeFirst();
        return {
          message: messageView(earlier),
          delivery: engineCall?.status === 'pending' ? 'when-reachable' : 'now',
          duplicate: true,
        } as const;
      }
      const at = clock.now();
      const { engineCallId, delivery } = await recordAgentMessage(trx, engine.deps, {
        called,
        caller,
        callback,
        text,
        session: input.session ?? null,
        at,
      });
      const inserted = await trx
        .insertInto('agent_messages')
        .values({ operator_id: me, sip_call_id: callId, engine_call_id: engineCallId, called, caller, callback, text, created_at: at })
        .executeTakeFirstOrThrow();
      const message = {
        id: Number(inserted.insertId),
        operator_id: me,
        sip_call_id: callId,
        engine_call_id: engineCallId,
        called,
        caller,
        callback,
        text,
        created_at: at,
      };
      await audit({
        target: `subscriber:${called}`,
        detail: `message taken at the agent desk, delivered ${delivery === 'now' ? 'now' : 'when reachable'}`,
        after: { caller, callback, text, callId, session: input.session ?? null, engineCallId },
      });
      changed.add(me);
      return { message: messageView(message), delivery, duplicate: false };
    });
    return { ...saved, calledNational: formatNational(called, settings.serviceRules.defaultCountryCode) };
  },

  'desk/my-calls': async (input, ctx) => listCalls(ctx.services.store.db, { ...input, operatorId: actorOf(ctx).operatorId }),

  'desk/calls': async (input, ctx) => listCalls(ctx.services.store.db, input),

  'desk/agents': async (_input, ctx) => ctx.services.desk.agents(),

  'desk/config': async (_input, ctx) => ctx.services.desk.config(),

  'desk/config-update': async (input, ctx) => {
    const { desk, clock } = ctx.services;
    const before = desk.config();
    const next = deskConfigSchema.parse({ ...before, ...input });
    await ctx.write(async (trx, audit) => {
      await desk.saveConfig(trx, next, clock.now());
      await audit({ target: 'settings:desk', before, after: next });
    });
    desk.configSaved(next);
    return next;
  },
};
