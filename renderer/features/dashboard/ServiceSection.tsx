/** The reminder service at a glance: today's counters, the last 24 hours per hour, and today's calls by outcome. */
import CallOutlined from '@mui/icons-material/CallOutlined';
import MarkChatReadOutlined from '@mui/icons-material/MarkChatReadOutlined';
import NotificationsActiveOutlined from '@mui/icons-material/NotificationsActiveOutlined';
import PeopleOutlined from '@mui/icons-material/PeopleOutlined';
import ScheduleSendOutlined from '@mui/icons-material/ScheduleSendOutlined';
import SmsOutlined from '@mui/icons-material/SmsOutlined';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Stack from '@mui/material/Stack';
import { alpha, useTheme, type Theme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { EngineStats } from '../../../core/api/engine-types';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { Tile } from '../../components/Tile';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useFormat } from '../../i18n/format';
import { outcomeColor, useOutcomeLabel } from '../lab/outcomes';

const refreshMs = 5_000;
/** Events come in bursts (one per SMS state change); one reload covers a burst. */
const burstMs = 500;
const chartHeight = 260;

function chartStyles(theme: Theme) {
  return {
    axis: { fontSize: 11, fill: theme.palette.text.secondary },
    axisLine: { stroke: theme.palette.divider },
    grid: theme.palette.divider,
    tooltip: {
      contentStyle: {
        background: theme.palette.background.paper,
        border: `1px solid ${theme.palette.divider}`,
        borderRadius: theme.shape.borderRadius,
        color: theme.palette.text.primary,
        fontSize: 12,
        boxShadow: theme.shadows[3],
      },
      labelStyle: { color: theme.palette.text.secondary, marginBottom: 4 },
      cursor: { stroke: theme.palette.divider },
    },
  };
}

const seriesKeys = ['calls', 'smsSent', 'smsDelivered', 'detailReplies'] as const;

function HourlyChart({ hourly }: { hourly: EngineStats['hourly'] }) {
  const { t } = useTranslation();
  const theme = useTheme();
  const styles = chartStyles(theme);
  const colors: Record<(typeof seriesKeys)[number], string> = {
    calls: theme.palette.primary.main,
    smsSent: theme.palette.info.main,
    smsDelivered: theme.palette.success.main,
    detailReplies: theme.palette.warning.main,
  };
  return (
    <Box sx={{ height: chartHeight }} data-testid="engine-hourly-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={hourly} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <defs>
            {seriesKeys.map((key) => (
              <linearGradient key={key} id={`engine-fill-${key}`} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor={colors[key]} stopOpacity={key === 'calls' ? 0.35 : 0.18} />
                <stop offset="100%" stopColor={colors[key]} stopOpacity={0} />
              </linearGradient>
            ))}
          </defs>
          <CartesianGrid stroke={styles.grid} strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" tick={styles.axis} axisLine={styles.axisLine} tickLine={false} interval={2} />
          <YAxis allowDecimals={false} tick={styles.axis} axisLine={false} tickLine={false} width={40} />
          <ChartTooltip {...styles.tooltip} />
          <Legend iconType="circle" iconSize={8} itemSorter={null} wrapperStyle={{ fontSize: 12, color: theme.palette.text.secondary }} />
          {seriesKeys.map((key) => (
            <Area
              key={key}
              type="monotone"
              dataKey={key}
              name={t(`engineDashboard.series.${key}`)}
              stroke={colors[key]}
              strokeWidth={key === 'calls' ? 2.25 : 1.75}
              fill={`url(#engine-fill-${key})`}
              dot={false}
              activeDot={{ r: 3.5 }}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </Box>
  );
}

function OutcomeChart({ byOutcome }: { byOutcome: Record<string, number> }) {
  const { t } = useTranslation();
  const theme = useTheme();
  const label = useOutcomeLabel();
  const styles = chartStyles(theme);
  const data = Object.entries(byOutcome)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, count]) => ({ outcome, name: label(outcome), count }));
  if (!data.length) {
    return (
      <Box sx={{ height: chartHeight }} data-testid="engine-outcome-chart">
        <EmptyState title={t('engineDashboard.outcomesEmpty')} hint={t('engineDashboard.outcomesEmptyHint')} />
      </Box>
    );
  }
  return (
    <Box sx={{ height: chartHeight }} data-testid="engine-outcome-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }} barCategoryGap={6}>
          <CartesianGrid stroke={styles.grid} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
          <YAxis type="category" dataKey="name" tick={styles.axis} axisLine={false} tickLine={false} width={150} />
          <ChartTooltip {...styles.tooltip} cursor={{ fill: alpha(theme.palette.text.primary, 0.05) }} />
          <Bar dataKey="count" name={t('engineDashboard.series.calls')} radius={[0, 4, 4, 0]} maxBarSize={22} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.outcome} fill={outcomeColor(theme, d.outcome)} />
            ))}
            <LabelList dataKey="count" position="right" style={{ fontSize: 12, fontWeight: 600, fill: theme.palette.text.primary }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </Box>
  );
}

