/** Bulk provisioning: import subscribers from a CSV file, watch the job live, see which lines were refused and why. */
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMemo, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from '../../../core/api/engine-types';
import { fieldErrorText } from '../../components/fieldError';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useFormat } from '../../i18n/format';
import { platform } from '../../platform';
import { useStore } from '../../store';
import { monoFontFamily } from '../../theme/theme';
import { ImportJobPanel, JobStateChip } from './ImportJobPanel';

const csvHeader = 'msisdn,missedCallAlert,reachableAlert,voicemail,language,privacy,tariff';
const csvColumns = ['msisdn', 'missedCallAlert', 'reachableAlert', 'voicemail', 'language', 'privacy', 'tariff'] as const;
const templateRows = [
  '13800138000,yes,no,no,zh-CN,all,',
  '+86 139 0013 9000,yes,yes,no,en,whitelist,gold',
  '13700137000,no,yes,yes,zh-CN,nobody,',
];
/** The core refuses larger files. */
const maxFileBytes = 10 * 1024 * 1024;

interface ChosenFile {
  name: string;
  size: number;
  text: string;
  /** Data lines (after the header). */
  lines: number;
  headerOk: boolean;
}

/** Whichever view of a job is further along: events and command answers can arrive in any order. */
function newer(a: ImportJob | undefined, b: ImportJob): ImportJob {
  if (!a) return b;
  if ((a.finishedAt !== null) !== (b.finishedAt !== null)) return a.finishedAt !== null ? a : b;
  return b.done >= a.done ? b : a;
}

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsText(file, 'utf-8');
  });
}

