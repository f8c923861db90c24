/**
 * Capping: for a cycle, the caps of the plans in force, who reached a warning threshold or the cap itself, what the
 * caps waived and whether the warning SMS went out; a row opens the subscriber's statement for the cycle.
 */
import NotificationsActiveOutlined from '@mui/icons-material/NotificationsActiveOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import SavingsOutlined from '@mui/icons-material/SavingsOutlined';
import VerticalAlignTopOutlined from '@mui/icons-material/VerticalAlignTopOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { DataGrid, type GridColDef, type GridSortModel } from '@mui/x-data-grid';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapPlanInfo, CappingReport, CappingRow } from '../../../core/api/billing-types';
import type { CapKind } from '../../../core/domain/billing/capping';
import { addDays } from '../../../core/domain/billing/cycle';
import { defaultCurrency, formatMoney } from '../../../core/domain/billing/money';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { Tile } from '../../components/Tile';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { usePagination } from '../../hooks/usePagination';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';
import { navigate } from '../../routing';
import { useMsisdnFormat } from '../subscribers/numbers';
import { smsStateColor } from '../subscribers/smsStates';

/** Rating runs every minute; the screen follows it. */
const refreshMs = 60_000;
const sortable = new Set(['percent', 'at', 'spent', 'party']);
/** A filter select shows its "all" choice instead of an empty box. */
const showEmpty = { inputLabel: { shrink: true }, select: { displayEmpty: true } } as const;

interface Filters {
  /** '' is the current cycle. */
  cycle: string;
  cap: '' | CapKind;
  minPercent: string;
  search: string;
}

const percentLabel = (t: TFunction, percent: number) => t('capping.percentOption', { percent });
const moneyOrNone = (t: TFunction, fen: number | null, currency: string) =>
  fen === null ? t('capping.noCap') : formatMoney(fen, currency);

function smsLabel(t: TFunction, state: string | null): string {
  if (state === null) return t('capping.sms.none');
  if (state === 'held') return t('capping.sms.held');
  return t(`subscribers.smsStates.${state}` as 'subscribers.smsStates.queued', { defaultValue: state });
}

