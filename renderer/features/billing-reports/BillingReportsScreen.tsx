/**
 * Billing reports: revenue (by period, plan, service and usage kind), subscriber counts, SMS volumes and delivery,
 * D-reply conversion and the top subscribers, for a period and optionally one plan. Exports: CSV built here from the
 * same data (UTF-8 with BOM), XLSX built by the core (reports/export-xlsx), PDF through the platform's print.
 */
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import GridOnOutlined from '@mui/icons-material/GridOnOutlined';
import PictureAsPdfOutlined from '@mui/icons-material/PictureAsPdfOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import GlobalStyles from '@mui/material/GlobalStyles';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { useTheme, type Theme } from '@mui/material/styles';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { TFunction } from 'i18next';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReportGranularity } from '../../../core/api/billing-types';
import { addDays, cycleContaining, daysBetween, isLocalDate, startOfLocalDay } from '../../../core/domain/billing/cycle';
import { formatMoney } from '../../../core/domain/billing/money';
import { call } from '../../api/call';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useBillingToday } from '../../hooks/useBillingToday';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { useFormat } from '../../i18n/format';
import { platform } from '../../platform';
import { useStore } from '../../store';
import { chartCurrency, csvLine, decimal, major, toCsv, totalsByKey, type ReportSet } from './reportData';

const chartHeight = 260;
const csvColumns = [
  'period',
  'plan',
  'service',
  'kind',
  'currency',
  'records',
  'units',
  'gross',
  'charged',
  'active',
  'opened',
  'closed',
  'movedIn',
  'movedOut',
  'queued',
  'submitted',
  'delivered',
  'failed',
  'expired',
  'deliveryRate',
  'summaries',
  'details',
  'conversion',
  'msisdn',
  'cycles',
  'rent',
  'usage',
  'adjustments',
  'total',
] as const;
const maxDays = 1100;

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
      },
      labelStyle: { color: theme.palette.text.secondary, marginBottom: 4 },
    },
  };
}

export const kindLabel = (t: TFunction, kind: string) =>
  t(`tariffs.kinds.${kind}` as 'tariffs.kinds.notification', {
    defaultValue: t(`billingReports.otherKinds.${kind}` as 'billingReports.otherKinds.rent', { defaultValue: kind }),
  });
const serviceLabel = (t: TFunction, key: string) =>
  t(`billingReports.services.${key}` as 'billingReports.services.other', { defaultValue: key });

interface Filters {
  from: string;
  to: string;
  granularity: Exclude<ReportGranularity, 'cycle'>;
  planId: string;
}

/** Every period label of the filters' range, so days without charges show as 0 rather than missing. */
function periodsOf(f: Filters): string[] {
  const out: string[] = [];
  for (let day = f.from; day <= f.to; day = addDays(day, 1)) {
    const label = f.granularity === 'month' ? day.slice(0, 7) : day;
    if (out[out.length - 1] !== label) out.push(label);
  }
  return out;
}

function filterProblem(t: TFunction, f: Filters): string | null {
  if (!isLocalDate(f.from) || !isLocalDate(f.to)) return t('billingReports.badDate');
  if (f.from > f.to) return t('billingReports.endsBeforeStart');
  if (daysBetween(f.from, f.to) >= maxDays) return t('billingReports.tooLong', { days: maxDays });
  return null;
}

function ChartCard({ title, subtitle, testId, children }: { title: string; subtitle?: string; testId: string; children: ReactNode }) {
  return (
    <Card variant="outlined" data-testid={testId} sx={{ breakInside: 'avoid' }}>
      <CardHeader
        title={title}
        subheader={subtitle}
        slotProps={{ title: { variant: 'h4' }, subheader: { variant: 'body2' } }}
        sx={{ pb: 0 }}
      />
      <CardContent>{children}</CardContent>
    </Card>
  );
}

