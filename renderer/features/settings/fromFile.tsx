/**
 * Settings fixed by the deployment's config file (reachback.yaml), shown the same way on every settings screen:
 * read-only, a small lock, and "Set in reachback.yaml". Pair with `useSettingsSources(section)`.
 */
import LockOutlined from '@mui/icons-material/LockOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import InputAdornment from '@mui/material/InputAdornment';
import TextField, { type TextFieldProps } from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SectionSources } from '../../hooks/useSettingsSources';
import { monoFontFamily } from '../../theme/theme';

function useLockTitle(file: string | null): string {
  const { t } = useTranslation();
  return file ? t('configFile.lockedTooltip', { file }) : t('configFile.lockedTooltipNoPath');
}

/** The lock with its explanation on hover; for a text field's end. */
export function FileLockAdornment({ file }: { file: string | null }) {
  const title = useLockTitle(file);
  return (
    <InputAdornment position="end">
      <Tooltip title={title}>
        <LockOutlined sx={{ fontSize: 16, color: 'text.secondary' }} data-testid="file-lock" aria-label={title} />
      </Tooltip>
    </InputAdornment>
  );
}

/** "🔒 Set in reachback.yaml": under a field, or next to a switch or a group of controls. */
export function FileLockNote({ file, testId }: { file: string | null; testId?: string }) {
  const { t } = useTranslation();
  const title = useLockTitle(file);
  return (
    <Tooltip title={title}>
      <Box
        component="span"
        sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, color: 'text.secondary', fontSize: '0.75rem', lineHeight: 1.4 }}
        data-testid={testId ?? 'file-lock-note'}
      >
        <LockOutlined sx={{ fontSize: 14 }} />
        {t('configFile.locked')}
      </Box>
    </Tooltip>
  );
}

type LockableTextFieldProps = TextFieldProps & {
  /** Set in the config file: read-only, with the lock and the hint instead of the usual helper text. */
  locked?: boolean;
  file?: string | null;
  /**
   * Keep the usual helper text under a locked field (the lock stays in the field): for a group of fields whose
   * heading already says "Set in reachback.yaml".
   */
  keepHint?: boolean;
};

/**
 * A TextField that becomes read-only with the lock when `locked`. Native selects ignore `readonly`, so a locked
 * select is disabled instead. Pass `slotProps` as objects (not functions).
 */
export function LockableTextField({
  locked = false,
  file = null,
  keepHint = false,
  slotProps,
  helperText,
  error,
  ...props
}: LockableTextFieldProps) {
  if (!locked) return <TextField {...props} error={error} helperText={helperText} slotProps={slotProps} />;
  const input = (slotProps?.input ?? {}) as Record<string, unknown> & { endAdornment?: ReactNode };
  const htmlInput = (slotProps?.htmlInput ?? {}) as Record<string, unknown>;
  const lockedEnd = (
    <>
      {input.endAdornment}
      <FileLockAdornment file={file} />
    </>
  );
  return (
    <TextField
      {...props}
      disabled={props.disabled || props.select}
      error={false}
      helperText={keepHint ? helperText : <FileLockNote file={file} testId="file-lock-hint" />}
      slotProps={{
        ...slotProps,
        input: {
          ...input,
          readOnly: true,
          endAdornment: props.select ? undefined : lockedEnd,
          sx: { bgcolor: 'action.hover' },
        },
        htmlInput: { ...htmlInput, 'data-locked': 'true', 'aria-readonly': true },
      }}
    />
  );
}

/**
 * Above a form that has fields from the config file: how many, and where the file is. Renders nothing when the
 * section has none.
 */
export function FileSourcesNotice({ sources, labels }: { sources: SectionSources; labels: (field: string) => string }) {
  const { t } = useTranslation();
  if (sources.fields.length === 0) return null;
  const names = sources.fields.map(labels).join(t('common.listSeparator'));
  return (
    <Alert severity="info" icon={<LockOutlined fontSize="small" />} data-testid="file-sources-notice">
      <Typography variant="body2">{t('configFile.notice', { count: sources.fields.length, fields: names })}</Typography>
      {sources.file && (
        <Typography variant="body2" sx={{ mt: 0.5 }}>
          {t('configFile.noticeFile')}{' '}
          <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>
            {sources.file}
          </Box>
        </Typography>
      )}
    </Alert>
  );
}
