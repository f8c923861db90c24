/**
 * The agent desk: the agent's state across the top, the softphone on the left, and the call being worked on (the
 * context pop and the message form) beside it. Opening it signs the agent in to the desk and starts the phone,
 * which then stays up on the other screens (DeskHost) until sign-out.
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnectionDisplay } from '../../components/ConnectionChip';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { AgentStateBar } from './AgentStateBar';
import { deskController } from './deskController';
import { useDeskStore } from './deskStore';
import { PhoneSettingsDialog } from './PhoneSettingsDialog';
import { SoftphonePanel } from './SoftphonePanel';
import { WorkPanel } from './WorkPanel';

export function DeskScreen() {
  const { t } = useTranslation();
  const agent = useDeskStore((s) => s.agent);
  const loadError = useDeskStore((s) => s.loadError);
  const connection = useConnectionDisplay();
  const pendingReports = useSyncExternalStore(deskController.onPendingChange, () => deskController.pendingReports);

  useEffect(() => {
    useDeskStore.getState().activate();
  }, []);

  return (
    <Box data-testid="screen-desk" sx={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}>
      <ScreenHeader
        title={t('desk.title')}
        subtitle={t('desk.subtitle')}
        actions={
          pendingReports > 0 && (
            <Chip
              color="warning"
              variant="outlined"
              label={t('desk.pendingReports', { count: pendingReports })}
              data-testid="desk-pending-reports"
            />
          )
        }
      />
      {connection !== 'connected' && agent && (
        <Alert severity="warning" sx={{ mb: 2 }} data-testid="desk-core-offline">
          {t('desk.coreOffline')}
        </Alert>
      )}
      {!agent && loadError !== null && <ErrorAlert error={loadError} onRetry={() => void deskController.refreshStatus()} />}
      {!agent && loadError === null && <LoadingState />}
      {agent && <AgentStateBar agent={agent} />}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '340px minmax(0, 1fr)' }, gap: 2, alignItems: 'start' }}>
        <SoftphonePanel />
        <WorkPanel />
      </Box>
      <PhoneSettingsDialog />
    </Box>
  );
}
