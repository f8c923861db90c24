/** Validation results that name the offending field, for the console's forms and the API's errors. */
import type { z } from 'zod';
import { ApiError } from '../../api/errors';

export interface FieldIssue {
  /** Dotted path of the field, e.g. 'versions.1.usagePrices.missed-detail'. */
  field: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function issuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // Name the unknown key itself (a typo such as 'monthlyrent'), not the object holding it.
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: `Unknown field "${key}"` }));
    return [{ field: path.join('.'), message: issue.message }];
  });
}

/** The value, or an ApiError('validation') naming the first offending field. */
export function valueOrThrow<T>(result: ValidationResult<T>): T {
  if (result.ok) return result.value;
  const [first] = result.issues;
  const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : '';
  throw new ApiError('validation', `${first!.field}: ${first!.message}${more}`, { field: first!.field });
}
