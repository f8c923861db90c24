/**
 * Settings → SIP, the form: whether registrations count as power-on, where the registrar is, how numbers become
 * AORs, the subscription timers, and which numbers to watch. Saved as one object; the core applies it at once
 * (restarting the watcher when anything changed).
 */
import { aorFor } from '../../../core/domain/sip-address';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { sipWatchModes, type SipSettings } from '../../../core/api/network-settings';
import { ChipListEditor } from '../../components/ChipListEditor';
import { fieldErrorText } from '../../components/fieldError';
import { useAction } from '../../hooks/useCommand';
import { useDefaultCountryCode } from '../../hooks/useNumbering';
import type { SectionSources } from '../../hooks/useSettingsSources';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import {
  ChangedElsewhereAlert,
  EnabledSection,
  FieldGrid,
  rangeText,
  SaveBar,
  SettingsSection,
  withDuration,
} from '../links/LinkSettingsForm';
import { useLinkSettingsForm } from '../links/useLinkSettingsForm';
import { FileLockNote, FileSourcesNotice, LockableTextField } from '../settings/fromFile';
import { useMsisdnFormat, useMsisdnParser } from '../subscribers/numbers';
import {
  changedPaths,
  check,
  isNumberPath,
  numberBounds,
  toDraft,
  type NumberPath,
  type RegistrarDraft,
  type RegistrarPath,
  type TextPath,
  type WatchMode,
} from './sipForm';

type SectionId = 'registrar' | 'addressing' | 'timers' | 'watch';
type Unit = 's' | 'ms';

/** Numbers a list may hold (the core's limit). */
const maxListed = 10_000;
/** A sample the AOR example starts from when there is no listed number to show. */
const sampleNumbers: Record<string, string> = { '86': '138 0013 8000' };

const fileFields = ['enabled', 'registrar', 'watch', 'numbers'] as const;
function isFileField(field: string): field is (typeof fileFields)[number] {
  return (fileFields as readonly string[]).includes(field);
}

/** An address and its port side by side, or the domain and the user-part format. */
function PairGrid({ children }: { children: ReactNode }) {
  return <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 3fr) minmax(0, 2fr)' } }}>{children}</Box>;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

interface Props {
  saved: SipSettings;
  sources: SectionSources;
  onSaved(): void;
}

