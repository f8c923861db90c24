/**
 * The network links the core runs besides its HTTP API (the SMSC link; the
 * SIP reg-event watcher). Services see them through this port; the adapters
 * implement it, and the server wires them in. Each link can be switched on
 * and off from its settings without restarting the core.
 */
import type { SipSettings, SipStatusView, SmscSettings, SmscStatusView } from '../../api/network-settings';

export interface SmscLinkPort {
  /** Applies the settings: starts, restarts or stops the SMPP link and picks the engine's connector. */
  apply(settings: SmscSettings): Promise<void>;
  status(): SmscStatusView;
  stop(): Promise<void>;
}

export interface SipLinkPort {
  /** Applies the settings: starts, restarts or stops the reg-event watcher. */
  apply(settings: SipSettings): Promise<void>;
  status(): SipStatusView;
  stop(): Promise<void>;
}

export interface NetworkLinks {
  smsc: SmscLinkPort;
  sip: SipLinkPort;
}

/** Until the server wires the adapters in (and in unit tests of services alone): the virtual SMSC, no link. */
export const noNetworkLinks: NetworkLinks = {
  smsc: { apply: async () => undefined, status: () => ({ mode: 'virtual', link: null }), stop: async () => undefined },
  sip: { apply: async () => undefined, status: () => ({ mode: 'off', watcher: null }), stop: async () => undefined },
};
