/** The dialogue as a chat: the IVR's prompts on the left, the caller's keys and events on the right. */
import CallEndOutlined from '@mui/icons-material/CallEndOutlined';
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import DeleteOutlineOutlined from '@mui/icons-material/DeleteOutlineOutlined';
import DialpadOutlined from '@mui/icons-material/DialpadOutlined';
import GraphicEqOutlined from '@mui/icons-material/GraphicEqOutlined';
import HeadsetMicOutlined from '@mui/icons-material/HeadsetMicOutlined';
import HourglassEmptyOutlined from '@mui/icons-material/HourglassEmptyOutlined';
import MicOutlined from '@mui/icons-material/MicOutlined';
import PhoneInTalkOutlined from '@mui/icons-material/PhoneInTalkOutlined';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import { alpha, type Theme } from '@mui/material/styles';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IvrActionView, PromptView } from '../../../core/api/ivr-view';
import { useCan } from '../../hooks/usePermissions';
import { monoFontFamily } from '../../theme/theme';
import type { CallerMove, Dialogue } from './labStore';
import type { NumberTools } from './numbers';
import { outcomeChipColor, useOutcomeLabel } from './outcomes';
import { entryKind, voiceSourceOf } from './selfcare';
import { useVoicePlayer, type VoicePlayer, type VoiceSource } from '../../hooks/useVoicePlayer';

interface Props {
  dialogue: Dialogue | null;
  tools: NumberTools;
  nextStep: ReactNode;
  /** Shown instead of the "no call yet" hint when there is no dialogue. */
  placeholder?: ReactNode;
}

export function Transcript({ dialogue, tools, nextStep, placeholder }: Props) {
  const { t } = useTranslation();
  const outcomeLabel = useOutcomeLabel();
  const scroller = useRef<HTMLDivElement>(null);
  const lastTurn = dialogue?.turns.at(-1)?.id ?? 0;
  const voice = useVoicePlayer();
  const deleted = dialogue?.kind === 'selfcare' ? dialogue.progress.deleted : [];

  // A recording being played belongs to its call, and stops when the subscriber deletes it.
  const session = dialogue?.session ?? null;
  const { stop } = voice;
  const playingDeleted = deleted.some((audio) => {
    const source = voiceSourceOf(audio);
    return source !== null && voice.isPlaying(source);
  });
  useEffect(() => stop(), [session, stop]);
  useEffect(() => {
    if (playingDeleted) stop();
  }, [playingDeleted, stop]);

  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  }, [lastTurn, dialogue?.outcome]);

  if (!dialogue && placeholder) return placeholder;
  if (!dialogue) {
    return (
      <Stack spacing={1.5} sx={{ flex: 1, alignItems: 'center', justifyContent: 'center', p: 4, color: 'text.secondary' }}>
        <Box
          sx={(theme) => ({
            width: 64,
            height: 64,
            borderRadius: '50%',
            display: 'grid',
            placeItems: 'center',
            bgcolor: alpha(theme.palette.primary.main, 0.1),
            color: 'primary.main',
          })}
        >
          <PhoneInTalkOutlined fontSize="large" />
        </Box>
        <Typography variant="subtitle2" color="text.primary">
          {t('lab.ivr.emptyTitle')}
        </Typography>
        <Typography variant="body2" sx={{ textAlign: 'center', maxWidth: 380 }}>
          {t('lab.ivr.emptyHint')}
        </Typography>
      </Stack>
    );
  }

  const lastIvr = dialogue.turns.findLastIndex((turn) => turn.who === 'ivr');
  return (
    <Box ref={scroller} sx={{ flex: 1, minHeight: 0, overflowY: 'auto', px: 2, py: 1.5 }} data-testid="lab-transcript" aria-live="polite">
      <Stack spacing={1}>
        {dialogue.turns.map((turn, index) => {
          if (turn.who === 'caller') return <CallerBubble key={turn.id} move={turn.move} greeting={dialogue.kind === 'selfcare'} />;
          const current = index === lastIvr;
          return (
            <Box
              key={turn.id}
              data-testid={current ? 'lab-prompts' : undefined}
              data-turn={current ? turn.id : undefined}
              sx={{ opacity: current ? 1 : 0.55 }}
            >
              <IvrTurn action={turn.action} tools={tools} voice={voice} deleted={deleted} />
            </Box>
          );
        })}
        {dialogue.outcome && (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'center', pt: 1 }}>
            <Box sx={{ flex: 1, borderTop: 1, borderColor: 'divider' }} />
            <Typography variant="caption" color="text.secondary">
              {t('lab.ivr.outcome')}
            </Typography>
            <Chip
              label={outcomeLabel(dialogue.outcome)}
              color={outcomeChipColor(dialogue.outcome)}
              data-testid="lab-outcome"
              data-outcome={dialogue.outcome}
              sx={{ fontWeight: 600, px: 0.5 }}
            />
            <Box sx={{ flex: 1, borderTop: 1, borderColor: 'divider' }} />
          </Stack>
        )}
        {nextStep}
      </Stack>
    </Box>
  );
}

