/** Service rules: the operator-wide settings of the reminder engine, grouped by topic, saved as one object. */
import RestartAltOutlined from '@mui/icons-material/RestartAltOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultServiceRules, type ServiceRules } from '../../../core/api/rules';
import { fieldErrorText } from '../../components/fieldError';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useCan } from '../../hooks/usePermissions';
import { useSettingsSources } from '../../hooks/useSettingsSources';
import { useFormat } from '../../i18n/format';
import { useStore } from '../../store';
import { FileLockNote, FileSourcesNotice, LockableTextField } from '../settings/fromFile';
import { KeywordAliases } from './KeywordAliases';
import { PriorityRules } from './PriorityTable';
import {
  changedSections,
  invalidPaths,
  numberBounds,
  numberText,
  toDraft,
  withNumber,
  withValue,
  type NumberPath,
  type RulesDraft,
} from './rulesForm';

type Unit = 'hours' | 'perDay' | 'parts' | 'numbers' | 'perSecond' | 'attempts' | 'seconds' | 'ms' | 'yuan';
type TextPath = 'defaultCountryCode' | 'shortCode' | 'queryNumber' | 'voicemailNumber';

const timeZones: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

function Section({
  id,
  children,
  lock,
}: {
  id: 'numbers' | 'expiry' | 'limits' | 'quietHours' | 'calls' | 'keywords' | 'priority';
  children: ReactNode;
  /** The section's settings come from reachback.yaml (given its path, or null when unknown). */
  lock?: { file: string | null } | false;
}) {
  const { t } = useTranslation();
  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid={`rules-section-${id}`}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
        <Typography variant="h4">{t(`rules.sections.${id}.title`)}</Typography>
        {lock && <FileLockNote file={lock.file} />}
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2, mt: 0.25 }}>
        {t(`rules.sections.${id}.description`)}
      </Typography>
      {children}
    </Paper>
  );
}

function FieldGrid({ children }: { children: ReactNode }) {
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(2, 1fr)', xl: 'repeat(3, 1fr)' } }}>{children}</Box>
  );
}

/** A top-level rule's name, for the list of rules set in reachback.yaml. */
function ruleLabel(t: TFunction, field: string): string {
  return isRuleField(field) ? t(`configFile.serviceRulesFields.${field}`) : field;
}

function isRuleField(field: string): field is keyof ServiceRules {
  return Object.prototype.hasOwnProperty.call(defaultServiceRules, field);
}

export function RulesScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const query = useQuery('rules/get', {});
  // The core announces a rules change as a settings change.
  useCoreEvent('rules/changed', query.reload);
  return (
    <Box data-testid="screen-rules" sx={{ display: 'flex', flexDirection: 'column', flex: 1 }}>
      <ScreenHeader title={t('rules.title')} subtitle={t('rules.subtitle')} />
      {query.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={query.error} onRetry={query.reload} />
        </Box>
      )}
      {query.data ? (
        <RulesForm saved={query.data} canManage={can('rules.manage')} onSaved={query.reload} />
      ) : (
        query.loading && <LoadingState />
      )}
    </Box>
  );
}

