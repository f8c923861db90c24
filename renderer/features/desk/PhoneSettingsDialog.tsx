/**
 * The agent's phone settings: the SIP account (kept by the core per operator, desk/sip-settings-update) and the
 * audio devices of this computer (kept here, they belong to the machine). Saving restarts the phone with them.
 */
import NotificationsActiveOutlined from '@mui/icons-material/NotificationsActiveOutlined';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskSipSettings, DtmfMode } from '../../../core/api/desk-types';
import { fieldErrorText } from '../../components/fieldError';
import { useAction } from '../../hooks/useCommand';
import { useSoftphone } from './useSoftphone';
import { describeError } from '../../i18n/errors';
import { useStore } from '../../store';
import { deskController } from './deskController';
import { useDeskStore } from './deskStore';
import { softphone, type DevicePrefs } from './softphone';

interface Form {
  wsUri: string;
  sipUri: string;
  password: string;
  displayName: string;
  dtmfMode: DtmfMode;
  callWaiting: boolean;
  wrapUpSeconds: string;
}

function formOf(settings: DeskSipSettings | null, displayName: string): Form {
  return {
    wsUri: settings?.wsUri ?? '',
    sipUri: settings?.sipUri ?? '',
    password: '',
    displayName: settings?.displayName ?? displayName,
    dtmfMode: settings?.dtmfMode ?? 'info',
    callWaiting: settings?.callWaiting ?? false,
    wrapUpSeconds: settings?.wrapUpSeconds === null || settings?.wrapUpSeconds === undefined ? '' : String(settings.wrapUpSeconds),
  };
}

export function PhoneSettingsDialog() {
  const open = useDeskStore((s) => s.settingsOpen);
  const settings = useDeskStore((s) => s.settings);
  if (!open) return null;
  return <PhoneSettingsForm key={settings?.updatedAt ?? 0} settings={settings} />;
}

