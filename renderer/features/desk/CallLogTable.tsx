/**
 * Calls offered at the desk, newest first, paged and filtered on the server: who called whom, the outcome, the
 * talk time and the messages taken. The agent's own log lets them add notes; supervisors see every agent's calls.
 */
import EditNoteOutlined from '@mui/icons-material/EditNoteOutlined';
import FilterAltOffOutlined from '@mui/icons-material/FilterAltOffOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { deskCallOutcomes, type DeskAgentView, type DeskCallView } from '../../../core/api/desk-types';
import { FormDialog } from '../../components/FormDialog';
import { EmptyState, ErrorAlert } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { formatClock, useNumberText, type ChipColor } from './labels';
import { usePagination } from '../../hooks/usePagination';

type OutcomeFilter = '' | (typeof deskCallOutcomes)[number] | 'in-progress';

interface Filters {
  outcome: OutcomeFilter;
  number: string;
  from: string;
  to: string;
  operatorId: string;
}

const emptyFilters: Filters = { outcome: '', number: '', from: '', to: '', operatorId: '' };
const pageSizeOptions = [25, 50, 100];
const outcomeColors: Record<(typeof deskCallOutcomes)[number], ChipColor> = {
  answered: 'success',
  missed: 'warning',
  rejected: 'error',
  transferred: 'info',
};

/** yyyy-mm-dd (a date input) → local midnight, or the end of that day. */
function dayBound(value: string, end: boolean): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return end ? new Date(y, m - 1, d, 23, 59, 59, 999).getTime() : new Date(y, m - 1, d).getTime();
}

