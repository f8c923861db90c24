/**
 * Daily charge exports (docs/billing-export.md): the export folder, writing an ended day's file, and the files
 * written so far with their row count and checksum, downloadable byte for byte.
 */
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportFileInfo } from '../../../core/api/billing-types';
import { addDays } from '../../../core/domain/billing/cycle';
import { call } from '../../api/call';
import { fieldErrorText } from '../../components/fieldError';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert } from '../../components/StatusViews';
import { useBillingToday } from '../../hooks/useBillingToday';
import { useAction, useQuery, useReportError } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';
import { platform } from '../../platform';
import { useStore } from '../../store';
import { monoFontFamily } from '../../theme/theme';

function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The whole file, chunk by chunk, as the core wrote it (BOM included). */
async function downloadExport(seq: number): Promise<{ filename: string; bytes: Uint8Array }> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  let filename: string;
  for (;;) {
    const chunk = await call('billing/export-download', { seq, offset, maxBytes: 8 * 1024 * 1024 });
    filename = chunk.filename;
    const bytes = fromBase64(chunk.base64);
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.done || bytes.length === 0) break;
  }
  const all = new Uint8Array(offset);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return { filename, bytes: all };
}

export function ExportsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const canManage = can('billing.manage');
  const notify = useStore((s) => s.notify);
  const reportError = useReportError();
  const { today } = useBillingToday();
  const settings = useQuery('billing/settings', {});
  const files = useQuery('billing/exports', {});
  useCoreEvent('billing/changed', ({ what }) => {
    if (what === 'exports') files.reload();
    if (what === 'settings') settings.reload();
  });
  const saveSettings = useAction('billing/settings-update');
  const write = useAction('billing/export');
  const [folder, setFolder] = useState<string | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<number | null>(null);
  const folderValue = folder ?? settings.data?.exportDir ?? '';
  const dayValue = day ?? addDays(today, -1);

  const saveFolder = async () => {
    const result = await saveSettings.run({ exportDir: folderValue.trim() || null }, { inline: true, success: t('exports.folderSaved') });
    if (result) {
      setFolder(null);
      settings.reload();
    }
  };
  const writeDay = async () => {
    const file = await write.run({ day: dayValue }, { inline: true });
    if (file) {
      notify('success', t('exports.written', { filename: file.filename, count: file.rows }));
      files.reload();
    }
  };
  const download = async (file: ExportFileInfo) => {
    setDownloading(file.seq);
    try {
      const { filename, bytes } = await downloadExport(file.seq);
      const saved = await platform.saveFile(filename, bytes, [{ name: 'CSV', extensions: ['csv'] }]);
      if (saved.saved) notify('success', saved.path ? t('exports.savedTo', { path: saved.path }) : t('exports.saved', { filename }));
    } catch (error) {
      reportError(error);
    } finally {
      setDownloading(null);
    }
  };

  const columns = useMemo<GridColDef<ExportFileInfo>[]>(
    () => [
      { field: 'seq', headerName: t('exports.columns.seq'), width: 80, type: 'number' },
      { field: 'day', headerName: t('exports.columns.day'), width: 120 },
      { field: 'filename', headerName: t('exports.columns.filename'), flex: 1, minWidth: 330 },
      { field: 'rows', headerName: t('exports.columns.rows'), width: 90, type: 'number' },
      { field: 'bytes', headerName: t('exports.columns.bytes'), width: 100, valueFormatter: (v: number) => f.bytes(v) },
      {
        field: 'sha256',
        headerName: t('exports.columns.sha256'),
        width: 170,
        renderCell: ({ row }) => (
          <Tooltip title={row.sha256}>
            <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.78rem' }}>
              {row.sha256.slice(0, 16)}…
            </Box>
          </Tooltip>
        ),
      },
      {
        field: 'createdAt',
        headerName: t('exports.columns.createdAt'),
        width: 240,
        valueFormatter: (v: number, row) => `${f.dateTimeShort(v)} · ${row.createdBy}`,
      },
      {
        field: 'download',
        headerName: '',
        width: 130,
        sortable: false,
        renderCell: ({ row }) => (
          <Button
            size="small"
            startIcon={<FileDownloadOutlined />}
            onClick={() => void download(row)}
            disabled={downloading !== null}
            data-testid={`export-download-${row.seq}`}
          >
            {t('exports.download')}
          </Button>
        ),
      },
    ],
    // download is recreated each render; the grid only needs the latest through the closure.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, f, downloading],
  );

  return (
    <Box data-testid="screen-exports" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader title={t('exports.title')} subtitle={t('exports.subtitle')} />
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: '2fr 1fr' } }}>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label={t('exports.folder')}
              value={folderValue}
              onChange={(e) => {
                setFolder(e.target.value);
                saveSettings.clearError();
              }}
              disabled={!canManage || saveSettings.pending}
              error={!!fieldErrorText(saveSettings.error, 'exportDir')}
              helperText={fieldErrorText(saveSettings.error, 'exportDir') ?? t('exports.folderHint')}
              slotProps={{ htmlInput: { 'data-testid': 'exports-folder' } }}
            />
            {canManage && (
              <Button
                variant="outlined"
                startIcon={<SaveOutlined />}
                onClick={() => void saveFolder()}
                disabled={folder === null || saveSettings.pending}
                sx={{ flexShrink: 0, mt: 0.25 }}
                data-testid="exports-folder-save"
              >
                {t('common.save')}
              </Button>
            )}
          </Stack>
          {canManage && (
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'flex-start' }}>
              <TextField
                type="date"
                label={t('exports.day')}
                value={dayValue}
                onChange={(e) => {
                  setDay(e.target.value);
                  write.clearError();
                }}
                error={!!write.error}
                helperText={write.error ? (fieldErrorText(write.error, 'day', 'exportDir') ?? write.error.message) : t('exports.dayHint')}
                slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'exports-day' } }}
              />
              <Button
                variant="contained"
                onClick={() => void writeDay()}
                disabled={write.pending}
                sx={{ flexShrink: 0, mt: 0.25 }}
                data-testid="exports-write"
              >
                {t('exports.write')}
              </Button>
            </Stack>
          )}
        </Box>
      </Paper>
      {files.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={files.error} onRetry={files.reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 320 }}>
        <DataGrid
          rows={files.data ?? []}
          getRowId={(row) => row.seq}
          columns={columns}
          loading={files.refreshing}
          disableColumnFilter
          hideFooter={(files.data?.length ?? 0) <= 100}
          slots={{
            noRowsOverlay: () => <EmptyState title={t('exports.empty')} hint={t('exports.emptyHint')} />,
          }}
          sx={{ border: 0 }}
        />
      </Paper>
      <Typography variant="caption" color="text.secondary" sx={{ mt: 1 }}>
        {t('exports.formatNote')}
      </Typography>
    </Box>
  );
}
