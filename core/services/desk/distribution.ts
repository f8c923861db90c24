/**
 * Which agent rings for a call to the agent group (sipnet/README.md, "The
 * agent group and the core"): the Ready agent who has waited longest, not
 * one already tried for this call. The pick and the reservation are one
 * transaction, so two calls never get the same agent. With nobody Ready the
 * caller gets busy and the called party a missed call, as if the caller gave up.
 */
import { recordNoAgentCall } from '../engine/desk-calls';
import { openCall } from './call-log';
import type { Desk } from './desk';
import { idleSince, settleActivity, signOff } from './states';

export interface RouteRequest {
  /** The caller's SIP Call-ID. */
  callId: string;
  /** E.164, or null when unknown. */
  caller: string | null;
  called: string | null;
  /** The IVR session the caller was transferred from (X-Reachback-Session), if any. */
  session: string | null;
  /** 1 for the first question; 2, 3 when the agent before did not take the call. */
  attempt: number;
  /** SIP users already tried for this call. */
  tried: string[];
}

export async function routeCall(desk: Desk, request: RouteRequest): Promise<{ agent: string | null }> {
  const { clock, logger, engine } = desk.deps;
  const result = await desk.write(async (trx, changed) => {
    const at = clock.now();
    await desk.applyDue(trx, changed);

    // An agent the proxy moved on from did not take the call: free them (and set them Not ready, see releaseUnanswered).
    if (request.tried.length) {
      const unanswered = await trx
        .selectFrom('agent_calls')
        .innerJoin('agent_sip_settings', 'agent_sip_settings.operator_id', 'agent_calls.operator_id')
        .selectAll('agent_calls')
        .where('agent_calls.sip_call_id', '=', request.callId)
        .where('agent_sip_settings.sip_user', 'in', request.tried)
        .where('agent_calls.ended_at', 'is', null)
        .where('agent_calls.answered_at', 'is', null)
        .execute();
      for (const call of unanswered) {
        const state = await trx
          .selectFrom('agent_states')
          .selectAll()
          .where('operator_id', '=', call.operator_id)
          .executeTakeFirstOrThrow();
        await desk.releaseUnanswered(trx, state, [call], at);
        changed.add(call.operator_id);
      }
    }

    const ready = await trx
      .selectFrom('agent_states')
      .innerJoin('agent_sip_settings', 'agent_sip_settings.operator_id', 'agent_states.operator_id')
      .innerJoin('operators', 'operators.id', 'agent_states.operator_id')
      .selectAll('agent_states')
      .select('agent_sip_settings.sip_user')
      .where('agent_states.presence', '=', 'ready')
      .where('agent_states.activity', '=', 'idle')
      .where('operators.disabled', '=', 0)
      .execute();
    const candidates = [];
    for (const agent of ready) {
      if (request.tried.includes(agent.sip_user)) continue;
      // A session that ended since the last tick: that desk is closed.
      if (!desk.signedIn(agent.operator_id)) {
        if (await signOff(trx, agent, at)) changed.add(agent.operator_id);
        continue;
      }
      candidates.push(agent);
    }
    candidates.sort((a, b) => idleSince(a)! - idleSince(b)! || a.operator_id - b.operator_id);
    const chosen = candidates[0];
    if (!chosen) {
      const missed = await recordNoAgentCall(trx, engine, { ...request, at });
      return { agent: null, missed };
    }
    await openCall(trx, { ...request, operatorId: chosen.operator_id, source: 'distribution', at });
    await settleActivity(trx, chosen, at, await desk.timing(trx, chosen.operator_id));
    changed.add(chosen.operator_id);
    return { agent: chosen.sip_user, missed: null };
  });
  logger.info('agent distribution', {
    callId: request.callId,
    attempt: request.attempt,
    tried: request.tried.join(','),
    agent: result.agent,
    ...(result.missed ? { missedCall: result.missed } : {}),
  });
  return { agent: result.agent };
}
