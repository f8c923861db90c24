/**
 * Dashboard: the network links at a glance, one row per link (today the SMSC; the SIP registrar is the next row).
 * Live: state changes are pushed, submit_sm/s is polled every second while an SMPP link runs.
 */
import ChevronRightOutlined from '@mui/icons-material/ChevronRightOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmscStatusView } from '../../../core/api/network-settings';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useNetworkStatus } from '../../hooks/useNetworkStatus';
import { useNow } from '../../hooks/useNow';
import { useCan } from '../../hooks/usePermissions';
import { useFormat, type Formatters } from '../../i18n/format';
import { navigate, type RouteName } from '../../routing';
import { monoFontFamily } from '../../theme/theme';
import { explainLinkError, linkDisplay, LinkStateChip, linkTone, type LinkDisplay } from '../smsc/linkState';

/** One link as the card shows it; add a link by adding a row builder like `smscRow`. */
export interface LinkRowModel {
  id: string;
  name: string;
  /** How the link is run: "SMPP 3.4", "Built-in virtual SMSC"… */
  kind: string;
  display: LinkDisplay;
  /** When the state last changed. */
  since?: number;
  /** What to know about the state: a reason in plain words (with the technical text on hover), or a note. */
  detail?: { text: string; technical?: string };
  /** The link's rate, e.g. submit_sm/s. */
  metric?: { label: string; value: string };
  /** The screen that configures it, for those allowed to open it. */
  route?: RouteName;
}

function smscRow(t: TFunction, f: Formatters, view: SmscStatusView): LinkRowModel {
  const display = linkDisplay(view);
  const link = view.mode === 'smpp' ? view.link : null;
  if (!link) {
    return {
      id: 'smsc',
      name: t('networkLinks.smsc'),
      kind: t('networkLinks.virtualKind'),
      display,
      detail: { text: t('networkLinks.virtualNote') },
      route: 'smsc',
    };
  }
  const reason = link.lastError && display !== 'bound' ? (explainLinkError(t, link.lastError) ?? link.lastError) : null;
  const { counters } = link;
  const summary = t('networkLinks.counters', {
    submitted: f.number(counters.submitted),
    delivered: f.number(counters.delivered),
    failed: f.number(counters.failed),
    expired: f.number(counters.expired),
  });
  return {
    id: 'smsc',
    name: t('networkLinks.smsc'),
    kind: t('networkLinks.smppKind'),
    display,
    since: link.since,
    detail: reason ? { text: reason, technical: link.lastError ?? undefined } : { text: summary },
    metric: { label: t('networkLinks.submitsPerSecond'), value: f.number(Math.round(link.submitsPerSecond * 10) / 10) },
    route: 'smsc',
  };
}

function LinkRow({ row, now, canOpen }: { row: LinkRowModel; now: number; canOpen: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const tone = linkTone[row.display];
  const detail: ReactNode = row.detail && (
    <Typography
      variant="body2"
      color={tone === 'error' ? 'error.main' : tone === 'warning' ? 'warning.main' : 'text.secondary'}
      sx={{ overflowWrap: 'anywhere' }}
      data-testid={`dashboard-link-${row.id}-detail`}
    >
      {row.detail.text}
    </Typography>
  );
  return (
    <Box
      data-testid={`dashboard-link-${row.id}`}
      data-state={row.display}
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', md: '160px 220px minmax(0, 1fr) 120px auto' },
        columnGap: 2,
        rowGap: 0.75,
        alignItems: 'center',
        py: 1.25,
        borderTop: 1,
        borderColor: 'divider',
        '&:first-of-type': { borderTop: 0, pt: 0.5 },
      }}
    >
      <Box sx={{ minWidth: 0 }}>
        <Typography variant="subtitle2">{row.name}</Typography>
        <Typography variant="caption" color="text.secondary" data-testid={`dashboard-link-${row.id}-kind`}>
          {row.kind}
        </Typography>
      </Box>
      <Box sx={{ minWidth: 0 }}>
        <LinkStateChip display={row.display} testId={`dashboard-link-${row.id}-state`} />
        {row.since !== undefined && (
          <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.25 }}>
            {t('networkLinks.since', { duration: f.duration(Math.max(0, now - row.since)) })}
          </Typography>
        )}
      </Box>
      <Box sx={{ minWidth: 0 }}>
        {row.detail?.technical ? (
          <Tooltip
            title={
              <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.75rem' }}>
                {row.detail.technical}
              </Box>
            }
          >
            <Box>{detail}</Box>
          </Tooltip>
        ) : (
          detail
        )}
      </Box>
      <Box sx={{ textAlign: { md: 'right' } }}>
        {row.metric && (
          <>
            <Typography variant="h3" component="div" data-testid={`dashboard-link-${row.id}-metric`}>
              {row.metric.value}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {row.metric.label}
            </Typography>
          </>
        )}
      </Box>
      <Box>
        {canOpen && row.route && (
          <Button
            size="small"
            endIcon={<ChevronRightOutlined />}
            onClick={() => navigate(row.route!)}
            data-testid={`dashboard-link-${row.id}-open`}
          >
            {t('networkLinks.open')}
          </Button>
        )}
      </Box>
    </Box>
  );
}

export function NetworkLinksCard() {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const now = useNow(1_000);
  const network = useNetworkStatus();
  // One row per link; the SIP registrar's row goes after the SMSC's (a `sipRow` from network.status.sip).
  const rows: LinkRowModel[] = network.status ? [smscRow(t, f, network.status.smsc)] : [];
  return (
    <Card component="section" aria-labelledby="dashboard-links-title" data-testid="dashboard-network-links" sx={{ mb: 3 }}>
      <CardHeader
        title={<span id="dashboard-links-title">{t('networkLinks.title')}</span>}
        subheader={t('networkLinks.subtitle')}
        slotProps={{ subheader: { variant: 'caption' } }}
      />
      <CardContent sx={{ pt: 1, '&:last-child': { pb: 1.5 } }}>
        {network.error && <ErrorAlert error={network.error} onRetry={network.reload} />}
        {!network.status && !network.error && <LoadingState />}
        {rows.map((row) => (
          <LinkRow key={row.id} row={row} now={now} canOpen={can('network.manage')} />
        ))}
      </CardContent>
    </Card>
  );
}
