/** Small shared readings of the desk: clocks, state colours, numbers as the agent reads them. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskAgentState } from '../../../core/api/desk-types';
import { formatNational, normalizeMsisdn } from '../../../core/domain/msisdn';
import { useDefaultCountryCode } from '../../hooks/useNumbering';

/** 75 s → "1:15"; 3 h → "3:00:00". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export type ChipColor = 'default' | 'primary' | 'secondary' | 'success' | 'warning' | 'error' | 'info';

export const stateColors: Record<DeskAgentState, ChipColor> = {
  offline: 'default',
  ready: 'success',
  'not-ready': 'warning',
  ringing: 'info',
  'on-call': 'primary',
  'wrap-up': 'secondary',
};

/**
 * A number from a SIP header or the core as the agent reads it: national form when it is a number, as it came
 * otherwise, and "Unknown number" when there is none.
 */
export function useNumberText(): (value: string | null | undefined) => string {
  const { t } = useTranslation();
  const cc = useDefaultCountryCode();
  return useCallback(
    (value: string | null | undefined) => {
      const text = value?.trim();
      if (!text || text.toLowerCase() === 'anonymous') return t('desk.unknownNumber');
      const parsed = normalizeMsisdn(text, cc);
      return parsed.ok ? formatNational(parsed.e164, cc) : text;
    },
    [t, cc],
  );
}
