/**
 * Phone numbers in the Lab, read and written with the core's own rules (core/domain/msisdn), so that what the
 * console shows is what the core stores: E.164 inside, national format on screen.
 */
import { useMemo } from 'react';
import { formatNational, normalizeMsisdn } from '../../../core/domain/msisdn';
import { useDefaultCountryCode } from '../../hooks/useNumbering';

export interface NumberTools {
  /** E.164 of a number as typed, or null when the core would refuse it. */
  toE164(raw: string): string | null;
  /** National format ('138 0013 8000') of an E.164 number; anything else is shown as it is (e.g. a short code). */
  national(value: string): string;
}

export function useNumberTools(): NumberTools {
  const countryCode = useDefaultCountryCode();
  return useMemo(
    () => ({
      toE164(raw) {
        const result = normalizeMsisdn(raw, countryCode);
        return result.ok ? result.e164 : null;
      },
      national: (value) => (/^\+\d+$/.test(value) ? formatNational(value, countryCode) : value),
    }),
    [countryCode],
  );
}

/** The digits of an E.164 number, for test ids and keys ('+8613800138000' → '8613800138000'). */
export function digitsOf(e164: string): string {
  return e164.replace(/\D/g, '');
}

/** Whether a text needs Chinese glyphs, so it can be marked lang="zh-CN" and render with Simplified Chinese forms. */
export function looksChinese(text: string): boolean {
  return /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(text);
}
