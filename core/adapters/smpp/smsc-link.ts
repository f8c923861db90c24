/**
 * Wires the SMPP connector to the engine: submits come from the SMS
 * dispatcher, receipts move messages, mobile-originated SMS become inbound
 * events (D replies and SMS commands), and alert_notification says a handset
 * is reachable. With the link disabled the engine uses the virtual SMSC.
 */
import { ApiError } from '../../api';
import type { SmscSettings, SmscStatusView } from '../../api/network-settings';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { EventBus } from '../../services/event-bus';
import type { Engine } from '../../services/engine/engine';
import type { SmscLinkPort } from '../../services/network/links';
import { SmppConnector, type InboundSms } from './esme';

export class SmscLink implements SmscLinkPort {
  private connector: SmppConnector | null = null;
  private applied = '';

  constructor(
    private readonly engine: Engine,
    private readonly deps: { logger: Logger; clock: Clock; bus: EventBus },
  ) {}

  async apply(settings: SmscSettings): Promise<void> {
    // Saving other settings must not drop a healthy link.
    const fingerprint = JSON.stringify(settings);
    if (fingerprint === this.applied) return;
    this.applied = fingerprint;
    await this.stopConnector();
    if (!settings.enabled || !settings.link) {
      this.engine.useConnector(this.engine.virtualSmsc);
      this.deps.logger.info('SMS go to the virtual SMSC');
      this.publish();
      return;
    }
    const connector = new SmppConnector(settings.link, {
      logger: this.deps.logger,
      clock: this.deps.clock,
      onReceipt: (smscId, state, error) => this.engine.dispatcher.receipt(smscId, state, error),
      onInbound: (sms) => this.inbound(sms),
      onStateChange: (state) => {
        if (state === 'bound') this.engine.dispatcher.kick();
        this.publish();
      },
      onAlert: (alert) => {
        if (alert.available) void this.presence(alert.msisdn, alert.at);
      },
    });
    this.connector = connector;
    this.engine.useConnector(connector);
    connector.start();
    this.deps.logger.info('SMS go to the SMSC over SMPP', { host: settings.link.host, port: settings.link.port });
    this.publish();
  }

  status(): SmscStatusView {
    return this.connector ? { mode: 'smpp', link: this.connector.status() } : { mode: 'virtual', link: null };
  }

  async stop(): Promise<void> {
    await this.stopConnector();
    this.applied = '';
  }

  private async stopConnector(): Promise<void> {
    const connector = this.connector;
    this.connector = null;
    if (connector) await connector.stop();
  }

  /** A D reply or SMS command. Bad content is acknowledged and logged (a retry would fail the same way); anything else makes the SMSC retry. */
  private async inbound(sms: InboundSms): Promise<void> {
    if (sms.incomplete) this.deps.logger.warn('a long SMS arrived incomplete', { from: sms.from, missing: sms.incomplete.missingParts });
    try {
      await this.engine.inboundSms({ from: sms.from, to: sms.to, text: sms.text, at: sms.at });
    } catch (error) {
      if (!(error instanceof ApiError) && !(error instanceof Error && error.name === 'ZodError')) throw error;
      this.deps.logger.warn('an SMS from a handset was refused', { from: sms.from, to: sms.to, error: error.message });
    }
  }

  private async presence(msisdn: string, at: number): Promise<void> {
    try {
      await this.engine.presence({ msisdn, state: 'reachable', at });
    } catch (error) {
      this.deps.logger.warn('alert_notification for a number the engine refused', { msisdn, error: (error as Error).message });
    }
  }

  private publish(): void {
    this.deps.bus.publish('network/changed', { smsc: this.status() });
  }
}
