/** Turns a core validation error on a phone-number field into a short translated sentence for the field itself. */
import type { TFunction } from 'i18next';
import type { CommandError } from '../../api/client';
import { en } from '../../i18n/en';

type Problem = keyof typeof en.lab.numberProblems;

function isProblem(value: unknown): value is Problem {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(en.lab.numberProblems, value);
}

/** The error's message for `field`, or null when the error is about something else. */
export function fieldError(t: TFunction, error: CommandError | null, field: string): string | null {
  if (!error || error.code !== 'validation' || error.field !== field) return null;
  const problem = error.params?.problem;
  if (isProblem(problem)) return t(`lab.numberProblems.${problem}`);
  // The core prefixes its message with the field name: "callee: …".
  return error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
}