export function SipForm({ saved, sources, onSaved }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const formatNumber = useMsisdnFormat();
  const parseNumber = useMsisdnParser();
  const update = useAction('sip/update');
  const [enabled, setEnabled] = useState(saved.enabled);
  const [draft, setDraft] = useState<RegistrarDraft>(() => toDraft(saved.registrar));
  const [watch, setWatch] = useState<WatchMode>(saved.watch);
  const [numbers, setNumbers] = useState<string[]>(saved.numbers);

  const enabledLocked = sources.isFixed('enabled');
  const registrarLocked = sources.isFixed('registrar');
  const watchLocked = sources.isFixed('watch');
  const numbersLocked = sources.isFixed('numbers');
  const changesFrom = (base: SipSettings) => ({
    registrar: registrarLocked ? [] : changedPaths(draft, toDraft(base.registrar)),
    enabled: !enabledLocked && enabled !== base.enabled,
    watch: !watchLocked && watch !== base.watch,
    numbers: !numbersLocked && !sameList(numbers, base.numbers),
  });
  const count = (c: ReturnType<typeof changesFrom>) => c.registrar.length + Number(c.enabled) + Number(c.watch) + Number(c.numbers);
  const form = useLinkSettingsForm({
    saved,
    load: (settings: SipSettings) => {
      setEnabled(settings.enabled);
      setDraft(toDraft(settings.registrar));
      setWatch(settings.watch);
      setNumbers(settings.numbers);
    },
    dirty: (base) => count(changesFrom(base)) > 0,
    clearError: update.clearError,
  });
  const { base, attempted } = form;
  const baseDraft = useMemo(() => toDraft(base.registrar), [base]);
  const changes = changesFrom(base);
  const checked = useMemo(() => check(draft), [draft]);
  // The registrar is sent once it is (or is being) configured; a form never touched for one that never existed is not.
  const sendsRegistrar = !registrarLocked && (enabled || changes.registrar.length > 0 || base.registrar !== undefined);
  const blocked = sendsRegistrar && !checked.ok;
  const disabled = update.pending;

  const submit = (event: FormEvent) =>
    form.submit(event, blocked, async () => {
      // Fields from reachback.yaml are sent as saved: the core refuses any change to them.
      const registrar = registrarLocked || !sendsRegistrar || !checked.ok ? base.registrar : checked.registrar;
      const result = await update.run(
        {
          enabled: enabledLocked ? base.enabled : enabled,
          registrar,
          watch: watchLocked ? base.watch : watch,
          numbers: numbersLocked ? base.numbers : numbers,
        },
        { inline: true, success: t('sip.saved') },
      );
      if (result) onSaved();
      return result;
    });

  const set = (path: RegistrarPath, value: string) => {
    setDraft((d) => ({ ...d, [path]: value }));
    update.clearError();
  };

  const serverText = (path: string) => fieldErrorText(update.error, `registrar.${path}`);
  const shownInvalid = (path: RegistrarPath) =>
    !registrarLocked && checked.invalid.has(path) && (attempted || enabled || (draft[path] !== '' && draft[path] !== baseDraft[path]));

  const hint = (path: NumberPath | TextPath): string => {
    const text = t(`sip.hints.${path}`);
    if (path === 'keepaliveIntervalMs') return withDuration(f, text, draft[path]);
    if (path === 'expires') return withDuration(f, text, draft[path].trim() === '' ? '' : String(Number(draft[path]) * 1_000));
    return text;
  };

  /** A text or number field of the registrar, with its unit, hint, and the client's or the core's objection. */
  const field = (path: NumberPath | TextPath, unit?: Unit) => {
    const isNumber = isNumberPath(path);
    const server = serverText(path);
    const bad = shownInvalid(path);
    const invalidText = isNumber ? rangeText(t, f, numberBounds(path)) : t('common.required');
    return (
      <LockableTextField
        key={path}
        locked={registrarLocked}
        keepHint
        file={sources.file}
        label={t(`sip.fields.${path}`)}
        value={draft[path]}
        onChange={(e) => set(path, e.target.value)}
        disabled={disabled}
        required={!isNumber}
        autoComplete="off"
        error={bad || !!server}
        helperText={server ?? (bad ? invalidText : hint(path))}
        slotProps={{
          input: unit ? { endAdornment: <InputAdornment position="end">{t(`sip.units.${unit}`)}</InputAdornment> } : undefined,
          htmlInput: { inputMode: isNumber ? 'numeric' : 'text', 'data-testid': `sip-${path}`, spellCheck: false },
        }}
      />
    );
  };

  const section = (id: SectionId, locked: boolean, content: ReactNode) => (
    <SettingsSection
      testId={`sip-section-${id}`}
      title={t(`sip.sections.${id}.title`)}
      description={t(`sip.sections.${id}.description`)}
      locked={locked}
      file={sources.file}
    >
      {content}
    </SettingsSection>
  );

  const host = draft.registrarHost.trim();
  const domain = draft.domain.trim();
  const errorElsewhere =
    update.error && !(update.error.field?.startsWith('registrar.') && serverText(update.error.field.slice('registrar.'.length)));
  const numbersError = fieldErrorText(update.error, 'numbers');
  const watchError = fieldErrorText(update.error, 'watch');

  return (
    <Box component="form" onSubmit={(e) => void submit(e)} noValidate data-testid="sip-form">
      <Stack spacing={2}>
        <FileSourcesNotice sources={sources} labels={(field) => (isFileField(field) ? t(`sip.fileFields.${field}`) : field)} />
        {form.serverChanged && form.dirty && <ChangedElsewhereAlert text={t('sip.changedElsewhere')} onLoadLatest={form.reset} />}

        <EnabledSection
          testIdPrefix="sip"
          label={t('sip.enabled')}
          checked={enabled}
          onChange={(on) => {
            setEnabled(on);
            update.clearError();
          }}
          disabled={disabled}
          locked={enabledLocked}
          file={sources.file}
          explanation={enabled ? t('sip.enabledOn') : t('sip.enabledOff')}
          error={fieldErrorText(update.error, 'enabled')}
          changed={changes.enabled}
          willEnable={host && domain ? t('sip.willEnable', { host, port: draft.registrarPort, domain }) : t('sip.willEnableIncomplete')}
          willDisable={t('sip.willDisable')}
        />

        {section(
          'registrar',
          registrarLocked,
          <PairGrid>
            {field('registrarHost')}
            {field('registrarPort')}
            {field('localHost')}
            {field('localPort')}
          </PairGrid>,
        )}

        {section(
          'addressing',
          registrarLocked,
          <Stack spacing={2}>
            <PairGrid>
              {field('domain')}
              <LockableTextField
                select
                locked={registrarLocked}
                keepHint
                file={sources.file}
                label={t('sip.fields.userPart')}
                value={draft.userPart}
                onChange={(e) => set('userPart', e.target.value)}
                disabled={disabled}
                helperText={t(`sip.hints.userPart.${draft.userPart === 'plus' ? 'plus' : 'digits'}`)}
                slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'sip-userPart' } }}
              >
                <option value="digits">{t('sip.userParts.digits')}</option>
                <option value="plus">{t('sip.userParts.plus')}</option>
              </LockableTextField>
            </PairGrid>
            <AorExample domain={domain} userPart={draft.userPart} initial={numbers[0] ? formatNumber(numbers[0]) : undefined} />
          </Stack>,
        )}

        {section(
          'timers',
          registrarLocked,
          <FieldGrid>
            {field('expires', 's')}
            {field('keepaliveIntervalMs', 'ms')}
          </FieldGrid>,
        )}

        {section(
          'watch',
          watchLocked,
          <Stack spacing={2}>
            <RadioGroup
              value={watch}
              onChange={(e) => {
                setWatch(e.target.value as WatchMode);
                update.clearError();
              }}
              data-testid="sip-watch"
            >
              {sipWatchModes.map((mode) => (
                <FormControlLabel
                  key={mode}
                  value={mode}
                  disabled={disabled || watchLocked}
                  control={<Radio slotProps={{ input: { 'data-testid': `sip-watch-${mode}` } as object }} />}
                  sx={{ alignItems: 'flex-start', mb: 1, '& .MuiRadio-root': { pt: 0.25 } }}
                  label={
                    <Box>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        {t(`sip.watchModes.${mode}.title`)}
                      </Typography>
                      <Typography variant="body2" color="text.secondary">
                        {t(`sip.watchModes.${mode}.description`)}
                      </Typography>
                    </Box>
                  }
                />
              ))}
            </RadioGroup>
            {watchError && (
              <Typography variant="body2" color="error">
                {watchError}
              </Typography>
            )}
            {watch === 'listed' ? (
              <Box sx={{ pl: { sm: 4 } }} data-testid="sip-list">
                <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', mb: 0.75 }}>
                  <Typography variant="subtitle2">{t('sip.list.title')}</Typography>
                  <Typography variant="caption" color="text.secondary" data-testid="sip-numbers-count">
                    {t('sip.list.count', { count: numbers.length })}
                  </Typography>
                  {numbersLocked && <FileLockNote file={sources.file} />}
                </Stack>
                <ChipListEditor
                  values={numbers}
                  onAdd={(value) => {
                    const parsed = parseNumber(value);
                    if (!parsed.ok) return false;
                    setNumbers((list) => [...list, parsed.e164]);
                    update.clearError();
                    return true;
                  }}
                  onDelete={(value) => {
                    setNumbers((list) => list.filter((n) => n !== value));
                    update.clearError();
                  }}
                  validate={(value) => {
                    const parsed = parseNumber(value);
                    if (!parsed.ok) return parsed.message;
                    if (numbers.includes(parsed.e164)) return t('sip.list.duplicate', { number: formatNumber(parsed.e164) });
                    return numbers.length >= maxListed ? t('sip.list.full', { max: f.number(maxListed) }) : null;
                  }}
                  format={formatNumber}
                  label={t('sip.list.addLabel')}
                  addLabel={t('sip.list.add')}
                  removeLabel={(shown) => t('sip.list.remove', { number: shown })}
                  emptyText={t('sip.list.empty')}
                  helperText={t('sip.list.hint')}
                  error={numbersError}
                  onEdit={update.clearError}
                  readOnly={numbersLocked || watchLocked}
                  pending={disabled}
                  maxLength={40}
                  inputMode="tel"
                  testId="sip-numbers"
                />
                {enabled && numbers.length === 0 && (
                  <Alert severity="warning" sx={{ mt: 1 }} data-testid="sip-list-empty-warning">
                    {t('sip.list.emptyWarning')}
                  </Alert>
                )}
              </Box>
            ) : (
              numbers.length > 0 && (
                <Typography variant="caption" color="text.secondary" data-testid="sip-list-kept">
                  {t('sip.list.kept', { count: numbers.length })}
                </Typography>
              )
            )}
          </Stack>,
        )}
      </Stack>

      {/* Nothing to save when the file sets everything. */}
      {!(enabledLocked && registrarLocked && watchLocked && numbersLocked) && (
        <SaveBar
          testIdPrefix="sip"
          changes={count(changes)}
          pending={update.pending}
          blocked={attempted && blocked}
          onRevert={form.reset}
          note={form.dirty && !blocked && enabled && base.enabled ? t('sip.restartNote') : null}
          error={errorElsewhere ? update.error : null}
          onCloseError={update.clearError}
        />
      )}
    </Box>
  );
}

