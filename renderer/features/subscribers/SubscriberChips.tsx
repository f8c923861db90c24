/** Small status chips shared by the list and the profile. */
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { serviceNames, type Subscriber } from '../../../core/api/engine-types';

const stateColors = { active: 'success', suspended: 'warning', cancelled: 'default' } as const;

export function SubscriberStateChip({ state }: { state: Subscriber['state'] }) {
  const { t } = useTranslation();
  return <Chip color={stateColors[state]} variant="outlined" label={t(`subscribers.states.${state}`)} data-state={state} />;
}

/** The services that are open, as chips; "none" when all are closed. */
export function ServiceChips({ services, dense }: { services: Subscriber['services']; dense?: boolean }) {
  const { t } = useTranslation();
  const open = serviceNames.filter((s) => services[s]);
  if (open.length === 0)
    return (
      <Typography variant="body2" color="text.secondary" component="span">
        {t('subscribers.noServices')}
      </Typography>
    );
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: dense ? 'nowrap' : 'wrap' }}>
      {open.map((s) => (
        <Chip key={s} color="primary" variant="outlined" label={t(`subscribers.servicesShort.${s}`)} data-service={s} />
      ))}
    </Stack>
  );
}
