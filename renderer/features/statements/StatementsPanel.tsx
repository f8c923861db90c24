/**
 * A subscriber's statements: one per cycle (closed, or the open one as a preview), each with rent, usage by kind,
 * what the caps waived, adjustments and the total, and the usage records behind them ("why was I charged?").
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { DataGrid, type GridColDef, type GridPaginationModel } from '@mui/x-data-grid';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChargeLineView, StatementSummary, StatementView } from '../../../core/api/billing-types';
import { formatMoney } from '../../../core/domain/billing/money';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { localDay } from '../../../core/domain/local-time';
import { useBillingToday } from '../../hooks/useBillingToday';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useFormat } from '../../i18n/format';

export const kindLabel = (t: TFunction, kind: string) => t(`tariffs.kinds.${kind}` as 'tariffs.kinds.notification', { defaultValue: kind });

function Money({ fen, currency, strong }: { fen: number; currency: string; strong?: boolean }) {
  return (
    <Box component="span" sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: strong ? 600 : undefined, whiteSpace: 'nowrap' }}>
      {formatMoney(fen, currency)}
    </Box>
  );
}

/** `cycle`: the statement to open first (otherwise the newest). */
export function StatementsPanel({ msisdn, cycle: initialCycle }: { msisdn: string; cycle?: string }) {
  const { t } = useTranslation();
  const list = useQuery('statements/list', { msisdn });
  useCoreEvent('billing/changed', ({ what }) => {
    if (what === 'cycles') list.reload();
  });
  const [selected, setSelected] = useState<string | null>(initialCycle ?? null);
  const statements = list.data ?? [];
  const cycle = selected ?? statements[0]?.cycle ?? null;

  if (list.error && !list.data) return <ErrorAlert error={list.error} onRetry={list.reload} />;
  if (!list.data) return <LoadingState />;
  if (statements.length === 0) {
    return (
      <Paper variant="outlined">
        <EmptyState title={t('statements.empty')} hint={t('statements.emptyHint')} />
      </Paper>
    );
  }
  return (
    <Stack spacing={2} data-testid="statements" data-msisdn={msisdn}>
      <Paper variant="outlined">
        <Table size="small" data-testid="statements-list">
          <TableHead>
            <TableRow>
              <TableCell>{t('statements.columns.cycle')}</TableCell>
              <TableCell>{t('statements.columns.status')}</TableCell>
              <TableCell align="right">{t('statements.columns.rent')}</TableCell>
              <TableCell align="right">{t('statements.columns.usage')}</TableCell>
              <TableCell align="right">{t('statements.columns.capWaived')}</TableCell>
              <TableCell align="right">{t('statements.columns.adjustments')}</TableCell>
              <TableCell align="right">{t('statements.columns.total')}</TableCell>
              <TableCell align="right">{t('statements.columns.balance')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {statements.map((s) => (
              <TableRow
                key={s.cycle}
                hover
                selected={s.cycle === cycle}
                onClick={() => setSelected(s.cycle)}
                sx={{ cursor: 'pointer' }}
                data-testid={`statement-row-${s.cycle}`}
              >
                <TableCell>{s.cycle}</TableCell>
                <TableCell>
                  <StatusChip status={s.status} />
                </TableCell>
                <TableCell align="right">
                  <Money fen={s.rent} currency={s.currency} />
                </TableCell>
                <TableCell align="right">
                  <Money fen={s.usage} currency={s.currency} />
                </TableCell>
                <TableCell align="right">
                  <Money fen={s.capWaived} currency={s.currency} />
                </TableCell>
                <TableCell align="right">
                  <Money fen={s.adjustments} currency={s.currency} />
                </TableCell>
                <TableCell align="right">
                  <Money fen={s.total} currency={s.currency} strong />
                </TableCell>
                <TableCell align="right">
                  <Money fen={s.balance} currency={s.currency} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      {cycle && <StatementDetail key={cycle} msisdn={msisdn} cycle={cycle} />}
    </Stack>
  );
}

function StatusChip({ status }: { status: StatementSummary['status'] }) {
  const { t } = useTranslation();
  return (
    <Chip
      size="small"
      color={status === 'closed' ? 'default' : 'info'}
      variant={status === 'closed' ? 'outlined' : 'filled'}
      label={t(`statements.status.${status}`)}
    />
  );
}

function StatementDetail({ msisdn, cycle }: { msisdn: string; cycle: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const query = useQuery('statements/get', { msisdn, cycle });
  const { timeZone } = useBillingToday();
  if (query.error && !query.data) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!query.data) return <LoadingState />;
  const view: StatementView = query.data;
  const { statement, currency } = view;
  const money = (fen: number, strong?: boolean) => <Money fen={fen} currency={currency} strong={strong} />;
  const summary: [string, number, string][] = [
    [t('statements.columns.rent'), view.rent, 'rent'],
    [t('statements.columns.usage'), view.usage, 'usage'],
    [t('statements.columns.adjustments'), view.adjustments, 'adjustments'],
  ];

  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid="statement-detail" data-cycle={cycle}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
        <Typography variant="h3">{t('statements.detailTitle', { cycle })}</Typography>
        <StatusChip status={view.status} />
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t('statements.period', {
          from: localDay(view.from, timeZone),
          to: localDay(view.to - 1, timeZone),
          plan: view.planId ?? t('statements.noPlan'),
        })}
        {view.status === 'open' ? ` ${t('statements.previewNote')}` : ''}
      </Typography>

      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '320px 1fr' }, alignItems: 'start' }}>
        <Table size="small" data-testid="statement-summary">
          <TableBody>
            {summary.map(([label, fen, id]) => (
              <TableRow key={id}>
                <TableCell>{label}</TableCell>
                <TableCell align="right" data-testid={`statement-${id}`}>
                  {money(fen)}
                </TableCell>
              </TableRow>
            ))}
            {view.capWaived > 0 && (
              <TableRow>
                <TableCell sx={{ color: 'text.secondary' }}>{t('statements.capEffect')}</TableCell>
                <TableCell align="right" sx={{ color: 'text.secondary' }} data-testid="statement-capWaived">
                  {t('statements.waived', { amount: formatMoney(view.capWaived, currency) })}
                </TableCell>
              </TableRow>
            )}
            <TableRow>
              <TableCell sx={{ fontWeight: 600 }}>{t('statements.columns.total')}</TableCell>
              <TableCell align="right" data-testid="statement-total">
                {money(view.total, true)}
              </TableCell>
            </TableRow>
            {view.laterAdjustments !== 0 && (
              <>
                <TableRow>
                  <TableCell>{t('statements.laterAdjustments')}</TableCell>
                  <TableCell align="right">{money(view.laterAdjustments)}</TableCell>
                </TableRow>
                <TableRow>
                  <TableCell sx={{ fontWeight: 600 }}>{t('statements.columns.balance')}</TableCell>
                  <TableCell align="right">{money(view.balance, true)}</TableCell>
                </TableRow>
              </>
            )}
          </TableBody>
        </Table>

        <Stack spacing={2}>
          <Box>
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
              {t('statements.rentLines')}
            </Typography>
            {statement.rent.lines.length === 0 ? (
              <Typography variant="body2" color="text.secondary">
                {t('statements.noRent')}
              </Typography>
            ) : (
              <Table size="small" data-testid="statement-rent-lines">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('statements.columns.plan')}</TableCell>
                    <TableCell>{t('statements.columns.days')}</TableCell>
                    <TableCell>{t('statements.columns.policy')}</TableCell>
                    <TableCell align="right">{t('statements.columns.monthlyRent')}</TableCell>
                    <TableCell align="right">{t('statements.columns.amount')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {statement.rent.lines.map((line) => (
                    <TableRow key={line.key}>
                      <TableCell>{t('statements.planVersion', { plan: line.planId, number: line.version })}</TableCell>
                      <TableCell>{t('statements.daysOf', { days: line.days, of: line.cycleDays })}</TableCell>
                      <TableCell>{t(`tariffs.proration.${line.policy}.label`)}</TableCell>
                      <TableCell align="right">{money(line.monthlyRent)}</TableCell>
                      <TableCell align="right">{money(line.amount)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Box>

          <Box>
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
              {t('statements.usageByKind')}
            </Typography>
            {statement.usage.byKind.length === 0 ? (
              <Typography variant="body2" color="text.secondary">
                {t('statements.noUsage')}
              </Typography>
            ) : (
              <Table size="small" data-testid="statement-usage-lines">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('statements.columns.kind')}</TableCell>
                    <TableCell align="right">{t('statements.columns.records')}</TableCell>
                    <TableCell align="right">{t('statements.columns.freeUnits')}</TableCell>
                    <TableCell align="right">{t('statements.columns.gross')}</TableCell>
                    <TableCell align="right">{t('statements.columns.capWaived')}</TableCell>
                    <TableCell align="right">{t('statements.columns.charged')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {statement.usage.byKind.map((row) => (
                    <TableRow key={row.kind} data-testid={`statement-usage-${row.kind}`}>
                      <TableCell>{kindLabel(t, row.kind)}</TableCell>
                      <TableCell align="right">{f.number(row.records)}</TableCell>
                      <TableCell align="right">{f.number(row.freeUnits)}</TableCell>
                      <TableCell align="right">{money(row.gross)}</TableCell>
                      <TableCell align="right">{money(row.capWaived)}</TableCell>
                      <TableCell align="right">{money(row.charged, true)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </Box>

          {(statement.adjustments.lines.length > 0 || view.laterAdjustmentLines.length > 0) && (
            <Box>
              <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
                {t('statements.adjustmentLines')}
              </Typography>
              <Table size="small" data-testid="statement-adjustment-lines">
                <TableHead>
                  <TableRow>
                    <TableCell>{t('statements.columns.source')}</TableCell>
                    <TableCell>{t('statements.columns.reason')}</TableCell>
                    <TableCell align="right">{t('statements.columns.amount')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {statement.adjustments.lines.map((line) => (
                    <TableRow key={line.key}>
                      <TableCell>{t(`statements.source.${line.source}`)}</TableCell>
                      <TableCell>{line.reason}</TableCell>
                      <TableCell align="right">{money(line.amount)}</TableCell>
                    </TableRow>
                  ))}
                  {view.laterAdjustmentLines.map((line) => (
                    <TableRow key={line.id}>
                      <TableCell>
                        {t(`statements.source.${line.source}`)} · {t('statements.afterClose')}
                      </TableCell>
                      <TableCell>
                        {line.reason} ({line.operator}, {f.dateTimeShort(line.at)})
                      </TableCell>
                      <TableCell align="right">{money(line.amount)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}

          {view.thresholds.length > 0 && (
            <Alert severity="info" data-testid="statement-thresholds">
              {view.thresholds
                .map((th) => t('statements.threshold', { percent: th.percent, cap: t(`statements.cap.${th.cap}`) }))
                .join(' · ')}
            </Alert>
          )}
        </Stack>
      </Box>

      <Typography variant="subtitle2" sx={{ mt: 2, mb: 0.5 }}>
        {t('statements.lines')}
      </Typography>
      <ChargeLines msisdn={msisdn} cycle={cycle} currency={currency} />
    </Paper>
  );
}

function ChargeLines({ msisdn, cycle, currency }: { msisdn: string; cycle: string; currency: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [pagination, setPagination] = useState<GridPaginationModel>({ page: 0, pageSize: 25 });
  const lines = useQuery('statements/lines', { msisdn, cycle, page: pagination.page, pageSize: pagination.pageSize });
  const columns = useMemo<GridColDef<ChargeLineView>[]>(
    () => [
      { field: 'at', headerName: t('statements.columns.time'), width: 200, valueFormatter: (v: number) => f.timestamp(v) },
      { field: 'kind', headerName: t('statements.columns.kind'), width: 200, valueFormatter: (v: string) => kindLabel(t, v) },
      { field: 'quantity', headerName: t('statements.columns.quantity'), width: 90, type: 'number' },
      {
        field: 'basis',
        headerName: t('statements.columns.basis'),
        width: 170,
        valueFormatter: (v: ChargeLineView['basis']) => (v === null ? t('statements.notRated') : t(`statements.basis.${v}`)),
      },
      { field: 'freeUnits', headerName: t('statements.columns.freeUnits'), width: 100, type: 'number' },
      { field: 'gross', headerName: t('statements.columns.gross'), width: 110, valueFormatter: (v: number) => formatMoney(v, currency) },
      {
        field: 'capped',
        headerName: t('statements.columns.capped'),
        width: 120,
        valueFormatter: (v: ChargeLineView['capped']) => t(`statements.capped.${v}`),
      },
      {
        field: 'amount',
        headerName: t('statements.columns.charged'),
        width: 110,
        valueFormatter: (v: number) => formatMoney(v, currency),
      },
      {
        field: 'version',
        headerName: t('statements.columns.plan'),
        flex: 1,
        minWidth: 140,
        valueGetter: (_v, row) => (row.planId ? t('statements.planVersion', { plan: row.planId, number: row.version ?? '' }) : '—'),
      },
    ],
    [t, f, currency],
  );
  if (lines.error && !lines.data) return <ErrorAlert error={lines.error} onRetry={lines.reload} />;
  return (
    <Box sx={{ height: 420 }} data-testid="statement-lines">
      <DataGrid
        rows={lines.data?.rows ?? []}
        getRowId={(row) => row.recordId}
        columns={columns}
        rowCount={lines.data?.total ?? 0}
        loading={lines.refreshing}
        paginationMode="server"
        paginationModel={pagination}
        onPaginationModelChange={setPagination}
        pageSizeOptions={[25, 50, 100]}
        disableColumnFilter
        disableColumnSorting
        density="compact"
        slots={{ noRowsOverlay: () => <EmptyState title={t('statements.noLines')} /> }}
      />
    </Box>
  );
}