interface IvrTurnProps {
  action: IvrActionView;
  tools: NumberTools;
  voice: VoicePlayer;
  /** Audio paths of the recordings (voice messages, the greeting) deleted in this call. */
  deleted: readonly string[];
}

function IvrTurn({ action, tools, voice, deleted }: IvrTurnProps) {
  const { t } = useTranslation();
  if (action.type === 'transfer') return <TransferCard headers={action.headers} tools={tools} />;
  const pin = action.type === 'collect' && entryKind(action.prompts.map((p) => p.id)) === 'pin';
  return (
    <Stack spacing={0.75} sx={{ alignItems: 'flex-start' }}>
      {action.prompts.map((prompt, i) => {
        if (prompt.id === 'beep') return <Beep key={i} />;
        const source = prompt.audio ? voiceSourceOf(prompt.audio) : null;
        if (prompt.audio && source !== null)
          return <VoicePrompt key={i} prompt={prompt} source={source} voice={voice} deleted={deleted.includes(prompt.audio)} />;
        return <PromptBubble key={i} prompt={prompt} />;
      })}
      {action.type === 'collect' && (
        <Typography variant="caption" color="text.secondary" sx={{ pl: 1 }}>
          {action.terminator
            ? t(pin ? 'lab.ivr.waitingPin' : 'lab.ivr.waitingNumber', { terminator: action.terminator })
            : t('lab.ivr.waitingKey', { seconds: action.timeoutMs / 1000 })}
        </Typography>
      )}
      {action.type === 'record' && (
        <Chip
          icon={<MicOutlined />}
          color="secondary"
          variant="outlined"
          label={t('lab.ivr.recording', { seconds: Math.round(action.maxDurationMs / 1000) })}
        />
      )}
      {action.type === 'hangup' && (
        <Chip icon={<CallEndOutlined />} variant="outlined" label={t('lab.ivr.ivrHungUp')} data-testid="lab-ivr-hangup" />
      )}
    </Stack>
  );
}

const bubble = (theme: Theme) => ({
  maxWidth: '88%',
  px: 1.5,
  py: 1,
  borderRadius: '4px 14px 14px 14px',
  bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.18 : 0.08),
  border: 1,
  borderColor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.3 : 0.15),
  fontSize: '0.875rem',
  lineHeight: 1.5,
});

function PromptBubble({ prompt }: { prompt: PromptView }) {
  return (
    <Box lang={prompt.language} data-prompt={prompt.id} sx={bubble}>
      {prompt.text}
    </Box>
  );
}

interface VoicePromptProps {
  prompt: PromptView;
  source: VoiceSource;
  voice: VoicePlayer;
  deleted: boolean;
}

/** A recording the IVR plays (a voice message, a greeting): the operator may play it here too, with the voice.listen permission. */
function VoicePrompt({ prompt, source, voice, deleted }: VoicePromptProps) {
  const { t } = useTranslation();
  const can = useCan();
  const canListen = can('voice.listen');
  const playing = !deleted && voice.isPlaying(source) ? voice.playing : null;
  const loading = voice.isLoading(source);
  const noListen = t('lab.ivr.voice.noListen', { permission: t('permissions.voice.listen') });

  let control: ReactNode;
  if (deleted) {
    control = (
      <Chip
        size="small"
        variant="outlined"
        icon={<DeleteOutlineOutlined />}
        label={t('lab.ivr.voice.deleted')}
        data-testid="lab-voice-deleted"
        sx={{ height: 24 }}
      />
    );
  } else if (playing) {
    control = (
      <Tooltip title={t('lab.ivr.voice.close')}>
        <IconButton size="small" onClick={voice.stop} aria-label={t('lab.ivr.voice.close')} data-testid="lab-voice-close">
          <CloseOutlined fontSize="small" />
        </IconButton>
      </Tooltip>
    );
  } else {
    const greeting = 'greetingOf' in source;
    const label = !canListen
      ? noListen
      : loading
        ? t(greeting ? 'lab.ivr.voice.loadingGreeting' : 'lab.ivr.voice.loading')
        : t(greeting ? 'lab.ivr.voice.playGreeting' : 'lab.ivr.voice.play');
    control = (
      <Tooltip title={label}>
        <span>
          <IconButton
            size="small"
            onClick={() => void voice.play(source, prompt.text)}
            disabled={!canListen || voice.loading}
            aria-label={label}
            data-testid="lab-voice-play"
            sx={{
              width: 32,
              height: 32,
              bgcolor: 'primary.main',
              color: 'primary.contrastText',
              '&:hover': { bgcolor: 'primary.dark' },
              '&.Mui-disabled': { bgcolor: 'action.disabledBackground', color: 'action.disabled' },
            }}
          >
            {loading ? <CircularProgress size={16} color="inherit" /> : <PlayArrowRounded fontSize="small" />}
          </IconButton>
        </span>
      </Tooltip>
    );
  }

  return (
    <Box
      lang={prompt.language}
      data-prompt={prompt.id}
      data-testid="lab-voice-prompt"
      data-call-id={'callId' in source ? source.callId : undefined}
      data-greeting-of={'greetingOf' in source ? source.greetingOf : undefined}
      data-state={deleted ? 'deleted' : playing ? 'playing' : canListen ? 'ready' : 'no-permission'}
      sx={(theme) => ({ ...bubble(theme), py: 0.75, pl: 0.75 })}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        {control}
        <Box component="span" sx={{ color: deleted ? 'text.secondary' : undefined, textDecoration: deleted ? 'line-through' : undefined }}>
          {prompt.text}
        </Box>
        {!deleted && !playing && <GraphicEqOutlined sx={{ fontSize: 18, color: 'primary.main', opacity: 0.6 }} />}
      </Stack>
      {playing && (
        <Box
          component="audio"
          src={playing.url}
          controls
          autoPlay
          data-testid="lab-voice-audio"
          sx={{ display: 'block', mt: 0.75, height: 36, width: 300, maxWidth: '100%' }}
        />
      )}
      {!canListen && !deleted && (
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.5, pl: 0.25 }} data-testid="lab-voice-no-listen">
          {noListen}
        </Typography>
      )}
    </Box>
  );
}

