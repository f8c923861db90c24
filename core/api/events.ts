/** The event map: what the core pushes to subscribed clients, and who may receive it. */
import type { SipStatusView, SmscStatusView } from './network-settings';
import type { Access } from './commands';
import type { ImportJob } from './engine-types';
import type { DeskAgentView } from './desk-types';
import type { AuditEntry } from './types';

/** A message as a virtual handset received it. */
export interface VirtualSmsEvent {
  id: number;
  from: string;
  to: string;
  text: string;
  encoding: string;
  parts: number;
  at: number;
}

interface EventSpec<Payload> {
  access: Access;
  payload?: Payload;
}

function event<Payload>(access: Access): EventSpec<Payload> {
  return { access };
}

export const events = {
  'audit/appended': event<AuditEntry>('audit.read'),
  'operators/changed': event<{ id: number }>('operators.read'),
  'roles/changed': event<{ id: number }>('roles.read'),
  'settings/changed': event<Record<string, never>>('settings.read'),
  'sms/changed': event<{ id: number; to: string; state: string }>('subscribers.read'),
  'rules/changed': event<Record<string, never>>('rules.read'),
  /** A subscriber's services, lists, privacy, PIN or voice messages changed (API, SMS command, self-care IVR, console). */
  'subscribers/changed': event<{ msisdn: string }>('subscribers.read'),
  /** Something changed in the calls to this number; screens showing it reload. */
  'calls/changed': event<{ callee: string }>('subscribers.read'),
  /** A network link changed state (bound, lost, refused…); counters are read with network/status. */
  'network/changed': event<{ smsc?: SmscStatusView; sip?: SipStatusView }>('signed-in'),
  'virtual-smsc/delivered': event<VirtualSmsEvent>('lab.use'),
  'provisioning/progress': event<ImportJob>('provisioning.bulk'),
  /** A long billing job moved on: subscribers done so far (close, rerate). */
  'billing/progress': event<{ job: 'rate' | 'close' | 'rerate' | 'export'; cycle: string | null; done: number }>('billing.read'),
  /** Plans, cycles or export files changed; billing screens reload. */
  'billing/changed': event<{ what: 'plans' | 'cycles' | 'exports' | 'settings' }>('billing.read'),
  /** An agent's state, current call or today's figures changed (supervisors' live view). */
  'desk/agent-changed': event<DeskAgentView>('desk.supervise'),
  /** Sent to the agent's own connections only: their state changed, also by itself (wrap-up over, a missed call). */
  'desk/my-state': event<DeskAgentView>('desk.use'),
  /** The desk's shared settings changed (reasons, wrap-up); desks reload them with desk/status. */
  'desk/config-changed': event<Record<string, never>>('desk.use'),
  /** Sent to the affected connections only: their session ended (logout elsewhere, disabled, password reset). */
  'session/ended': event<{ reason: 'logout' | 'expired' | 'disabled' | 'password-reset' }>('signed-in'),
  /** Sent to the affected connections only: their role or its permissions changed; fetch session/me again. */
  'session/refresh': event<Record<string, never>>('signed-in'),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = NonNullable<Events[N]['payload']>;

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
