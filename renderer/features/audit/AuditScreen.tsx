import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Tooltip from '@mui/material/Tooltip';
import { DataGrid, type GridColDef, type GridSortModel } from '@mui/x-data-grid';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../core/api';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { usePagination } from '../../hooks/usePagination';
import { useCommandLabel } from '../../hooks/useLabels';
import { useFormat } from '../../i18n/format';
import { platform } from '../../platform';
import { useStore } from '../../store';
import { monoFontFamily } from '../../theme/theme';
import { AuditDetailDrawer } from './AuditDetailDrawer';
import { AuditFilterBar } from './AuditFilterBar';
import { emptyFilters, hasFilters, toQuery, type AuditFilters } from './auditFilters';
import { OutcomeChip } from './OutcomeChip';

const pageSizeOptions = [25, 50, 100];
const filterDebounceMs = 400;
/** Live refreshes are coalesced so a burst of audited commands costs one reload. */
const liveRefreshMs = 1_000;

export function AuditScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const commandLabel = useCommandLabel();
  const notify = useStore((s) => s.notify);

  const [filters, setFilters] = useState<AuditFilters>(emptyFilters);
  const debouncedFilters = useDebounced(filters, filterDebounceMs);
  const [sortModel, setSortModel] = useState<GridSortModel>([{ field: 'at', sort: 'desc' }]);
  const sort = sortModel[0]?.sort === 'asc' ? 'asc' : 'desc';
  const filterQuery = useMemo(() => toQuery(debouncedFilters, sort), [debouncedFilters, sort]);
  const [pagination, setPagination] = usePagination(JSON.stringify(filterQuery));
  const [selected, setSelected] = useState<AuditEntry | null>(null);

  const list = useQuery('audit/list', { ...filterQuery, page: pagination.page, pageSize: pagination.pageSize });
  const exportCsv = useAction('audit/export-csv');

  const atLiveEdge = pagination.page === 0 && sort === 'desc';
  const liveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [missed, setMissed] = useState(0);
  useCoreEvent('audit/appended', () => {
    if (!atLiveEdge) {
      setMissed((n) => n + 1);
      return;
    }
    if (liveTimer.current) return;
    liveTimer.current = setTimeout(() => {
      liveTimer.current = null;
      list.reload();
    }, liveRefreshMs);
  });
  useEffect(
    () => () => {
      if (liveTimer.current) clearTimeout(liveTimer.current);
    },
    [],
  );

  const showLatest = () => {
    setMissed(0);
    setSortModel([{ field: 'at', sort: 'desc' }]);
    setPagination((p) => ({ ...p, page: 0 }));
    list.reload();
  };

  const runExport = async () => {
    const result = await exportCsv.run(filterQuery);
    if (!result) return;
    try {
      const saved = await platform.saveFile(result.filename, result.csv, [{ name: 'CSV', extensions: ['csv'] }]);
      if (saved.saved) {
        notify(
          'success',
          saved.path ? t('audit.exportedTo', { count: result.rows, path: saved.path }) : t('audit.exported', { count: result.rows }),
        );
      }
    } catch (error) {
      notify('error', t('audit.exportSaveFailed', { message: error instanceof Error ? error.message : String(error) }));
    }
  };

  const columns = useMemo<GridColDef<AuditEntry>[]>(
    () => [
      {
        field: 'at',
        headerName: t('audit.columns.time'),
        width: 190,
        sortable: true,
        valueFormatter: (value: number) => f.timestamp(value),
      },
      { field: 'actorName', headerName: t('audit.columns.actor'), width: 150, sortable: false },
      {
        field: 'command',
        headerName: t('audit.columns.command'),
        width: 210,
        sortable: false,
        renderCell: ({ row }) => (
          <Tooltip title={row.command}>
            <span>{commandLabel(row.command)}</span>
          </Tooltip>
        ),
      },
      {
        field: 'outcome',
        headerName: t('audit.columns.outcome'),
        width: 120,
        sortable: false,
        renderCell: ({ row }) => <OutcomeChip outcome={row.outcome} />,
      },
      {
        field: 'target',
        headerName: t('audit.columns.target'),
        width: 180,
        sortable: false,
        renderCell: ({ value }) => (
          <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.78rem' }}>
            {value == null ? '' : String(value)}
          </Box>
        ),
      },
      { field: 'detail', headerName: t('audit.columns.detail'), flex: 1, minWidth: 200, sortable: false },
    ],
    [t, f, commandLabel],
  );

  const filtered = hasFilters(debouncedFilters);
  return (
    <Box data-testid="screen-audit" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        actions={
          <>
            {missed > 0 && !atLiveEdge && (
              <Button onClick={showLatest} data-testid="audit-show-latest">
                {t('audit.newEntries', { count: missed })}
              </Button>
            )}
            <Button
              variant="outlined"
              startIcon={<FileDownloadOutlined />}
              onClick={() => void runExport()}
              disabled={exportCsv.pending}
              data-testid="audit-export"
            >
              {exportCsv.pending ? t('audit.exporting') : t('audit.export')}
            </Button>
          </>
        }
      />
      <AuditFilterBar filters={filters} onChange={setFilters} />
      {list.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={list.error} onRetry={list.reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 360 }}>
        <DataGrid
          rows={list.data?.rows ?? []}
          columns={columns}
          // useQuery keeps the previous page while the next one loads, so the pager does not jump.
          rowCount={list.data?.total ?? 0}
          loading={list.refreshing}
          paginationMode="server"
          paginationModel={pagination}
          onPaginationModelChange={(model) => {
            setPagination(model);
            if (model.page === 0) setMissed(0);
          }}
          pageSizeOptions={pageSizeOptions}
          sortingMode="server"
          sortModel={sortModel}
          onSortModelChange={(model) => setSortModel(model.length ? model : [{ field: 'at', sort: 'desc' }])}
          sortingOrder={['desc', 'asc']}
          filterMode="server"
          disableColumnFilter
          onRowClick={({ row }) => setSelected(row)}
          getRowClassName={() => 'audit-row'}
          slots={{
            noRowsOverlay: () => (
              <EmptyState
                title={filtered ? t('audit.emptyFiltered') : t('audit.empty')}
                hint={filtered ? t('audit.emptyFilteredHint') : undefined}
              />
            ),
          }}
          sx={{ border: 0, '& .audit-row': { cursor: 'pointer' } }}
        />
      </Paper>
      <AuditDetailDrawer entry={selected} onClose={() => setSelected(null)} />
    </Box>
  );
}
