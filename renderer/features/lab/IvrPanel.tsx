/** The live IVR dialogue: what the caller hears, what they press, and how the call ends. */
import BackspaceOutlined from '@mui/icons-material/BackspaceOutlined';
import CallEndOutlined from '@mui/icons-material/CallEndOutlined';
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import FiberManualRecord from '@mui/icons-material/FiberManualRecord';
import HourglassEmptyOutlined from '@mui/icons-material/HourglassEmptyOutlined';
import MicOutlined from '@mui/icons-material/MicOutlined';
import PowerSettingsNewOutlined from '@mui/icons-material/PowerSettingsNewOutlined';
import RecordVoiceOverOutlined from '@mui/icons-material/RecordVoiceOverOutlined';
import SendOutlined from '@mui/icons-material/SendOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import { keyframes } from '@mui/material/styles';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandArgs } from '../../../core/api';
import { useAction } from '../../hooks/useCommand';
import { useStore } from '../../store';
import { Keypad, keypadKeys, type KeypadKey } from './Keypad';
import { currentAction, isEnded, useLab, type CallerMove } from './labStore';
import type { NumberTools } from './numbers';
import { NotSubscriber } from './NotSubscriber';
import { PanelCard } from './PanelCard';
import { entryKind, selfcareKeys } from './selfcare';
import { SelfcareSummary } from './SelfcareSummary';
import { Transcript } from './Transcript';

const recordSeconds = 3;

const pulse = keyframes`
  0% { opacity: 1; }
  50% { opacity: 0.35; }
  100% { opacity: 1; }
`;

type IvrInput = CommandArgs<'lab/ivr'>['input'];

interface Props {
  tools: NumberTools;
  /** The called handset's state, to offer powering it on once the dialogue ends. */
  calleePresence: 'reachable' | 'unreachable' | 'unknown' | null;
  /** Subscribers among the handsets on screen (E.164), to drop the "not a subscriber" note once the number subscribes. */
  subscribers: ReadonlySet<string>;
  onNetworkChange(): void;
}