export function CallLogTable({ mode, agents, testId }: { mode: 'mine' | 'all'; agents?: DeskAgentView[]; testId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const number = useNumberText();
  const [filters, setFilters] = useState<Filters>(emptyFilters);
  const debounced = useDebounced(filters, 350);
  // New filters start again from the first page.
  const [pagination, setPagination] = usePagination(JSON.stringify(debounced), 50);
  const [editing, setEditing] = useState<DeskCallView | null>(null);

  const args = {
    page: pagination.page,
    pageSize: pagination.pageSize,
    ...(debounced.outcome ? { outcome: debounced.outcome } : {}),
    ...(debounced.number.trim() ? { number: debounced.number.trim() } : {}),
    ...(dayBound(debounced.from, false) !== undefined ? { from: dayBound(debounced.from, false) } : {}),
    ...(dayBound(debounced.to, true) !== undefined ? { to: dayBound(debounced.to, true) } : {}),
  };
  const mine = useQuery('desk/my-calls', args, { enabled: mode === 'mine' });
  const all = useQuery(
    'desk/calls',
    { ...args, ...(debounced.operatorId ? { operatorId: Number(debounced.operatorId) } : {}) },
    { enabled: mode === 'all' },
  );
  const list = mode === 'all' ? all : mine;

  // Live: a call event at a desk changes the agent's state; the log follows, a burst costing one reload.
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      list.reload();
    }, 800);
  };
  useCoreEvent(mode === 'all' ? 'desk/agent-changed' : 'desk/my-state', reloadSoon);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const columns = useMemo<GridColDef<DeskCallView>[]>(() => {
    const cols: GridColDef<DeskCallView>[] = [
      {
        field: 'offeredAt',
        headerName: t('desk.log.columns.time'),
        width: 190,
        sortable: false,
        valueFormatter: (v: number) => f.timestamp(v),
      },
    ];
    if (mode === 'all') cols.push({ field: 'agent', headerName: t('desk.log.columns.agent'), width: 110, sortable: false });
    cols.push(
      {
        field: 'caller',
        headerName: t('desk.log.columns.caller'),
        width: 140,
        sortable: false,
        renderCell: ({ row }) => <span style={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>{number(row.caller)}</span>,
      },
      {
        field: 'called',
        headerName: t('desk.log.columns.called'),
        width: 140,
        sortable: false,
        renderCell: ({ row }) => (
          <span style={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>{row.called ? number(row.called) : '—'}</span>
        ),
      },
      {
        field: 'outcome',
        headerName: t('desk.log.columns.outcome'),
        width: 130,
        sortable: false,
        renderCell: ({ row }) => (
          <Chip
            size="small"
            variant="outlined"
            color={row.outcome ? outcomeColors[row.outcome] : 'primary'}
            label={row.outcome ? t(`desk.log.outcomes.${row.outcome}`) : row.answeredAt ? t('desk.log.talking') : t('desk.log.ringing')}
            data-testid="desk-log-outcome"
            data-outcome={row.outcome ?? 'in-progress'}
          />
        ),
      },
      {
        field: 'durationMs',
        headerName: t('desk.log.columns.talk'),
        width: 80,
        sortable: false,
        align: 'right',
        headerAlign: 'right',
        valueFormatter: (v: number | null) => (v === null ? '—' : formatClock(v)),
      },
      {
        field: 'messages',
        headerName: t('desk.log.columns.message'),
        flex: 1,
        minWidth: 220,
        sortable: false,
        renderCell: ({ row }) => (
          <Box sx={{ display: 'flex', alignItems: 'center', height: '100%', minWidth: 0 }}>
            {row.messages.length ? (
              <Tooltip title={row.messages.map((m) => `${number(m.called)}: ${m.text}`).join('\n')}>
                <Typography variant="body2" noWrap data-testid="desk-log-message">
                  {t('desk.log.messageFor', { called: number(row.messages[0]!.called) })} “{row.messages[0]!.text}”
                  {row.messages.length > 1 && ` +${row.messages.length - 1}`}
                </Typography>
              </Tooltip>
            ) : row.transferTarget ? (
              <Typography variant="body2" color="text.secondary" noWrap>
                {t('desk.log.transferredTo', { target: row.transferTarget })}
              </Typography>
            ) : (
              <Typography variant="body2" color="text.disabled">
                —
              </Typography>
            )}
          </Box>
        ),
      },
      {
        field: 'notes',
        headerName: t('desk.log.columns.notes'),
        width: 200,
        sortable: false,
        renderCell: ({ row }) => (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, minWidth: 0, width: '100%' }}>
            <Typography variant="body2" noWrap sx={{ flex: 1 }} color={row.notes ? 'text.primary' : 'text.disabled'}>
              {row.notes || '—'}
            </Typography>
            {mode === 'mine' && (
              <IconButton aria-label={t('desk.log.editNotes')} onClick={() => setEditing(row)} data-testid="desk-log-notes">
                <EditNoteOutlined fontSize="small" />
              </IconButton>
            )}
          </Box>
        ),
      },
    );
    return cols;
  }, [t, f, mode, number]);

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((x) => ({ ...x, [key]: value }));
  const filtered = JSON.stringify(filters) !== JSON.stringify(emptyFilters);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} data-testid={testId}>
      <Box
        role="search"
        sx={{ display: 'grid', gap: 1.5, mb: 1.5, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(6, 1fr)' }, alignItems: 'center' }}
      >
        {mode === 'all' && (
          <TextField
            select
            label={t('desk.log.filters.agent')}
            value={filters.operatorId}
            onChange={(e) => set('operatorId', e.target.value)}
            slotProps={{ htmlInput: { 'data-testid': `${testId}-filter-agent` } }}
          >
            <MenuItem value="">{t('desk.log.filters.allAgents')}</MenuItem>
            {agents?.map((a) => (
              <MenuItem key={a.operatorId} value={String(a.operatorId)}>
                {a.displayName} ({a.username})
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField
          select
          label={t('desk.log.filters.outcome')}
          value={filters.outcome}
          onChange={(e) => set('outcome', e.target.value as OutcomeFilter)}
          slotProps={{ htmlInput: { 'data-testid': `${testId}-filter-outcome` } }}
        >
          <MenuItem value="">{t('desk.log.filters.anyOutcome')}</MenuItem>
          {deskCallOutcomes.map((o) => (
            <MenuItem key={o} value={o}>
              {t(`desk.log.outcomes.${o}`)}
            </MenuItem>
          ))}
          <MenuItem value="in-progress">{t('desk.log.outcomes.in-progress')}</MenuItem>
        </TextField>
        <TextField
          label={t('desk.log.filters.number')}
          value={filters.number}
          onChange={(e) => set('number', e.target.value)}
          slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': `${testId}-filter-number` } }}
        />
        <TextField
          type="date"
          label={t('desk.log.filters.from')}
          value={filters.from}
          onChange={(e) => set('from', e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          type="date"
          label={t('desk.log.filters.to')}
          value={filters.to}
          onChange={(e) => set('to', e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Box>
          <Button startIcon={<FilterAltOffOutlined />} disabled={!filtered} onClick={() => setFilters(emptyFilters)}>
            {t('desk.log.filters.clear')}
          </Button>
        </Box>
      </Box>
      {list.error && (
        <Box sx={{ mb: 1.5 }}>
          <ErrorAlert error={list.error} onRetry={list.reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 320 }}>
        <DataGrid
          rows={list.data?.rows ?? []}
          columns={columns}
          rowCount={list.data?.total ?? 0}
          loading={list.refreshing}
          paginationMode="server"
          paginationModel={pagination}
          onPaginationModelChange={setPagination}
          pageSizeOptions={pageSizeOptions}
          filterMode="server"
          disableColumnFilter
          disableColumnSorting
          getRowClassName={() => 'desk-log-row'}
          slots={{
            noRowsOverlay: () => <EmptyState title={filtered ? t('desk.log.emptyFiltered') : t('desk.log.empty')} />,
          }}
        />
      </Paper>
      {editing && <NotesDialog call={editing} onClose={() => setEditing(null)} onSaved={list.reload} />}
    </Box>
  );
}

function NotesDialog({ call, onClose, onSaved }: { call: DeskCallView; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const [notes, setNotes] = useState(call.notes);
  const save = useAction('desk/call-notes');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await save.run({ id: call.id, notes }, { success: t('desk.log.notesSaved') });
    if (!result) return;
    onSaved();
    onClose();
  };
  return (
    <FormDialog
      title={t('desk.log.notesTitle')}
      submitLabel={t('common.save')}
      pending={save.pending}
      onSubmit={(e) => void submit(e)}
      onClose={onClose}
      testId="desk-notes"
    >
      <TextField
        multiline
        minRows={3}
        autoFocus
        value={notes}
        onChange={(e) => setNotes(e.target.value.slice(0, 2000))}
        label={t('desk.log.columns.notes')}
        sx={{ mt: 1 }}
        slotProps={{ htmlInput: { 'data-testid': 'desk-notes-text' } }}
      />
    </FormDialog>
  );
}
