/**
 * The softphone: registration state always in view, the ringing call (answer, reject), and the call in progress
 * (timer, mute, hold, keypad, blind transfer, hang-up, and whether audio flows each way).
 */
import CallEndOutlined from '@mui/icons-material/CallEndOutlined';
import CallOutlined from '@mui/icons-material/CallOutlined';
import DialpadOutlined from '@mui/icons-material/DialpadOutlined';
import MicOffOutlined from '@mui/icons-material/MicOffOutlined';
import MicOutlined from '@mui/icons-material/MicOutlined';
import PauseOutlined from '@mui/icons-material/PauseOutlined';
import PhoneForwardedOutlined from '@mui/icons-material/PhoneForwardedOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import VolumeOffOutlined from '@mui/icons-material/VolumeOffOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../hooks/useNow';
import { useSoftphone } from './useSoftphone';
import { useStore } from '../../store';
import { monoFontFamily } from '../../theme/theme';
import { deskController } from './deskController';
import { answerCall } from './DeskHost';
import { useDeskStore } from './deskStore';
import { formatClock, useNumberText } from './labels';
import { describePhone, ring } from './PhoneStatus';
import { shortcutKeys } from './shortcuts';
import { softphone, type PhoneCall } from './softphone';

export function Kbd({ children }: { children: ReactNode }) {
  return (
    <Box
      component="kbd"
      sx={{
        fontFamily: monoFontFamily,
        fontSize: '0.7rem',
        px: 0.5,
        py: 0.1,
        ml: 0.75,
        borderRadius: 0.75,
        border: 1,
        borderColor: 'currentColor',
        opacity: 0.8,
        lineHeight: 1.4,
      }}
    >
      {children}
    </Box>
  );
}

export function SoftphonePanel() {
  const { t } = useTranslation();
  const phone = useSoftphone();
  const hasSettings = useDeskStore((s) => s.hasSipSettings);
  const openSettings = useDeskStore((s) => s.setSettingsOpen);
  const status = describePhone(t, phone, hasSettings);
  const calls = phone.calls;
  const open = calls.filter((c) => c.state !== 'ended');
  const ended = calls.filter((c) => c.state === 'ended');
  const reg = phone.registration;
  const agentReady = useDeskStore((s) => s.agent?.presence === 'ready');

  const action =
    reg === 'registered' || reg === 'registering' ? (
      <Button size="small" onClick={() => softphone.unregister()} disabled={open.length > 0} data-testid="desk-unregister">
        {t('desk.phone.unregister')}
      </Button>
    ) : reg === 'stopped' && !hasSettings ? (
      <Button size="small" variant="contained" onClick={() => openSettings(true)} data-testid="desk-setup">
        {t('desk.phone.setUp')}
      </Button>
    ) : reg === 'failed' ? (
      <Button size="small" onClick={() => openSettings(true)} data-testid="desk-fix-settings">
        {t('desk.phone.checkSettings')}
      </Button>
    ) : (
      <Button size="small" onClick={() => softphone.register()} data-testid="desk-register">
        {reg === 'reconnecting' ? t('desk.phone.retryNow') : t('desk.phone.register')}
      </Button>
    );

  return (
    <Card data-testid="desk-phone" sx={{ display: 'flex', flexDirection: 'column' }}>
      <CardContent sx={{ pb: 1 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.75 }}>
          <Typography variant="h6" sx={{ flex: 1 }}>
            {t('desk.phone.title')}
          </Typography>
          <Chip
            color={status.color}
            variant={reg === 'registered' ? 'filled' : 'outlined'}
            label={status.label}
            data-testid="desk-phone-state"
            data-state={reg}
            data-error={phone.error?.kind ?? ''}
          />
        </Stack>
        <Typography variant="body2" color={status.color === 'error' ? 'error' : 'text.secondary'} data-testid="desk-phone-detail">
          {status.detail}
        </Typography>
        {status.technical && (
          <Typography
            variant="caption"
            color="text.secondary"
            component="div"
            sx={{ fontFamily: monoFontFamily, mt: 0.5 }}
            data-testid="desk-phone-technical"
          >
            {status.technical}
          </Typography>
        )}
        <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 0.5 }}>{action}</Box>
        {(reg === 'connecting' || reg === 'reconnecting' || reg === 'registering') && <LinearProgress sx={{ mt: 1, height: 2 }} />}
        {phone.ringerBlocked && (
          <Alert severity="warning" icon={<VolumeOffOutlined />} sx={{ mt: 1 }} data-testid="desk-ringer-blocked">
            {t('desk.phone.ringerBlocked')}
          </Alert>
        )}
        {phone.mic !== 'ok' && phone.mic !== 'unknown' && (
          <Alert severity="warning" icon={<MicOffOutlined />} sx={{ mt: 1 }} data-testid="desk-mic" data-state={phone.mic}>
            {t(`desk.mic.${phone.mic}`)}
            {phone.micDetail && (
              <Typography variant="caption" component="div" sx={{ mt: 0.5, opacity: 0.8 }}>
                {phone.micDetail}
              </Typography>
            )}
          </Alert>
        )}
      </CardContent>
      <Divider />
      <CardContent sx={{ flex: 1 }}>
        {open.length === 0 && <IdlePhone registered={reg === 'registered'} ready={agentReady} />}
        <Stack spacing={1.5}>
          {open.map((call) => (
            <CallCard key={call.id} call={call} others={open.length > 1} micBlocked={phone.mic === 'denied' || phone.mic === 'missing'} />
          ))}
          {ended.map((call) => (
            <EndedCall key={call.id} call={call} />
          ))}
        </Stack>
      </CardContent>
    </Card>
  );
}

