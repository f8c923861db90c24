/** The agent's own call log: every call offered at their desk, with outcome, talk time, the messages taken and notes. */
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';
import { ScreenHeader } from '../../components/ScreenHeader';
import { CallLogTable } from './CallLogTable';

export function CallLogScreen() {
  const { t } = useTranslation();
  return (
    <Box data-testid="screen-desk-calls" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader title={t('desk.log.title')} subtitle={t('desk.log.subtitle')} />
      <CallLogTable mode="mine" testId="desk-log" />
    </Box>
  );
}