export function BillingReportsScreen() {
  const { t } = useTranslation();
  const settings = useQuery('billing/settings', {});
  const plans = useQuery('tariffs/list', {});
  const { today, timeZone } = useBillingToday();
  const [filters, setFilters] = useState<Filters>(() => ({ from: addDays(today, -29), to: today, granularity: 'day', planId: '' }));
  const applied = useDebounced(filters, 400);
  const problem = filterProblem(t, applied);
  const planName = plans.data?.find((p) => p.id === applied.planId)?.name;
  const planNames = useMemo(() => new Map((plans.data ?? []).map((p) => [p.id, p.name])), [plans.data]);

  return (
    <Box data-testid="screen-billing-reports" data-print-root sx={{ display: 'flex', flexDirection: 'column', flex: 1 }}>
      <GlobalStyles
        styles={{
          '@media print': {
            'body *': { visibility: 'hidden' },
            '[data-print-root], [data-print-root] *': { visibility: 'visible' },
            '[data-print-root]': { position: 'absolute', left: 0, top: 0, width: '100%' },
            '*:has([data-print-root])': { overflow: 'visible !important', height: 'auto !important' },
            '[data-print-hide]': { display: 'none !important' },
            '[data-print-root] .recharts-tooltip-wrapper': { display: 'none !important' },
          },
        }}
      />
      <ScreenHeader title={t('billingReports.title')} subtitle={t('billingReports.subtitle')} />
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: '180px 180px 140px minmax(220px, 320px)' } }}>
          <TextField
            type="date"
            size="small"
            label={t('billingReports.from')}
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'reports-from' } }}
          />
          <TextField
            type="date"
            size="small"
            label={t('billingReports.to')}
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'reports-to' } }}
          />
          <TextField
            select
            size="small"
            label={t('billingReports.granularity')}
            value={filters.granularity}
            onChange={(e) => setFilters({ ...filters, granularity: e.target.value as Filters['granularity'] })}
            sx={{ minWidth: 140 }}
          >
            <MenuItem value="day">{t('billingReports.byDay')}</MenuItem>
            <MenuItem value="month">{t('billingReports.byMonth')}</MenuItem>
          </TextField>
          <TextField
            select
            size="small"
            label={t('billingReports.plan')}
            value={filters.planId}
            onChange={(e) => setFilters({ ...filters, planId: e.target.value })}
            sx={{ minWidth: 220 }}
            slotProps={{ htmlInput: { 'data-testid': 'reports-plan' } }}
          >
            <MenuItem value="">{t('billingReports.allPlans')}</MenuItem>
            {(plans.data ?? []).map((p) => (
              <MenuItem key={p.id} value={p.id}>
                {p.name} ({p.id})
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {problem && (
          <Alert severity="warning" sx={{ mt: 2 }} data-testid="reports-filter-problem">
            {problem}
          </Alert>
        )}
      </Paper>
      {!problem && settings.data && (
        <Reports
          key={JSON.stringify(applied)}
          filters={applied}
          planName={planName}
          planNames={planNames}
          closeDay={settings.data.closeDay}
          timeZone={timeZone}
        />
      )}
      {!settings.data && (settings.error ? <ErrorAlert error={settings.error} onRetry={settings.reload} /> : <LoadingState />)}
    </Box>
  );
}

function useReports(filters: Filters, closeDay: number, timeZone: string) {
  const period = {
    from: filters.from,
    to: filters.to,
    granularity: filters.granularity,
    ...(filters.planId ? { planId: filters.planId } : {}),
  };
  const config = { closeDay, timeZone };
  const cycleOf = (day: string) => cycleContaining(startOfLocalDay(day, timeZone), config).key;
  const queries = {
    revenue: useQuery('reports/revenue', { ...period, by: 'total' }),
    byPlan: useQuery('reports/revenue', { ...period, by: 'plan' }),
    byKind: useQuery('reports/revenue', { ...period, by: 'kind' }),
    byService: useQuery('reports/revenue', { ...period, by: 'service' }),
    subscribers: useQuery('reports/subscribers', period),
    sms: useQuery('reports/sms', { from: filters.from, to: filters.to, granularity: filters.granularity, by: 'total' }),
    dReply: useQuery('reports/d-reply', period),
    top: useQuery('reports/top-subscribers', {
      from: cycleOf(filters.from),
      to: cycleOf(filters.to),
      limit: 20,
      ...(filters.planId ? { planId: filters.planId } : {}),
    }),
  };
  useCoreEvent('billing/changed', () => Object.values(queries).forEach((q) => q.reload()));
  const all = Object.values(queries);
  const error = all.find((q) => q.error)?.error ?? null;
  const reload = () => all.forEach((q) => q.reload());
  const data: ReportSet | null = all.every((q) => q.data)
    ? {
        revenue: queries.revenue.data!,
        byPlan: queries.byPlan.data!,
        byKind: queries.byKind.data!,
        byService: queries.byService.data!,
        subscribers: queries.subscribers.data!,
        sms: queries.sms.data!,
        dReply: queries.dReply.data!,
        top: queries.top.data!,
      }
    : null;
  return { data, error, reload };
}

function Reports({
  filters,
  planName,
  planNames,
  closeDay,
  timeZone,
}: {
  filters: Filters;
  planName?: string;
  planNames: ReadonlyMap<string, string>;
  closeDay: number;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const theme = useTheme();
  const styles = chartStyles(theme);
  const notify = useStore((s) => s.notify);
  const { data, error, reload } = useReports(filters, closeDay, timeZone);
  const [exporting, setExporting] = useState(false);
  const currency = data ? chartCurrency(data.revenue) : 'CNY';
  const yuan = (v: number) => formatMoney(Math.round(v * 100), currency);

  const series = useMemo(() => {
    if (!data) return null;
    const byPeriod = new Map(data.revenue.rows.filter((r) => r.currency === currency).map((r) => [r.period, r]));
    const revenue = periodsOf(filters).map((period) => {
      const r = byPeriod.get(period);
      return { period, charged: r ? major(r.charged, currency) : 0, gross: r ? major(r.gross, currency) : 0 };
    });
    const smsByPeriod = new Map(data.sms.rows.map((r) => [r.period, r]));
    const bars = (rows: ReturnType<typeof totalsByKey>, label: (k: string) => string) =>
      rows.map((r) => ({ name: label(r.key), charged: major(r.charged, currency) }));
    return {
      revenue,
      byPlan: bars(totalsByKey(data.byPlan, currency), (k) => (planNames.get(k) ? `${planNames.get(k)} (${k})` : k)),
      byKind: bars(totalsByKey(data.byKind, currency), (k) => kindLabel(t, k)),
      byService: bars(totalsByKey(data.byService, currency), (k) => serviceLabel(t, k)),
      subscribers: data.subscribers.rows,
      sms: periodsOf(filters).map((period) => {
        const r = smsByPeriod.get(period);
        return r
          ? { ...r, rate: r.deliveryRate === null ? null : Math.round(r.deliveryRate * 1000) / 10 }
          : { period, delivered: 0, failed: 0, expired: 0, rate: null };
      }),
      dReply: data.dReply.rows.map((r) => ({ ...r, rate: r.conversion === null ? null : Math.round(r.conversion * 1000) / 10 })),
    };
  }, [data, currency, t, filters, planNames]);

  if (error && !data) return <ErrorAlert error={error} onRetry={reload} />;
  if (!data || !series) return <LoadingState />;

  const fileBase = `billing-report_${filters.from}_${filters.to}${filters.planId ? `_${filters.planId}` : ''}`;

  const exportCsv = async () => {
    const lines: string[] = [];
    const section = (title: string, header: string[], rows: (string | number | null)[][]) => {
      lines.push('', csvLine([title]), csvLine(header), ...rows.map(csvLine));
    };
    lines.push(csvLine([t('billingReports.title')]));
    lines.push(csvLine([t('billingReports.from'), filters.from, t('billingReports.to'), filters.to]));
    lines.push(
      csvLine([t('billingReports.plan'), filters.planId ? `${planName ?? ''} (${filters.planId})` : t('billingReports.allPlans')]),
    );
    const c = Object.fromEntries(csvColumns.map((k) => [k, t(`billingReports.csv.${k}`)])) as Record<(typeof csvColumns)[number], string>;
    const moneyHeader = [c.currency, c.records, c.units, c.gross, c.charged];
    const moneyCells = (r: { currency: string; records: number; units: number; gross: number; charged: number }) => [
      r.currency,
      r.records,
      r.units,
      decimal(r.gross, r.currency),
      decimal(r.charged, r.currency),
    ];
    section(t('billingReports.totals'), moneyHeader, data.revenue.totals.map(moneyCells));
    section(
      t('billingReports.revenueByPeriod'),
      [c.period, ...moneyHeader],
      data.revenue.rows.map((r) => [r.period, ...moneyCells(r)]),
    );
    section(
      t('billingReports.revenueByPlan'),
      [c.period, c.plan, ...moneyHeader],
      data.byPlan.rows.map((r) => [r.period, planNames.has(r.key) ? `${planNames.get(r.key)} (${r.key})` : r.key, ...moneyCells(r)]),
    );
    section(
      t('billingReports.revenueByService'),
      [c.period, c.service, ...moneyHeader],
      data.byService.rows.map((r) => [r.period, serviceLabel(t, r.key), ...moneyCells(r)]),
    );
    section(
      t('billingReports.revenueByKind'),
      [c.period, c.kind, ...moneyHeader],
      data.byKind.rows.map((r) => [r.period, kindLabel(t, r.key), ...moneyCells(r)]),
    );
    section(
      t('billingReports.subscribers'),
      [c.period, c.active, c.opened, c.closed, c.movedIn, c.movedOut],
      data.subscribers.rows.map((r) => [r.period, r.active, r.opened, r.closed, r.movedIn, r.movedOut]),
    );
    section(
      t('billingReports.sms'),
      [c.period, c.queued, c.submitted, c.delivered, c.failed, c.expired, c.deliveryRate],
      data.sms.rows.map((r) => [
        r.period,
        r.queued,
        r.submitted,
        r.delivered,
        r.failed,
        r.expired,
        r.deliveryRate === null ? null : r.deliveryRate.toFixed(4),
      ]),
    );
    section(
      t('billingReports.dReply'),
      [c.period, c.summaries, c.details, c.conversion],
      data.dReply.rows.map((r) => [r.period, r.summaries, r.details, r.conversion === null ? null : r.conversion.toFixed(4)]),
    );
    section(
      t('billingReports.top'),
      [c.msisdn, c.plan, c.currency, c.cycles, c.rent, c.usage, c.adjustments, c.total],
      data.top.map((r) => [
        r.party,
        r.planId,
        r.currency,
        r.cycles,
        decimal(r.rent, r.currency),
        decimal(r.usage, r.currency),
        decimal(r.adjustments, r.currency),
        decimal(r.total, r.currency),
      ]),
    );
    setExporting(true);
    try {
      const saved = await platform.saveFile(`${fileBase}.csv`, toCsv(lines), [{ name: 'CSV', extensions: ['csv'] }]);
      if (saved.saved) notify('success', saved.path ? t('billingReports.savedTo', { path: saved.path }) : t('billingReports.saved'));
    } catch (e) {
      notify('error', t('billingReports.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setExporting(false);
    }
  };

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const file = await call('reports/export-xlsx', {
        from: filters.from,
        to: filters.to,
        granularity: filters.granularity,
        ...(filters.planId ? { planId: filters.planId } : {}),
      });
      const binary = atob(file.base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const saved = await platform.saveFile(file.filename, bytes, [{ name: 'Excel', extensions: ['xlsx'] }]);
      if (saved.saved) notify('success', saved.path ? t('billingReports.savedTo', { path: saved.path }) : t('billingReports.saved'));
    } catch (e) {
      notify('error', t('billingReports.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setExporting(false);
    }
  };

  const exportPdf = async () => {
    setExporting(true);
    try {
      const saved = await platform.printToPDF(`${fileBase}.pdf`);
      if (saved.saved) notify('success', saved.path ? t('billingReports.savedTo', { path: saved.path }) : t('billingReports.saved'));
    } catch (e) {
      notify('error', t('billingReports.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setExporting(false);
    }
  };

  const moneyAxis = (
    <YAxis tick={styles.axis} axisLine={styles.axisLine} tickLine={false} width={70} tickFormatter={(v: number) => yuan(v)} />
  );
  const moneyTip = <ChartTooltip {...styles.tooltip} formatter={(v) => (typeof v === 'number' ? yuan(v) : String(v))} />;
  const empty = (testId: string) => (
    <Box sx={{ height: chartHeight }} data-testid={testId}>
      <EmptyState title={t('billingReports.noData')} />
    </Box>
  );
  const barChart = (rows: { name: string; charged: number }[], testId: string, color: string) =>
    rows.length === 0 ? (
      empty(testId)
    ) : (
      <Box sx={{ height: chartHeight }} data-testid={testId}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 0, left: 8 }}>
            <CartesianGrid stroke={styles.grid} strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" tick={styles.axis} axisLine={styles.axisLine} tickLine={false} tickFormatter={(v: number) => yuan(v)} />
            <YAxis type="category" dataKey="name" tick={styles.axis} axisLine={false} tickLine={false} width={150} />
            {moneyTip}
            <Bar
              dataKey="charged"
              name={t('billingReports.charged')}
              fill={color}
              radius={[0, 4, 4, 0]}
              maxBarSize={22}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </Box>
    );
  const total = data.revenue.totals;

  return (
    <Stack spacing={2} data-testid="billing-reports">
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography variant="body2" color="text.secondary" data-testid="reports-totals">
          {total.length === 0
            ? t('billingReports.noRevenue')
            : total
                .map((x) =>
                  t('billingReports.totalLine', {
                    charged: formatMoney(x.charged, x.currency),
                    gross: formatMoney(x.gross, x.currency),
                    records: f.number(x.records),
                  }),
                )
                .join(' · ')}
          {filters.planId ? ` · ${t('billingReports.planFilter', { plan: planName ?? filters.planId })}` : ''}
        </Typography>
        <Stack direction="row" spacing={1} data-print-hide>
          <Button
            variant="outlined"
            startIcon={<FileDownloadOutlined />}
            onClick={() => void exportCsv()}
            disabled={exporting}
            data-testid="reports-export-csv"
          >
            {t('billingReports.exportCsv')}
          </Button>
          <Button
            variant="outlined"
            startIcon={<GridOnOutlined />}
            onClick={() => void exportXlsx()}
            disabled={exporting}
            data-testid="reports-export-xlsx"
          >
            {t('billingReports.exportXlsx')}
          </Button>
          <Button
            variant="outlined"
            startIcon={<PictureAsPdfOutlined />}
            onClick={() => void exportPdf()}
            disabled={exporting}
            data-testid="reports-export-pdf"
          >
            {t('billingReports.exportPdf')}
          </Button>
        </Stack>
      </Stack>

      <ChartCard
        title={t('billingReports.revenueByPeriod')}
        subtitle={t('billingReports.revenueHint', { currency })}
        testId="chart-revenue"
      >
        {series.revenue.length === 0 ? (
          empty('chart-revenue-empty')
        ) : (
          <Box sx={{ height: chartHeight }}>
            <ResponsiveContainer width="100%" height="100%">
              <ComposedChart data={series.revenue} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={styles.grid} strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="period" tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
                {moneyAxis}
                {moneyTip}
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar
                  dataKey="charged"
                  name={t('billingReports.charged')}
                  fill={theme.palette.primary.main}
                  maxBarSize={28}
                  isAnimationActive={false}
                />
                <Line
                  dataKey="gross"
                  name={t('billingReports.gross')}
                  stroke={theme.palette.warning.main}
                  dot={false}
                  isAnimationActive={false}
                />
              </ComposedChart>
            </ResponsiveContainer>
          </Box>
        )}
      </ChartCard>

      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', xl: 'repeat(3, 1fr)' } }}>
        <ChartCard title={t('billingReports.revenueByPlan')} testId="chart-by-plan">
          {barChart(series.byPlan, 'chart-by-plan-bars', theme.palette.primary.main)}
        </ChartCard>
        <ChartCard title={t('billingReports.revenueByService')} testId="chart-by-service">
          {barChart(series.byService, 'chart-by-service-bars', theme.palette.secondary.main)}
        </ChartCard>
        <ChartCard title={t('billingReports.revenueByKind')} testId="chart-by-kind">
          {barChart(series.byKind, 'chart-by-kind-bars', theme.palette.info.main)}
        </ChartCard>
      </Box>

      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', xl: 'repeat(3, 1fr)' } }}>
        <ChartCard title={t('billingReports.subscribers')} subtitle={t('billingReports.subscribersHint')} testId="chart-subscribers">
          {series.subscribers.length === 0 ? (
            empty('chart-subscribers-empty')
          ) : (
            <Box sx={{ height: chartHeight }}>
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={series.subscribers} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
                  <CartesianGrid stroke={styles.grid} strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="period" tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
                  <YAxis allowDecimals={false} tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
                  <ChartTooltip {...styles.tooltip} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Bar
                    dataKey="opened"
                    name={t('billingReports.opened')}
                    fill={theme.palette.success.main}
                    maxBarSize={20}
                    isAnimationActive={false}
                  />
                  <Bar
                    dataKey="closed"
                    name={t('billingReports.closed')}
                    fill={theme.palette.error.main}
                    maxBarSize={20}
                    isAnimationActive={false}
                  />
                  <Line
                    dataKey="active"
                    name={t('billingReports.active')}
                    stroke={theme.palette.primary.main}
                    dot={false}
                    isAnimationActive={false}
                  />
                </ComposedChart>
              </ResponsiveContainer>
            </Box>
          )}
        </ChartCard>
        <ChartCard title={t('billingReports.sms')} subtitle={t('billingReports.smsHint')} testId="chart-sms">
          {series.sms.length === 0 ? (
            empty('chart-sms-empty')
          ) : (
            <Box sx={{ height: chartHeight }}>
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={series.sms} margin={{ top: 8, right: 0, bottom: 0, left: -12 }}>
                  <CartesianGrid stroke={styles.grid} strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="period" tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
                  <YAxis yAxisId="n" allowDecimals={false} tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
                  <YAxis
                    yAxisId="p"
                    orientation="right"
                    domain={[0, 100]}
                    unit="%"
                    tick={styles.axis}
                    axisLine={styles.axisLine}
                    tickLine={false}
                  />
                  <ChartTooltip {...styles.tooltip} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Bar
                    yAxisId="n"
                    stackId="s"
                    dataKey="delivered"
                    name={t('billingReports.delivered')}
                    fill={theme.palette.success.main}
                    isAnimationActive={false}
                  />
                  <Bar
                    yAxisId="n"
                    stackId="s"
                    dataKey="failed"
                    name={t('billingReports.failed')}
                    fill={theme.palette.error.main}
                    isAnimationActive={false}
                  />
                  <Bar
                    yAxisId="n"
                    stackId="s"
                    dataKey="expired"
                    name={t('billingReports.expired')}
                    fill={theme.palette.warning.main}
                    isAnimationActive={false}
                  />
                  <Line
                    yAxisId="p"
                    dataKey="rate"
                    name={t('billingReports.deliveryRate')}
                    unit="%"
                    stroke={theme.palette.primary.main}
                    dot={false}
                    connectNulls
                    isAnimationActive={false}
                  />
                </ComposedChart>
              </ResponsiveContainer>
            </Box>
          )}
        </ChartCard>
        <ChartCard title={t('billingReports.dReply')} subtitle={t('billingReports.dReplyHint')} testId="chart-d-reply">
          {series.dReply.length === 0 ? (
            empty('chart-d-reply-empty')
          ) : (
            <Box sx={{ height: chartHeight }}>
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={series.dReply} margin={{ top: 8, right: 0, bottom: 0, left: -12 }}>
                  <CartesianGrid stroke={styles.grid} strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="period" tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
                  <YAxis yAxisId="n" allowDecimals={false} tick={styles.axis} axisLine={styles.axisLine} tickLine={false} />
                  <YAxis
                    yAxisId="p"
                    orientation="right"
                    domain={[0, 100]}
                    unit="%"
                    tick={styles.axis}
                    axisLine={styles.axisLine}
                    tickLine={false}
                  />
                  <ChartTooltip {...styles.tooltip} />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Bar
                    yAxisId="n"
                    dataKey="summaries"
                    name={t('billingReports.summaries')}
                    fill={theme.palette.info.main}
                    isAnimationActive={false}
                  />
                  <Bar
                    yAxisId="n"
                    dataKey="details"
                    name={t('billingReports.details')}
                    fill={theme.palette.secondary.main}
                    isAnimationActive={false}
                  />
                  <Line
                    yAxisId="p"
                    dataKey="rate"
                    name={t('billingReports.conversion')}
                    unit="%"
                    stroke={theme.palette.success.main}
                    dot={false}
                    connectNulls
                    isAnimationActive={false}
                  />
                </ComposedChart>
              </ResponsiveContainer>
            </Box>
          )}
        </ChartCard>
      </Box>

      <ChartCard title={t('billingReports.top')} subtitle={t('billingReports.topHint')} testId="reports-top">
        {data.top.length === 0 ? (
          <EmptyState title={t('billingReports.noTop')} hint={t('billingReports.noTopHint')} />
        ) : (
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>#</TableCell>
                <TableCell>{t('billingReports.csv.msisdn')}</TableCell>
                <TableCell>{t('billingReports.csv.plan')}</TableCell>
                <TableCell align="right">{t('billingReports.csv.cycles')}</TableCell>
                <TableCell align="right">{t('billingReports.csv.rent')}</TableCell>
                <TableCell align="right">{t('billingReports.csv.usage')}</TableCell>
                <TableCell align="right">{t('billingReports.csv.adjustments')}</TableCell>
                <TableCell align="right">{t('billingReports.csv.total')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.top.map((r, i) => (
                <TableRow key={`${r.party}|${r.currency}`}>
                  <TableCell>{i + 1}</TableCell>
                  <TableCell>{r.party}</TableCell>
                  <TableCell>{r.planId ?? '—'}</TableCell>
                  <TableCell align="right">{f.number(r.cycles)}</TableCell>
                  <TableCell align="right">{formatMoney(r.rent, r.currency)}</TableCell>
                  <TableCell align="right">{formatMoney(r.usage, r.currency)}</TableCell>
                  <TableCell align="right">{formatMoney(r.adjustments, r.currency)}</TableCell>
                  <TableCell align="right" sx={{ fontWeight: 600 }}>
                    {formatMoney(r.total, r.currency)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </ChartCard>
    </Stack>
  );
}
