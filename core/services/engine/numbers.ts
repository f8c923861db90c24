/** Phone numbers at the engine's edges: normalised to E.164 or refused with the field named. */
import { ApiError } from '../../api';
import { normalizeMsisdn } from '../../domain/msisdn';

export function e164(value: string, field: string, defaultCountryCode: string): string {
  const result = normalizeMsisdn(value, defaultCountryCode);
  if (!result.ok) throw new ApiError('validation', `${field}: ${result.message}`, { field, params: { problem: result.problem } });
  return result.e164;
}
