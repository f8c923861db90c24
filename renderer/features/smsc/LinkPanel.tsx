/** Settings → SMSC, right-hand side: the link's state, why it is not bound, and its counters, live. */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { SmppCounters, SmppStatus, SmscSettings } from '../../../core/api/network-settings';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import type { NetworkStatusState } from '../../hooks/useNetworkStatus';
import { useNow } from '../../hooks/useNow';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { explainLinkError, linkDisplay, LinkStateChip, linkTone } from './linkState';

/** Counters in reading order; the ones that mean trouble turn amber when not zero. */
const counterGroups: { id: 'out' | 'receipts' | 'in' | 'link'; keys: { key: keyof SmppCounters; problem?: boolean }[] }[] = [
  { id: 'out', keys: [{ key: 'submitted' }, { key: 'submitFailed', problem: true }, { key: 'throttledRetries' }, { key: 'replaced' }] },
  {
    id: 'receipts',
    keys: [
      { key: 'delivered' },
      { key: 'failed', problem: true },
      { key: 'expired', problem: true },
      { key: 'receiptsUnknown', problem: true },
    ],
  },
  { id: 'in', keys: [{ key: 'moReceived' }, { key: 'moRejected', problem: true }] },
  { id: 'link', keys: [{ key: 'linkLosses', problem: true }] },
];

function Since({ since }: { since: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(1_000);
  return (
    <Typography variant="body2" color="text.secondary" data-testid="smsc-link-since">
      {t('smsc.panel.since', { time: f.time(since), duration: f.duration(Math.max(0, now - since)) })}
    </Typography>
  );
}

function LastError({ link }: { link: SmppStatus }) {
  const { t } = useTranslation();
  if (!link.lastError) return null;
  const plain = explainLinkError(t, link.lastError);
  const tone = linkTone[link.state];
  const title =
    link.state === 'bound'
      ? t('smsc.panel.lastErrorBound')
      : link.state === 'connecting'
        ? t('smsc.panel.lastErrorRetrying')
        : t('smsc.panel.lastError');
  return (
    <Alert
      severity={tone === 'success' ? 'info' : tone}
      variant="outlined"
      data-testid="smsc-link-error"
      sx={{ '& .MuiAlert-message': { minWidth: 0 } }}
    >
      <Typography variant="caption" color="text.secondary" component="div">
        {title}
      </Typography>
      {plain && (
        <Typography variant="body2" sx={{ fontWeight: 600 }} data-testid="smsc-link-error-plain">
          {plain}
        </Typography>
      )}
      <Typography
        variant="body2"
        component="div"
        sx={{ fontFamily: monoFontFamily, fontSize: '0.75rem', mt: 0.5, overflowWrap: 'anywhere' }}
        data-testid="smsc-link-error-detail"
      >
        {link.lastError}
      </Typography>
      {link.state !== 'bound' && (
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.75 }}>
          {t('smsc.panel.retrying')}
        </Typography>
      )}
    </Alert>
  );
}

function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box sx={{ flex: 1, minWidth: 0 }}>
      <Typography variant="h2" component="div" data-testid={testId} sx={{ fontSize: '1.6rem', lineHeight: 1.2 }}>
        {value}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
    </Box>
  );
}

function Counters({ counters }: { counters: SmppCounters }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack spacing={1.25} data-testid="smsc-counters">
      {counterGroups.map((group) => (
        <Box key={group.id}>
          <Typography variant="caption" color="text.secondary" component="div" sx={{ fontWeight: 600, mb: 0.25 }}>
            {t(`smsc.counterGroups.${group.id}`)}
          </Typography>
          <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: '1fr auto', columnGap: 2, rowGap: 0.25 }}>
            {group.keys.map(({ key, problem }) => (
              <Box key={key} sx={{ display: 'contents' }}>
                <Typography component="dt" variant="body2" color="text.secondary">
                  {t(`smsc.counters.${key}`)}
                </Typography>
                <Typography
                  component="dd"
                  variant="body2"
                  sx={{ m: 0, textAlign: 'right', fontWeight: 600, color: problem && counters[key] > 0 ? 'warning.main' : 'text.primary' }}
                  data-testid={`smsc-counter-${key}`}
                  data-value={counters[key]}
                >
                  {f.number(counters[key])}
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
      ))}
    </Stack>
  );
}

/** Where the link goes, in the terms of the PDUs: address, system_id, bind. */
function Target({ settings }: { settings: SmscSettings | undefined }) {
  const link = settings?.link;
  if (!link) return null;
  const bind = link.bindMode === 'transceiver' ? 'bind_transceiver' : 'bind_transmitter + bind_receiver';
  return (
    <Box
      sx={{ fontFamily: monoFontFamily, fontSize: '0.78rem', color: 'text.secondary', lineHeight: 1.6, overflowWrap: 'anywhere' }}
      data-testid="smsc-link-target"
    >
      <Box component="span" sx={{ color: 'text.primary' }}>
        {link.host}:{link.port}
      </Box>
      {' · system_id '}
      <Box component="span" sx={{ color: 'text.primary' }}>
        {link.systemId}
      </Box>
      <br />
      {bind}
    </Box>
  );
}

export function LinkPanel({ network, settings }: { network: NetworkStatusState; settings: SmscSettings | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const view = network.status?.smsc;
  const link = view?.mode === 'smpp' ? view.link : null;
  return (
    <Card data-testid="smsc-link-panel" data-mode={view?.mode} data-state={view ? linkDisplay(view) : undefined}>
      <CardHeader
        title={t('smsc.panel.title')}
        subheader={link ? t('smsc.panel.live') : undefined}
        slotProps={{ subheader: { variant: 'caption' } }}
      />
      <CardContent sx={{ pt: 1 }}>
        {network.error && (
          <Box sx={{ mb: 1.5 }}>
            <ErrorAlert error={network.error} onRetry={network.reload} />
          </Box>
        )}
        {!view ? (
          !network.error && <LoadingState />
        ) : (
          <Stack spacing={1.5}>
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
              <LinkStateChip display={linkDisplay(view)} testId="smsc-link-state" />
              {link && <Since since={link.since} />}
            </Stack>
            {!link ? (
              <Typography variant="body2" color="text.secondary" data-testid="smsc-virtual-explanation">
                {t('smsc.panel.virtual')}
              </Typography>
            ) : (
              <>
                <Target settings={settings} />
                <LastError link={link} />
                <Divider />
                <Stack direction="row" spacing={2}>
                  <Metric
                    label={t('smsc.panel.submitsPerSecond')}
                    value={f.number(Math.round(link.submitsPerSecond * 10) / 10)}
                    testId="smsc-submits-per-second"
                  />
                  <Metric
                    label={t('smsc.panel.inFlight')}
                    value={
                      settings?.link
                        ? t('smsc.panel.ofWindow', { n: f.number(link.inFlight), window: f.number(settings.link.windowSize) })
                        : f.number(link.inFlight)
                    }
                    testId="smsc-in-flight"
                  />
                </Stack>
                <Divider />
                <Counters counters={link.counters} />
                <Typography variant="caption" color="text.secondary">
                  {t('smsc.panel.countersSince')}
                </Typography>
              </>
            )}
          </Stack>
        )}
      </CardContent>
    </Card>
  );
}
