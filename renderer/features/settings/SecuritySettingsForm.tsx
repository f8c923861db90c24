/** Session and sign-in policy. Bounds come from the same schema the core validates with. */
import RestartAltOutlined from '@mui/icons-material/RestartAltOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { securitySettings, type SecuritySettings } from '../../../core/api';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction } from '../../hooks/useCommand';
import { useSettingsSources } from '../../hooks/useSettingsSources';
import { useFormat } from '../../i18n/format';
import { useStore } from '../../store';
import { FileSourcesNotice, LockableTextField } from './fromFile';

type Key = keyof SecuritySettings;

const fields: { key: Key; unit: 'minutes' | 'hours' | 'attempts' | 'characters' }[] = [
  { key: 'sessionIdleMinutes', unit: 'minutes' },
  { key: 'sessionMaxHours', unit: 'hours' },
  { key: 'lockoutAttempts', unit: 'attempts' },
  { key: 'lockoutMinutes', unit: 'minutes' },
  { key: 'passwordMinLength', unit: 'characters' },
];

function bounds(key: Key): { min: number; max: number } {
  const schema = securitySettings.shape[key];
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

function isKey(name: string): name is Key {
  return fields.some((field) => field.key === name);
}

type Draft = Record<Key, string>;

function toDraft(values: SecuritySettings): Draft {
  return Object.fromEntries(fields.map(({ key }) => [key, String(values[key])])) as Draft;
}

function parse(key: Key, text: string): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const value = Number(text);
  const { min, max } = bounds(key);
  return value >= min && value <= max ? value : null;
}

interface Props {
  saved: SecuritySettings;
  canManage: boolean;
  onSaved(): void;
}

export function SecuritySettingsForm({ saved, canManage, onSaved }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const setUnsavedChanges = useStore((s) => s.setUnsavedChanges);
  const [base, setBase] = useState(saved);
  const [draft, setDraft] = useState<Draft>(() => toDraft(saved));
  const update = useAction('settings/update');
  const sources = useSettingsSources('security');

  // Fields set in reachback.yaml are read-only and never sent.
  const changedKeys = fields.map((x) => x.key).filter((key) => !sources.isFixed(key) && draft[key].trim() !== String(base[key]));
  const dirty = changedKeys.length > 0;
  const invalid = fields.some(({ key }) => !sources.isFixed(key) && parse(key, draft[key]) === null);
  const serverChanged = fields.some(({ key }) => saved[key] !== base[key]);

  // Follow changes made elsewhere unless the operator is in the middle of an edit.
  if (serverChanged && !dirty) {
    setBase(saved);
    setDraft(toDraft(saved));
  }

  useEffect(() => {
    setUnsavedChanges(dirty);
  }, [dirty, setUnsavedChanges]);
  useEffect(() => () => setUnsavedChanges(false), [setUnsavedChanges]);

  const reset = () => {
    setBase(saved);
    setDraft(toDraft(saved));
    update.clearError();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty || invalid) return;
    const changes: Partial<SecuritySettings> = {};
    for (const key of changedKeys) changes[key] = parse(key, draft[key]) ?? undefined;
    // Fields from reachback.yaml go along unchanged: the core checks the merged section against the file, and its
    // stored copy may predate the file.
    for (const key of fields.map((x) => x.key)) if (sources.isFixed(key)) changes[key] = base[key];
    const result = await update.run({ security: changes }, { inline: true, success: t('settings.saved') });
    if (result) {
      setBase(result.security);
      setDraft(toDraft(result.security));
      onSaved();
    }
  };

  const serverField = update.error?.field?.split('.').pop();

  return (
    <Box component="form" onSubmit={(e) => void submit(e)} noValidate data-testid="settings-security">
      <Typography variant="h4" sx={{ mb: 0.5 }}>
        {t('settings.security.title')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {t('settings.security.description')}
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 560 }}>
        {!canManage && <Alert severity="info">{t('settings.readOnly')}</Alert>}
        <FileSourcesNotice sources={sources} labels={(field) => (isKey(field) ? t(`fields.${field}`) : field)} />
        {serverChanged && dirty && (
          <Alert
            severity="warning"
            action={
              <Button color="inherit" size="small" onClick={reset}>
                {t('settings.loadLatest')}
              </Button>
            }
          >
            {t('settings.changedElsewhere')}
          </Alert>
        )}
        {update.error && <ErrorAlert error={update.error} onClose={update.clearError} />}
        {fields.map(({ key, unit }) => {
          const { min, max } = bounds(key);
          const valid = parse(key, draft[key]) !== null;
          return (
            <LockableTextField
              key={key}
              locked={sources.isFixed(key)}
              file={sources.file}
              label={t(`fields.${key}`)}
              value={draft[key]}
              onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
              disabled={!canManage}
              error={!valid || serverField === key}
              helperText={valid ? t(`settings.security.hints.${key}`) : t('settings.range', { min: f.number(min), max: f.number(max) })}
              slotProps={{
                input: { endAdornment: <InputAdornment position="end">{t(`settings.units.${unit}`)}</InputAdornment> },
                htmlInput: { inputMode: 'numeric', 'data-testid': `setting-${key}`, 'aria-describedby': undefined },
              }}
            />
          );
        })}
        {canManage && (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Button
              type="submit"
              variant="contained"
              startIcon={<SaveOutlined />}
              disabled={!dirty || invalid || update.pending}
              data-testid="settings-save"
            >
              {t('common.save')}
            </Button>
            <Button startIcon={<RestartAltOutlined />} onClick={reset} disabled={!dirty || update.pending}>
              {t('settings.revert')}
            </Button>
            {dirty && (
              <Typography variant="body2" color="warning.main" data-testid="settings-unsaved">
                {t('settings.unsaved', { count: changedKeys.length })}
              </Typography>
            )}
          </Stack>
        )}
      </Stack>
    </Box>
  );
}
