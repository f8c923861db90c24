/**
 * "Place a call": either a missed call (who calls whom, why the called phone does not answer, whether the caller hides
 * their number) or a subscriber's call to the voicemail number, the self-care IVR (SelfcareCallForm).
 */
import PhoneInTalkOutlined from '@mui/icons-material/PhoneInTalkOutlined';
import PhoneMissedOutlined from '@mui/icons-material/PhoneMissedOutlined';
import PhonePausedOutlined from '@mui/icons-material/PhonePausedOutlined';
import PowerSettingsNewOutlined from '@mui/icons-material/PowerSettingsNewOutlined';
import SignalCellularConnectedNoInternet0BarOutlined from '@mui/icons-material/SignalCellularConnectedNoInternet0BarOutlined';
import SwapVertOutlined from '@mui/icons-material/SwapVertOutlined';
import VoicemailOutlined from '@mui/icons-material/VoicemailOutlined';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { callReasons } from '../../../core/api/engine-types';
import { ErrorAlert } from '../../components/StatusViews';
import { useAction } from '../../hooks/useCommand';
import { CallButton, HiddenCallerSwitch } from './CallControls';
import { fieldError } from './fieldErrors';
import { isEnded, useLab, type CallMode, type CallReason } from './labStore';
import type { NumberTools } from './numbers';
import { PanelCard } from './PanelCard';
import { SelfcareCallForm } from './SelfcareCallForm';

/** A story in four steps a trainer can follow: the service description's, or self-care's. */
function Guide({ title, steps }: { title: string; steps: string[] }) {
  return (
    <Box component="aside" sx={{ mt: 3, pt: 2, borderTop: 1, borderColor: 'divider' }} data-testid="lab-guide">
      <Typography variant="overline" color="text.secondary" component="h3" sx={{ lineHeight: 1.8 }}>
        {title}
      </Typography>
      <Stack component="ol" spacing={1} sx={{ m: 0, p: 0, listStyle: 'none' }}>
        {steps.map((step, index) => (
          <Stack component="li" key={index} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <Box
              aria-hidden
              sx={{
                flexShrink: 0,
                width: 20,
                height: 20,
                mt: '1px',
                borderRadius: '50%',
                display: 'grid',
                placeItems: 'center',
                fontSize: '0.7rem',
                fontWeight: 700,
                bgcolor: 'action.selected',
                color: 'primary.main',
              }}
            >
              {index + 1}
            </Box>
            <Typography variant="body2" color="text.secondary" sx={{ lineHeight: 1.45 }}>
              {step}
            </Typography>
          </Stack>
        ))}
      </Stack>
    </Box>
  );
}

const reasonIcons: Record<CallReason, ReactElement> = {
  power_off: <PowerSettingsNewOutlined fontSize="small" />,
  out_of_coverage: <SignalCellularConnectedNoInternet0BarOutlined fontSize="small" />,
  busy: <PhonePausedOutlined fontSize="small" />,
  no_answer: <PhoneMissedOutlined fontSize="small" />,
};

const modeIcons: Record<CallMode, ReactElement> = {
  missed: <PhoneMissedOutlined fontSize="small" />,
  selfcare: <VoicemailOutlined fontSize="small" />,
};

interface Props {
  tools: NumberTools;
  /** The handsets on screen (E.164), offered as the phone a self-care call comes from. */
  handsetNumbers: string[];
  /** Handsets to refresh after a call or an SMS from here. */
  onNetworkChange(): void;
}