export function IvrPanel({ tools, calleePresence, subscribers, onNetworkChange }: Props) {
  const { t } = useTranslation();
  const dialogue = useLab((s) => s.dialogue);
  const advance = useLab((s) => s.advance);
  const closeDialogue = useLab((s) => s.closeDialogue);
  const notSubscriber = useLab((s) => s.notSubscriber);
  const notify = useStore((s) => s.notify);
  const ivr = useAction('lab/ivr');
  const record = useAction('lab/record');
  const presence = useAction('lab/presence');
  const [digits, setDigits] = useState('');

  const action = dialogue ? currentAction(dialogue) : null;
  const ended = dialogue === null || isEnded(dialogue);
  const busy = ivr.pending || record.pending;
  const collecting = !ended && action?.type === 'collect' ? action : null;
  const terminator = collecting?.terminator ?? null;
  const session = dialogue?.session ?? null;

  const send = async (input: IvrInput, move: CallerMove) => {
    if (!session) return;
    const result = await ivr.run({ session, input });
    if (!result) return;
    advance(session, move, result.action, result.outcome);
    if (result.outcome) onNetworkChange();
  };

  const sendDigits = (entered: string) => {
    const keys = terminator && !entered.endsWith(terminator) ? `${entered}${terminator}` : entered;
    setDigits('');
    void send({ digits: keys }, { kind: 'digits', digits: keys });
  };

  const pressKey = (key: KeypadKey) => {
    if (!collecting || busy) return;
    if (!terminator) {
      void send({ digits: key }, { kind: 'digits', digits: key });
      return;
    }
    if (key === terminator) sendDigits(digits);
    else setDigits((d) => `${d}${key}`.slice(0, Math.min(collecting.maxDigits, 31)));
  };

  const recordMessage = async () => {
    if (!session) return;
    const recorded = await record.run({ session, seconds: recordSeconds });
    if (!recorded) return;
    await send({ event: 'recorded' }, { kind: 'recorded', seconds: Math.round(recorded.durationMs / 1000) });
  };

  const powerOnCallee = async () => {
    if (dialogue?.kind !== 'missed') return;
    const result = await presence.run({ msisdn: dialogue.callee, state: 'reachable' });
    if (!result) return;
    onNetworkChange();
    const number = tools.national(dialogue.callee);
    notify('success', t('lab.handset.poweredOnWith', { number, notices: result.notices, alerts: result.reachableAlerts }));
  };

  // Keys typed on the computer's keyboard work like the keypad (outside text fields).
  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => undefined);
  useEffect(() => {
    keyHandler.current = (event) => {
      const target = event.target as HTMLElement | null;
      if (!target || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]')) return;
      if ((keypadKeys as readonly string[]).includes(event.key)) {
        event.preventDefault();
        pressKey(event.key as KeypadKey);
      } else if (event.key === 'Enter' && terminator && digits) {
        event.preventDefault();
        sendDigits(digits);
      }
    };
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keyHandler.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  // The keys the current prompts offer ("Press 2 …", "Press 1 to confirm …").
  const collectingIds = collecting ? collecting.prompts.map((p) => p.id) : [];
  const offered = collecting ? offeredKeys(collectingIds) : [];
  // What silence does: the caller gives up; in self-care it plays the next message or ends the call.
  const silenceHint = (seconds: number) =>
    dialogue?.kind !== 'selfcare'
      ? t('lab.ivr.silenceHint', { seconds })
      : collectingIds.includes('selfcare-voice-options')
        ? t('lab.selfcare.silenceNext', { seconds })
        : t('lab.selfcare.silenceEnds', { seconds });
  const callerLabel = !dialogue
    ? ''
    : !dialogue.clir
      ? tools.national(dialogue.caller)
      : dialogue.caller
        ? t('lab.ivr.hiddenCaller', { number: tools.national(dialogue.caller) })
        : t('lab.selfcare.hiddenNumber');
  const subtitle = !dialogue
    ? t('lab.ivr.subtitle')
    : dialogue.kind === 'missed'
      ? t('lab.ivr.callSummary', {
          caller: callerLabel,
          callee: tools.national(dialogue.callee),
          reason: t(`lab.reasons.${dialogue.reason}`),
        })
      : t('lab.selfcare.callSummary', {
          caller: callerLabel,
          voicemail: dialogue.voicemailNumber
            ? t('lab.selfcare.voicemailAt', { number: dialogue.voicemailNumber })
            : t('lab.selfcare.voicemailUnknown'),
        });

  return (
    <PanelCard
      icon={<RecordVoiceOverOutlined />}
      title={t('lab.ivr.title')}
      subtitle={subtitle}
      testId="lab-ivr-panel"
      action={
        dialogue && (
          <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
            {ended ? (
              <Chip label={t('lab.ivr.ended')} variant="outlined" data-testid="lab-call-state" data-state="ended" />
            ) : (
              <Chip
                color="success"
                variant="outlined"
                icon={<FiberManualRecord sx={{ fontSize: '10px !important', animation: `${pulse} 1.6s ease-in-out infinite` }} />}
                label={t('lab.ivr.live')}
                data-testid="lab-call-state"
                data-state="live"
              />
            )}
            {ended && (
              <Tooltip title={t('lab.ivr.clear')}>
                <IconButton onClick={closeDialogue} aria-label={t('lab.ivr.clear')} data-testid="lab-clear">
                  <CloseOutlined fontSize="small" />
                </IconButton>
              </Tooltip>
            )}
          </Stack>
        )
      }
    >
      <Transcript
        dialogue={dialogue}
        tools={tools}
        placeholder={
          notSubscriber !== null &&
          !subscribers.has(tools.toE164(notSubscriber) ?? notSubscriber) && (
            <NotSubscriber callee={notSubscriber} tools={tools} onNetworkChange={onNetworkChange} />
          )
        }
        nextStep={
          dialogue &&
          ended &&
          (dialogue.kind === 'selfcare' ? (
            <SelfcareSummary progress={dialogue.progress} tools={tools} />
          ) : (
            <NextStep
              outcome={dialogue.outcome}
              reason={dialogue.reason}
              caller={dialogue.clir ? null : tools.national(dialogue.caller)}
              callee={tools.national(dialogue.callee)}
              calleeOn={calleePresence === 'reachable'}
              powering={presence.pending}
              onPowerOn={() => void powerOnCallee()}
            />
          ))
        }
      />

      <Box sx={{ borderTop: 1, borderColor: 'divider', p: 2, flexShrink: 0, bgcolor: 'background.default' }}>
        {terminator && (
          <Stack direction="row" spacing={1} sx={{ mb: 1.5 }}>
            <TextField
              label={entryKind(collectingIds) === 'pin' ? t('lab.ivr.pin') : t('lab.ivr.digits')}
              value={digits}
              onChange={(e) => setDigits(e.target.value.replace(/[^0-9*]/g, '').slice(0, 31))}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === terminator) {
                  e.preventDefault();
                  if (digits) sendDigits(digits);
                }
              }}
              helperText={t('lab.ivr.digitsHint', { terminator })}
              autoFocus
              slotProps={{
                htmlInput: { 'data-testid': 'lab-digits', inputMode: 'tel', spellCheck: false, autoComplete: 'off' },
                input: {
                  sx: { fontVariantNumeric: 'tabular-nums', letterSpacing: '0.06em' },
                  endAdornment: digits ? (
                    <InputAdornment position="end">
                      <IconButton
                        edge="end"
                        onClick={() => setDigits((d) => d.slice(0, -1))}
                        aria-label={t('lab.ivr.backspace')}
                        data-testid="lab-digits-backspace"
                      >
                        <BackspaceOutlined fontSize="small" />
                      </IconButton>
                    </InputAdornment>
                  ) : undefined,
                },
              }}
            />
            <Box>
              <Button
                variant="contained"
                endIcon={<SendOutlined />}
                onClick={() => sendDigits(digits)}
                disabled={busy || digits.length === 0}
                data-testid="lab-digits-send"
                sx={{ height: 40, whiteSpace: 'nowrap' }}
              >
                {t('lab.ivr.sendDigits', { terminator })}
              </Button>
            </Box>
          </Stack>
        )}
        <Stack direction="row" spacing={2} sx={{ alignItems: 'stretch' }}>
          <Keypad disabled={!collecting || busy} highlighted={offered} onKey={pressKey} />
          <Stack spacing={1} sx={{ flex: 1, minWidth: 0, justifyContent: 'center' }}>
            {!ended && action?.type === 'record' && (
              <Button
                variant="contained"
                color="secondary"
                startIcon={<MicOutlined />}
                onClick={() => void recordMessage()}
                disabled={busy}
                data-testid="lab-record"
              >
                {t(dialogue?.kind === 'selfcare' ? 'lab.selfcare.recordGreeting' : 'lab.ivr.record', { seconds: recordSeconds })}
              </Button>
            )}
            <Button
              variant="outlined"
              startIcon={<HourglassEmptyOutlined />}
              onClick={() => void send({ event: 'timeout' }, { kind: 'timeout' })}
              disabled={ended || busy}
              data-testid="lab-timeout"
            >
              {t('lab.ivr.timeout')}
            </Button>
            <Button
              variant="contained"
              color="error"
              startIcon={<CallEndOutlined />}
              onClick={() => void send({ event: 'hangup' }, { kind: 'hangup' })}
              disabled={ended || busy}
              data-testid="lab-hangup"
            >
              {t('lab.ivr.hangup')}
            </Button>
            <Typography variant="caption" color="text.secondary" sx={{ textAlign: 'center', minHeight: 18 }}>
              {collecting && !terminator ? silenceHint(collecting.timeoutMs / 1000) : ''}
              {!dialogue ? t('lab.ivr.keyboardHint') : ''}
            </Typography>
          </Stack>
        </Stack>
      </Box>
    </PanelCard>
  );
}

