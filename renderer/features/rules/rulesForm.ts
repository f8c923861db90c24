/**
 * The service rules form's model: the rules being edited plus the raw text of the number fields (so "1." or ""
 * can be typed), checked with the same zod schema the core validates with.
 */
import { z } from 'zod';
import { serviceRulesSchema, type ServiceRules } from '../../../core/api/rules';

export const numberPaths = [
  'detailPriceFen',
  'expiryHours.notification',
  'expiryHours.reachableAlert',
  'expiryHours.detailWindow',
  'dailyAlertCap',
  'segmentBudget',
  'whitelistMax',
  'blacklistMax',
  'bulkRemindersPerSecond',
  'smsRetry.maxAttempts',
  'smsRetry.backoffSeconds',
  'ivrSilenceMs',
] as const;
export type NumberPath = (typeof numberPaths)[number];

export interface RulesDraft {
  values: ServiceRules;
  /** What the operator typed in number fields, when it differs from the value's own rendering. */
  texts: Partial<Record<NumberPath, string>>;
}

export function toDraft(values: ServiceRules): RulesDraft {
  return { values: structuredClone(values), texts: {} };
}

export function getAt(object: unknown, path: string): unknown {
  let node = object;
  for (const part of path.split('.'))
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/** A copy of `object` with `path` set to `value`. */
export function setAt<T>(object: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const record = object as Record<string, unknown>;
  const next = rest.length ? setAt(record[head!] ?? {}, rest.join('.'), value) : value;
  return { ...record, [head!]: next } as T;
}

function schemaAt(path: string): z.ZodType | undefined {
  let node: z.ZodType | undefined = serviceRulesSchema;
  for (const part of path.split('.')) node = node instanceof z.ZodObject ? (node.shape as Record<string, z.ZodType>)[part] : undefined;
  return node;
}

/** Bounds of a number field, from the shared schema; the price is shown in yuan but stored in fen. */
export function numberBounds(path: NumberPath): { min: number; max: number } {
  const schema = schemaAt(path);
  const min = schema instanceof z.ZodNumber ? (schema.minValue ?? 0) : 0;
  const max = schema instanceof z.ZodNumber ? (schema.maxValue ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER;
  return path === 'detailPriceFen' ? { min: min / 100, max: max / 100 } : { min, max };
}

export function numberText(draft: RulesDraft, path: NumberPath): string {
  const typed = draft.texts[path];
  if (typed !== undefined) return typed;
  const value = Number(getAt(draft.values, path));
  return path === 'detailPriceFen' ? (value / 100).toFixed(2) : String(value);
}

/** The stored value for typed text; NaN when it is not a number the field accepts (the schema then refuses it). */
export function parseNumber(path: NumberPath, text: string): number {
  const trimmed = text.trim();
  if (path === 'detailPriceFen') return /^\d+(\.\d{1,2})?$/.test(trimmed) ? Math.round(Number(trimmed) * 100) : NaN;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
}

export function withNumber(draft: RulesDraft, path: NumberPath, text: string): RulesDraft {
  return { values: setAt(draft.values, path, parseNumber(path, text)), texts: { ...draft.texts, [path]: text } };
}

export function withValue(draft: RulesDraft, path: string, value: unknown): RulesDraft {
  return { ...draft, values: setAt(draft.values, path, value) };
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Paths the schema refuses (joined with dots), plus a time zone the browser does not know. */
export function invalidPaths(values: ServiceRules): Set<string> {
  const result = serviceRulesSchema.safeParse(values);
  const paths = new Set(result.success ? [] : result.error.issues.map((issue) => issue.path.join('.')));
  if (!isValidTimeZone(values.timeZone)) paths.add('timeZone');
  return paths;
}

/** Top-level rules that differ from the saved ones. */
export function changedSections(values: ServiceRules, saved: ServiceRules): string[] {
  return (Object.keys(saved) as (keyof ServiceRules)[]).filter((key) => JSON.stringify(values[key]) !== JSON.stringify(saved[key]));
}
