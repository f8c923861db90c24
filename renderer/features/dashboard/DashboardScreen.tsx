import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SystemStatus } from '../../../core/api';
import { KeyValueList } from '../../components/KeyValueList';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useQuery } from '../../hooks/useCommand';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { NetworkLinksCard } from './NetworkLinksCard';
import { ServiceSection } from './ServiceSection';

const refreshMs = 5_000;

function Metric({ label, value, tone, testId }: { label: string; value: string; tone?: 'warning' | 'error'; testId: string }) {
  return (
    <Box sx={{ minWidth: 90 }}>
      <Typography variant="h2" component="div" color={tone ? `${tone}.main` : 'text.primary'} data-testid={testId}>
        {value}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
    </Box>
  );
}

function StatusCard({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <Card sx={{ gridColumn: wide ? { md: 'span 2' } : undefined }}>
      <CardHeader title={title} />
      <CardContent sx={{ pt: 1 }}>{children}</CardContent>
    </Card>
  );
}

function StatusCards({ status }: { status: SystemStatus }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { store, operators } = status;
  return (
    <Stack spacing={2}>
      {store.recoveredTornTail && (
        <Alert severity="warning" data-testid="dashboard-torn-tail">
          <AlertTitle>{t('dashboard.tornTailTitle')}</AlertTitle>
          {t('dashboard.tornTailMessage')}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(2, 1fr)', xl: 'repeat(4, 1fr)' } }}>
        <StatusCard title={t('dashboard.core')}>
          <KeyValueList
            items={[
              { label: t('dashboard.version'), value: status.version, testId: 'dashboard-version' },
              { label: t('dashboard.uptime'), value: f.duration(status.now - status.startedAt), testId: 'dashboard-uptime' },
              { label: t('dashboard.startedAt'), value: f.dateTime(status.startedAt) },
            ]}
          />
        </StatusCard>
        <StatusCard title={t('dashboard.connections')}>
          <Metric label={t('dashboard.liveConnections')} value={f.number(status.connections)} testId="dashboard-connections" />
        </StatusCard>
        <StatusCard title={t('dashboard.operators')} wide>
          <Stack direction="row" spacing={4}>
            <Metric label={t('dashboard.operatorsActive')} value={f.number(operators.active)} testId="dashboard-operators-active" />
            <Metric label={t('dashboard.operatorsDisabled')} value={f.number(operators.disabled)} testId="dashboard-operators-disabled" />
            <Metric
              label={t('dashboard.operatorsLocked')}
              value={f.number(operators.locked)}
              tone={operators.locked > 0 ? 'warning' : undefined}
              testId="dashboard-operators-locked"
            />
          </Stack>
        </StatusCard>
        <StatusCard title={t('dashboard.store')} wide>
          <KeyValueList
            items={[
              { label: t('dashboard.lastSeq'), value: f.number(store.lastSeq), testId: 'dashboard-last-seq' },
              { label: t('dashboard.databaseSize'), value: f.bytes(store.databaseBytes) },
              { label: t('dashboard.journalSize'), value: f.bytes(store.journalBytes) },
              {
                label: t('dashboard.lastSnapshot'),
                value:
                  store.lastSnapshotAt === null
                    ? t('dashboard.noSnapshot')
                    : t('dashboard.snapshotAt', { time: f.dateTime(store.lastSnapshotAt), seq: f.number(store.lastSnapshotSeq) }),
              },
              {
                label: t('dashboard.dataDir'),
                value: (
                  <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>
                    {store.dataDir}
                  </Box>
                ),
              },
            ]}
          />
        </StatusCard>
      </Box>
    </Stack>
  );
}

export function DashboardScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const showService = can('subscribers.read');
  const status = useQuery('system/status', {}, { intervalMs: refreshMs });
  return (
    <Box data-testid="screen-dashboard">
      <ScreenHeader
        title={t('dashboard.title')}
        subtitle={status.data ? t('dashboard.updatedAt', { time: f.time(status.data.now) }) : t('dashboard.subtitle')}
        actions={
          <Tooltip title={t('common.refresh')}>
            <span>
              <IconButton onClick={status.reload} disabled={status.refreshing} aria-label={t('common.refresh')}>
                <RefreshOutlined fontSize="small" />
              </IconButton>
            </span>
          </Tooltip>
        }
      />
      <NetworkLinksCard />
      {showService && <ServiceSection />}
      {showService && (
        <Typography variant="h3" component="h2" sx={{ mb: 1.5 }}>
          {t('dashboard.system')}
        </Typography>
      )}
      {status.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={status.error} onRetry={status.reload} />
        </Box>
      )}
      {status.loading && !status.data ? <LoadingState /> : status.data && <StatusCards status={status.data} />}
    </Box>
  );
}