function Beep() {
  const { t } = useTranslation();
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', color: 'text.secondary', pl: 1 }} data-prompt="beep">
      <GraphicEqOutlined sx={{ fontSize: 16 }} />
      <Typography variant="caption" sx={{ fontStyle: 'italic' }}>
        {t('lab.ivr.beep')}
      </Typography>
    </Stack>
  );
}

/** `greeting`: in self-care, what is recorded is the subscriber's greeting, not a caller's message. */
function CallerBubble({ move, greeting }: { move: CallerMove; greeting: boolean }) {
  const { t } = useTranslation();
  const text =
    move.kind === 'digits'
      ? t('lab.ivr.pressed', { keys: move.digits })
      : move.kind === 'recorded'
        ? t(greeting ? 'lab.selfcare.recordedGreeting' : 'lab.ivr.recorded', { seconds: move.seconds })
        : move.kind === 'timeout'
          ? t('lab.ivr.silent')
          : t('lab.ivr.hungUp');
  const icon =
    move.kind === 'digits' ? (
      <DialpadOutlined sx={{ fontSize: 16 }} />
    ) : move.kind === 'recorded' ? (
      <MicOutlined sx={{ fontSize: 16 }} />
    ) : move.kind === 'timeout' ? (
      <HourglassEmptyOutlined sx={{ fontSize: 16 }} />
    ) : (
      <CallEndOutlined sx={{ fontSize: 16 }} />
    );
  return (
    <Stack direction="row" sx={{ justifyContent: 'flex-end' }} data-testid="lab-caller-move" data-move={move.kind}>
      <Stack
        direction="row"
        spacing={0.75}
        sx={{
          alignItems: 'center',
          px: 1.5,
          py: 0.75,
          borderRadius: '14px 4px 14px 14px',
          bgcolor: move.kind === 'hangup' ? 'error.main' : 'primary.main',
          color: move.kind === 'hangup' ? 'error.contrastText' : 'primary.contrastText',
          fontSize: '0.85rem',
          fontWeight: 500,
        }}
      >
        {icon}
        <span>{text}</span>
      </Stack>
    </Stack>
  );
}

function TransferCard({ headers, tools }: { headers: Record<string, string>; tools: NumberTools }) {
  const { t } = useTranslation();
  return (
    <Box
      data-testid="lab-transfer"
      sx={(theme) => ({
        p: 1.5,
        borderRadius: 2,
        border: 1,
        borderColor: alpha(theme.palette.warning.main, 0.5),
        bgcolor: alpha(theme.palette.warning.main, theme.palette.mode === 'dark' ? 0.12 : 0.06),
      })}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
        <HeadsetMicOutlined color="warning" fontSize="small" />
        <Typography variant="subtitle2">{t('lab.ivr.transferTitle')}</Typography>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {t('lab.ivr.transferHint')}
      </Typography>
      <Box
        component="dl"
        sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 1.5, rowGap: 0.25, fontFamily: monoFontFamily }}
      >
        {Object.entries(headers).map(([name, value]) => (
          <Box key={name} sx={{ display: 'contents' }}>
            <Typography component="dt" sx={{ fontFamily: 'inherit', fontSize: '0.75rem', color: 'text.secondary' }}>
              {name}
            </Typography>
            <Typography
              component="dd"
              sx={{ m: 0, fontFamily: 'inherit', fontSize: '0.75rem', overflowWrap: 'anywhere' }}
              title={/^\+\d+$/.test(value) ? tools.national(value) : undefined}
            >
              {value}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
