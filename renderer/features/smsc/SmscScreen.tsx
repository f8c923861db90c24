/**
 * Settings → SMSC: where SMS go (the built-in virtual SMSC, or an operator SMSC over SMPP 3.4), the link's
 * settings, and its state and counters live beside them.
 */
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useNetworkStatus } from '../../hooks/useNetworkStatus';
import { useSettingsSources } from '../../hooks/useSettingsSources';
import { LinkPanel } from './LinkPanel';
import { SmscForm } from './SmscForm';

export function SmscScreen() {
  const { t } = useTranslation();
  const query = useQuery('smsc/get', {});
  // smsc/update announces itself as a settings change.
  useCoreEvent('settings/changed', query.reload);
  const network = useNetworkStatus();
  const sources = useSettingsSources('smsc');
  return (
    <Box data-testid="screen-smsc" sx={{ display: 'flex', flexDirection: 'column', flex: 1 }}>
      <ScreenHeader title={t('smsc.title')} subtitle={t('smsc.subtitle')} />
      {query.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={query.error} onRetry={query.reload} />
        </Box>
      )}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) 360px' },
          alignItems: 'start',
        }}
      >
        <Box sx={{ order: { xs: 2, lg: 1 }, minWidth: 0 }}>
          {query.data ? (
            <SmscForm saved={query.data.settings} hasPassword={query.data.hasPassword} sources={sources} onSaved={query.reload} />
          ) : (
            query.loading && <LoadingState />
          )}
        </Box>
        {/* Stays in view beside the long form; scrolls on its own when taller than the window. */}
        <Box
          sx={{
            order: { xs: 1, lg: 2 },
            position: { lg: 'sticky' },
            top: { lg: 0 },
            maxHeight: { lg: 'calc(100vh - 100px)' },
            overflowY: { lg: 'auto' },
          }}
        >
          <LinkPanel network={network} settings={query.data?.settings} />
        </Box>
      </Box>
    </Box>
  );
}
