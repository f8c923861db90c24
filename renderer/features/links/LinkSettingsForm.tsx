/**
 * The settings form of a network link (Settings → SMSC, Settings → SIP), in pieces: the screen's two columns with the
 * live panel beside the form, the on/off switch with what it means, titled sections that show a config-file lock, and
 * the sticky save bar. Test ids start with the screen's prefix (`smsc-save`, `sip-save`).
 */
import RestartAltOutlined from '@mui/icons-material/RestartAltOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandError } from '../../api/client';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import type { Formatters } from '../../i18n/format';
import { FileLockNote } from '../settings/fromFile';

interface LayoutProps {
  testId: string;
  title: string;
  subtitle: string;
  /** The settings failed to load. */
  error: CommandError | null;
  onRetry(): void;
  /** The form, or null while the settings load. */
  form: ReactNode;
  panel: ReactNode;
}

/** The screen: the form on the left, the live panel on the right (on top on narrow windows). */
export function LinkSettingsLayout({ testId, title, subtitle, error, onRetry, form, panel }: LayoutProps) {
  return (
    <Box data-testid={testId} sx={{ display: 'flex', flexDirection: 'column', flex: 1 }}>
      <ScreenHeader title={title} subtitle={subtitle} />
      {error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={error} onRetry={onRetry} />
        </Box>
      )}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) 360px' },
          alignItems: 'start',
        }}
      >
        <Box sx={{ order: { xs: 2, lg: 1 }, minWidth: 0 }}>{form ?? (!error && <LoadingState />)}</Box>
        {/* Stays in view beside the long form; scrolls on its own when taller than the window. */}
        <Box
          sx={{
            order: { xs: 1, lg: 2 },
            position: { lg: 'sticky' },
            top: { lg: 0 },
            maxHeight: { lg: 'calc(100vh - 100px)' },
            overflowY: { lg: 'auto' },
          }}
        >
          {panel}
        </Box>
      </Box>
    </Box>
  );
}

interface SectionProps {
  testId: string;
  title: string;
  description: ReactNode;
  /** Its fields come from reachback.yaml: "Set in reachback.yaml" beside the title. */
  locked: boolean;
  file: string | null;
  children: ReactNode;
}

export function SettingsSection({ testId, title, description, locked, file, children }: SectionProps) {
  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid={testId}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
        <Typography variant="h4">{title}</Typography>
        {locked && <FileLockNote file={file} />}
      </Stack>
      <Typography variant="body2" color="text.secondary" component="div" sx={{ mb: 2, mt: 0.25 }}>
        {description}
      </Typography>
      {children}
    </Paper>
  );
}

export function FieldGrid({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(230px, 1fr))' }}>{children}</Box>;
}

interface EnabledProps {
  testIdPrefix: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  disabled: boolean;
  locked: boolean;
  file: string | null;
  /** What on (or off) means, for the current position of the switch. */
  explanation: ReactNode;
  /** The core's refusal of the switch (e.g. on without the settings it needs). */
  error: string | null;
  /** The switch differs from the saved setting: say what saving will do. */
  changed: boolean;
  willEnable: string;
  willDisable: string;
}

/** The link's on/off switch, saying what each position means and what saving the change does. */
export function EnabledSection(props: EnabledProps) {
  const { testIdPrefix: p, label, checked, onChange, disabled, locked, file, explanation, error, changed } = props;
  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid={`${p}-section-mode`}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
        <FormControlLabel
          control={
            <Switch
              checked={checked}
              onChange={(e) => onChange(e.target.checked)}
              disabled={disabled || locked}
              slotProps={{ input: { 'data-testid': `${p}-enabled` } as object }}
            />
          }
          label={<Typography variant="h4">{label}</Typography>}
        />
        {locked && <FileLockNote file={file} />}
      </Stack>
      <Typography variant="body2" color="text.secondary" component="div" sx={{ mt: 0.5 }} data-testid={`${p}-mode-explanation`}>
        {explanation}
      </Typography>
      {error && (
        <Typography variant="body2" color="error" sx={{ mt: 1 }}>
          {error}
        </Typography>
      )}
      {changed && (
        <Alert severity={checked ? 'info' : 'warning'} sx={{ mt: 1.5 }} data-testid={`${p}-mode-change`}>
          {checked ? props.willEnable : props.willDisable}
        </Alert>
      )}
    </Paper>
  );
}

/** Someone else saved while this operator was editing. */
export function ChangedElsewhereAlert({ text, onLoadLatest }: { text: string; onLoadLatest(): void }) {
  const { t } = useTranslation();
  return (
    <Alert
      severity="warning"
      action={
        <Button color="inherit" size="small" onClick={onLoadLatest}>
          {t('links.form.loadLatest')}
        </Button>
      }
    >
      {text}
    </Alert>
  );
}

interface SaveBarProps {
  testIdPrefix: string;
  /** Unsaved changes, counted as the operator made them. */
  changes: number;
  pending: boolean;
  /** A save was tried with fields to correct. */
  blocked: boolean;
  onRevert(): void;
  /** What saving will do beyond storing, e.g. "re-binds the link". */
  note?: string | null;
  /** A failure that belongs to no field. */
  error: CommandError | null;
  onCloseError(): void;
}

/** Save and revert, sticking to the bottom of the window, with how many changes wait and why saving is blocked. */
export function SaveBar({ testIdPrefix: p, changes, pending, blocked, onRevert, note, error, onCloseError }: SaveBarProps) {
  const { t } = useTranslation();
  const dirty = changes > 0;
  return (
    <Paper
      variant="outlined"
      sx={{ position: 'sticky', bottom: 0, mt: 2, px: 2, py: 1.25, zIndex: 2, boxShadow: dirty ? 3 : 0 }}
      data-testid={`${p}-actions`}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <Button
          type="submit"
          variant="contained"
          startIcon={<SaveOutlined />}
          disabled={!dirty || blocked || pending}
          data-testid={`${p}-save`}
        >
          {t('links.form.save')}
        </Button>
        <Button startIcon={<RestartAltOutlined />} onClick={onRevert} disabled={!dirty || pending} data-testid={`${p}-revert`}>
          {t('links.form.revert')}
        </Button>
        {dirty && (
          <Typography variant="body2" color="warning.main" data-testid={`${p}-unsaved`}>
            {t('links.form.unsaved', { count: changes })}
          </Typography>
        )}
        {blocked && (
          <Typography variant="body2" color="error" data-testid={`${p}-fix-errors`}>
            {t('links.form.fixErrors')}
          </Typography>
        )}
        {note && (
          <Typography variant="caption" color="text.secondary">
            {note}
          </Typography>
        )}
        <Box sx={{ flex: 1 }} />
        {error && (
          <Box sx={{ maxWidth: 560 }}>
            <ErrorAlert error={error} onClose={onCloseError} />
          </Box>
        )}
      </Stack>
    </Paper>
  );
}

/** "Enter a whole number from 1 to 65,535." (or "of at least 60." when the schema sets no maximum). */
export function rangeText(t: TFunction, f: Formatters, bounds: { min: number; max: number | null }): string {
  return bounds.max === null
    ? t('links.form.atLeast', { min: f.number(bounds.min) })
    : t('links.form.range', { min: f.number(bounds.min), max: f.number(bounds.max) });
}

/** A hint for a field in milliseconds, with the value as a duration once it is a second or more: "… (30 sec)". */
export function withDuration(f: Formatters, hint: string, text: string): string {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value >= 1_000 ? `${hint} (${f.duration(value)})` : hint;
}
