/** Opens a new subscriber or changes one: services, language, state, privacy with hidden windows, tariff and PIN. */
import AddOutlined from '@mui/icons-material/AddOutlined';
import DeleteOutlineOutlined from '@mui/icons-material/DeleteOutlineOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  languages,
  privacyModes,
  serviceNames,
  subscriberStates,
  type ServiceName,
  type Subscriber,
  type SubscriberDetail,
} from '../../../core/api/engine-types';
import { call } from '../../api/call';
import { fieldErrorText } from '../../components/fieldError';
import { FormDialog } from '../../components/FormDialog';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction } from '../../hooks/useCommand';
import { useMsisdnFormat, useMsisdnParser } from './numbers';

export type SubscriberDialogState = { mode: 'create'; msisdn?: string } | { mode: 'edit'; subscriber: Subscriber };

const maxHiddenWindows = 10;
const pinPattern = /^\d{4,8}$/;
const hhmmPattern = /^([01]\d|2[0-3]):[0-5]\d$/;
const serviceTestIds: Record<ServiceName, string> = {
  missedCallAlert: 'subscriber-mca',
  reachableAlert: 'subscriber-ra',
  voicemail: 'subscriber-vm',
};

interface Props {
  state: SubscriberDialogState;
  onClose(): void;
  onSaved(detail: SubscriberDetail): void;
}

