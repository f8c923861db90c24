/** The console's commands for the reminder engine: subscribers, the Lab, templates, rules and network tokens. */
import { ApiError } from '../../api';
import { serviceRulesSchema } from '../../api/rules';
import { isTemplateKey } from '../../domain/sms-templates';
import { recordAudit } from '../audit';
import { actorOf, type CommandContext, type Handlers } from '../context';
import { rulesOf } from './deps';
import { e164 } from './numbers';
import { createToken, forgetValidTokens, listTokens, newTokenValue, revokeToken } from './network-tokens';
import { engineStats, searchSubscribers, subscriberDetail, virtualHandsets } from './queries';
import { changeList, provisionSubscriber } from './subscribers';
import { deleteGreeting } from './greetings';
import { testToneWav } from './test-tone';
import { removeVoiceFiles } from './voice-files';

type EngineHandlers = Pick<
  Handlers,
  | 'subscribers/search'
  | 'subscribers/get'
  | 'subscribers/provision'
  | 'subscribers/list-change'
  | 'subscribers/voice-message'
  | 'subscribers/greeting'
  | 'subscribers/greeting-delete'
  | 'lab/call'
  | 'lab/selfcare-call'
  | 'lab/ivr'
  | 'lab/record'
  | 'lab/presence'
  | 'lab/sms'
  | 'lab/handsets'
  | 'engine/stats'
  | 'templates/list'
  | 'templates/update'
  | 'rules/get'
  | 'rules/update'
  | 'network-tokens/list'
  | 'network-tokens/create'
  | 'network-tokens/revoke'
>;

const number = (ctx: CommandContext, value: string, field: string) =>
  e164(value, field, ctx.services.settings.serviceRules.defaultCountryCode);

/** Audits an action that writes nothing of its own (a Lab step, listening to a recording), as the operator's command. */
async function auditAction(ctx: CommandContext, target: string, detail: string): Promise<void> {
  const actor = actorOf(ctx);
  await recordAudit(ctx.services, { actorId: actor.operatorId, actorName: actor.username, command: ctx.command }, { target, detail });
}

/** The Lab drives the same engine as the network does; each step is audited like any console action. */
const labAudit = (ctx: CommandContext, detail: string) => auditAction(ctx, 'lab', detail);

