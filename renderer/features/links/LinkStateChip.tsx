/**
 * A network link's state as a chip, the same on its settings screen and the dashboard: green when all is well, amber
 * on the way up or partly failing, red when someone must act, outlined grey when the link is not in use.
 */
import Chip from '@mui/material/Chip';
import type { ReactElement } from 'react';

export type LinkTone = 'success' | 'warning' | 'error' | 'info';

/** What a link's chip shows; each link builds it from its own status (see smsc/linkState, sip/sipState). */
export interface LinkChipModel {
  /** Machine-readable state, for `data-state` (bound, refused, up, down…). */
  state: string;
  label: string;
  tone: LinkTone;
  icon: ReactElement;
  /** The link is not in use (virtual SMSC, SIP off): outlined rather than filled. */
  idle?: boolean;
}

export function LinkStateChip({ chip, testId }: { chip: LinkChipModel; testId?: string }) {
  return (
    <Chip
      icon={chip.icon}
      label={chip.label}
      color={chip.tone}
      variant={chip.idle ? 'outlined' : 'filled'}
      data-testid={testId}
      data-state={chip.state}
      aria-live="polite"
      sx={{ fontWeight: 600 }}
    />
  );
}

/** Colour of a line of text that goes with a chip's tone (a reason under an error, a note under a warning). */
export function toneTextColor(tone: LinkTone): string {
  return tone === 'error' ? 'error.main' : tone === 'warning' ? 'warning.main' : 'text.secondary';
}