/** Keys named by the prompts: the menu options, 1/2 when a callback number is to be confirmed, and self-care's menus. */
function offeredKeys(promptIds: string[]): string[] {
  const keys = promptIds.flatMap((id) => (id.startsWith('option-') ? [id.slice('option-'.length)] : []));
  if (promptIds.includes('callback-confirm')) keys.push('1', '2');
  keys.push(...selfcareKeys(promptIds));
  return keys;
}

interface NextStepProps {
  outcome: string | null;
  reason: string;
  caller: string | null;
  callee: string;
  /** The called handset is on now (known from the handsets on screen). */
  calleeOn: boolean;
  powering: boolean;
  onPowerOn(): void;
}

/** What happens after the call, so a trainer knows where to look next. */
function NextStep({ outcome, reason, caller, callee, calleeOn, powering, onPowerOn }: NextStepProps) {
  const { t } = useTranslation();
  const offline = reason === 'power_off' || reason === 'out_of_coverage';
  const waiting = offline && !calleeOn;
  const lines: string[] = [];
  if (outcome === 'reachable-request' && caller)
    lines.push(waiting ? t('lab.next.reachableAlert', { caller, callee }) : t('lab.next.reachableAlertSent', { caller, callee }));
  if (outcome)
    lines.push(
      !offline ? t('lab.next.sentNow', { callee }) : waiting ? t('lab.next.waitForPowerOn', { callee }) : t('lab.next.backOn', { callee }),
    );
  if (!lines.length) return null;
  return (
    <Box
      data-testid="lab-next-step"
      sx={{ mt: 1.5, p: 1.5, borderRadius: 2, border: 1, borderColor: 'divider', borderStyle: 'dashed', bgcolor: 'background.default' }}
    >
      <Typography variant="overline" color="text.secondary" component="div" sx={{ lineHeight: 1.6 }}>
        {t('lab.next.title')}
      </Typography>
      {lines.map((line) => (
        <Typography key={line} variant="body2">
          {line}
        </Typography>
      ))}
      {waiting && (
        <Button
          size="small"
          variant="outlined"
          color="success"
          startIcon={<PowerSettingsNewOutlined />}
          onClick={onPowerOn}
          disabled={powering}
          data-testid="lab-next-power-on"
          sx={{ mt: 1 }}
        >
          {t('lab.next.powerOn', { callee })}
        </Button>
      )}
    </Box>
  );
}