export function CallPanel({ tools, handsetNumbers, onNetworkChange }: Props) {
  const { t } = useTranslation();
  const mode = useLab((s) => s.form.mode);
  const setForm = useLab((s) => s.setForm);
  const selfcare = mode === 'selfcare';
  return (
    <PanelCard
      icon={selfcare ? <VoicemailOutlined /> : <PhoneInTalkOutlined />}
      title={t('lab.call.title')}
      subtitle={selfcare ? t('lab.selfcare.subtitle') : t('lab.call.subtitle')}
      testId="lab-call-panel"
      scroll
    >
      <ToggleButtonGroup
        exclusive
        fullWidth
        size="small"
        color="primary"
        value={mode}
        onChange={(_, value: CallMode | null) => value && setForm({ mode: value })}
        aria-label={t('lab.selfcare.mode')}
        data-testid="lab-mode"
        data-value={mode}
        sx={{ mb: 2 }}
      >
        {(['missed', 'selfcare'] as const).map((value) => (
          <ToggleButton
            key={value}
            value={value}
            data-testid={`lab-mode-${value}`}
            sx={{ gap: 0.75, py: 0.75, textTransform: 'none', fontWeight: 600, lineHeight: 1.2 }}
          >
            {modeIcons[value]}
            {value === 'missed' ? t('lab.selfcare.modeMissed') : t('lab.selfcare.modeSelfcare')}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {selfcare ? (
        <>
          <SelfcareCallForm tools={tools} handsetNumbers={handsetNumbers} onNetworkChange={onNetworkChange} />
          <Guide
            title={t('lab.selfcare.guide.title')}
            steps={[
              t('lab.selfcare.guide.step1'),
              t('lab.selfcare.guide.step2'),
              t('lab.selfcare.guide.step3'),
              t('lab.selfcare.guide.step4'),
            ]}
          />
        </>
      ) : (
        <>
          <MissedCallForm tools={tools} onNetworkChange={onNetworkChange} />
          <Guide
            title={t('lab.guide.title')}
            steps={[t('lab.guide.step1'), t('lab.guide.step2'), t('lab.guide.step3'), t('lab.guide.step4')]}
          />
        </>
      )}
    </PanelCard>
  );
}

/** Who calls whom, and why the called phone does not answer. */
function MissedCallForm({ tools, onNetworkChange }: Omit<Props, 'handsetNumbers'>) {
  const { t } = useTranslation();
  const form = useLab((s) => s.form);
  const setForm = useLab((s) => s.setForm);
  const dialogue = useLab((s) => s.dialogue);
  const startDialogue = useLab((s) => s.startDialogue);
  const rememberNumbers = useLab((s) => s.rememberNumbers);
  const call = useAction('lab/call');
  const setNotSubscriber = useLab((s) => s.setNotSubscriber);
  // The called number of the last attempt: a "not a subscriber" answer is explained in the IVR panel.
  const attempted = useRef<string | null>(null);
  useEffect(() => {
    if (call.error?.code === 'not_found' && attempted.current !== null) setNotSubscriber(attempted.current);
  }, [call.error, setNotSubscriber]);

  const inCall = dialogue !== null && !isEnded(dialogue);
  const callerError = fieldError(t, call.error, 'caller');
  const calleeError = fieldError(t, call.error, 'callee');
  const otherError = call.error && !callerError && !calleeError && call.error.code !== 'not_found' ? call.error : null;

  const edit = (patch: Parameters<typeof setForm>[0]) => {
    setForm(patch);
    call.clearError();
    setNotSubscriber(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inCall) return;
    setNotSubscriber(null);
    const { caller, callee, reason, clir } = form;
    attempted.current = callee;
    const result = await call.run({ caller, callee, reason, clir }, { inline: true });
    if (!result) return;
    const callerE164 = tools.toE164(caller) ?? caller;
    const calleeE164 = tools.toE164(callee) ?? callee;
    startDialogue({ kind: 'missed', session: result.session, caller: callerE164, callee: calleeE164, reason, clir }, result.action);
    rememberNumbers([callerE164, calleeE164]);
    onNetworkChange();
  };

  return (
    <Stack component="form" spacing={2} onSubmit={(e) => void submit(e)} noValidate>
      <Box sx={{ position: 'relative' }}>
        <Stack spacing={1.5}>
          <TextField
            label={t('lab.call.caller')}
            value={form.caller}
            onChange={(e) => edit({ caller: e.target.value })}
            error={callerError !== null}
            helperText={callerError ?? t('lab.call.callerHint')}
            autoComplete="off"
            slotProps={{ htmlInput: { 'data-testid': 'lab-caller', inputMode: 'tel', spellCheck: false, maxLength: 40 } }}
          />
          <TextField
            label={t('lab.call.callee')}
            value={form.callee}
            onChange={(e) => edit({ callee: e.target.value })}
            error={calleeError !== null}
            helperText={calleeError ?? t('lab.call.calleeHint')}
            autoComplete="off"
            slotProps={{ htmlInput: { 'data-testid': 'lab-callee', inputMode: 'tel', spellCheck: false, maxLength: 40 } }}
          />
        </Stack>
        <Tooltip title={t('lab.call.swap')}>
          <IconButton
            onClick={() => edit({ caller: form.callee, callee: form.caller })}
            aria-label={t('lab.call.swap')}
            data-testid="lab-swap"
            sx={{
              position: 'absolute',
              right: 6,
              top: 'calc(50% - 26px)',
              bgcolor: 'background.paper',
              border: 1,
              borderColor: 'divider',
              '&:hover': { bgcolor: 'action.hover' },
            }}
          >
            <SwapVertOutlined fontSize="small" />
          </IconButton>
        </Tooltip>
      </Box>

      <Box>
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.75 }} id="lab-reason-label">
          {t('lab.call.reason')}
        </Typography>
        <ToggleButtonGroup
          orientation="vertical"
          exclusive
          fullWidth
          size="small"
          value={form.reason}
          onChange={(_, value: CallReason | null) => value && edit({ reason: value })}
          aria-labelledby="lab-reason-label"
          data-testid="lab-reason"
          data-value={form.reason}
        >
          {callReasons.map((reason) => (
            <ToggleButton
              key={reason}
              value={reason}
              data-testid={`lab-reason-${reason}`}
              sx={{ justifyContent: 'flex-start', gap: 1, py: 0.6, textTransform: 'none' }}
            >
              {reasonIcons[reason]}
              {t(`lab.reasons.${reason}`)}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>

      <HiddenCallerSwitch checked={form.clir} onChange={(clir) => edit({ clir })} hint={t('lab.call.clirHint')} testId="lab-clir" />

      <CallButton disabled={call.pending} inCall={inCall} testId="lab-call">
        {t('lab.call.call')}
      </CallButton>

      {otherError && <ErrorAlert error={otherError} onClose={call.clearError} />}
    </Stack>
  );
}