/** A sample number and the AOR it is subscribed as, following the domain and the user-part format as they are typed. */
function AorExample({ domain, userPart, initial }: { domain: string; userPart: string; initial: string | undefined }) {
  const { t } = useTranslation();
  const parseNumber = useMsisdnParser();
  const formatNumber = useMsisdnFormat();
  const countryCode = useDefaultCountryCode();
  const [sample, setSample] = useState(() => initial ?? sampleNumbers[countryCode] ?? '');
  const parsed = sample.trim() ? parseNumber(sample) : null;
  const aor = parsed?.ok
    ? aorFor(parsed.e164, domain || t('sip.example.domainPlaceholder'), userPart === 'plus' ? 'plus' : 'digits')
    : null;
  return (
    <Box
      sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'minmax(200px, 260px) minmax(0, 1fr)' }, alignItems: 'start' }}
      data-testid="sip-aor-example"
    >
      <TextField
        size="small"
        label={t('sip.example.sampleLabel')}
        value={sample}
        onChange={(e) => setSample(e.target.value)}
        error={parsed !== null && !parsed.ok}
        helperText={parsed && !parsed.ok ? parsed.message : t('sip.example.sampleHint')}
        slotProps={{ htmlInput: { 'data-testid': 'sip-aor-sample', inputMode: 'tel', spellCheck: false } }}
      />
      <Box sx={{ minWidth: 0, pt: 0.5 }}>
        <Typography variant="caption" color="text.secondary" component="div">
          {parsed?.ok ? t('sip.example.watchedAs', { number: formatNumber(parsed.e164) }) : t('sip.example.title')}
        </Typography>
        <Typography
          component="div"
          sx={{ fontFamily: monoFontFamily, fontSize: '0.95rem', overflowWrap: 'anywhere', color: aor ? 'text.primary' : 'text.secondary' }}
          data-testid="sip-aor"
        >
          {aor ?? `sip:<${t('sip.example.number')}>@${domain || t('sip.example.domainPlaceholder')}`}
        </Typography>
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }}>
          {t('sip.example.matching')}
        </Typography>
      </Box>
    </Box>
  );
}
