/**
 * Assembles the core: the store, the services and the first-start setup.
 * Used by the headless server and by the Electron main process alike.
 */
import path from 'node:path';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Logger } from '../logger';
import { createLogger } from '../logger';
import { ensureBuiltinRoles } from '../services/access/roles';
import { SessionRegistry } from '../services/access/sessions';
import { createOperatorRow, newOneTimeCredential } from '../services/access/operators';
import { auditedWrite } from '../services/audit';
import { Billing } from '../services/billing/billing';
import type { CoreServices } from '../services/context';
import { Desk } from '../services/desk/desk';
import { Engine } from '../services/engine/engine';
import { ensureFixedToken, forgetValidTokens } from '../services/engine/network-tokens';
import { TemplateService } from '../services/engine/templates';
import { EventBus } from '../services/event-bus';
import { SettingsService } from '../services/settings';
import type { Schema } from '../store/schema';
import { Store } from '../store/store';
import { readConfigFile } from './config-file';
import { SmscLink } from '../adapters/smpp/smsc-link';
import { SipPresenceLink } from '../adapters/sip-reginfo/presence-link';
import type { NetworkLinks } from '../services/network/links';

export interface CoreOptions {
  dataDir: string;
  version: string;
  clock?: Clock;
  logger?: Logger;
  /** Registered as a network API token at start (REACHBACK_NETWORK_TOKEN). */
  networkToken?: string;
  /** Detect re-entrant store use (tests); off by default for throughput. */
  strictStore?: boolean;
}

export interface Core {
  services: CoreServices;
  /** Set only on the very first start: print it once, it is never stored in clear. */
  initialAdmin: { username: string; password: string } | null;
  /** snapshot: false leaves the journal to be replayed, as after a crash (tests). */
  close(options?: { snapshot?: boolean }): Promise<void>;
}

export const initialAdminUsername = 'admin';

export async function startCore(options: CoreOptions): Promise<Core> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  // A broken config file stops the start before anything is opened.
  const configFile = readConfigFile(options.dataDir);
  const store = await Store.open<Schema>({ dataDir: options.dataDir, clock, logger, detectReentry: options.strictStore ?? false });
  try {
    const settings = new SettingsService(
      store,
      configFile && {
        path: configFile.path,
        settings: {
          security: configFile.config.security,
          serviceRules: configFile.config.serviceRules,
          smsc: configFile.config.smsc,
          sip: configFile.config.sip,
        },
      },
    );
    await settings.load();
    const templates = new TemplateService();
    await templates.load(store.db);
    const bus = new EventBus();
    const voiceDir = path.join(options.dataDir, 'voice');
    const engine = new Engine({
      store,
      clock,
      logger: logger.child('engine'),
      bus,
      settings,
      templates,
      voiceDir,
      smsQueued: () => undefined,
    });
    const billing = new Billing(engine.deps);
    await billing.load();
    billing.onProgress = (job, cycle, done) => bus.publish('billing/progress', { job, cycle, done });
    const links: NetworkLinks = {
      smsc: new SmscLink(engine, { logger: logger.child('smsc'), clock, bus }),
      sip: new SipPresenceLink(engine, { logger: logger.child('sip'), clock, bus }),
    };
    const sessions = new SessionRegistry(clock, () => ({
      idleMinutes: settings.security.sessionIdleMinutes,
      maxHours: settings.security.sessionMaxHours,
    }));
    const desk = new Desk({ store, clock, logger: logger.child('desk'), bus, sessions, engine: engine.deps });
    await desk.load();
    const services: CoreServices = {
      links,
      store,
      clock,
      logger,
      bus,
      sessions,
      settings,
      templates,
      engine,
      billing,
      desk,
      version: options.version,
      startedAt: clock.now(),
      connectionCount: () => 0,
    };
    const initialAdmin = await firstStartSetup(services);
    const fixedTokens = [
      ...(options.networkToken ? [{ name: 'REACHBACK_NETWORK_TOKEN', token: options.networkToken, source: 'environment' as const }] : []),
      ...(configFile?.config.networkTokens ?? []).map((t) => ({ ...t, source: 'file' as const })),
    ];
    for (const fixed of fixedTokens) {
      if (await store.write((trx) => ensureFixedToken(trx, fixed, clock.now()))) {
        forgetValidTokens(store.db);
        logger.info('registered a network token', { name: fixed.name, from: fixed.source });
      }
    }
    engine.start();
    billing.start();
    desk.start();
    await links.smsc.apply(settings.smsc);
    await links.sip.apply(settings.sip);
    return {
      services,
      initialAdmin,
      close: async (closeOptions) => {
        await links.sip.stop();
        await links.smsc.stop();
        await billing.stop();
        await desk.stop();
        await engine.stop();
        await store.close(closeOptions);
      },
    };
  } catch (error) {
    await store.close({ snapshot: false });
    throw error;
  }
}

/** Built-in roles always exist; with no operator at all, an administrator with a one-time password is created. */
async function firstStartSetup(services: CoreServices): Promise<Core['initialAdmin']> {
  const now = services.clock.now();
  const empty = !(await services.store.db.selectFrom('operators').select('id').limit(1).executeTakeFirst());
  const credential = empty ? await newOneTimeCredential() : null;
  return auditedWrite(services, { actorId: null, actorName: 'system', command: 'system/first-start' }, async (trx, audit) => {
    await ensureBuiltinRoles(trx, now);
    if (!credential) return null;
    const role = await trx.selectFrom('roles').select('id').where('builtin', '=', 'system-admin').executeTakeFirstOrThrow();
    await createOperatorRow(trx, { username: initialAdminUsername, displayName: 'Administrator', roleId: role.id }, credential.hash, now);
    await audit({ target: `operator:${initialAdminUsername}`, detail: 'initial administrator created with a one-time password' });
    return { username: initialAdminUsername, password: credential.oneTimePassword };
  });
}
