/**
 * Adjustments: every correction to a charge, from rerating or made by hand, with its reason. A billing admin adds
 * a manual credit or charge; a closed statement is never edited, the adjustment shows beside it.
 */
import AddOutlined from '@mui/icons-material/AddOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../core/api/errors';
import type { AdjustmentInfo, AdjustmentSource } from '../../../core/api/billing-types';
import { currencies, currencyOf, defaultCurrency, formatMoney, parseMoney } from '../../../core/domain/billing/money';
import { fieldErrorText } from '../../components/fieldError';
import { FormDialog } from '../../components/FormDialog';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { usePagination } from '../../hooks/usePagination';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';

interface Filters {
  cycle: string;
  msisdn: string;
  source: '' | AdjustmentSource;
}

export function AdjustmentsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const canManage = can('billing.manage');
  const cycles = useQuery('billing/cycles', {});
  const [filters, setFilters] = useState<Filters>({ cycle: '', msisdn: '', source: '' });
  const applied = useDebounced(filters, 400);
  const query = {
    ...(applied.cycle ? { cycle: applied.cycle } : {}),
    ...(applied.msisdn.trim() ? { msisdn: applied.msisdn.trim() } : {}),
    ...(applied.source ? { source: applied.source } : {}),
  };
  const [pagination, setPagination] = usePagination(JSON.stringify(query));
  const list = useQuery('billing/adjustments', { ...query, page: pagination.page, pageSize: pagination.pageSize });
  useCoreEvent('billing/changed', ({ what }) => {
    if (what === 'cycles') list.reload();
  });
  const [creating, setCreating] = useState(false);

  const columns = useMemo<GridColDef<AdjustmentInfo>[]>(
    () => [
      { field: 'at', headerName: t('adjustments.columns.at'), width: 180, valueFormatter: (v: number) => f.timestamp(v) },
      { field: 'cycle', headerName: t('adjustments.columns.cycle'), width: 90 },
      { field: 'party', headerName: t('adjustments.columns.party'), width: 150 },
      {
        field: 'source',
        headerName: t('adjustments.columns.source'),
        width: 120,
        renderCell: ({ row }) => (
          <Chip
            size="small"
            variant="outlined"
            color={row.source === 'manual' ? 'primary' : 'default'}
            label={t(`statements.source.${row.source}`)}
          />
        ),
      },
      {
        field: 'amount',
        headerName: t('adjustments.columns.amount'),
        width: 110,
        align: 'right',
        headerAlign: 'right',
        valueFormatter: (v: number, row) => formatMoney(v, row.currency),
      },
      {
        field: 'afterClose',
        headerName: t('adjustments.columns.afterClose'),
        width: 120,
        valueFormatter: (v: boolean) => (v ? t('adjustments.yes') : ''),
      },
      { field: 'reason', headerName: t('adjustments.columns.reason'), flex: 1, minWidth: 200 },
      { field: 'operator', headerName: t('adjustments.columns.operator'), width: 130 },
    ],
    [t, f],
  );

  return (
    <Box data-testid="screen-adjustments" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader
        title={t('adjustments.title')}
        subtitle={t('adjustments.subtitle')}
        actions={
          canManage && (
            <Button variant="contained" startIcon={<AddOutlined />} onClick={() => setCreating(true)} data-testid="adjustments-create">
              {t('adjustments.create')}
            </Button>
          )
        }
      />
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '160px 240px 160px' } }}>
          <TextField
            select
            label={t('adjustments.columns.cycle')}
            value={filters.cycle}
            onChange={(e) => setFilters({ ...filters, cycle: e.target.value })}
          >
            <MenuItem value="">{t('adjustments.allCycles')}</MenuItem>
            {(cycles.data ?? []).map((c) => (
              <MenuItem key={c.key} value={c.key}>
                {c.key}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label={t('adjustments.columns.party')}
            value={filters.msisdn}
            onChange={(e) => setFilters({ ...filters, msisdn: e.target.value })}
            slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'adjustments-filter-msisdn' } }}
          />
          <TextField
            select
            label={t('adjustments.columns.source')}
            value={filters.source}
            onChange={(e) => setFilters({ ...filters, source: e.target.value as Filters['source'] })}
          >
            <MenuItem value="">{t('adjustments.allSources')}</MenuItem>
            <MenuItem value="manual">{t('statements.source.manual')}</MenuItem>
            <MenuItem value="rerate">{t('statements.source.rerate')}</MenuItem>
          </TextField>
        </Box>
      </Paper>
      {list.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={list.error} onRetry={list.reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 360 }}>
        <DataGrid
          rows={list.data?.rows ?? []}
          columns={columns}
          rowCount={list.data?.total ?? 0}
          loading={list.refreshing}
          paginationMode="server"
          paginationModel={pagination}
          onPaginationModelChange={setPagination}
          pageSizeOptions={[25, 50, 100]}
          disableColumnFilter
          disableColumnSorting
          getRowClassName={() => 'adjustment-row'}
          slots={{ noRowsOverlay: () => <EmptyState title={t('adjustments.empty')} /> }}
          sx={{ border: 0 }}
        />
      </Paper>
      {creating && (
        <AdjustmentDialog
          cycles={(cycles.data ?? []).filter((c) => c.status !== 'closing').map((c) => c.key)}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            list.reload();
          }}
        />
      )}
    </Box>
  );
}

