import Chip from '@mui/material/Chip';
import { useTranslation } from 'react-i18next';
import type { AuditOutcome } from '../../../core/api';

const colors = { ok: 'success', denied: 'warning', failed: 'error' } as const;

export function OutcomeChip({ outcome }: { outcome: AuditOutcome }) {
  const { t } = useTranslation();
  return <Chip color={colors[outcome]} variant="outlined" label={t(`audit.outcome.${outcome}`)} data-outcome={outcome} />;
}