function IdlePhone({ registered, ready }: { registered: boolean; ready: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack spacing={1.5} sx={{ alignItems: 'center', py: 3, color: 'text.secondary' }} data-testid="desk-phone-idle">
      <CallOutlined fontSize="large" color="disabled" />
      <Typography variant="body2" sx={{ textAlign: 'center' }}>
        {!registered ? t('desk.phone.noCalls') : ready ? t('desk.phone.waiting') : t('desk.phone.notReady')}
      </Typography>
      <Stack spacing={0.5} sx={{ fontSize: '0.8rem' }}>
        <span>
          <Kbd>{shortcutKeys.answer.label}</Kbd> {t('desk.shortcuts.answer')}
        </span>
        <span>
          <Kbd>{shortcutKeys.hangup.label}</Kbd> {t('desk.shortcuts.hangup')}
        </span>
        <span>
          <Kbd>{shortcutKeys.mute.label}</Kbd> {t('desk.shortcuts.mute')}
        </span>
      </Stack>
    </Stack>
  );
}

function EndedCall({ call }: { call: PhoneCall }) {
  const { t } = useTranslation();
  const number = useNumberText();
  const why = call.busyRejected ? 'busy' : (call.endReason ?? 'hangup');
  return (
    <Alert severity={why === 'failed' ? 'error' : 'info'} variant="outlined" data-testid="desk-call-ended" data-reason={why}>
      {t(`desk.call.ended.${why}`, {
        caller: number(call.caller),
        cause: call.endCause ?? '',
        // A SIP URI's user part reads as the number it is; anything else as written.
        target: number(call.transfer?.target.replace(/^sips?:/i, '').replace(/@.*$/, '')),
      })}
    </Alert>
  );
}

function CallCard({ call, others, micBlocked }: { call: PhoneCall; others: boolean; micBlocked: boolean }) {
  const { t } = useTranslation();
  const number = useNumberText();
  const now = useNow(1000);
  const notify = useStore((s) => s.notify);
  const select = useDeskStore((s) => s.select);
  const lookedUp = useDeskStore((s) => s.work.find((w) => w.callId === call.id)?.lookedUp ?? null);
  const ringing = call.state === 'ringing';
  const active = call.state === 'active';

  return (
    <Box
      data-testid="desk-call"
      data-call-id={call.id}
      data-state={call.state}
      onClick={() => select(call.id)}
      sx={{
        border: 2,
        borderRadius: 1.5,
        borderColor: ringing ? 'info.main' : active ? (call.held ? 'warning.main' : 'primary.main') : 'divider',
        p: 1.5,
        ...(ringing ? { animation: `${ring} 1.4s ease-in-out infinite` } : {}),
      }}
    >
      <Stack direction="row" sx={{ alignItems: 'baseline', mb: 0.5 }}>
        <Typography variant="overline" color={ringing ? 'info.main' : 'text.secondary'} sx={{ flex: 1 }}>
          {ringing
            ? others
              ? t('desk.call.waitingCall')
              : t('desk.call.incoming')
            : call.state === 'connecting'
              ? t('desk.call.connecting')
              : call.held
                ? t('desk.call.onHold')
                : t('desk.call.inCall')}
        </Typography>
        <Typography variant="h6" sx={{ fontFamily: monoFontFamily }} data-testid="desk-call-timer">
          {formatClock(now - (call.answeredAt ?? call.receivedAt))}
        </Typography>
      </Stack>
      <Typography variant="h4" sx={{ fontSize: '1.35rem' }} data-testid="desk-call-caller">
        {number(call.caller)}
      </Typography>
      <Typography variant="body2" color="text.secondary" data-testid="desk-call-called">
        {call.called
          ? t('desk.call.forCalled', { called: number(call.called) })
          : lookedUp
            ? t('desk.call.forLookedUp', { called: number(lookedUp) })
            : t('desk.call.calledUnknown')}
      </Typography>
      {call.remoteName && (
        <Typography variant="caption" color="text.secondary">
          {call.remoteName}
        </Typography>
      )}

      {ringing && (
        <Stack spacing={1} sx={{ mt: 1.5 }}>
          <Tooltip title={micBlocked ? t('desk.call.answerNeedsMic') : ''}>
            <span style={{ display: 'flex' }}>
              <Button
                variant="contained"
                color="success"
                size="large"
                fullWidth
                startIcon={<CallOutlined />}
                disabled={micBlocked}
                onClick={() => void answerCall(call.id, (m) => notify('error', m), t)}
                data-testid="desk-answer"
              >
                {t('desk.call.answer')}
                <Kbd>{shortcutKeys.answer.label}</Kbd>
              </Button>
            </span>
          </Tooltip>
          <Stack direction="row" spacing={1}>
            <Button
              variant="outlined"
              color="error"
              startIcon={<CallEndOutlined />}
              onClick={() => void deskController.reject(call.id)}
              data-testid="desk-reject"
              sx={{ flex: 1 }}
            >
              {t('desk.call.reject')}
              {!others && <Kbd>{shortcutKeys.hangup.label}</Kbd>}
            </Button>
            <Button color="inherit" startIcon={<VolumeOffOutlined />} onClick={() => softphone.silence()} sx={{ flex: 1 }}>
              {t('desk.call.silence')}
            </Button>
          </Stack>
        </Stack>
      )}

      {call.state === 'connecting' && (
        <Stack direction="row" spacing={1} sx={{ mt: 1.5, alignItems: 'center', color: 'text.secondary' }}>
          <CircularProgress size={16} />
          <Typography variant="body2">{t('desk.call.connectingAudio')}</Typography>
        </Stack>
      )}

      {active && <ActiveControls call={call} now={now} />}
    </Box>
  );
}