export function ProvisioningScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const notify = useStore((s) => s.notify);
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const startImport = useAction('provisioning/import');
  const cancelImport = useAction('provisioning/cancel');
  const jobsQuery = useQuery('provisioning/jobs', {});
  const [live, setLive] = useState<Record<string, ImportJob>>({});
  const [currentId, setCurrentId] = useState<string | null>(null);

  useCoreEvent('provisioning/progress', (job) => setLive((m) => ({ ...m, [job.id]: newer(m[job.id], job) })));

  const jobs = useMemo(() => {
    const byId = new Map<string, ImportJob>();
    for (const job of jobsQuery.data ?? []) byId.set(job.id, job);
    for (const job of Object.values(live)) byId.set(job.id, newer(byId.get(job.id), job));
    return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt);
  }, [jobsQuery.data, live]);
  // Show the job started here, or else one still running (e.g. started before this screen was opened).
  const current = jobs.find((j) => j.id === currentId) ?? jobs.find((j) => j.state === 'running') ?? null;

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    // Allow choosing the same file again after editing it.
    event.target.value = '';
    if (!chosen) return;
    setReadError(null);
    startImport.clearError();
    if (chosen.size > maxFileBytes) {
      setFile(null);
      setReadError(t('provisioning.tooLarge', { size: f.bytes(chosen.size) }));
      return;
    }
    try {
      const text = await readText(chosen);
      const rows = text.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '');
      const header = (rows[0] ?? '').replace(/^\uFEFF/, '').toLowerCase();
      setFile({
        name: chosen.name,
        size: chosen.size,
        text,
        lines: Math.max(0, rows.length - 1),
        headerOk: header.split(',').some((c) => c.trim() === 'msisdn'),
      });
    } catch (error) {
      setFile(null);
      setReadError(t('provisioning.readFailed', { message: error instanceof Error ? error.message : String(error) }));
    }
  };

  const start = async () => {
    if (!file) return;
    const job = await startImport.run({ csv: file.text }, { inline: true });
    if (!job) return;
    setLive((m) => ({ ...m, [job.id]: newer(m[job.id], job) }));
    setCurrentId(job.id);
    setFile(null);
  };

  const downloadTemplate = async () => {
    const csv = `\uFEFF${[csvHeader, ...templateRows].join('\r\n')}\r\n`;
    try {
      const saved = await platform.saveFile('reachback-subscribers-template.csv', csv, [{ name: 'CSV', extensions: ['csv'] }]);
      if (saved.saved && saved.path) notify('success', t('provisioning.templateSaved', { path: saved.path }));
    } catch (error) {
      notify('error', t('provisioning.templateFailed', { message: error instanceof Error ? error.message : String(error) }));
    }
  };

  const running = current?.state === 'running';
  const csvError = fieldErrorText(startImport.error, 'csv');

  return (
    <Box data-testid="screen-provisioning">
      <ScreenHeader
        title={t('provisioning.title')}
        subtitle={t('provisioning.subtitle')}
        actions={
          <Button
            variant="outlined"
            startIcon={<FileDownloadOutlined />}
            onClick={() => void downloadTemplate()}
            data-testid="provisioning-template"
          >
            {t('provisioning.downloadTemplate')}
          </Button>
        }
      />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
        <Card>
          <CardHeader title={t('provisioning.formatTitle')} />
          <CardContent sx={{ pt: 0.5 }}>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {t('provisioning.formatIntro')}
            </Typography>
            <Box
              component="pre"
              data-testid="provisioning-header"
              sx={{
                m: 0,
                mb: 1.5,
                p: 1,
                bgcolor: 'action.hover',
                borderRadius: 1,
                fontFamily: monoFontFamily,
                fontSize: '0.8rem',
                whiteSpace: 'pre-wrap',
                wordBreak: 'break-all',
              }}
            >
              {csvHeader}
            </Box>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('provisioning.column')}</TableCell>
                  <TableCell>{t('provisioning.meaning')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {csvColumns.map((c) => (
                  <TableRow key={c}>
                    <TableCell sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem', whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                      {c}
                    </TableCell>
                    <TableCell>{t(`provisioning.columns.${c}`)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Typography variant="body2" color="text.secondary" sx={{ mt: 1.5 }}>
              {t('provisioning.formatNotes')}
            </Typography>
          </CardContent>
        </Card>

        <Stack spacing={2}>
          <Card>
            <CardHeader title={t('provisioning.importTitle')} />
            <CardContent sx={{ pt: 0.5 }}>
              <Stack spacing={1.5}>
                <input
                  ref={fileInput}
                  type="file"
                  accept=".csv,text/csv,text/plain"
                  hidden
                  onChange={(e) => void choose(e)}
                  data-testid="provisioning-file"
                />
                <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
                  <Button
                    variant="outlined"
                    startIcon={<FolderOpenOutlined />}
                    onClick={() => fileInput.current?.click()}
                    data-testid="provisioning-choose"
                  >
                    {t('provisioning.chooseFile')}
                  </Button>
                  <Typography
                    variant="body2"
                    color={file ? 'text.primary' : 'text.secondary'}
                    data-testid="provisioning-file-name"
                    sx={{ minWidth: 0, overflowWrap: 'anywhere' }}
                  >
                    {file
                      ? t('provisioning.fileSummary', { name: file.name, size: f.bytes(file.size), count: file.lines })
                      : t('provisioning.noFile')}
                  </Typography>
                </Stack>
                {file && !file.headerOk && <Alert severity="warning">{t('provisioning.headerMissing', { header: csvHeader })}</Alert>}
                {readError && <Alert severity="error">{readError}</Alert>}
                {csvError && (
                  <Alert severity="error" data-testid="provisioning-refused">
                    {csvError}
                  </Alert>
                )}
                {startImport.error && !csvError && <ErrorAlert error={startImport.error} onClose={startImport.clearError} />}
                <Box>
                  <Button
                    variant="contained"
                    startIcon={<UploadFileOutlined />}
                    onClick={() => void start()}
                    disabled={!file || file.lines === 0 || startImport.pending}
                    data-testid="provisioning-start"
                  >
                    {file ? t('provisioning.startCount', { count: file.lines }) : t('provisioning.start')}
                  </Button>
                </Box>
                <Typography variant="caption" color="text.secondary">
                  {t('provisioning.importHint')}
                </Typography>
              </Stack>
            </CardContent>
          </Card>
          {current && (
            <ImportJobPanel
              job={current}
              cancelling={cancelImport.pending}
              onCancel={
                running ? () => void cancelImport.run({ id: current.id }, { success: t('provisioning.cancelRequested') }) : undefined
              }
            />
          )}
        </Stack>
      </Box>

      <Typography variant="h4" sx={{ mt: 3, mb: 1 }}>
        {t('provisioning.jobsTitle')}
      </Typography>
      {jobsQuery.error && (
        <Box sx={{ mb: 1 }}>
          <ErrorAlert error={jobsQuery.error} onRetry={jobsQuery.reload} />
        </Box>
      )}
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" data-testid="provisioning-jobs">
          <TableHead>
            <TableRow>
              <TableCell>{t('provisioning.jobColumns.started')}</TableCell>
              <TableCell>{t('provisioning.jobColumns.state')}</TableCell>
              <TableCell align="right">{t('provisioning.jobColumns.lines')}</TableCell>
              <TableCell align="right">{t('provisioning.jobColumns.opened')}</TableCell>
              <TableCell align="right">{t('provisioning.jobColumns.refused')}</TableCell>
              <TableCell>{t('provisioning.jobColumns.finished')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {jobs.length === 0 && (
              <TableRow>
                <TableCell colSpan={6}>
                  <Typography variant="body2" color="text.secondary" sx={{ py: 1 }}>
                    {t('provisioning.noJobs')}
                  </Typography>
                </TableCell>
              </TableRow>
            )}
            {jobs.map((job) => (
              <TableRow
                key={job.id}
                hover
                selected={job.id === current?.id}
                onClick={() => setCurrentId(job.id)}
                sx={{ cursor: 'pointer' }}
                data-testid="provisioning-job-row"
                data-state={job.state}
              >
                <TableCell>{f.timestamp(job.startedAt)}</TableCell>
                <TableCell>
                  <JobStateChip state={job.state} />
                </TableCell>
                <TableCell align="right">
                  {f.number(job.done)} / {f.number(job.total)}
                </TableCell>
                <TableCell align="right">{f.number(job.opened)}</TableCell>
                <TableCell align="right" sx={{ color: job.failed ? 'error.main' : undefined }}>
                  {f.number(job.failed)}
                </TableCell>
                <TableCell>{job.finishedAt === null ? '—' : f.timestamp(job.finishedAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 0.75 }}>
        {t('provisioning.jobsHint')}
      </Typography>
    </Box>
  );
}