export const engineHandlers: EngineHandlers = {
  'subscribers/search': async (input, ctx) =>
    searchSubscribers(ctx.services.store.db, input, ctx.services.settings.serviceRules.defaultCountryCode),

  'subscribers/get': async (input, ctx) => subscriberDetail(ctx.services.store.db, number(ctx, input.msisdn, 'msisdn')),

  'subscribers/provision': async ({ msisdn: raw, createOnly, ...input }, ctx) => {
    const msisdn = number(ctx, raw, 'msisdn');
    const deps = ctx.services.engine.deps;
    await ctx.write(async (trx, audit) => {
      if (createOnly && (await trx.selectFrom('subscribers').select('msisdn').where('msisdn', '=', msisdn).executeTakeFirst())) {
        throw new ApiError('conflict', `${msisdn} is already a subscriber; open it to change its settings`, { field: 'msisdn' });
      }
      const result = await provisionSubscriber(trx, deps, msisdn, input, ctx.services.clock.now());
      await audit({ target: `subscriber:${msisdn}`, before: result.before, after: result.subscriber });
    });
    deps.smsQueued();
    ctx.services.bus.publish('subscribers/changed', { msisdn });
    return subscriberDetail(ctx.services.store.db, msisdn);
  },

  'subscribers/list-change': async (input, ctx) => {
    const msisdn = number(ctx, input.msisdn, 'msisdn');
    await ctx.write(async (trx, audit) => {
      const result = await changeList(trx, ctx.services.engine.deps, msisdn, input.list, input.number, input.add, ctx.services.clock.now());
      if (result.changed)
        await audit({
          target: `subscriber:${msisdn}`,
          detail: `${input.add ? 'added' : 'removed'} ${result.number} ${input.add ? 'to' : 'from'} the ${input.list}`,
        });
    });
    ctx.services.bus.publish('subscribers/changed', { msisdn });
    return subscriberDetail(ctx.services.store.db, msisdn);
  },

  'subscribers/voice-message': async (input, ctx) => {
    const call = await ctx.services.store.db
      .selectFrom('calls')
      .select(['id', 'callee', 'voice_ms'])
      .where('id', '=', input.callId)
      .executeTakeFirst();
    if (!call) throw new ApiError('not_found', 'This call has no voice message', { field: 'callId' });
    const bytes = await ctx.services.engine.voiceMessageAudio(call.id);
    // Listening to someone's voicemail is personal data access: it is audited.
    await auditAction(ctx, `subscriber:${call.callee}`, `played the voice message of call ${call.id}`);
    return { callId: call.id, wavBase64: bytes.toString('base64'), durationMs: call.voice_ms ?? 0 };
  },

  'subscribers/greeting': async (input, ctx) => {
    const msisdn = number(ctx, input.msisdn, 'msisdn');
    const greeting = await ctx.services.engine.greeting(msisdn);
    // A greeting is the subscriber's own voice: listening to it is audited like a voice message.
    await auditAction(ctx, `subscriber:${msisdn}`, 'played the personal greeting');
    return { msisdn, wavBase64: greeting.audio.toString('base64'), durationMs: greeting.durationMs };
  },

  'subscribers/greeting-delete': async (input, ctx) => {
    const msisdn = number(ctx, input.msisdn, 'msisdn');
    const deleted = await ctx.write(async (trx, audit) => {
      const greeting = await deleteGreeting(trx, msisdn, ctx.services.clock.now());
      if (!greeting) throw new ApiError('not_found', `${msisdn} has no personal greeting`, { field: 'msisdn' });
      await audit({
        target: `subscriber:${msisdn}`,
        detail: 'deleted the personal greeting',
        before: { greeting: { recordedAt: greeting.recordedAt, durationMs: greeting.durationMs } },
        after: { greeting: null },
      });
      return greeting;
    });
    // The file goes once nothing refers to it.
    await removeVoiceFiles(ctx.services.engine.deps, [deleted.file]);
    ctx.services.bus.publish('subscribers/changed', { msisdn });
    return subscriberDetail(ctx.services.store.db, msisdn);
  },

  'lab/call': async (input, ctx) => {
    const answer = await ctx.services.engine.call({
      caller: input.caller,
      callee: input.callee,
      reason: input.reason,
      clir: input.clir,
      at: ctx.services.clock.now(),
    });
    await labAudit(ctx, `call from ${input.clir ? 'a hidden number' : input.caller} to ${input.callee} (${input.reason})`);
    return answer.body;
  },

  'lab/selfcare-call': async (input, ctx) => {
    const answer = await ctx.services.engine.selfcareCall({ caller: input.caller, clir: input.clir, at: ctx.services.clock.now() });
    await labAudit(ctx, `self-care call from ${input.clir ? 'a hidden number' : input.caller}`);
    return answer.body;
  },

  'lab/ivr': async (input, ctx) => {
    const { action, outcome, selfcare } = await ctx.services.engine.ivrInput(input.session, input.input);
    // Self-care keys may be a PIN: the audit log records how many, not which.
    const keys =
      'digits' in input.input
        ? selfcare
          ? `pressed ${input.input.digits.length} keys`
          : `pressed ${input.input.digits}`
        : input.input.event;
    await labAudit(ctx, `IVR ${input.session}: ${keys}${outcome ? ` → ${outcome}` : ''}`);
    return { action, outcome };
  },

  'lab/record': async (input, ctx) => {
    const result = await ctx.services.engine.uploadRecording(input.session, testToneWav(input.seconds));
    await labAudit(ctx, `IVR ${input.session}: recorded a ${input.seconds} s test tone`);
    return result;
  },

  'lab/presence': async (input, ctx) => {
    const answer = await ctx.services.engine.presence({ msisdn: input.msisdn, state: input.state, at: ctx.services.clock.now() });
    await labAudit(ctx, `${input.msisdn} is ${input.state}`);
    ctx.services.bus.publish('calls/changed', { callee: answer.body.msisdn });
    return { notices: answer.body.notices, reachableAlerts: answer.body.reachableAlerts };
  },

  'lab/sms': async (input, ctx) => {
    const rules = rulesOf(ctx.services.engine.deps);
    const answer = await ctx.services.engine.inboundSms({
      from: input.from,
      to: rules.shortCode,
      text: input.text,
      at: ctx.services.clock.now(),
    });
    await labAudit(ctx, `SMS from ${input.from} to ${rules.shortCode}: ${input.text.slice(0, 60)}`);
    return answer.body;
  },

  'lab/handsets': async (input, ctx) =>
    virtualHandsets(
      ctx.services.store.db,
      input.numbers.map((n, i) => number(ctx, n, `numbers.${i}`)),
      input.only,
    ),

  'engine/stats': async (_input, ctx) => engineStats(ctx.services.engine.deps),

  'templates/list': async (_input, ctx) => ctx.services.templates.list(),

  'templates/update': async (input, ctx) => {
    const { key, language, text } = input;
    if (!isTemplateKey(key)) throw new ApiError('validation', `key: there is no template ${key}`, { field: 'key' });
    const before = ctx.services.templates.get(key, language);
    await ctx.write(async (trx, audit) => {
      await ctx.services.templates.save(trx, key, language, text, ctx.services.clock.now());
      await audit({ target: `template:${key}:${language}`, before: { text: before }, after: { text: text ?? '(default)' } });
    });
    await ctx.services.templates.load(ctx.services.store.db);
    return ctx.services.templates.list().find((t) => t.key === key && t.language === language)!;
  },

  'rules/get': async (_input, ctx) => ctx.services.settings.serviceRules,

  'rules/update': async (input, ctx) => {
    const rules = serviceRulesSchema.parse(input);
    const before = ctx.services.settings.serviceRules;
    await ctx.write(async (trx, audit) => {
      await ctx.services.settings.save(trx, 'serviceRules', rules, ctx.services.clock.now());
      await audit({ target: 'settings:service-rules', before, after: rules });
    });
    await ctx.services.settings.load();
    ctx.services.bus.publish('rules/changed', {});
    return ctx.services.settings.serviceRules;
  },

  'network-tokens/list': async (_input, ctx) => listTokens(ctx.services.store.db),

  'network-tokens/create': async (input, ctx) => {
    const token = newTokenValue();
    const info = await ctx.write(async (trx, audit) => {
      const created = await createToken(trx, input.name, token, 'console', ctx.services.clock.now());
      await audit({ target: `network-token:${created.id}`, after: created });
      return created;
    });
    forgetValidTokens(ctx.services.store.db);
    return { token, info };
  },

  'network-tokens/revoke': async (input, ctx) => {
    const revoked = await ctx.write(async (trx, audit) => {
      const after = await revokeToken(trx, input.id, ctx.services.clock.now());
      await audit({ target: `network-token:${input.id}`, after });
      return after;
    });
    // Refused from the next request on.
    forgetValidTokens(ctx.services.store.db);
    return revoked;
  },
};