function ActiveControls({ call, now }: { call: PhoneCall; now: number }) {
  const { t } = useTranslation();
  const [keypad, setKeypad] = useState(false);
  const [transferOpen, setTransferOpen] = useState(false);
  return (
    <>
      <Stack direction="row" spacing={0.75} sx={{ mt: 1, flexWrap: 'wrap', rowGap: 0.75 }}>
        {call.muted && (
          <Chip size="small" color="warning" icon={<MicOffOutlined />} label={t('desk.call.muted')} data-testid="desk-call-muted" />
        )}
        {call.held && (
          <Chip size="small" color="warning" icon={<PauseOutlined />} label={t('desk.call.onHold')} data-testid="desk-call-held" />
        )}
        {call.remoteHeld && <Chip size="small" variant="outlined" label={t('desk.call.remoteHold')} data-testid="desk-call-remote-held" />}
      </Stack>
      <AudioFlow call={call} now={now} />
      <Stack direction="row" spacing={1} sx={{ mt: 1.5 }}>
        <Button
          variant={call.muted ? 'contained' : 'outlined'}
          color={call.muted ? 'warning' : 'inherit'}
          startIcon={call.muted ? <MicOffOutlined /> : <MicOutlined />}
          onClick={() => softphone.setMuted(call.id, !call.muted)}
          data-testid="desk-mute"
          aria-pressed={call.muted}
          sx={{ flex: 1 }}
        >
          {call.muted ? t('desk.call.unmute') : t('desk.call.mute')}
          <Kbd>{shortcutKeys.mute.label}</Kbd>
        </Button>
        <Button
          variant={call.held ? 'contained' : 'outlined'}
          color={call.held ? 'warning' : 'inherit'}
          startIcon={call.holdPending ? <CircularProgress size={14} /> : call.held ? <PlayArrowOutlined /> : <PauseOutlined />}
          disabled={call.holdPending}
          onClick={() => softphone.hold(call.id, !call.held)}
          data-testid="desk-hold"
          aria-pressed={call.held}
          sx={{ flex: 1 }}
        >
          {call.held ? t('desk.call.resume') : t('desk.call.hold')}
        </Button>
      </Stack>
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        <Button
          variant={keypad ? 'contained' : 'outlined'}
          color="inherit"
          startIcon={<DialpadOutlined />}
          onClick={() => setKeypad(!keypad)}
          data-testid="desk-keypad-toggle"
          sx={{ flex: 1 }}
        >
          {t('desk.call.keypad')}
        </Button>
        <Button
          variant={transferOpen ? 'contained' : 'outlined'}
          color="inherit"
          startIcon={<PhoneForwardedOutlined />}
          onClick={() => setTransferOpen(!transferOpen)}
          data-testid="desk-transfer-toggle"
          sx={{ flex: 1 }}
        >
          {t('desk.call.transfer')}
        </Button>
      </Stack>
      {keypad && <DtmfKeypad call={call} />}
      {transferOpen && <TransferForm call={call} />}
      <Button
        variant="contained"
        color="error"
        size="medium"
        fullWidth
        startIcon={<CallEndOutlined />}
        onClick={() => softphone.hangup(call.id)}
        data-testid="desk-hangup"
        sx={{ mt: 1.5 }}
      >
        {t('desk.call.hangup')}
        <Kbd>{shortcutKeys.hangup.label}</Kbd>
      </Button>
    </>
  );
}