function AdjustmentDialog({ cycles, onClose, onCreated }: { cycles: string[]; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation();
  const adjust = useAction('billing/adjust');
  const [msisdn, setMsisdn] = useState('');
  const [cycle, setCycle] = useState(cycles[0] ?? '');
  const [direction, setDirection] = useState<'credit' | 'charge'>('credit');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(defaultCurrency);
  const [reason, setReason] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let fen: number;
    try {
      fen = parseMoney(amount, { field: 'amount', currency });
    } catch (error) {
      setAmountError(error instanceof ApiError ? error.message : String(error));
      return;
    }
    const signed = direction === 'credit' ? -fen : fen;
    const result = await adjust.run(
      { msisdn: msisdn.trim(), cycle, amount: signed, currency, reason: reason.trim() },
      { inline: true, success: t('adjustments.created', { amount: formatMoney(signed, currency) }) },
    );
    if (result) onCreated();
  };
  const err = (field: string) => fieldErrorText(adjust.error, field);
  const other = adjust.error && !err('msisdn') && !err('cycle') && !err('amount') && !err('reason');
  return (
    <FormDialog
      title={t('adjustments.create')}
      submitLabel={t('adjustments.createSubmit')}
      pending={adjust.pending}
      onSubmit={submit}
      onClose={onClose}
      testId="adjustment"
    >
      <Stack spacing={2} sx={{ pt: 1, minWidth: 440 }}>
        {other && <ErrorAlert error={adjust.error} />}
        <TextField
          label={t('adjustments.columns.party')}
          value={msisdn}
          onChange={(e) => setMsisdn(e.target.value)}
          error={!!err('msisdn')}
          helperText={err('msisdn') ?? undefined}
          autoFocus
          slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'adjustment-msisdn' } }}
        />
        <TextField
          select
          label={t('adjustments.columns.cycle')}
          value={cycle}
          onChange={(e) => setCycle(e.target.value)}
          error={!!err('cycle')}
          helperText={err('cycle') ?? t('adjustments.cycleHint')}
        >
          {cycles.map((key) => (
            <MenuItem key={key} value={key}>
              {key}
            </MenuItem>
          ))}
        </TextField>
        <RadioGroup row value={direction} onChange={(e) => setDirection(e.target.value as 'credit' | 'charge')}>
          <FormControlLabel value="credit" control={<Radio data-testid="adjustment-credit" />} label={t('adjustments.credit')} />
          <FormControlLabel value="charge" control={<Radio data-testid="adjustment-charge" />} label={t('adjustments.charge')} />
        </RadioGroup>
        <TextField
          label={t('adjustments.columns.amount')}
          value={amount}
          onChange={(e) => {
            setAmount(e.target.value);
            setAmountError(null);
          }}
          error={!!(amountError ?? err('amount'))}
          helperText={amountError ?? err('amount') ?? t('adjustments.amountHint')}
          slotProps={{
            input: { startAdornment: <InputAdornment position="start">{currencyOf(currency).symbol}</InputAdornment> },
            htmlInput: { inputMode: 'decimal', 'data-testid': 'adjustment-amount' },
          }}
        />
        <TextField
          select
          label={t('adjustments.currency')}
          value={currency}
          onChange={(e) => {
            setCurrency(e.target.value);
            setAmountError(null);
          }}
          helperText={t('adjustments.currencyHint')}
        >
          {Object.keys(currencies).map((code) => (
            <MenuItem key={code} value={code}>
              {code}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label={t('adjustments.columns.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={!!err('reason')}
          helperText={err('reason') ?? t('adjustments.reasonHint')}
          multiline
          minRows={2}
          slotProps={{ htmlInput: { 'data-testid': 'adjustment-reason' } }}
        />
      </Stack>
    </FormDialog>
  );
}