function PhoneSettingsForm({ settings }: { settings: DeskSipSettings | null }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.me);
  const notify = useStore((s) => s.notify);
  const config = useDeskStore((s) => s.config);
  const setOpen = useDeskStore((s) => s.setSettingsOpen);
  const devices = useDeskStore((s) => s.devices);
  const setDevices = useDeskStore((s) => s.setDevices);
  const phone = useSoftphone();
  const [form, setForm] = useState<Form>(() => formOf(settings, me?.displayName ?? ''));
  const [deviceForm, setDeviceForm] = useState<DevicePrefs>(devices);
  const [wrapUpError, setWrapUpError] = useState<string | null>(null);
  const save = useAction('desk/sip-settings-update');

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (save.error) save.clearError();
  };
  const err = (field: keyof Form) => fieldErrorText(save.error, field);
  const close = () => setOpen(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrap = form.wrapUpSeconds.trim();
    const wrapUpSeconds = wrap === '' ? null : Number(wrap);
    if (wrapUpSeconds !== null && (!Number.isInteger(wrapUpSeconds) || wrapUpSeconds < 0 || wrapUpSeconds > 3600)) {
      setWrapUpError(t('desk.settings.wrapUpInvalid'));
      return;
    }
    setWrapUpError(null);
    setDevices(deviceForm);
    void softphone.setDevices(deviceForm);
    const result = await save.run(
      {
        wsUri: form.wsUri.trim(),
        sipUri: form.sipUri.trim(),
        ...(form.password ? { password: form.password } : {}),
        displayName: form.displayName.trim(),
        dtmfMode: form.dtmfMode,
        callWaiting: form.callWaiting,
        wrapUpSeconds,
      },
      { inline: true },
    );
    if (!result) return;
    deskController.applySettings(result);
    notify('success', t('desk.settings.saved'));
    close();
  };

  const generalError = save.error && !(['wsUri', 'sipUri', 'password', 'displayName'] as const).some((f) => err(f)) ? save.error : null;
  const deviceSelect = (key: keyof DevicePrefs, label: string, options: { id: string; label: string }[], disabled = false) => (
    <TextField
      select
      label={label}
      value={options.some((o) => o.id === deviceForm[key]) ? deviceForm[key] : ''}
      onChange={(e) => setDeviceForm((d) => ({ ...d, [key]: e.target.value }))}
      disabled={disabled}
      slotProps={{ htmlInput: { 'data-testid': `desk-device-${key}` }, inputLabel: { shrink: true }, select: { displayEmpty: true } }}
    >
      <MenuItem value="">{t('desk.settings.systemDefault')}</MenuItem>
      {options.map((o) => (
        <MenuItem key={o.id} value={o.id}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Dialog open onClose={save.pending ? undefined : close} maxWidth="md" data-testid="desk-settings-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <DialogTitle>{t('desk.settings.title')}</DialogTitle>
        <DialogContent>
          {!settings && (
            <Alert severity="info" sx={{ mb: 2 }}>
              {t('desk.settings.firstTime')}
            </Alert>
          )}
          <Stack spacing={2} sx={{ pt: 1 }}>
            <Typography variant="subtitle2">{t('desk.settings.account')}</Typography>
            <Stack direction="row" spacing={2}>
              <TextField
                label={t('desk.settings.wsUri')}
                value={form.wsUri}
                onChange={(e) => set('wsUri', e.target.value)}
                placeholder="ws://127.0.0.1:8088"
                required
                autoFocus={!settings}
                error={!!err('wsUri')}
                helperText={err('wsUri') ?? t('desk.settings.wsUriHint')}
                slotProps={{ htmlInput: { 'data-testid': 'desk-settings-wsUri', spellCheck: false } }}
              />
              <TextField
                label={t('desk.settings.sipUri')}
                value={form.sipUri}
                onChange={(e) => set('sipUri', e.target.value)}
                placeholder="sip:agent1@reachback.test"
                required
                error={!!err('sipUri')}
                helperText={err('sipUri') ?? t('desk.settings.sipUriHint')}
                slotProps={{ htmlInput: { 'data-testid': 'desk-settings-sipUri', spellCheck: false } }}
              />
            </Stack>
            <Stack direction="row" spacing={2}>
              <TextField
                label={t('desk.settings.password')}
                type="password"
                value={form.password}
                onChange={(e) => set('password', e.target.value)}
                autoComplete="new-password"
                placeholder={settings?.password ? t('desk.settings.passwordKept') : ''}
                error={!!err('password')}
                helperText={err('password') ?? (settings ? t('desk.settings.passwordHint') : t('desk.settings.passwordNewHint'))}
                slotProps={{ htmlInput: { 'data-testid': 'desk-settings-password' } }}
              />
              <TextField
                label={t('desk.settings.displayName')}
                value={form.displayName}
                onChange={(e) => set('displayName', e.target.value)}
                error={!!err('displayName')}
                helperText={err('displayName') ?? ' '}
                slotProps={{ htmlInput: { 'data-testid': 'desk-settings-displayName' } }}
              />
            </Stack>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
              <TextField
                select
                label={t('desk.settings.dtmfMode')}
                value={form.dtmfMode}
                onChange={(e) => set('dtmfMode', e.target.value as DtmfMode)}
                helperText={t(`desk.settings.dtmfHint.${form.dtmfMode}`)}
                slotProps={{ htmlInput: { 'data-testid': 'desk-settings-dtmfMode' } }}
              >
                <MenuItem value="info">{t('desk.settings.dtmf.info')}</MenuItem>
                <MenuItem value="rfc2833">{t('desk.settings.dtmf.rfc2833')}</MenuItem>
              </TextField>
              <TextField
                label={t('desk.settings.wrapUp')}
                value={form.wrapUpSeconds}
                onChange={(e) => set('wrapUpSeconds', e.target.value.replace(/[^\d]/g, ''))}
                placeholder={config ? t('desk.settings.wrapUpDefault', { count: config.wrapUpSeconds }) : ''}
                error={!!wrapUpError}
                helperText={wrapUpError ?? t('desk.settings.wrapUpHint')}
                slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'desk-settings-wrapUp' } }}
              />
            </Stack>
            <FormControlLabel
              sx={{ alignItems: 'flex-start', ml: 0 }}
              control={
                <Switch
                  checked={form.callWaiting}
                  onChange={(e) => set('callWaiting', e.target.checked)}
                  data-testid="desk-settings-callWaiting"
                  sx={{ mt: 0.25, mr: 1 }}
                />
              }
              label={
                <span>
                  <Typography variant="body2">{t('desk.settings.callWaiting')}</Typography>
                  <Typography variant="caption" color="text.secondary">
                    {t('desk.settings.callWaitingHint')}
                  </Typography>
                </span>
              }
            />

            <Divider />
            <Typography variant="subtitle2">{t('desk.settings.devices')}</Typography>
            {phone.mic !== 'ok' && phone.mic !== 'unknown' && (
              <Alert severity="warning" data-testid="desk-settings-mic">
                {t(`desk.mic.${phone.mic}`)}
              </Alert>
            )}
            <Stack direction="row" spacing={2}>
              {deviceSelect('microphone', t('desk.settings.microphone'), phone.inputs)}
              {deviceSelect('speaker', t('desk.settings.speaker'), phone.outputs, !phone.sinkSupported)}
              {deviceSelect('ringer', t('desk.settings.ringer'), phone.outputs, !phone.sinkSupported)}
            </Stack>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Button
                startIcon={<NotificationsActiveOutlined />}
                onClick={() => {
                  softphone.setDevices({ ...devices, ringer: deviceForm.ringer }).catch(() => undefined);
                  softphone.testRinger();
                }}
              >
                {t('desk.settings.testRinger')}
              </Button>
              <Typography variant="caption" color="text.secondary">
                {phone.sinkSupported ? t('desk.settings.devicesHint') : t('desk.settings.noSinkHint')}
              </Typography>
            </Stack>
            {generalError && (
              <Alert severity="error" data-testid="desk-settings-error">
                {describeError(t, generalError)}
              </Alert>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={save.pending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={save.pending} data-testid="desk-settings-save">
            {t('desk.settings.save')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
