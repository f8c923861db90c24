import Chip from '@mui/material/Chip';
import { useTranslation } from 'react-i18next';
import type { Operator } from '../../../core/api';
import { useFormat } from '../../i18n/format';

export type OperatorStatus = 'active' | 'disabled' | 'locked';

export function operatorStatus(operator: Operator, now: number): OperatorStatus {
  if (operator.disabled) return 'disabled';
  if (operator.lockedUntil !== null && operator.lockedUntil > now) return 'locked';
  return 'active';
}

export function OperatorStatusChip({ operator, now }: { operator: Operator; now: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const status = operatorStatus(operator, now);
  if (status === 'locked' && operator.lockedUntil !== null) {
    return (
      <Chip
        color="warning"
        variant="outlined"
        label={t('operators.status.lockedUntil', { time: f.dateTimeShort(operator.lockedUntil) })}
        data-status="locked"
      />
    );
  }
  return (
    <Chip
      color={status === 'active' ? 'success' : 'default'}
      variant="outlined"
      label={t(`operators.status.${status}`)}
      data-status={status}
    />
  );
}
