/** How a call ended, as the Lab and the dashboard name and colour it. */
import type { Theme } from '@mui/material/styles';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { en } from '../../i18n/en';

type ChipColor = 'default' | 'primary' | 'secondary' | 'info' | 'success' | 'warning' | 'error';

/** The caller's choices (lab/ivr outcomes) and the other states a call can be in (engine statistics). */
const chipColors: Record<string, ChipColor> = {
  'own-number': 'primary',
  callback: 'info',
  voice: 'secondary',
  'reachable-request': 'success',
  agent: 'warning',
  'agent-message': 'warning',
  'gave-up': 'default',
  'in-ivr': 'default',
  blocked: 'error',
  'no-service': 'default',
};

type OutcomeKey = keyof typeof en.lab.outcomes;

function isOutcomeKey(outcome: string): outcome is OutcomeKey {
  return Object.prototype.hasOwnProperty.call(en.lab.outcomes, outcome);
}

export function outcomeChipColor(outcome: string): ChipColor {
  return chipColors[outcome] ?? 'default';
}

/** A chart colour from the theme, matching the chip colour. */
export function outcomeColor(theme: Theme, outcome: string): string {
  const color = outcomeChipColor(outcome);
  if (color === 'default') return outcome === 'gave-up' ? theme.palette.grey[500] : theme.palette.text.disabled;
  return theme.palette[color].main;
}

export function useOutcomeLabel(): (outcome: string) => string {
  const { t } = useTranslation();
  return useCallback((outcome: string) => (isOutcomeKey(outcome) ? t(`lab.outcomes.${outcome}`) : outcome), [t]);
}
