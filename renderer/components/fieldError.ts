/** Puts a core error on the form field it names. */
import type { CommandError } from '../api/client';

/**
 * The core's message for one of `fields` (or a nested path below one), without the "field: " prefix the core
 * adds for API clients; null when the error concerns another field or none.
 */
export function fieldErrorText(error: CommandError | null | undefined, ...fields: string[]): string | null {
  const field = error?.field;
  if (!error || !field) return null;
  if (!fields.some((f) => field === f || field.startsWith(`${f}.`))) return null;
  const prefix = `${field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}
