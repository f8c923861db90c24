/** The console's billing commands: plans, settings, cycles, rating, corrections, statements, exports and reports. */
import { ApiError, billingSettingsSchema, type TariffPlanDetail } from '../../api';
import { cycleByKey, formatMoney, validatePlanUpdate, validatePublish, type TariffPlan, type ValidationResult } from '../../domain/billing';
import { recordAudit } from '../audit';
import { actorOf, type CommandContext, type Handlers } from '../context';
import { e164 } from '../engine/numbers';
import { addManualAdjustment, listAdjustments, rerateCycle } from './adjustments';
import { assignmentsChanged, backfillAssignments } from './assignments';
import { cappingReport } from './capping';
import type { Billing } from './billing';
import { cycleInfo, listCycles } from './cycles';
import { checkExportDir, exportInfo, readExportChunk } from './exports';
import { diffVersions, domainPlans, hasPublished, loadPlans, planSummary, subscribersPerPlan, todayOf, writePlan } from './plans';
import { dReplyReport, revenueReport, smsReport, subscriberReport, topSubscribers } from './reports';
import { reportWorkbook } from './report-workbook';
import { checkSettingsChange, movesCycleBoundaries, saveBillingSettings } from './state';
import { getStatement, listStatements, statementLines } from './statements';
import { whatIfReport } from './what-if';

type BillingHandlers = Pick<
  Handlers,
  | 'billing/settings'
  | 'billing/settings-update'
  | 'tariffs/list'
  | 'tariffs/get'
  | 'tariffs/create'
  | 'tariffs/update'
  | 'tariffs/publish'
  | 'tariffs/delete'
  | 'tariffs/diff'
  | 'tariffs/what-if'
  | 'billing/cycles'
  | 'billing/rate'
  | 'billing/close'
  | 'billing/rerate'
  | 'billing/adjust'
  | 'billing/adjustments'
  | 'billing/capping'
  | 'billing/exports'
  | 'billing/export'
  | 'billing/export-download'
  | 'reports/revenue'
  | 'reports/subscribers'
  | 'reports/sms'
  | 'reports/d-reply'
  | 'reports/top-subscribers'
  | 'reports/export-xlsx'
  | 'statements/list'
  | 'statements/get'
  | 'statements/lines'
>;

const billingOf = (ctx: CommandContext): Billing => ctx.services.billing;
const party = (ctx: CommandContext, value: string) => e164(value, 'msisdn', ctx.services.settings.serviceRules.defaultCountryCode);

/** The plan, or a validation error naming the first field as the command's input does ('plan.versions.0.…'). */
function planOrThrow(result: ValidationResult<TariffPlan>): TariffPlan {
  if (result.ok) return result.value;
  const [first] = result.issues;
  const field = first!.field ? `plan.${first!.field}` : 'plan';
  const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : '';
  throw new ApiError('validation', `${field}: ${first!.message}${more}`, { field });
}

async function planDetail(ctx: CommandContext, id: string): Promise<TariffPlanDetail> {
  const { db } = ctx.services.store;
  const stored = (await loadPlans(db)).get(id);
  if (!stored) throw new ApiError('not_found', `There is no tariff plan ${id}`, { field: 'id' });
  const now = ctx.services.clock.now();
  const tz = billingOf(ctx).settings().timeZone;
  const subscribers = (await subscribersPerPlan(db, todayOf(now, tz))).get(id) ?? 0;
  return { ...planSummary(stored, subscribers, now, tz), plan: stored.plan };
}

/** Saves a validated plan; a first published version brings in the subscribers already naming the plan. */
async function savePlan(ctx: CommandContext, id: string, validate: (previous: TariffPlan | null) => TariffPlan, create: boolean) {
  const actor = actorOf(ctx);
  const now = ctx.services.clock.now();
  await ctx.write(async (trx, audit) => {
    const previous = (await loadPlans(trx)).get(id) ?? null;
    if (create && previous) throw new ApiError('conflict', `A tariff plan ${id} exists already`, { field: 'plan.id' });
    if (!create && !previous) throw new ApiError('not_found', `There is no tariff plan ${id}`, { field: 'plan.id' });
    const next = validate(previous?.plan ?? null);
    const published = await writePlan(trx, previous, next, actor.username, now);
    const joined = published.length && !(previous && hasPublished(previous.plan)) ? await backfillAssignments(trx, next, now) : 0;
    await audit({
      target: `tariff:${id}`,
      before: previous?.plan,
      after: next,
      detail: published.length
        ? `published version ${published.join(', ')}${joined ? `; ${joined} subscribers naming the plan joined it` : ''}`
        : null,
    });
  });
  assignmentsChanged();
  return planDetail(ctx, id);
}

