/** What every command handler gets: the core's services, who is calling, and an audited write. */
import type { Transaction } from 'kysely';
import type { CommandInput, CommandName, CommandResult, Permission } from '../api';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Schema } from '../store/schema';
import type { Store } from '../store/store';
import type { SessionRegistry } from './access/sessions';
import type { Engine } from './engine/engine';
import type { TemplateService } from './engine/templates';
import type { AuditRecord } from './audit';
import type { Billing } from './billing/billing';
import type { Desk } from './desk/desk';
import type { EventBus } from './event-bus';
import type { NetworkLinks } from './network/links';
import type { SettingsService } from './settings';

export interface CoreServices {
  store: Store<Schema>;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  sessions: SessionRegistry;
  settings: SettingsService;
  templates: TemplateService;
  engine: Engine;
  billing: Billing;
  desk: Desk;
  /** The SMSC link (and later the SIP watcher): on, off or restarted from their settings. */
  links: NetworkLinks;
  version: string;
  startedAt: number;
  /** Number of open console connections; set by the WebSocket host. */
  connectionCount: () => number;
}

export interface Actor {
  operatorId: number;
  username: string;
  displayName: string;
  roleId: number;
  roleName: string;
  roleBuiltin: string | null;
  permissions: ReadonlySet<Permission>;
  mustChangePassword: boolean;
}

export type AuditFn = (record: AuditRecord) => Promise<void>;

export interface CommandContext {
  services: CoreServices;
  command: CommandName;
  actor: Actor | null;
  sessionId: string | null;
  /** Where the call came from, for the audit log (e.g. "ws 127.0.0.1"). */
  origin: string;
  /** One transaction; each audit() call inside it records a change made by this command and actor. */
  write<T>(fn: (trx: Transaction<Schema>, audit: AuditFn) => Promise<T>): Promise<T>;
  /** Binds a session (and its operator's permissions, for event delivery) to the calling connection. */
  bindSession(sessionId: string | null, permissions?: ReadonlySet<Permission>): void;
}

export type Handler<N extends CommandName> = (input: CommandInput<N>, ctx: CommandContext) => Promise<CommandResult<N>>;
export type Handlers = { [N in CommandName]: Handler<N> };

/** The actor of a command that requires a session; handlers of such commands can rely on it. */
export function actorOf(ctx: CommandContext): Actor {
  if (!ctx.actor) throw new Error(`${ctx.command} ran without a signed-in actor`);
  return ctx.actor;
}
