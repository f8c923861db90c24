import type { AuditOutcome, AuditQuery } from '../../../core/api';

/** The filter bar's raw input values; converted to an AuditQuery only after debouncing. */
export interface AuditFilters {
  actor: string;
  command: string;
  outcome: AuditOutcome | '';
  /** `datetime-local` input values (local time), or ''. */
  from: string;
  to: string;
  text: string;
}

export const emptyFilters: AuditFilters = { actor: '', command: '', outcome: '', from: '', to: '', text: '' };

export function hasFilters(filters: AuditFilters): boolean {
  return Object.values(filters).some((v) => v !== '');
}

function localToEpoch(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

type FilterQuery = Omit<AuditQuery, 'page' | 'pageSize'>;

export function toQuery(filters: AuditFilters, sort: 'asc' | 'desc'): FilterQuery {
  const query: FilterQuery = { sort };
  const actor = filters.actor.trim();
  const command = filters.command.trim();
  const text = filters.text.trim();
  if (actor) query.actor = actor;
  if (command) query.command = command;
  if (filters.outcome) query.outcome = filters.outcome;
  const from = localToEpoch(filters.from);
  if (from !== undefined) query.from = from;
  const to = localToEpoch(filters.to);
  // The input has minute precision; include the whole chosen minute.
  if (to !== undefined) query.to = to + 59_999;
  if (text) query.text = text;
  return query;
}