export function CappingScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const formatNumber = useMsisdnFormat();
  const cycles = useQuery('billing/cycles', {});
  const [filters, setFilters] = useState<Filters>({ cycle: '', cap: '', minPercent: '', search: '' });
  const applied = useDebounced(filters, 400);
  const [sortModel, setSortModel] = useState<GridSortModel>([{ field: 'percent', sort: 'desc' }]);
  const sort = sortModel[0];
  const query = {
    ...(applied.cycle ? { cycle: applied.cycle } : {}),
    ...(applied.cap ? { cap: applied.cap } : {}),
    ...(applied.minPercent ? { minPercent: Number(applied.minPercent) } : {}),
    ...(applied.search.trim() ? { search: applied.search.trim() } : {}),
    ...(sort && sortable.has(sort.field)
      ? { sort: sort.field as 'percent' | 'at' | 'spent' | 'party', order: sort.sort === 'asc' ? ('asc' as const) : ('desc' as const) }
      : {}),
  };
  const [pagination, setPagination] = usePagination(JSON.stringify(query));
  const report = useQuery('billing/capping', { ...query, page: pagination.page, pageSize: pagination.pageSize }, { intervalMs: refreshMs });
  useCoreEvent('billing/changed', ({ what }) => {
    if (what === 'cycles') report.reload();
  });
  const data = report.data;
  const filtered = Boolean(query.cap || query.minPercent || query.search);
  const planNames = useMemo(() => new Map((data?.plans ?? []).map((p) => [p.planId, p.name])), [data?.plans]);
  const thresholds = useMemo(() => [...new Set((data?.plans ?? []).flatMap((p) => p.thresholds))].sort((a, b) => a - b), [data?.plans]);
  const canReadStatements = can('statements.read');
  const cycleKey = data?.cycle.key;

  const columns = useMemo<GridColDef<CappingRow>[]>(
    () => [
      { field: 'party', headerName: t('capping.columns.party'), width: 140, valueFormatter: (v: string) => formatNumber(v) },
      {
        field: 'planId',
        headerName: t('capping.columns.plan'),
        flex: 1,
        minWidth: 110,
        sortable: false,
        valueFormatter: (v: string | null) => (v ? (planNames.get(v) ?? v) : '—'),
      },
      {
        field: 'cap',
        headerName: t('capping.columns.cap'),
        width: 110,
        sortable: false,
        valueFormatter: (v: CapKind) => t(`capping.cap.${v}`),
      },
      {
        field: 'percent',
        headerName: t('capping.columns.percent'),
        width: 110,
        renderCell: ({ row }) => (
          <Chip
            size="small"
            color={row.percent >= 100 ? 'error' : 'warning'}
            variant={row.percent >= 100 ? 'filled' : 'outlined'}
            label={percentLabel(t, row.percent)}
          />
        ),
      },
      {
        field: 'limit',
        headerName: t('capping.columns.limit'),
        width: 100,
        align: 'right',
        headerAlign: 'right',
        sortable: false,
        valueFormatter: (v: number, row) => formatMoney(v, row.currency),
      },
      {
        field: 'spent',
        headerName: t('capping.columns.spent'),
        width: 100,
        align: 'right',
        headerAlign: 'right',
        valueFormatter: (v: number, row) => formatMoney(v, row.currency),
      },
      { field: 'at', headerName: t('capping.columns.at'), width: 150, valueFormatter: (v: number) => f.dateTimeShort(v) },
      {
        field: 'smsState',
        headerName: t('capping.columns.sms'),
        width: 130,
        sortable: false,
        renderCell: ({ row }) => (
          <Tooltip title={row.smsId === null ? t('capping.smsNoneHint') : `#${row.smsId}`}>
            <Chip
              size="small"
              variant="outlined"
              color={smsStateColor(row.smsId === null ? null : row.smsState)}
              label={smsLabel(t, row.smsId === null ? null : row.smsState)}
              data-testid="capping-sms"
            />
          </Tooltip>
        ),
      },
      {
        field: 'waived',
        headerName: t('capping.columns.waived'),
        width: 110,
        align: 'right',
        headerAlign: 'right',
        sortable: false,
        valueFormatter: (v: number, row) => formatMoney(v, row.currency),
      },
      ...(canReadStatements && cycleKey
        ? [
            {
              field: 'statements',
              headerName: '',
              width: 56,
              sortable: false,
              renderCell: ({ row }) => (
                <Tooltip title={t('capping.openStatements')}>
                  <IconButton
                    size="small"
                    aria-label={t('capping.openStatements')}
                    data-testid={`capping-statements-${row.party.replace(/\D/g, '')}`}
                    onClick={() => navigate('statements', { query: { msisdn: row.party, cycle: cycleKey } })}
                  >
                    <ReceiptLongOutlined fontSize="small" />
                  </IconButton>
                </Tooltip>
              ),
            } satisfies GridColDef<CappingRow>,
          ]
        : []),
    ],
    [t, f, formatNumber, planNames, canReadStatements, cycleKey],
  );

  return (
    <Box data-testid="screen-capping" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader title={t('capping.title')} subtitle={t('capping.subtitle')} />
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: '260px 160px 170px minmax(200px, 280px)' } }}>
          <TextField
            select
            size="small"
            label={t('capping.cycle')}
            value={filters.cycle || cycleKey || ''}
            onChange={(e) => setFilters({ ...filters, cycle: e.target.value })}
            slotProps={showEmpty}
            helperText={
              data &&
              t('capping.cycleRange', {
                from: data.cycle.startDay,
                to: addDays(data.cycle.endDay, -1),
                status: t(`capping.cycleStatus.${data.cycle.status}`),
              })
            }
          >
            {(cycles.data ?? []).map((c) => (
              <MenuItem key={c.key} value={c.key}>
                {c.key}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            size="small"
            label={t('capping.filterCap')}
            value={filters.cap}
            onChange={(e) => setFilters({ ...filters, cap: e.target.value as Filters['cap'] })}
            slotProps={showEmpty}
          >
            <MenuItem value="">{t('capping.allCaps')}</MenuItem>
            <MenuItem value="usage">{t('capping.cap.usage')}</MenuItem>
            <MenuItem value="total">{t('capping.cap.total')}</MenuItem>
          </TextField>
          <TextField
            select
            size="small"
            label={t('capping.filterPercent')}
            value={filters.minPercent}
            onChange={(e) => setFilters({ ...filters, minPercent: e.target.value })}
            slotProps={showEmpty}
          >
            <MenuItem value="">{t('capping.anyPercent')}</MenuItem>
            {thresholds.map((p) => (
              <MenuItem key={p} value={String(p)}>
                {percentLabel(t, p)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            label={t('capping.search')}
            value={filters.search}
            onChange={(e) => setFilters({ ...filters, search: e.target.value })}
            helperText={t('capping.searchHint')}
            slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'capping-search' } }}
          />
        </Box>
      </Paper>
      {report.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={report.error} onRetry={report.reload} />
        </Box>
      )}
      {data ? (
        <>
          <Summary report={data} />
          <CapPlans plans={data.plans} />
        </>
      ) : (
        !report.error && <LoadingState />
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 360 }}>
        <DataGrid
          rows={data?.rows ?? []}
          getRowId={(row) => `${row.party}|${row.cap}`}
          columns={columns}
          rowCount={data?.total ?? 0}
          loading={report.refreshing}
          paginationMode="server"
          paginationModel={pagination}
          onPaginationModelChange={setPagination}
          sortingMode="server"
          sortModel={sortModel}
          onSortModelChange={setSortModel}
          pageSizeOptions={[25, 50, 100]}
          disableColumnFilter
          getRowClassName={() => 'capping-row'}
          slots={{
            noRowsOverlay: () =>
              filtered ? (
                <EmptyState title={t('capping.emptyFiltered')} hint={t('capping.emptyFilteredHint')} />
              ) : (
                <EmptyState title={t('capping.empty', { cycle: cycleKey ?? '' })} hint={t('capping.emptyHint')} />
              ),
          }}
          sx={{ border: 0 }}
        />
      </Paper>
    </Box>
  );
}

/** The three figures: warned under the cap, at the cap, waived; each with its breakdown. */
function Summary({ report }: { report: CappingReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  const breakdown = (counts: CappingReport['counts']) =>
    counts
      .map((c) => t('capping.reached', { cap: t(`capping.cap.${c.cap}`), percent: c.percent, subscribers: f.number(c.subscribers) }))
      .join(' · ');
  const below = report.counts.filter((c) => c.percent < 100);
  const atCap = report.counts.filter((c) => c.percent >= 100);
  const waived = report.waived.length ? report.waived : [{ currency: defaultCurrency, amount: 0 }];
  return (
    <Box sx={{ display: 'grid', gap: 2, mb: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(3, minmax(0, 1fr))' } }}>
      <Tile
        icon={<NotificationsActiveOutlined />}
        tone="warning"
        label={t('capping.warned')}
        value={f.number(report.warned)}
        detail={below.length ? breakdown(below) : t('capping.warnedDetail')}
        testId="capping-warned"
      />
      <Tile
        icon={<VerticalAlignTopOutlined />}
        tone="error"
        label={t('capping.capped')}
        value={f.number(report.capped)}
        detail={atCap.length ? breakdown(atCap) : t('capping.cappedDetail')}
        testId="capping-capped"
      />
      <Tile
        icon={<SavingsOutlined />}
        tone="success"
        label={t('capping.waived')}
        value={waived.map((w) => formatMoney(w.amount, w.currency)).join(' + ')}
        detail={t('capping.waivedDetail')}
        testId="capping-waived"
      />
    </Box>
  );
}

/** The plans in force in the cycle with their caps, warning thresholds as chips, and what their caps waived. */
function CapPlans({ plans }: { plans: CapPlanInfo[] }) {
  const { t } = useTranslation();
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid="capping-plans">
      <Typography variant="subtitle2">{t('capping.plans')}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {t('capping.plansHint')}
      </Typography>
      {plans.length === 0 ? (
        <EmptyState
          title={t('capping.noPlans')}
          hint={t('capping.noPlansHint')}
          action={
            <Button variant="outlined" onClick={() => navigate('tariffs')}>
              {t('capping.openTariffs')}
            </Button>
          }
        />
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{t('capping.columns.plan')}</TableCell>
              <TableCell>{t('capping.columns.version')}</TableCell>
              <TableCell align="right">{t('capping.columns.usageCap')}</TableCell>
              <TableCell align="right">{t('capping.columns.totalCap')}</TableCell>
              <TableCell>{t('capping.columns.thresholds')}</TableCell>
              <TableCell align="right">{t('capping.waived')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {plans.map((plan) => (
              <TableRow key={plan.planId} data-testid={`capping-plan-${plan.planId}`}>
                <TableCell>
                  {plan.name}{' '}
                  <Typography component="span" variant="body2" color="text.secondary">
                    ({plan.planId})
                  </Typography>
                </TableCell>
                <TableCell>v{plan.version}</TableCell>
                <TableCell align="right">{moneyOrNone(t, plan.usageCap, plan.currency)}</TableCell>
                <TableCell align="right">{moneyOrNone(t, plan.totalCap, plan.currency)}</TableCell>
                <TableCell>
                  {plan.usageCap === null && plan.totalCap === null ? (
                    <Typography variant="body2" color="text.secondary">
                      —
                    </Typography>
                  ) : plan.thresholds.length ? (
                    <Stack direction="row" spacing={0.5}>
                      {plan.thresholds.map((p) => (
                        <Chip key={p} size="small" variant="outlined" color={p >= 100 ? 'error' : 'warning'} label={percentLabel(t, p)} />
                      ))}
                    </Stack>
                  ) : (
                    t('capping.noThresholds')
                  )}
                </TableCell>
                <TableCell align="right">{formatMoney(plan.waived, plan.currency)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}
