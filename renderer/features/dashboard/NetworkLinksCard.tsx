/**
 * Dashboard: the network links at a glance, one row per link: the SMSC, then the SIP registrar whose registrations
 * tell Reachback a subscriber is back. Live: state changes are pushed, and the status is polled every second while
 * an SMPP link or the SIP watcher runs.
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
import type { SipStatusView, SmscStatusView } from '../../../core/api/network-settings';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useNetworkStatus } from '../../hooks/useNetworkStatus';
import { useNow } from '../../hooks/useNow';
import { useCan } from '../../hooks/usePermissions';
import { useFormat, type Formatters } from '../../i18n/format';
import { navigate, type RouteName } from '../../routing';
import { monoFontFamily } from '../../theme/theme';
import { LinkStateChip, toneTextColor, type LinkChipModel } from '../links/LinkStateChip';
import { explainSipError, sipChip, sipDisplay } from '../sip/sipState';
import { explainLinkError, linkDisplay, smscChip } from '../smsc/linkState';

/** One link as the card shows it; add a link by adding a row builder like `smscRow`. */
export interface LinkRowModel {
  id: string;
  name: string;
  /** How the link is run: "SMPP 3.4", "Built-in virtual SMSC"… */
  kind: string;
  chip: LinkChipModel;
  /** When the state last changed. */
  since?: number;
  /** What to know about the state: a reason in plain words (with the technical text on hover), or a note. */
  detail?: { text: string; technical?: string };
  /** The link's headline number, e.g. submit_sm/s. */
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
      chip: smscChip(t, display),
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
    chip: smscChip(t, display),
    since: link.since,
    detail: reason ? { text: reason, technical: link.lastError ?? undefined } : { text: summary },
    metric: { label: t('networkLinks.submitsPerSecond'), value: f.number(Math.round(link.submitsPerSecond * 10) / 10) },
    route: 'smsc',
  };
}

/** The SIP registrar: off, or the reg-event watcher with the registrar's health and its subscriptions. */
function sipRow(t: TFunction, f: Formatters, view: SipStatusView): LinkRowModel {
  const display = sipDisplay(view);
  const watcher = view.mode === 'watching' ? view.watcher : null;
  const row = { id: 'sip', name: t('networkLinks.sip'), chip: sipChip(t, display), route: 'sip' as const };
  if (!watcher) return { ...row, kind: t('networkLinks.sipOffKind'), detail: { text: t('networkLinks.sipOffNote') } };
  const { active, total, failed } = watcher.subscriptions;
  const error = watcher.lastError?.message;
  const reason = error ? (explainSipError(t, error) ?? error) : null;
  const detail =
    display === 'down'
      ? { text: reason ?? t('networkLinks.sipDown'), technical: error }
      : display === 'degraded'
        ? {
            text: t('networkLinks.sipFailed', { failed: f.number(failed), total: f.number(total), reason: reason ?? '' }),
            technical: error,
          }
        : display === 'unknown'
          ? { text: t('networkLinks.sipWaiting') }
          : {
              text: t('networkLinks.sipCounters', {
                events: f.number(watcher.presenceEvents),
                notifies: f.number(watcher.notifiesReceived),
                last: watcher.lastNotifyAt !== undefined ? f.time(watcher.lastNotifyAt) : t('networkLinks.sipNoNotify'),
              }),
            };
  return {
    ...row,
    kind: t('networkLinks.sipKind'),
    detail,
    metric: { label: t('networkLinks.subscriptionsActive'), value: `${f.number(active)} / ${f.number(total)}` },
  };
}

function LinkRow({ row, now, canOpen }: { row: LinkRowModel; now: number; canOpen: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const detail: ReactNode = row.detail && (
    <Typography
      variant="body2"
      color={toneTextColor(row.chip.tone)}
      sx={{ overflowWrap: 'anywhere' }}
      data-testid={`dashboard-link-${row.id}-detail`}
    >
      {row.detail.text}
    </Typography>
  );
  return (
    <Box
      data-testid={`dashboard-link-${row.id}`}
      data-state={row.chip.state}
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
        <LinkStateChip chip={row.chip} testId={`dashboard-link-${row.id}-state`} />
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
  const rows: LinkRowModel[] = network.status ? [smscRow(t, f, network.status.smsc), sipRow(t, f, network.status.sip)] : [];
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
