/**
 * Power-on from SIP registration events: runs the reg-event watcher from
 * Settings → SIP and turns its NOTIFYs into the engine's presence events.
 * Which numbers are watched follows the settings: every active subscriber,
 * only the numbers that have calls waiting for their power-on, or a list.
 * The set is kept in step on every call and by a periodic resync.
 */
import type { SipSettings, SipStatusView } from '../../api/network-settings';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import { normalizeMsisdn } from '../../domain/msisdn';
import type { Engine } from '../../services/engine/engine';
import type { EventBus } from '../../services/event-bus';
import type { SipLinkPort } from '../../services/network/links';
import { RegInfoWatcher, type SipPresenceEvent } from './watcher';

const resyncIntervalMs = 30_000;

export class SipPresenceLink implements SipLinkPort {
  private watcher: RegInfoWatcher | null = null;
  private settings: SipSettings | null = null;
  private watched = new Set<string>();
  private applied = '';
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly deps: { logger: Logger; clock: Clock; bus: EventBus },
  ) {}

  async apply(settings: SipSettings): Promise<void> {
    const fingerprint = JSON.stringify(settings);
    if (fingerprint === this.applied) return;
    this.applied = fingerprint;
    await this.stopWatcher();
    this.settings = settings;
    if (!settings.enabled || !settings.registrar) {
      this.publish();
      return;
    }
    const { registrar } = settings;
    const watcher = new RegInfoWatcher({
      registrar: { host: registrar.registrarHost, port: registrar.registrarPort },
      domain: registrar.domain,
      localHost: registrar.localHost,
      localPort: registrar.localPort,
      expires: registrar.expires,
      userPart: registrar.userPart,
      keepaliveIntervalMs: registrar.keepaliveIntervalMs,
      logger: this.deps.logger,
      clock: this.deps.clock,
      onPresence: (event) => void this.presence(event),
    });
    this.watcher = watcher;
    await watcher.start();
    this.deps.logger.info('watching registrations', {
      registrar: `${registrar.registrarHost}:${registrar.registrarPort}`,
      mode: settings.watch,
    });
    // A new call's callee, and in all-subscribers mode a subscriber just provisioned or changed, is watched at once, not at the next resync.
    this.unsubscribe = this.deps.bus.subscribe((event) => {
      if (event.name === 'calls/changed' && settings.watch !== 'listed') this.add([(event.payload as { callee: string }).callee]);
      if (event.name === 'subscribers/changed' && settings.watch === 'all-subscribers')
        this.add([(event.payload as { msisdn: string }).msisdn]);
    });
    this.resyncTimer = setInterval(() => void this.resync(), resyncIntervalMs);
    this.resyncTimer.unref?.();
    await this.resync();
    this.publish();
  }

  status(): SipStatusView {
    return this.watcher ? { mode: 'watching', watcher: this.watcher.status() } : { mode: 'off', watcher: null };
  }

  async stop(): Promise<void> {
    await this.stopWatcher();
    this.applied = '';
  }

  private async stopWatcher(): Promise<void> {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    const watcher = this.watcher;
    this.watcher = null;
    this.watched.clear();
    if (watcher) await watcher.stop();
  }

  /** The numbers the settings ask to watch. */
  private async wanted(settings: SipSettings): Promise<string[]> {
    if (settings.watch === 'listed') {
      const code = this.engine.deps.settings.serviceRules.defaultCountryCode;
      return settings.numbers.flatMap((n) => {
        const number = normalizeMsisdn(n, code);
        return number.ok ? [number.e164] : [];
      });
    }
    return this.engine.presenceWatchList(settings.watch === 'all-subscribers');
  }

  private async resync(): Promise<void> {
    const settings = this.settings;
    if (!this.watcher || !settings) return;
    try {
      const wanted = new Set(await this.wanted(settings));
      const gone = [...this.watched].filter((n) => !wanted.has(n));
      if (gone.length) this.watcher.unwatch(gone);
      for (const n of gone) this.watched.delete(n);
      this.add([...wanted]);
    } catch (error) {
      this.deps.logger.error('could not work out which numbers to watch', { error: (error as Error).message });
    }
  }

  private add(numbers: string[]): void {
    const fresh = numbers.filter((n) => !this.watched.has(n));
    if (!fresh.length || !this.watcher) return;
    const { added, invalid } = this.watcher.watch(fresh);
    for (const n of added) this.watched.add(n);
    if (invalid.length) this.deps.logger.warn('numbers that cannot be watched as SIP AORs', { numbers: invalid });
  }

  private async presence(event: SipPresenceEvent): Promise<void> {
    try {
      await this.engine.presence({ id: event.id, msisdn: event.msisdn, state: event.state, at: event.at });
    } catch (error) {
      this.deps.logger.warn('a registration event the engine refused', {
        msisdn: event.msisdn,
        callId: event.callId,
        error: (error as Error).message,
      });
    }
  }

  private publish(): void {
    this.deps.bus.publish('network/changed', { sip: this.status() });
  }
}