export function SubscriberDialog({ state, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const formatNumber = useMsisdnFormat();
  const parseNumber = useMsisdnParser();
  const editing = state.mode === 'edit' ? state.subscriber : null;
  const [msisdn, setMsisdn] = useState(state.mode === 'create' ? (state.msisdn ?? '') : '');
  const [services, setServices] = useState<Subscriber['services']>(
    editing?.services ?? { missedCallAlert: true, reachableAlert: false, voicemail: false },
  );
  const [language, setLanguage] = useState<Subscriber['language']>(editing?.language ?? 'zh-CN');
  const [subscriberState, setSubscriberState] = useState<Subscriber['state']>(editing?.state ?? 'active');
  const [privacy, setPrivacy] = useState<Subscriber['privacy']['mode']>(editing?.privacy.mode ?? 'all');
  const [hidden, setHidden] = useState<{ from: string; to: string }[]>(editing?.privacy.hidden ?? []);
  const [tariff, setTariff] = useState(editing?.tariff ?? '');
  const [pin, setPin] = useState('');
  const [touched, setTouched] = useState(false);
  /** The number typed for a new subscriber already is one: saving would replace its settings. */
  const [existing, setExisting] = useState<string | null>(null);
  const provision = useAction('subscribers/provision');

  const parsed = editing ? ({ ok: true, e164: editing.msisdn } as const) : parseNumber(msisdn);
  const pinOk = pin === '' || pinPattern.test(pin);
  const windowsOk = hidden.every((w) => hhmmPattern.test(w.from) && hhmmPattern.test(w.to) && w.from !== w.to);
  const serverMsisdn = fieldErrorText(provision.error, 'msisdn');
  const serverPin = fieldErrorText(provision.error, 'pin');
  const serverTariff = fieldErrorText(provision.error, 'tariff');
  const serverHidden = fieldErrorText(provision.error, 'privacy');
  const fieldErrorShown = serverMsisdn ?? serverPin ?? serverTariff ?? serverHidden;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!parsed.ok || !pinOk || !windowsOk) return;
    const target = parsed.e164;
    if (!editing && existing !== target) {
      // Provisioning replaces a subscriber's settings: say so before overwriting someone who already subscribes.
      const found = await call('subscribers/get', { msisdn: target }).then(
        () => true,
        () => false,
      );
      if (found) {
        setExisting(target);
        return;
      }
    }
    const result = await provision.run(
      {
        msisdn: target,
        services,
        language,
        state: subscriberState,
        privacy: { mode: privacy, hidden },
        // Emptied on an existing subscriber: no plan; left empty on a new one: the default plan.
        tariff: tariff.trim() || (editing ? null : undefined),
        ...(pin ? { pin } : {}),
        // Unless the operator chose to replace an existing subscriber, the core refuses to overwrite one.
        createOnly: !editing && existing !== target,
      },
      { inline: true, success: t('subscribers.saved', { number: formatNumber(target) }) },
    );
    if (result) onSaved(result);
  };

  const setWindow = (index: number, part: 'from' | 'to', value: string) =>
    setHidden((list) => list.map((w, i) => (i === index ? { ...w, [part]: value } : w)));

  return (
    <FormDialog
      title={editing ? t('subscribers.editTitle', { number: formatNumber(editing.msisdn) }) : t('subscribers.createTitle')}
      submitLabel={existing && !editing ? t('subscribers.replace') : editing ? t('common.save') : t('subscribers.create')}
      pending={provision.pending}
      onSubmit={(e) => void submit(e)}
      onClose={onClose}
      testId="subscriber"
    >
      <Stack spacing={2} sx={{ pt: 1 }}>
        {provision.error && !fieldErrorShown && <ErrorAlert error={provision.error} onClose={provision.clearError} />}
        {!editing && (
          <TextField
            label={t('subscribers.fields.msisdn')}
            value={msisdn}
            onChange={(e) => {
              setMsisdn(e.target.value);
              setExisting(null);
              provision.clearError();
            }}
            required
            autoFocus
            error={(touched && !parsed.ok) || !!serverMsisdn}
            helperText={
              serverMsisdn ??
              (touched && !parsed.ok
                ? parsed.message
                : parsed.ok
                  ? t('subscribers.savedAs', { number: formatNumber(parsed.e164), e164: parsed.e164 })
                  : t('subscribers.msisdnHint'))
            }
            slotProps={{ htmlInput: { 'data-testid': 'subscriber-msisdn', inputMode: 'tel', maxLength: 40, spellCheck: false } }}
          />
        )}
        {existing && !editing && (
          <Alert severity="warning" data-testid="subscriber-exists">
            {t('subscribers.alreadyExists', { number: formatNumber(existing) })}
          </Alert>
        )}
        <Box>
          <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
            {t('subscribers.fields.services')}
          </Typography>
          <Stack>
            {serviceNames.map((s) => (
              <FormControlLabel
                key={s}
                control={
                  <Switch
                    checked={services[s]}
                    onChange={(e) => setServices((v) => ({ ...v, [s]: e.target.checked }))}
                    slotProps={{ input: { 'data-testid': serviceTestIds[s] } as object }}
                  />
                }
                label={
                  <span>
                    {t(`subscribers.services.${s}`)}
                    <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1 }}>
                      {t(`subscribers.serviceHints.${s}`)}
                    </Typography>
                  </span>
                }
                slotProps={{ typography: { variant: 'body2' } }}
              />
            ))}
          </Stack>
          {subscriberState !== 'active' && <FormHelperText>{t('subscribers.servicesInactiveHint')}</FormHelperText>}
        </Box>
        <Stack direction="row" spacing={2}>
          <TextField
            select
            label={t('subscribers.fields.language')}
            value={language}
            onChange={(e) => setLanguage(e.target.value as Subscriber['language'])}
            helperText={t('subscribers.languageHint')}
            slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'subscriber-language' } }}
          >
            {languages.map((l) => (
              <option key={l} value={l}>
                {t(`subscribers.languages.${l}`)}
              </option>
            ))}
          </TextField>
          <TextField
            select
            label={t('subscribers.fields.state')}
            value={subscriberState}
            onChange={(e) => setSubscriberState(e.target.value as Subscriber['state'])}
            helperText={t(`subscribers.stateHints.${subscriberState}`)}
            slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'subscriber-state' } }}
          >
            {subscriberStates.map((s) => (
              <option key={s} value={s}>
                {t(`subscribers.states.${s}`)}
              </option>
            ))}
          </TextField>
        </Stack>
        <Divider />
        <Box>
          <TextField
            select
            label={t('subscribers.fields.privacy')}
            value={privacy}
            onChange={(e) => setPrivacy(e.target.value as Subscriber['privacy']['mode'])}
            helperText={t(`subscribers.privacyHints.${privacy}`)}
            slotProps={{ select: { native: true }, inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'subscriber-privacy' } }}
          >
            {privacyModes.map((m) => (
              <option key={m} value={m}>
                {t(`subscribers.privacy.${m}`)}
              </option>
            ))}
          </TextField>
        </Box>
        <Box data-testid="subscriber-hidden-windows">
          <Typography variant="subtitle2">{t('subscribers.fields.hidden')}</Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {t('subscribers.hiddenHint')}
          </Typography>
          <Stack spacing={1}>
            {hidden.map((w, index) => {
              const bad = touched && (!hhmmPattern.test(w.from) || !hhmmPattern.test(w.to) || w.from === w.to);
              return (
                <Stack key={index} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <TextField
                    type="time"
                    label={t('subscribers.fields.from')}
                    value={w.from}
                    onChange={(e) => setWindow(index, 'from', e.target.value)}
                    error={bad}
                    slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': `subscriber-hidden-from-${index}` } }}
                    sx={{ maxWidth: 150 }}
                  />
                  <Typography color="text.secondary">–</Typography>
                  <TextField
                    type="time"
                    label={t('subscribers.fields.to')}
                    value={w.to}
                    onChange={(e) => setWindow(index, 'to', e.target.value)}
                    error={bad}
                    slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': `subscriber-hidden-to-${index}` } }}
                    sx={{ maxWidth: 150 }}
                  />
                  <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
                    {w.from > w.to && hhmmPattern.test(w.from) && hhmmPattern.test(w.to) ? t('subscribers.overnight') : ''}
                  </Typography>
                  <Tooltip title={t('subscribers.removeWindow')}>
                    <IconButton
                      aria-label={t('subscribers.removeWindow')}
                      onClick={() => setHidden((list) => list.filter((_, i) => i !== index))}
                    >
                      <DeleteOutlineOutlined fontSize="small" />
                    </IconButton>
                  </Tooltip>
                </Stack>
              );
            })}
            {(serverHidden || (touched && !windowsOk)) && (
              <FormHelperText error>{serverHidden ?? t('subscribers.windowInvalid')}</FormHelperText>
            )}
            <Box>
              <Button
                startIcon={<AddOutlined />}
                onClick={() => setHidden((list) => [...list, { from: '22:00', to: '07:00' }])}
                disabled={hidden.length >= maxHiddenWindows}
                data-testid="subscriber-hidden-add"
              >
                {t('subscribers.addWindow')}
              </Button>
            </Box>
          </Stack>
        </Box>
        <Divider />
        <Stack direction="row" spacing={2}>
          <TextField
            label={t('subscribers.fields.tariff')}
            value={tariff}
            onChange={(e) => setTariff(e.target.value)}
            error={!!serverTariff}
            helperText={serverTariff ?? t('subscribers.tariffHint')}
            slotProps={{ htmlInput: { 'data-testid': 'subscriber-tariff', maxLength: 60 } }}
          />
          <TextField
            label={t('subscribers.fields.pin')}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            error={(touched && !pinOk) || !!serverPin}
            helperText={
              serverPin ??
              (touched && !pinOk ? t('subscribers.pinInvalid') : editing?.hasPin ? t('subscribers.pinKeep') : t('subscribers.pinHint'))
            }
            autoComplete="off"
            slotProps={{ htmlInput: { 'data-testid': 'subscriber-pin', inputMode: 'numeric', maxLength: 8 } }}
          />
        </Stack>
      </Stack>
    </FormDialog>
  );
}
