/**
 * Settings → SMSC, the form: whether SMS go over SMPP, and the link's connection, addresses, throughput and
 * options. Saved as one object; the core applies it at once (re-binding the link when its settings changed).
 */
import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmscSettings } from '../../../core/api/network-settings';
import { fieldErrorText } from '../../components/fieldError';
import { useAction } from '../../hooks/useCommand';
import type { SectionSources } from '../../hooks/useSettingsSources';
import { useFormat } from '../../i18n/format';
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
import { FileSourcesNotice, LockableTextField } from '../settings/fromFile';
import {
  addressRoles,
  changedPaths,
  check,
  npiNames,
  npiValues,
  numberBounds,
  textMaxLength,
  toDraft,
  tonNames,
  tonValues,
  type AddressPath,
  type AddressRole,
  type LinkDraft,
  type LinkPath,
  type NumberPath,
  type SwitchPath,
  type TextPath,
} from './smscForm';

type Unit = 'ms' | 'tps' | 'pdus' | 'retries';
type SectionId = 'connection' | 'addresses' | 'throughput' | 'options';

/** The test id of a field: its path with dashes (`smsc-source-shortCode-ton`). */
function testIdOf(path: string): string {
  return `smsc-${path.replace(/\./g, '-')}`;
}

interface Props {
  saved: SmscSettings;
  hasPassword: boolean;
  sources: SectionSources;
  onSaved(): void;
}