function RulesForm({ saved, canManage, onSaved }: { saved: ServiceRules; canManage: boolean; onSaved(): void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const setUnsavedChanges = useStore((s) => s.setUnsavedChanges);
  const [base, setBase] = useState(saved);
  const [draft, setDraft] = useState<RulesDraft>(() => toDraft(saved));
  const update = useAction('rules/update');
  const sources = useSettingsSources('serviceRules');
  const { isFixed } = sources;

  // Rules set in reachback.yaml are read-only: they neither count as changes nor block saving, and are sent as saved.
  const changed = changedSections(draft.values, base).filter((key) => !isFixed(key));
  const dirty = changed.length > 0;
  const invalid = useMemo(() => new Set([...invalidPaths(draft.values)].filter((path) => !isFixed(path))), [draft.values, isFixed]);
  const serverChanged = JSON.stringify(saved) !== JSON.stringify(base);
  const disabled = !canManage || update.pending;

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
    if (!dirty || invalid.size > 0) return;
    const values = { ...draft.values };
    for (const key of sources.fields) if (key in base) Object.assign(values, { [key]: base[key as keyof ServiceRules] });
    const result = await update.run(values, { inline: true, success: t('rules.saved') });
    if (result) {
      setBase(result);
      setDraft(toDraft(result));
      onSaved();
    }
  };

  const set = (path: string, value: unknown) => {
    setDraft((d) => withValue(d, path, value));
    update.clearError();
  };
  const serverText = (path: string) => fieldErrorText(update.error, path);
  const values = draft.values;
  const lockOf = (...fields: string[]) => (fields.every(isFixed) ? { file: sources.file } : false);

  const numberField = (path: NumberPath, unit: Unit) => {
    const { min, max } = numberBounds(path);
    const bad = invalid.has(path);
    const server = serverText(path);
    const range =
      path === 'detailPriceFen'
        ? t('rules.priceRange', { max: f.number(max) })
        : t('rules.range', { min: f.number(min), max: f.number(max) });
    return (
      <LockableTextField
        key={path}
        locked={isFixed(path)}
        file={sources.file}
        label={t(`rules.fields.${path}`)}
        value={numberText(draft, path)}
        onChange={(e) => {
          setDraft((d) => withNumber(d, path, e.target.value));
          update.clearError();
        }}
        disabled={disabled}
        error={bad || !!server}
        helperText={server ?? (bad ? range : t(`rules.hints.${path}`))}
        slotProps={{
          input: { endAdornment: <InputAdornment position="end">{t(`rules.units.${unit}`)}</InputAdornment> },
          htmlInput: { inputMode: path === 'detailPriceFen' ? 'decimal' : 'numeric', 'data-testid': `rules-${path}` },
        }}
      />
    );
  };

  const textField = (path: TextPath, invalidText: string, prefix?: string) => {
    const bad = invalid.has(path);
    const server = serverText(path);
    return (
      <LockableTextField
        key={path}
        locked={isFixed(path)}
        file={sources.file}
        label={t(`rules.fields.${path}`)}
        value={values[path]}
        onChange={(e) => set(path, e.target.value.trim())}
        disabled={disabled}
        error={bad || !!server}
        helperText={server ?? (bad ? invalidText : t(`rules.hints.${path}`))}
        slotProps={{
          input: prefix ? { startAdornment: <InputAdornment position="start">{prefix}</InputAdornment> } : undefined,
          htmlInput: { inputMode: 'numeric', maxLength: 12, 'data-testid': `rules-${path}` },
        }}
      />
    );
  };

  const timeField = (part: 'from' | 'to') => {
    const path = `quietHours.${part}`;
    const bad = invalid.has(path);
    return (
      <LockableTextField
        type="time"
        locked={isFixed(path)}
        file={sources.file}
        label={t(`rules.fields.quietHours.${part}`)}
        value={values.quietHours[part]}
        onChange={(e) => set(path, e.target.value)}
        disabled={disabled || (!values.quietHours.enabled && !isFixed(path))}
        error={bad}
        helperText={bad ? t('rules.timeInvalid') : ' '}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': `rules-quietHours-${part}` } }}
      />
    );
  };

  const badZone = invalid.has('timeZone');
  return (
    <Box component="form" onSubmit={(e) => void submit(e)} noValidate data-testid="rules-form">
      <Stack spacing={2}>
        {!canManage && <Alert severity="info">{t('rules.readOnly')}</Alert>}
        <FileSourcesNotice sources={sources} labels={(field) => ruleLabel(t, field)} />
        {serverChanged && dirty && (
          <Alert
            severity="warning"
            action={
              <Button color="inherit" size="small" onClick={reset}>
                {t('rules.loadLatest')}
              </Button>
            }
          >
            {t('rules.changedElsewhere')}
          </Alert>
        )}

        <Section id="numbers">
          <FieldGrid>
            {textField('defaultCountryCode', t('rules.countryCodeInvalid'), '+')}
            {isFixed('timeZone') ? (
              <LockableTextField
                locked
                file={sources.file}
                label={t('rules.fields.timeZone')}
                value={values.timeZone}
                slotProps={{ htmlInput: { 'data-testid': 'rules-timeZone' } }}
              />
            ) : (
              <Autocomplete
                freeSolo
                options={timeZones}
                value={values.timeZone}
                onInputChange={(_, value) => set('timeZone', value.trim())}
                disabled={disabled}
                renderInput={(params) => (
                  <TextField
                    {...params}
                    label={t('rules.fields.timeZone')}
                    error={badZone}
                    helperText={badZone ? t('rules.timeZoneInvalid') : t('rules.hints.timeZone')}
                    slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'rules-timeZone' } }}
                  />
                )}
              />
            )}
            {textField('shortCode', t('rules.digitsInvalid'))}
            {textField('queryNumber', t('rules.digitsInvalid'))}
            {textField('voicemailNumber', t('rules.digitsInvalid'))}
            {numberField('detailPriceFen', 'yuan')}
          </FieldGrid>
        </Section>

        <Section id="expiry">
          <FieldGrid>
            {numberField('expiryHours.notification', 'hours')}
            {numberField('expiryHours.reachableAlert', 'hours')}
            {numberField('expiryHours.detailWindow', 'hours')}
          </FieldGrid>
        </Section>

        <Section id="limits">
          <FieldGrid>
            {numberField('dailyAlertCap', 'perDay')}
            {numberField('segmentBudget', 'parts')}
            {numberField('whitelistMax', 'numbers')}
            {numberField('blacklistMax', 'numbers')}
            {numberField('bulkRemindersPerSecond', 'perSecond')}
            {numberField('smsRetry.maxAttempts', 'attempts')}
            {numberField('smsRetry.backoffSeconds', 'seconds')}
          </FieldGrid>
        </Section>

        <Section id="quietHours" lock={lockOf('quietHours')}>
          <Stack spacing={1.5}>
            <FormControlLabel
              control={
                <Switch
                  checked={values.quietHours.enabled}
                  onChange={(e) => set('quietHours.enabled', e.target.checked)}
                  disabled={disabled || isFixed('quietHours')}
                  slotProps={{ input: { 'data-testid': 'rules-quietHours-enabled' } as object }}
                />
              }
              label={t('rules.fields.quietHours.enabled')}
            />
            <Stack direction="row" spacing={2} sx={{ maxWidth: 420 }}>
              {timeField('from')}
              {timeField('to')}
            </Stack>
          </Stack>
        </Section>

        <Section id="calls">
          <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', lg: 'repeat(3, 1fr)' } }}>
            <Box>
              <Typography variant="subtitle2">{t('rules.clir.title')}</Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
                {t('rules.clir.hint')}
              </Typography>
              <RadioGroup value={values.clirPolicy} onChange={(e) => set('clirPolicy', e.target.value)}>
                {(['unknown-number', 'no-alert'] as const).map((policy) => (
                  <FormControlLabel
                    key={policy}
                    value={policy}
                    disabled={disabled || isFixed('clirPolicy')}
                    control={<Radio slotProps={{ input: { 'data-testid': `rules-clir-${policy}` } as object }} />}
                    label={t(`rules.clir.${policy}`)}
                  />
                ))}
              </RadioGroup>
              {isFixed('clirPolicy') && <FileLockNote file={sources.file} />}
            </Box>
            <Box>
              <Typography variant="subtitle2">{t('rules.manualSeat.title')}</Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
                {t('rules.manualSeat.hint')}
              </Typography>
              <FormControlLabel
                control={
                  <Switch
                    checked={values.manualSeat}
                    onChange={(e) => set('manualSeat', e.target.checked)}
                    disabled={disabled || isFixed('manualSeat')}
                    slotProps={{ input: { 'data-testid': 'rules-manualSeat' } as object }}
                  />
                }
                label={values.manualSeat ? t('rules.manualSeat.on') : t('rules.manualSeat.off')}
              />
              {isFixed('manualSeat') && (
                <Box>
                  <FileLockNote file={sources.file} />
                </Box>
              )}
            </Box>
            <Box>{numberField('ivrSilenceMs', 'ms')}</Box>
          </Box>
        </Section>

        <Section id="keywords" lock={lockOf('keywordAliases')}>
          <KeywordAliases
            aliases={values.keywordAliases}
            disabled={disabled || isFixed('keywordAliases')}
            onChange={(next) => set('keywordAliases', next)}
          />
        </Section>

        <Section id="priority" lock={lockOf('priority', 'priorityByTariff')}>
          <PriorityRules
            priority={values.priority}
            byTariff={values.priorityByTariff}
            disabled={disabled}
            locked={{ priority: isFixed('priority'), byTariff: isFixed('priorityByTariff'), file: sources.file }}
            onPriority={(next) => set('priority', next)}
            onByTariff={(next) => set('priorityByTariff', next)}
          />
        </Section>
      </Stack>

      {canManage && (
        <Paper
          variant="outlined"
          sx={{ position: 'sticky', bottom: 0, mt: 2, px: 2, py: 1.25, zIndex: 2, boxShadow: dirty ? 3 : 0 }}
          data-testid="rules-actions"
        >
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <Button
              type="submit"
              variant="contained"
              startIcon={<SaveOutlined />}
              disabled={!dirty || invalid.size > 0 || update.pending}
              data-testid="rules-save"
            >
              {t('common.save')}
            </Button>
            <Button startIcon={<RestartAltOutlined />} onClick={reset} disabled={!dirty || update.pending} data-testid="rules-revert">
              {t('rules.revert')}
            </Button>
            {dirty && (
              <Typography variant="body2" color="warning.main" data-testid="rules-unsaved">
                {t('rules.unsaved', { count: changed.length })}
              </Typography>
            )}
            {dirty && invalid.size > 0 && (
              <Typography variant="body2" color="error">
                {t('rules.fixErrors')}
              </Typography>
            )}
            <Box sx={{ flex: 1 }} />
            {update.error && (
              <Box sx={{ maxWidth: 640 }}>
                <ErrorAlert error={update.error} onClose={update.clearError} />
              </Box>
            )}
          </Stack>
        </Paper>
      )}
    </Box>
  );
}
