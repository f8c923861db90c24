/** What the reminder engine's use cases share. */
import type { Transaction } from 'kysely';
import type { ServiceRules } from '../../api/rules';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { Schema } from '../../store/schema';
import type { Store } from '../../store/store';
import type { EventBus } from '../event-bus';
import type { SettingsService } from '../settings';
import type { TemplateService } from './templates';

export interface EngineDeps {
  store: Store<Schema>;
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  settings: SettingsService;
  templates: TemplateService;
  /** Voice messages are kept as files here, not in the in-memory database. */
  voiceDir: string;
  /** Called after a transaction that queued SMS, so the dispatcher sends them without waiting for its tick. */
  smsQueued: () => void;
}

export type Trx = Transaction<Schema>;

export function rulesOf(deps: EngineDeps): ServiceRules {
  return deps.settings.serviceRules;
}
