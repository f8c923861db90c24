/**
 * The personal greeting callers hear before the menu: whether the subscriber recorded one (by self-care IVR) and
 * when, with Play (voice.listen, audited by the core) and Delete (subscribers.manage, audited).
 */
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import DeleteOutlineOutlined from '@mui/icons-material/DeleteOutlineOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Subscriber, SubscriberDetail } from '../../../core/api/engine-types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useAction } from '../../hooks/useCommand';
import { useVoicemailNumber } from '../../hooks/useNumbering';
import { useCan } from '../../hooks/usePermissions';
import { useVoicePlayer } from '../../hooks/useVoicePlayer';
import { useFormat } from '../../i18n/format';

interface Props {
  subscriber: Subscriber;
  onChanged(next: SubscriberDetail): void;
}

export function SubscriberGreeting({ subscriber, onChanged }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const voicemailNumber = useVoicemailNumber();
  const voice = useVoicePlayer();
  const remove = useAction('subscribers/greeting-delete');
  const [confirming, setConfirming] = useState(false);
  const { greeting, msisdn } = subscriber;
  const source = { greetingOf: msisdn };

  const confirmDelete = async () => {
    const next = await remove.run({ msisdn }, { success: t('subscribers.greeting.deleted') });
    setConfirming(false);
    if (!next) return;
    voice.stop();
    onChanged(next);
  };

  return (
    <Card data-testid="subscriber-greeting" data-set={greeting !== null}>
      <CardHeader title={t('subscribers.greeting.title')} />
      <CardContent sx={{ pt: 0.5 }}>
        {greeting ? (
          <Stack spacing={1.25}>
            <Typography variant="body2" data-testid="subscriber-greeting-recorded">
              {t('subscribers.greeting.recorded', {
                time: f.dateTime(greeting.recordedAt),
                seconds: Math.max(1, Math.round(greeting.durationMs / 1000)),
              })}
            </Typography>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
              {can('voice.listen') ? (
                <Button
                  variant="outlined"
                  size="small"
                  startIcon={voice.isLoading(source) ? <CircularProgress size={16} /> : <PlayArrowOutlined />}
                  disabled={voice.loading}
                  onClick={() => void voice.play(source, t('subscribers.greeting.title'))}
                  data-testid="subscriber-greeting-play"
                >
                  {t('subscribers.greeting.play')}
                </Button>
              ) : (
                <Typography variant="caption" color="text.secondary">
                  {t('subscribers.greeting.noListen', { permission: t('permissions.voice.listen') })}
                </Typography>
              )}
              {can('subscribers.manage') && (
                <Button
                  variant="outlined"
                  size="small"
                  color="error"
                  startIcon={<DeleteOutlineOutlined />}
                  onClick={() => setConfirming(true)}
                  data-testid="subscriber-greeting-delete"
                >
                  {t('subscribers.greeting.delete')}
                </Button>
              )}
            </Stack>
            {voice.playing && (
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                <Box
                  component="audio"
                  src={voice.playing.url}
                  controls
                  autoPlay
                  data-testid="subscriber-greeting-audio"
                  sx={{ height: 36, width: 300, maxWidth: '100%' }}
                />
                <IconButton size="small" aria-label={t('common.close')} onClick={voice.stop}>
                  <CloseOutlined fontSize="small" />
                </IconButton>
              </Stack>
            )}
          </Stack>
        ) : (
          <Typography variant="body2" color="text.secondary" data-testid="subscriber-greeting-none">
            {t('subscribers.greeting.none', { number: voicemailNumber })}
          </Typography>
        )}
      </CardContent>
      <ConfirmDialog
        open={confirming}
        title={t('subscribers.greeting.deleteTitle')}
        message={t('subscribers.greeting.deleteMessage')}
        confirmLabel={t('subscribers.greeting.delete')}
        destructive
        pending={remove.pending}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setConfirming(false)}
      />
    </Card>
  );
}