/** Whether audio flows each way: packets counted by the browser, and a level bar. */
function AudioFlow({ call, now }: { call: PhoneCall; now: number }) {
  const { t } = useTranslation();
  const stats = call.stats;
  const row = (label: string, level: number, packets: number, testId: string) => (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Typography variant="caption" color="text.secondary" sx={{ width: 86 }}>
        {label}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, Math.sqrt(level) * 140)}
        color={packets > 0 ? 'success' : 'inherit'}
        sx={{ flex: 1, height: 6, borderRadius: 3 }}
      />
      <Typography variant="caption" color="text.secondary" sx={{ width: 92, textAlign: 'right' }} data-testid={testId}>
        {t('desk.call.packets', { count: packets })}
      </Typography>
    </Stack>
  );
  const silentIn = stats !== null && stats.packetsIn === 0;
  return (
    <Box sx={{ mt: 1 }} data-testid="desk-audio" data-packets-in={stats?.packetsIn ?? 0} data-packets-out={stats?.packetsOut ?? 0}>
      {row(t('desk.call.audioIn'), stats?.levelIn ?? 0, stats?.packetsIn ?? 0, 'desk-audio-in')}
      {row(t('desk.call.audioOut'), call.muted ? 0 : (stats?.levelOut ?? 0), stats?.packetsOut ?? 0, 'desk-audio-out')}
      {silentIn && call.answeredAt && now - call.answeredAt > 4000 && (
        <Typography variant="caption" color="warning.main">
          {t('desk.call.noAudioIn')}
        </Typography>
      )}
      {(call.dtmfSent || call.dtmfReceived) && (
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5 }} data-testid="desk-dtmf">
          {call.dtmfSent && t('desk.call.dtmfSent', { digits: call.dtmfSent })}
          {call.dtmfSent && call.dtmfReceived && ' · '}
          {call.dtmfReceived && t('desk.call.dtmfReceived', { digits: call.dtmfReceived })}
        </Typography>
      )}
    </Box>
  );
}

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function DtmfKeypad({ call }: { call: PhoneCall }) {
  const { t } = useTranslation();
  const mode = useSoftphone().config?.dtmfMode ?? 'info';
  return (
    <Box sx={{ mt: 1 }} data-testid="desk-keypad">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 0.75 }}>
        {keys.map((key) => (
          <Button
            key={key}
            variant="outlined"
            color="inherit"
            onClick={() => softphone.sendDtmf(call.id, key)}
            data-testid={`desk-key-${key === '*' ? 'star' : key === '#' ? 'hash' : key}`}
            sx={{ fontFamily: monoFontFamily, fontSize: '1rem', py: 0.5 }}
          >
            {key}
          </Button>
        ))}
      </Box>
      <Typography variant="caption" color="text.secondary">
        {t(`desk.call.dtmfMode.${mode}`)}
      </Typography>
    </Box>
  );
}

function TransferForm({ call }: { call: PhoneCall }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState('');
  const domain = useSoftphone().config?.sipUri.split('@')[1] ?? '';
  const sending = call.transfer?.state === 'sending';
  const submit = () => {
    const text = target.trim();
    if (!text) return;
    softphone.transfer(call.id, text.includes('@') || text.startsWith('sip:') || !domain ? text : `sip:${text}@${domain}`);
  };
  return (
    <Box sx={{ mt: 1 }}>
      <Stack direction="row" spacing={1}>
        <TextField
          label={t('desk.call.transferTo')}
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') submit();
          }}
          placeholder={t('desk.call.transferPlaceholder')}
          slotProps={{ htmlInput: { 'data-testid': 'desk-transfer-target' } }}
        />
        <Button variant="contained" onClick={submit} disabled={sending || !target.trim()} data-testid="desk-transfer">
          {t('desk.call.transferSend')}
        </Button>
      </Stack>
      {call.transfer?.state === 'failed' && (
        <Typography variant="caption" color="error" data-testid="desk-transfer-error">
          {t('desk.call.transferFailed', { detail: call.transfer.detail ?? '' })}
        </Typography>
      )}
      <Typography variant="caption" color="text.secondary" component="div">
        {t('desk.call.transferHint')}
      </Typography>
    </Box>
  );
}
