/** One import job: progress, counts, cancel while running, and the refused lines with their reasons. */
import CancelOutlined from '@mui/icons-material/CancelOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { ImportJob } from '../../../core/api/engine-types';
import { useNow } from '../../hooks/useNow';
import { useFormat } from '../../i18n/format';

const stateColors = { running: 'info', done: 'success', cancelled: 'warning', failed: 'error' } as const;

export function JobStateChip({ state }: { state: ImportJob['state'] }) {
  const { t } = useTranslation();
  return <Chip variant="outlined" color={stateColors[state]} label={t(`provisioning.states.${state}`)} data-state={state} />;
}

function Count({ value, label, testId, tone }: { value: string; label: string; testId: string; tone?: 'success' | 'error' }) {
  return (
    <Box sx={{ minWidth: 110 }}>
      <Typography variant="h3" component="div" color={tone ? `${tone}.main` : 'text.primary'} data-testid={testId}>
        {value}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
    </Box>
  );
}

interface Props {
  job: ImportJob;
  cancelling: boolean;
  /** Present while the job can still be cancelled. */
  onCancel?: () => void;
}

export function ImportJobPanel({ job, cancelling, onCancel }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(1_000);
  const percent = job.total > 0 ? Math.round((job.done / job.total) * 100) : 100;
  const lineErrors = job.errors.filter((e) => e.line > 0);
  const jobErrors = job.errors.filter((e) => e.line <= 0);
  const elapsed = (job.finishedAt ?? now) - job.startedAt;
  return (
    <Card data-testid="provisioning-job" data-state={job.state} data-job-id={job.id}>
      <CardHeader
        title={t('provisioning.jobTitle', { time: f.dateTimeShort(job.startedAt) })}
        action={
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', pr: 1 }}>
            <JobStateChip state={job.state} />
            {onCancel && (
              <Button
                color="warning"
                variant="outlined"
                startIcon={<CancelOutlined />}
                onClick={onCancel}
                disabled={cancelling}
                data-testid="provisioning-cancel"
              >
                {t('provisioning.cancel')}
              </Button>
            )}
          </Stack>
        }
      />
      <CardContent sx={{ pt: 0.5 }}>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 2 }}>
          <LinearProgress
            variant="determinate"
            value={percent}
            color={job.state === 'failed' ? 'error' : job.state === 'cancelled' ? 'warning' : job.state === 'done' ? 'success' : 'primary'}
            sx={{ flex: 1, height: 8, borderRadius: 4 }}
            aria-label={t('provisioning.progressLabel')}
            data-testid="provisioning-progress"
          />
          <Typography variant="body2" sx={{ minWidth: 44, textAlign: 'right' }} data-testid="provisioning-percent">
            {t('provisioning.percent', { value: percent })}
          </Typography>
        </Stack>
        <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }}>
          <Count value={`${f.number(job.done)} / ${f.number(job.total)}`} label={t('provisioning.linesDone')} testId="provisioning-done" />
          <Count
            value={f.number(job.opened)}
            label={t('provisioning.servicesOpened')}
            testId="provisioning-opened"
            tone={job.opened ? 'success' : undefined}
          />
          <Count
            value={f.number(job.failed)}
            label={t('provisioning.linesRefused')}
            testId="provisioning-failed"
            tone={job.failed ? 'error' : undefined}
          />
        </Stack>
        <Typography variant="caption" color="text.secondary">
          {job.finishedAt === null
            ? t('provisioning.runningFor', { duration: f.duration(elapsed) })
            : t('provisioning.finishedAfter', { time: f.dateTimeShort(job.finishedAt), duration: f.duration(elapsed) })}
        </Typography>
        {jobErrors.map((e, i) => (
          <Alert key={i} severity="error" sx={{ mt: 1.5 }}>
            {e.message}
          </Alert>
        ))}
        {lineErrors.length > 0 && (
          <Box sx={{ mt: 2 }}>
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
              {t('provisioning.refusedTitle')}
            </Typography>
            <TableContainer sx={{ maxHeight: 320, border: 1, borderColor: 'divider', borderRadius: 1 }}>
              <Table size="small" stickyHeader data-testid="provisioning-errors">
                <TableHead>
                  <TableRow>
                    <TableCell sx={{ width: 80 }}>{t('provisioning.line')}</TableCell>
                    <TableCell>{t('provisioning.reason')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {lineErrors.map((e) => (
                    <TableRow key={`${e.line}-${e.message}`} data-testid="provisioning-error-row" data-line={e.line}>
                      <TableCell>{f.number(e.line)}</TableCell>
                      <TableCell>{e.message}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
            {job.failed > lineErrors.length && (
              <Typography variant="caption" color="text.secondary">
                {t('provisioning.moreRefused', { shown: lineErrors.length, count: job.failed })}
              </Typography>
            )}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