function percent(f: ReturnType<typeof useFormat>, part: number, whole: number): { text: string; ratio: number | null } {
  if (whole === 0) return { text: '', ratio: null };
  const ratio = part / whole;
  return { text: `${f.number(Math.round(ratio * 1000) / 10)} %`, ratio };
}

function Tiles({ stats }: { stats: EngineStats }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { today } = stats;
  const delivery = percent(f, today.smsDelivered, today.smsSent);
  const conversion = percent(f, today.detailReplies, today.summaries);
  const inIvr = today.byOutcome['in-ivr'] ?? 0;
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: { xs: 'repeat(2, minmax(0, 1fr))', md: 'repeat(3, minmax(0, 1fr))', xl: 'repeat(6, minmax(0, 1fr))' },
      }}
    >
      <Tile
        icon={<CallOutlined />}
        tone="primary"
        label={t('engineDashboard.callsToday')}
        value={f.number(today.calls)}
        detail={inIvr > 0 ? t('engineDashboard.inIvr', { count: inIvr }) : t('engineDashboard.callsTodayHint')}
        testId="engine-calls-today"
      />
      <Tile
        icon={<ScheduleSendOutlined />}
        tone="secondary"
        label={t('engineDashboard.pendingNotices')}
        value={f.number(stats.pendingNotices)}
        detail={t('engineDashboard.pendingNoticesHint')}
        testId="engine-pending-notices"
      />
      <Tile
        icon={<NotificationsActiveOutlined />}
        tone="warning"
        label={t('engineDashboard.pendingAlerts')}
        value={f.number(stats.pendingReachableAlerts)}
        detail={t('engineDashboard.pendingAlertsHint')}
        testId="engine-pending-alerts"
      />
      <Tile
        icon={<SmsOutlined />}
        tone="info"
        label={t('engineDashboard.smsSent')}
        value={f.number(today.smsSent)}
        ratio={delivery.ratio}
        detail={t('engineDashboard.smsDelivered', {
          delivered: f.number(today.smsDelivered),
          rate: delivery.ratio === null ? t('engineDashboard.noRate') : `${delivery.text} ${t('engineDashboard.deliveryRate')}`,
        })}
        testId="engine-sms-sent"
      />
      <Tile
        icon={<MarkChatReadOutlined />}
        tone="success"
        label={t('engineDashboard.dConversion')}
        value={conversion.ratio === null ? t('engineDashboard.noRate') : conversion.text}
        ratio={conversion.ratio}
        detail={t('engineDashboard.dConversionHint', { replies: f.number(today.detailReplies), summaries: f.number(today.summaries) })}
        testId="engine-d-conversion"
      />
      <Tile
        icon={<PeopleOutlined />}
        tone="primary"
        label={t('engineDashboard.subscribersActive')}
        value={f.number(stats.subscribers.active)}
        detail={t('engineDashboard.subscribersOther', {
          suspended: f.number(stats.subscribers.suspended),
          cancelled: f.number(stats.subscribers.cancelled),
        })}
        testId="engine-subscribers-active"
      />
    </Box>
  );
}

export function ServiceSection() {
  const { t } = useTranslation();
  const stats = useQuery('engine/stats', {}, { intervalMs: refreshMs });
  const { reload } = stats;
  const burst = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = useCallback(() => {
    if (burst.current) return;
    burst.current = setTimeout(() => {
      burst.current = null;
      reload();
    }, burstMs);
  }, [reload]);
  useEffect(
    () => () => {
      if (burst.current) clearTimeout(burst.current);
    },
    [],
  );
  useCoreEvent('calls/changed', reloadSoon);
  useCoreEvent('sms/changed', reloadSoon);
  const data = stats.data;
  const hourly = useMemo(() => data?.hourly ?? [], [data]);

  return (
    <Box component="section" data-testid="dashboard-service" aria-labelledby="dashboard-service-title" sx={{ mb: 3 }}>
      <Box sx={{ mb: 1.5 }}>
        <Typography variant="h3" component="h2" id="dashboard-service-title">
          {t('engineDashboard.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {t('engineDashboard.subtitle')}
        </Typography>
      </Box>
      {stats.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={stats.error} onRetry={stats.reload} />
        </Box>
      )}
      {stats.loading && !data ? (
        <LoadingState />
      ) : (
        data && (
          <Stack spacing={2}>
            <Tiles stats={data} />
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 3fr) minmax(0, 2fr)' } }}>
              <Card>
                <CardHeader
                  title={t('engineDashboard.hourlyTitle')}
                  subheader={t('engineDashboard.hourlySubtitle')}
                  slotProps={{ subheader: { variant: 'caption' } }}
                />
                <CardContent sx={{ pt: 1 }}>
                  <HourlyChart hourly={hourly} />
                </CardContent>
              </Card>
              <Card>
                <CardHeader
                  title={t('engineDashboard.outcomesTitle')}
                  subheader={t('engineDashboard.outcomesSubtitle')}
                  slotProps={{ subheader: { variant: 'caption' } }}
                />
                <CardContent sx={{ pt: 1 }}>
                  <OutcomeChart byOutcome={data.today.byOutcome} />
                </CardContent>
              </Card>
            </Box>
          </Stack>
        )
      )}
    </Box>
  );
}