/** A long billing job, one at a time, audited once it ends (also when it fails). */
async function auditedJob<T>(ctx: CommandContext, target: string, describe: (result: T) => string, job: () => Promise<T>): Promise<T> {
  const actor = actorOf(ctx);
  const who = { actorId: actor.operatorId, actorName: actor.username, command: ctx.command };
  try {
    const result = await billingOf(ctx).exclusive(job);
    await recordAudit(ctx.services, who, { target, detail: describe(result) });
    return result;
  } catch (error) {
    await recordAudit(ctx.services, who, { target, outcome: 'failed', detail: (error as Error).message });
    throw error;
  }
}

function reader(ctx: CommandContext) {
  return loadPlans(ctx.services.store.db).then((catalog) => ({
    db: ctx.services.store.db,
    config: billingOf(ctx).config(),
    plans: domainPlans(catalog),
    now: ctx.services.clock.now(),
  }));
}

async function currencies(ctx: CommandContext): Promise<Map<string, string>> {
  const rows = await ctx.services.store.db.selectFrom('tariff_plans').select(['id', 'currency']).execute();
  return new Map(rows.map((r) => [r.id, r.currency]));
}

export const billingHandlers: BillingHandlers = {
  'billing/settings': async (_input, ctx) => billingOf(ctx).settings(),

  'billing/settings-update': async (input, ctx) => {
    const billing = billingOf(ctx);
    const before = billing.settings();
    const next = billingSettingsSchema.parse({ ...before, ...input });
    if (next.exportDir && next.exportDir !== before.exportDir) next.exportDir = await checkExportDir(next.exportDir);
    await billing.exclusive(() =>
      ctx.write(async (trx, audit) => {
        await checkSettingsChange(trx, before, next);
        await saveBillingSettings(trx, next, ctx.services.clock.now());
        await audit({ target: 'settings:billing', before, after: next });
      }),
    );
    await billing.load();
    // Cached rating states hold cycle boundaries: only the close day or time zone make them stale.
    if (movesCycleBoundaries(before, next)) billing.rating.invalidate();
    ctx.services.bus.publish('billing/changed', { what: 'settings' });
    return billing.settings();
  },

  'tariffs/list': async (_input, ctx) => {
    const { db } = ctx.services.store;
    const now = ctx.services.clock.now();
    const tz = billingOf(ctx).settings().timeZone;
    const counts = await subscribersPerPlan(db, todayOf(now, tz));
    return [...(await loadPlans(db)).values()].map((stored) => planSummary(stored, counts.get(stored.plan.id) ?? 0, now, tz));
  },

  'tariffs/get': async (input, ctx) => planDetail(ctx, input.id),

  'tariffs/create': async ({ plan }, ctx) => {
    const tz = billingOf(ctx).settings().timeZone;
    return savePlan(ctx, plan.id, () => planOrThrow(validatePlanUpdate(null, plan, ctx.services.clock.now(), tz)), true);
  },

  'tariffs/update': async ({ plan, expectedUpdatedAt }, ctx) => {
    const tz = billingOf(ctx).settings().timeZone;
    if (expectedUpdatedAt !== undefined) {
      const current = (await loadPlans(ctx.services.store.db)).get(plan.id);
      if (current && current.updatedAt !== expectedUpdatedAt) {
        throw new ApiError('conflict', `Plan ${plan.id} was changed by someone else since you opened it: reload it and redo your edit`, {
          field: 'plan',
        });
      }
    }
    return savePlan(ctx, plan.id, (previous) => planOrThrow(validatePlanUpdate(previous, plan, ctx.services.clock.now(), tz)), false);
  },

  'tariffs/publish': async ({ id, version }, ctx) => {
    const tz = billingOf(ctx).settings().timeZone;
    return savePlan(
      ctx,
      id,
      (previous) => {
        const result = validatePublish(previous!, version, ctx.services.clock.now(), tz);
        if (!result.ok) {
          const [first] = result.issues;
          throw new ApiError('validation', `${first!.field}: ${first!.message}`, {
            field: first!.field === 'version' ? 'version' : `plan.${first!.field}`,
          });
        }
        return result.value;
      },
      false,
    );
  },

  'tariffs/delete': async ({ id }, ctx) => {
    await ctx.write(async (trx, audit) => {
      const stored = (await loadPlans(trx)).get(id);
      if (!stored) throw new ApiError('not_found', `There is no tariff plan ${id}`, { field: 'id' });
      if (hasPublished(stored.plan)) {
        throw new ApiError('conflict', `Plan ${id} has published versions: it stays, for the bills made with it`, { field: 'id' });
      }
      await trx.deleteFrom('tariff_versions').where('plan_id', '=', id).execute();
      await trx.deleteFrom('tariff_plans').where('id', '=', id).execute();
      await audit({ target: `tariff:${id}`, before: stored.plan });
    });
    assignmentsChanged();
    return { ok: true };
  },

  'tariffs/diff': async ({ id, from, to }, ctx) => {
    const { plan } = await planDetail(ctx, id);
    const version = (n: number, field: string) => {
      const found = plan.versions.find((v) => v.number === n);
      if (!found) throw new ApiError('not_found', `Plan ${id} has no version ${n}`, { field });
      return found;
    };
    return { planId: id, from, to, changes: diffVersions(version(from, 'from'), version(to, 'to')) };
  },

  'tariffs/what-if': async (input, ctx) => {
    const { plan } = await planDetail(ctx, input.id);
    const draft = input.draft ?? plan.versions.find((v) => v.number === input.version);
    if (!draft) throw new ApiError('not_found', `Plan ${input.id} has no version ${input.version}`, { field: 'version' });
    const r = await reader(ctx);
    return whatIfReport(r.db, r.plans, r.now, {
      planId: plan.id,
      cycle: cycleByKey(input.cycle, r.config),
      draft,
      version: input.draft ? null : draft.number,
      top: input.top,
    });
  },

  'billing/cycles': async (_input, ctx) => listCycles(ctx.services.store.db, billingOf(ctx).config(), ctx.services.clock.now()),

  'billing/rate': async ({ msisdn }, ctx) => {
    const billing = billingOf(ctx);
    const who = msisdn ? party(ctx, msisdn) : null;
    return auditedJob(
      ctx,
      who ? `subscriber:${who}` : 'billing:rating',
      (run) => `rated ${run.records} records of ${run.parties} subscribers: ${run.charged} fen; ${run.skipped.length} numbers skipped`,
      () => (who ? billing.rating.rateParty(who) : billing.rating.run()),
    );
  },

  'billing/close': async ({ cycle }, ctx) => {
    const billing = billingOf(ctx);
    await auditedJob(
      ctx,
      `cycle:${cycle}`,
      () => `closed cycle ${cycle}`,
      () => billing.close(cycle, actorOf(ctx).username),
    );
    ctx.services.bus.publish('billing/changed', { what: 'cycles' });
    return cycleInfo(ctx.services.store.db, billing.config(), cycle, ctx.services.clock.now());
  },

  'billing/rerate': async (input, ctx) => {
    const billing = billingOf(ctx);
    const who = input.msisdn ? party(ctx, input.msisdn) : undefined;
    const result = await auditedJob(
      ctx,
      `cycle:${input.cycle}`,
      (r) => `rerated ${r.parties} statements (${input.reason}): ${r.adjustments} adjustments, ${r.total} fen`,
      async () => {
        const context = await billing.closeContext(actorOf(ctx).username, 'rerate', input.cycle);
        const correction = input.planId
          ? { planId: input.planId, version: correctedVersion(context.plans, input.planId, input.version!) }
          : undefined;
        return rerateCycle(context, cycleByKey(input.cycle, context.config), { reason: input.reason, party: who, correction });
      },
    );
    ctx.services.bus.publish('billing/changed', { what: 'cycles' });
    return result;
  },

  'billing/adjust': async (input, ctx) => {
    const billing = billingOf(ctx);
    const who = party(ctx, input.msisdn);
    const plans = domainPlans(await loadPlans(ctx.services.store.db));
    const cycle = cycleByKey(input.cycle, billing.config());
    const result = await billing.exclusive(() =>
      ctx.write(async (trx, audit) => {
        const adjustment = await addManualAdjustment(trx, billing.config(), plans, {
          party: who,
          cycle,
          amount: input.amount,
          currency: input.currency,
          reason: input.reason,
          operator: actorOf(ctx).username,
          now: ctx.services.clock.now(),
        });
        await audit({
          target: `subscriber:${who}`,
          after: adjustment,
          detail: `adjustment of ${formatMoney(adjustment.amount, adjustment.currency, 'code')} on cycle ${cycle.key}`,
        });
        return adjustment;
      }),
    );
    ctx.services.bus.publish('billing/changed', { what: 'cycles' });
    return result;
  },

  'billing/adjustments': async (input, ctx) =>
    listAdjustments(ctx.services.store.db, { ...input, party: input.msisdn ? party(ctx, input.msisdn) : undefined }),

  'billing/capping': async (input, ctx) =>
    cappingReport(
      {
        db: ctx.services.store.db,
        config: billingOf(ctx).config(),
        catalog: await loadPlans(ctx.services.store.db),
        now: ctx.services.clock.now(),
      },
      input,
    ),

  'billing/exports': async (_input, ctx) =>
    (await ctx.services.store.db.selectFrom('export_files').selectAll().orderBy('seq', 'desc').execute()).map(exportInfo),

  'billing/export': async ({ day }, ctx) => {
    const billing = billingOf(ctx);
    const file = await auditedJob(
      ctx,
      `export:${day}`,
      (f) => `wrote ${f.filename}: ${f.rows} rows, sha256 ${f.sha256}`,
      () => billing.exportDay(day, actorOf(ctx).username),
    );
    ctx.services.bus.publish('billing/changed', { what: 'exports' });
    return file;
  },

  'billing/export-download': async (input, ctx) => readExportChunk(ctx.services.store.db, input.seq, input.offset, input.maxBytes),

  'reports/revenue': async (input, ctx) => revenueReport(ctx.services.store.db, billingOf(ctx).config(), await currencies(ctx), input),
  'reports/subscribers': async (input, ctx) => subscriberReport(ctx.services.store.db, billingOf(ctx).config(), input),
  'reports/sms': async (input, ctx) => smsReport(ctx.services.store.db, billingOf(ctx).config(), input),
  'reports/d-reply': async (input, ctx) => dReplyReport(ctx.services.store.db, billingOf(ctx).config(), input),
  'reports/top-subscribers': async (input, ctx) => topSubscribers(ctx.services.store.db, input),
  'reports/export-xlsx': async (input, ctx) => reportWorkbook(ctx.services.store.db, billingOf(ctx).config(), await currencies(ctx), input),

  'statements/list': async ({ msisdn }, ctx) => listStatements(await reader(ctx), party(ctx, msisdn)),
  'statements/get': async ({ msisdn, cycle }, ctx) => getStatement(await reader(ctx), party(ctx, msisdn), cycle),
  'statements/lines': async ({ msisdn, ...query }, ctx) => statementLines(await reader(ctx), party(ctx, msisdn), query),
};

function correctedVersion(plans: ReadonlyMap<string, TariffPlan>, planId: string, number: number) {
  const version = plans.get(planId)?.versions.find((v) => v.number === number);
  if (!version) throw new ApiError('not_found', `Plan ${planId} has no version ${number}`, { field: 'version' });
  if (version.status !== 'published') {
    throw new ApiError('validation', `Version ${number} of ${planId} is a draft: publish the corrected version before rerating with it`, {
      field: 'version',
    });
  }
  return version;
}
