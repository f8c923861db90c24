/**
 * Errors that cross the API boundary. `code` is stable and drives the UI's
 * translated message; `message` is the English text for logs and API clients;
 * `field` names the offending argument for validation errors.
 */
export const errorCodes = [
  'validation',
  'invalid_credentials',
  'account_locked',
  'unauthenticated',
  'session_expired',
  'password_change_required',
  'forbidden',
  'not_found',
  'conflict',
  'unknown_command',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
  /** Values the UI may interpolate into its translated message. */
  params?: Record<string, string | number>;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly params?: Record<string, string | number>;

  constructor(code: ErrorCode, message: string, options: { field?: string; params?: Record<string, string | number> } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = options.field;
    this.params = options.params;
  }

  toBody(): ApiErrorBody {
    const body: ApiErrorBody = { code: this.code, message: this.message };
    if (this.field !== undefined) body.field = this.field;
    if (this.params !== undefined) body.params = this.params;
    return body;
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).code === 'string' &&
    typeof (value as ApiErrorBody).message === 'string'
  );
}