export function SmscForm({ saved, hasPassword, sources, onSaved }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const update = useAction('smsc/update');
  const [enabled, setEnabled] = useState(saved.enabled);
  const [draft, setDraft] = useState<LinkDraft>(() => toDraft(saved.link));

  const linkLocked = sources.isFixed('link');
  const enabledLocked = sources.isFixed('enabled');
  const changesFrom = (base: SmscSettings) => ({
    link: linkLocked ? [] : changedPaths(draft, toDraft(base.link)),
    enabled: !enabledLocked && enabled !== base.enabled,
  });
  // Required fields left empty are only flagged once a save was tried (or the link is switched on).
  const form = useLinkSettingsForm({
    saved,
    load: (settings: SmscSettings) => {
      setEnabled(settings.enabled);
      setDraft(toDraft(settings.link));
    },
    dirty: (base) => {
      const c = changesFrom(base);
      return c.link.length > 0 || c.enabled;
    },
    clearError: update.clearError,
  });
  const { base, attempted, dirty } = form;
  const baseDraft = useMemo(() => toDraft(base.link), [base]);
  const { link: changed, enabled: enabledChanged } = changesFrom(base);
  const checked = useMemo(() => check(draft), [draft]);
  // A link is sent when it is (or is being) configured; a form never touched for a link that never existed is not.
  const sendsLink = !linkLocked && (enabled || changed.length > 0 || base.link !== undefined);
  const blocked = sendsLink && !checked.ok;
  const disabled = update.pending;

  const submit = (event: FormEvent) =>
    form.submit(event, blocked, async () => {
      // Fields from reachback.yaml are sent as saved: the core refuses any change to them.
      const link = linkLocked || !sendsLink ? base.link : checked.ok ? checked.link : base.link;
      const result = await update.run(
        { enabled: enabledLocked ? base.enabled : enabled, link },
        { inline: true, success: t('smsc.saved') },
      );
      if (result) onSaved();
      return result?.settings;
    });

  const set = (path: LinkPath, value: string | boolean) => {
    setDraft((d) => ({ ...d, [path]: value }));
    update.clearError();
  };

  const serverText = (path: string) => fieldErrorText(update.error, `link.${path}`);
  const shownInvalid = (path: LinkPath) =>
    !linkLocked && checked.invalid.has(path) && (attempted || enabled || (draft[path] !== '' && draft[path] !== baseDraft[path]));

  const numberHint = (path: NumberPath): string =>
    path.endsWith('Ms') ? withDuration(f, t(`smsc.hints.${path}`), draft[path]) : t(`smsc.hints.${path}`);

  const invalidNumberText = (path: NumberPath): string => {
    if (path === 'reconnectMaxMs' && Number(draft.reconnectMaxMs) < Number(draft.reconnectMinMs)) return t('smsc.reconnectMaxBelowMin');
    const bounds = numberBounds(path);
    if (path === 'tps') return t('smsc.tpsRange', { max: f.number(bounds.max ?? 0) });
    return rangeText(t, f, bounds);
  };

  const numberField = (path: NumberPath, unit?: Unit) => {
    const bad = shownInvalid(path);
    const server = serverText(path);
    return (
      <LockableTextField
        key={path}
        locked={linkLocked}
        keepHint
        file={sources.file}
        label={t(`smsc.fields.${path}`)}
        value={draft[path]}
        onChange={(e) => set(path, e.target.value)}
        disabled={disabled}
        error={bad || !!server}
        helperText={server ?? (bad ? invalidNumberText(path) : numberHint(path))}
        slotProps={{
          input: unit ? { endAdornment: <InputAdornment position="end">{t(`smsc.units.${unit}`)}</InputAdornment> } : undefined,
          htmlInput: { inputMode: path === 'tps' ? 'decimal' : 'numeric', 'data-testid': testIdOf(path) },
        }}
      />
    );
  };

  const textField = (path: TextPath, options: { required?: boolean; password?: boolean } = {}) => {
    const bad = shownInvalid(path);
    const server = serverText(path);
    const maxLength = textMaxLength(path);
    const invalidText = draft[path].trim() === '' ? t('common.required') : t('smsc.tooLong', { max: maxLength ?? 0 });
    const hint =
      path === 'password'
        ? linkLocked
          ? t('smsc.hints.passwordFromFile')
          : hasPassword
            ? t('smsc.hints.passwordKeep')
            : t('smsc.hints.passwordNone')
        : t(`smsc.hints.${path === 'source.address' ? 'sourceAddress' : path}`);
    return (
      <LockableTextField
        key={path}
        locked={linkLocked}
        keepHint
        file={sources.file}
        label={t(`smsc.fields.${path === 'source.address' ? 'sourceAddress' : path}`)}
        value={draft[path]}
        onChange={(e) => set(path, e.target.value)}
        disabled={disabled}
        required={options.required}
        type={options.password ? 'password' : 'text'}
        autoComplete={options.password ? 'new-password' : 'off'}
        placeholder={options.password && hasPassword ? t('smsc.passwordPlaceholder') : undefined}
        error={bad || !!server}
        helperText={server ?? (bad ? invalidText : hint)}
        slotProps={{
          inputLabel: options.password && hasPassword ? { shrink: true } : undefined,
          htmlInput: { 'data-testid': testIdOf(path), maxLength, spellCheck: false },
        }}
      />
    );
  };

  const tonLabel = (value: number) => (isKnown(tonNames, value) ? t(`smsc.ton.${tonNames[value]}`) : t('smsc.undefinedValue'));
  const npiLabel = (value: number) => (isKnown(npiNames, value) ? t(`smsc.npi.${npiNames[value]}`) : t('smsc.undefinedValue'));

  const addressSelect = (role: AddressRole, part: 'ton' | 'npi') => {
    const path: AddressPath = `${role}.${part}`;
    const values: readonly number[] = part === 'ton' ? tonValues : npiValues;
    const current = Number(draft[path]);
    // A value the schema allows but SMPP 3.4 does not name is still shown as it is.
    const options = values.includes(current) ? values : [...values, current].sort((a, b) => a - b);
    const server = serverText(path);
    return (
      <LockableTextField
        select
        locked={linkLocked}
        keepHint
        file={sources.file}
        value={draft[path]}
        onChange={(e) => set(path, e.target.value)}
        disabled={disabled}
        error={!!server}
        helperText={server ?? undefined}
        slotProps={{
          select: { native: true },
          htmlInput: { 'data-testid': testIdOf(path), 'aria-label': `${t(`smsc.addresses.roles.${roleKey(role)}`)} ${part.toUpperCase()}` },
        }}
      >
        {options.map((value) => (
          <option key={value} value={String(value)}>
            {`${value} · ${(part === 'ton' ? tonLabel : npiLabel)(value)}`}
          </option>
        ))}
      </LockableTextField>
    );
  };

  const switchField = (path: SwitchPath) => (
    <Box key={path}>
      <FormControlLabel
        control={
          <Switch
            checked={draft[path]}
            onChange={(e) => set(path, e.target.checked)}
            disabled={disabled || linkLocked}
            slotProps={{ input: { 'data-testid': testIdOf(path) } as object }}
          />
        }
        label={t(`smsc.fields.${path}`)}
      />
      <Typography variant="body2" color="text.secondary" sx={{ ml: 5.5, mt: -0.5 }}>
        {t(`smsc.hints.${path}`)}
      </Typography>
    </Box>
  );

  const host = draft.host.trim() || '…';
  const errorElsewhere = update.error && !(update.error.field?.startsWith('link.') && serverText(update.error.field.slice(5)));
  const showLinkFieldsIn = (id: SectionId, content: ReactNode) => (
    <SettingsSection
      testId={`smsc-section-${id}`}
      title={t(`smsc.sections.${id}.title`)}
      description={t(`smsc.sections.${id}.description`)}
      locked={linkLocked}
      file={sources.file}
    >
      {content}
    </SettingsSection>
  );

  return (
    <Box component="form" onSubmit={(e) => void submit(e)} noValidate data-testid="smsc-form">
      <Stack spacing={2}>
        <FileSourcesNotice sources={sources} labels={(field) => t(`smsc.fileFields.${field === 'enabled' ? 'enabled' : 'link'}`)} />
        {form.serverChanged && dirty && <ChangedElsewhereAlert text={t('smsc.changedElsewhere')} onLoadLatest={form.reset} />}

        <EnabledSection
          testIdPrefix="smsc"
          label={t('smsc.enabled')}
          checked={enabled}
          onChange={(checked) => {
            setEnabled(checked);
            update.clearError();
          }}
          disabled={disabled}
          locked={enabledLocked}
          file={sources.file}
          explanation={enabled ? t('smsc.enabledOn') : t('smsc.enabledOff')}
          error={fieldErrorText(update.error, 'enabled')}
          changed={enabledChanged}
          willEnable={t('smsc.willEnable', { host, port: draft.port })}
          willDisable={t('smsc.willDisable')}
        />

        {showLinkFieldsIn(
          'connection',
          <FieldGrid>
            {textField('host', { required: true })}
            {numberField('port')}
            {textField('systemId', { required: true })}
            {textField('password', { password: true })}
            {textField('systemType')}
            <LockableTextField
              select
              locked={linkLocked}
              keepHint
              file={sources.file}
              label={t('smsc.fields.bindMode')}
              value={draft.bindMode}
              onChange={(e) => set('bindMode', e.target.value)}
              disabled={disabled}
              helperText={t(`smsc.hints.bindMode.${draft.bindMode === 'transceiver' ? 'transceiver' : 'pair'}`)}
              slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': testIdOf('bindMode') } }}
            >
              <option value="transceiver">{t('smsc.bindModes.transceiver')}</option>
              <option value="transmitter-receiver">{t('smsc.bindModes.transmitter-receiver')}</option>
            </LockableTextField>
          </FieldGrid>,
        )}

        {showLinkFieldsIn(
          'addresses',
          <Stack spacing={2}>
            <Box sx={{ maxWidth: 420 }}>{textField('source.address')}</Box>
            <Table size="small" sx={{ '& td, & th': { borderBottomColor: 'divider' } }} data-testid="smsc-address-table">
              <TableHead>
                <TableRow>
                  <TableCell>{t('smsc.addresses.usedFor')}</TableCell>
                  <TableCell sx={{ width: 230 }}>{t('smsc.addresses.ton')}</TableCell>
                  <TableCell sx={{ width: 230 }}>{t('smsc.addresses.npi')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {addressRoles.map((role) => (
                  <TableRow key={role}>
                    <TableCell>
                      <Typography variant="body2">{t(`smsc.addresses.roles.${roleKey(role)}`)}</Typography>
                      <Typography variant="caption" color="text.secondary">
                        {t(`smsc.addresses.examples.${roleKey(role)}`)}
                      </Typography>
                    </TableCell>
                    <TableCell>{addressSelect(role, 'ton')}</TableCell>
                    <TableCell>{addressSelect(role, 'npi')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Stack>,
        )}

        {showLinkFieldsIn(
          'throughput',
          <FieldGrid>
            {numberField('tps', 'tps')}
            {numberField('windowSize', 'pdus')}
            {numberField('responseTimeoutMs', 'ms')}
            {numberField('enquireLinkIntervalMs', 'ms')}
            {numberField('reconnectMinMs', 'ms')}
            {numberField('reconnectMaxMs', 'ms')}
            {numberField('throttledRetries', 'retries')}
            {numberField('throttledBackoffMs', 'ms')}
          </FieldGrid>,
        )}

        {showLinkFieldsIn(
          'options',
          <Stack spacing={2}>
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(2, 1fr)' } }}>
              {switchField('requestReceipts')}
              {switchField('useReplaceSm')}
            </Box>
            <FieldGrid>
              <LockableTextField
                select
                locked={linkLocked}
                keepHint
                file={sources.file}
                label={t('smsc.fields.defaultAlphabet')}
                value={draft.defaultAlphabet}
                onChange={(e) => set('defaultAlphabet', e.target.value)}
                disabled={disabled}
                helperText={t('smsc.hints.defaultAlphabet')}
                slotProps={{
                  select: { native: true },
                  inputLabel: { shrink: true },
                  htmlInput: { 'data-testid': testIdOf('defaultAlphabet') },
                }}
              >
                <option value="gsm7">{t('smsc.alphabets.gsm7')}</option>
              </LockableTextField>
              {numberField('moReassemblyTimeoutMs', 'ms')}
              {numberField('receiptTrackingMs', 'ms')}
              {numberField('drainTimeoutMs', 'ms')}
            </FieldGrid>
          </Stack>,
        )}
      </Stack>

      {/* Nothing to save when the file sets everything. */}
      {!(linkLocked && enabledLocked) && (
        <SaveBar
          testIdPrefix="smsc"
          changes={dirty ? changed.length + (enabledChanged ? 1 : 0) : 0}
          pending={update.pending}
          blocked={attempted && blocked}
          onRevert={form.reset}
          note={dirty && changed.length > 0 && !blocked && (enabled || base.enabled) ? t('smsc.rebindNote') : null}
          error={errorElsewhere ? update.error : null}
          onCloseError={update.clearError}
        />
      )}
    </Box>
  );
}

/** The catalogue's key of an address role (i18next reads dots as nesting). */
function roleKey(role: AddressRole) {
  return role === 'destination' ? role : (role.slice('source.'.length) as 'shortCode' | 'alphanumeric' | 'international');
}

function isKnown<T extends object>(names: T, value: number): value is keyof T & number {
  return Object.prototype.hasOwnProperty.call(names, value);
}
