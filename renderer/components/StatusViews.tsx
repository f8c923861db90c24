/** Loading, failure and empty placeholders shared by all screens. */
import InboxOutlined from '@mui/icons-material/InboxOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/errors';

export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Stack spacing={1.5} sx={{ alignItems: 'center', justifyContent: 'center', py: 8 }} role="status" aria-live="polite">
      <CircularProgress size={28} />
      <Typography variant="body2" color="text.secondary">
        {label ?? t('common.loading')}
      </Typography>
    </Stack>
  );
}

/** Inline failure message with an optional retry. */
export function ErrorAlert({ error, onRetry, onClose }: { error: unknown; onRetry?: () => void; onClose?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      severity="error"
      data-testid="error-alert"
      onClose={onClose}
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    >
      {describeError(t, error)}
    </Alert>
  );
}

export function EmptyState({ title, hint, action }: { title: string; hint?: string; action?: ReactNode }) {
  return (
    <Stack spacing={1} sx={{ alignItems: 'center', justifyContent: 'center', py: 6, color: 'text.secondary', height: '100%' }}>
      <InboxOutlined fontSize="large" color="disabled" />
      <Typography variant="subtitle2">{title}</Typography>
      {hint && (
        <Typography variant="body2" sx={{ textAlign: 'center', maxWidth: 420 }}>
          {hint}
        </Typography>
      )}
      {action && <Box sx={{ pt: 1 }}>{action}</Box>}
    </Stack>
  );
}
