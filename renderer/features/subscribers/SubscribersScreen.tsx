/** Find a subscriber by any part of the number, see their services at a glance, open the profile. */
import PersonAddAltOutlined from '@mui/icons-material/PersonAddAltOutlined';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Drawer from '@mui/material/Drawer';
import InputAdornment from '@mui/material/InputAdornment';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { subscriberStates, type Subscriber, type SubscriberSummary } from '../../../core/api/engine-types';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert } from '../../components/StatusViews';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { SubscriberRulesProvider, useMsisdnFormat, useMsisdnParser } from './numbers';
import { ServiceChips, SubscriberStateChip } from './SubscriberChips';
import { SubscriberDialog, type SubscriberDialogState } from './SubscriberDialog';
import { SubscriberProfile } from './SubscriberProfile';
import { usePagination } from '../../hooks/usePagination';

const pageSizeOptions = [25, 50, 100];
const searchDebounceMs = 300;
/** Live refreshes (pending calls change with every call) are coalesced. */
const liveRefreshMs = 1_000;

export function SubscribersScreen() {
  return (
    <SubscriberRulesProvider>
      <Subscribers />
    </SubscriberRulesProvider>
  );
}

function Subscribers() {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const canManage = can('subscribers.manage');
  const formatNumber = useMsisdnFormat();
  const parseNumber = useMsisdnParser();

  const [search, setSearch] = useState('');
  const [stateFilter, setStateFilter] = useState<Subscriber['state'] | ''>('');
  const debouncedSearch = useDebounced(search, searchDebounceMs);
  // The core finds a whole number in any form (00…, +86…, national) and fragments by their digits.
  const digits = debouncedSearch.trim();
  // A new search starts again from the first page.
  const [pagination, setPagination] = usePagination(`${digits}|${stateFilter}`, 25);
  const [selected, setSelected] = useState<string | null>(null);
  const [dialog, setDialog] = useState<SubscriberDialogState | null>(null);

  const list = useQuery('subscribers/search', {
    query: digits,
    state: stateFilter || undefined,
    page: pagination.page,
    pageSize: pagination.pageSize,
  });
  const { reload } = list;

  const liveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = () => {
    if (liveTimer.current) return;
    liveTimer.current = setTimeout(() => {
      liveTimer.current = null;
      reload();
    }, liveRefreshMs);
  };
  useCoreEvent('calls/changed', reloadSoon);
  useCoreEvent('subscribers/changed', reloadSoon);
  useEffect(
    () => () => {
      if (liveTimer.current) clearTimeout(liveTimer.current);
    },
    [],
  );

  const columns = useMemo<GridColDef<SubscriberSummary>[]>(
    () => [
      {
        field: 'msisdn',
        headerName: t('subscribers.columns.number'),
        width: 170,
        sortable: false,
        valueFormatter: (value: string) => formatNumber(value),
        renderCell: ({ row }) => (
          <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.85rem' }} data-testid="subscriber-row-number">
            {formatNumber(row.msisdn)}
          </Box>
        ),
      },
      {
        field: 'state',
        headerName: t('subscribers.columns.state'),
        width: 110,
        sortable: false,
        renderCell: ({ row }) => <SubscriberStateChip state={row.state} />,
      },
      {
        field: 'services',
        headerName: t('subscribers.columns.services'),
        flex: 1,
        minWidth: 220,
        sortable: false,
        renderCell: ({ row }) => <ServiceChips services={row.services} dense />,
      },
      {
        field: 'language',
        headerName: t('subscribers.columns.language'),
        width: 100,
        sortable: false,
        valueGetter: (_value, row) => t(`subscribers.languages.${row.language}`),
      },
      {
        field: 'privacyMode',
        headerName: t('subscribers.columns.privacy'),
        width: 130,
        sortable: false,
        valueGetter: (_value, row) => t(`subscribers.privacy.${row.privacyMode}`),
      },
      { field: 'tariff', headerName: t('subscribers.columns.tariff'), width: 100, sortable: false },
      {
        field: 'pendingCalls',
        headerName: t('subscribers.columns.pendingCalls'),
        width: 115,
        type: 'number',
        sortable: false,
        renderCell: ({ row }) => (
          <Box
            component="span"
            sx={{ fontWeight: row.pendingCalls ? 600 : undefined, color: row.pendingCalls ? 'warning.main' : 'text.secondary' }}
          >
            {f.number(row.pendingCalls)}
          </Box>
        ),
      },
      {
        field: 'updatedAt',
        headerName: t('subscribers.columns.updated'),
        width: 185,
        sortable: false,
        valueFormatter: (value: number) => f.timestamp(value),
      },
    ],
    [t, f, formatNumber],
  );

  // A complete number that is not found: offer to open it as a new subscriber.
  const typedNumber = parseNumber(debouncedSearch);
  const offerCreate = canManage && typedNumber.ok && list.data?.total === 0 && !list.refreshing;
  const searching = digits !== '' || stateFilter !== '';

  return (
    <Box data-testid="screen-subscribers" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader
        title={t('subscribers.title')}
        subtitle={t('subscribers.subtitle')}
        actions={
          canManage && (
            <Button
              variant="contained"
              startIcon={<PersonAddAltOutlined />}
              onClick={() => setDialog({ mode: 'create' })}
              data-testid="subscribers-new"
            >
              {t('subscribers.new')}
            </Button>
          )
        }
      />
      <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
        <TextField
          label={t('subscribers.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          autoFocus
          helperText={search.trim() && !/\d/.test(search) ? t('subscribers.searchDigitsOnly') : t('subscribers.searchHint')}
          error={!!search.trim() && !/\d/.test(search)}
          sx={{ maxWidth: 420 }}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchOutlined fontSize="small" />
                </InputAdornment>
              ),
            },
            htmlInput: { 'data-testid': 'subscribers-search', inputMode: 'tel', maxLength: 40, spellCheck: false },
          }}
        />
        <TextField
          select
          label={t('subscribers.columns.state')}
          value={stateFilter}
          onChange={(e) => setStateFilter(e.target.value as Subscriber['state'] | '')}
          sx={{ maxWidth: 200 }}
          slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'subscribers-state-filter' } }}
        >
          <option value="">{t('subscribers.anyState')}</option>
          {subscriberStates.map((s) => (
            <option key={s} value={s}>
              {t(`subscribers.states.${s}`)}
            </option>
          ))}
        </TextField>
      </Stack>
      {list.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={list.error} onRetry={reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 360 }}>
        <DataGrid
          rows={list.data?.rows ?? []}
          getRowId={(row) => row.msisdn}
          columns={columns}
          rowCount={list.data?.total ?? 0}
          loading={list.refreshing}
          paginationMode="server"
          paginationModel={pagination}
          onPaginationModelChange={setPagination}
          pageSizeOptions={pageSizeOptions}
          disableColumnFilter
          disableColumnSorting
          onRowClick={({ row }) => setSelected(row.msisdn)}
          getRowClassName={() => 'subscriber-row'}
          slots={{
            noRowsOverlay: () => (
              <EmptyState
                title={searching ? t('subscribers.emptyFiltered') : t('subscribers.empty')}
                hint={searching ? t('subscribers.emptyFilteredHint') : canManage ? t('subscribers.emptyHint') : undefined}
                action={
                  offerCreate && typedNumber.ok ? (
                    <Button
                      variant="outlined"
                      startIcon={<PersonAddAltOutlined />}
                      onClick={() => setDialog({ mode: 'create', msisdn: typedNumber.e164 })}
                      data-testid="subscribers-create-typed"
                    >
                      {t('subscribers.createTyped', { number: formatNumber(typedNumber.e164) })}
                    </Button>
                  ) : undefined
                }
              />
            ),
          }}
          sx={{ border: 0, '& .subscriber-row': { cursor: 'pointer' } }}
        />
      </Paper>
      <Drawer
        anchor="right"
        open={selected !== null}
        onClose={() => setSelected(null)}
        slotProps={{ paper: { sx: { width: { xs: '100%', md: 960 } } } }}
      >
        {selected && <SubscriberProfile key={selected} msisdn={selected} onClose={() => setSelected(null)} onChanged={reload} />}
      </Drawer>
      {dialog && (
        <SubscriberDialog
          state={dialog}
          onClose={() => setDialog(null)}
          onSaved={(detail) => {
            setDialog(null);
            reload();
            setSelected(detail.subscriber.msisdn);
          }}
        />
      )}
    </Box>
  );
}
