/**
 * Schema migrations, one numbered file each, applied in order inside a
 * journaled transaction and recorded in `schema_migrations`. A test checks
 * that this list matches the files in this folder with no gaps.
 */
import type { Kysely } from 'kysely';
import * as m0001 from './0001-foundation';
import * as m0002 from './0002-reminder-engine';
import * as m0003 from './0003-selfcare';
import * as m0004 from './0004-billing';
import * as m0005 from './0005-agent-desk';
import * as m0006 from './0006-greetings';
import * as m0007 from './0007-adjustment-currency';

export interface Migration {
  id: number;
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, context: { now: number }): Promise<void>;
}

export const migrations: Migration[] = [
  { id: 1, name: 'foundation', up: m0001.up },
  { id: 2, name: 'reminder-engine', up: m0002.up },
  { id: 3, name: 'selfcare', up: m0003.up },
  { id: 4, name: 'billing', up: m0004.up },
  { id: 5, name: 'agent-desk', up: m0005.up },
  { id: 6, name: 'greetings', up: m0006.up },
  { id: 7, name: 'adjustment-currency', up: m0007.up },
];
