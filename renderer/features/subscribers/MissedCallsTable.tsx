/** Calls to the subscriber while unreachable: who called, what they chose in the IVR, and what became of the notice. */
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import MicOffOutlined from '@mui/icons-material/MicOffOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import VoicemailOutlined from '@mui/icons-material/VoicemailOutlined';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { MissedCall } from '../../../core/api/engine-types';
import { EmptyState } from '../../components/StatusViews';
import { useCan } from '../../hooks/usePermissions';
import { en } from '../../i18n/en';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { useVoicePlayer } from '../../hooks/useVoicePlayer';
import { useMsisdnFormat } from './numbers';

type Outcome = keyof typeof en.subscribers.outcomes;
type CallStatus = keyof typeof en.subscribers.callStatus;
type Reason = keyof typeof en.subscribers.reasons;

const isKey = <T extends object>(table: T, key: string): key is Extract<keyof T, string> =>
  Object.prototype.hasOwnProperty.call(table, key);

const statusColors: Record<CallStatus, 'default' | 'info' | 'warning' | 'success'> = {
  open: 'info',
  pending: 'warning',
  notified: 'success',
  logged: 'default',
  expired: 'default',
  suppressed: 'default',
};

export function MissedCallsTable({ calls }: { calls: MissedCall[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const canListen = can('voice.listen');
  const formatNumber = useMsisdnFormat();
  const voice = useVoicePlayer();

  const callerText = (call: MissedCall) => (call.caller === null ? t('subscribers.calls.hiddenNumber') : formatNumber(call.caller));

  if (calls.length === 0) return <EmptyState title={t('subscribers.calls.empty')} hint={t('subscribers.calls.emptyHint')} />;
  return (
    <Stack spacing={1.5}>
      {voice.playing && (
        <Paper variant="outlined" sx={{ p: 1.5 }} data-testid="voice-player">
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
            <VoicemailOutlined color="primary" />
            <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }}>
              {voice.playing.label}
            </Typography>
            <Box component="audio" src={voice.playing.url} controls autoPlay data-testid="voice-audio" sx={{ height: 36, maxWidth: 360 }} />
            <IconButton aria-label={t('common.close')} onClick={voice.stop}>
              <CloseOutlined fontSize="small" />
            </IconButton>
          </Stack>
        </Paper>
      )}
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" data-testid="subscriber-calls">
          <TableHead>
            <TableRow>
              <TableCell>{t('subscribers.calls.time')}</TableCell>
              <TableCell>{t('subscribers.calls.caller')}</TableCell>
              <TableCell>{t('subscribers.calls.reason')}</TableCell>
              <TableCell>{t('subscribers.calls.outcome')}</TableCell>
              <TableCell>{t('subscribers.calls.status')}</TableCell>
              <TableCell>{t('subscribers.calls.callback')}</TableCell>
              <TableCell align="center">{t('subscribers.calls.voice')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {calls.map((call) => (
              <TableRow key={call.id} data-testid="subscriber-call" data-call-id={call.id} data-status={call.status} hover>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{f.timestamp(call.at)}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  {call.caller === null ? (
                    <Typography variant="body2" color="text.secondary" component="span" sx={{ fontStyle: 'italic' }}>
                      {callerText(call)}
                    </Typography>
                  ) : (
                    <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>
                      {callerText(call)}
                    </Box>
                  )}
                </TableCell>
                <TableCell>
                  {isKey(en.subscribers.reasons, call.reason) ? t(`subscribers.reasons.${call.reason as Reason}`) : call.reason}
                </TableCell>
                <TableCell>
                  {isKey(en.subscribers.outcomes, call.outcome) ? t(`subscribers.outcomes.${call.outcome as Outcome}`) : call.outcome}
                </TableCell>
                <TableCell>
                  <Chip
                    variant="outlined"
                    color={isKey(statusColors, call.status) ? statusColors[call.status] : 'default'}
                    label={isKey(en.subscribers.callStatus, call.status) ? t(`subscribers.callStatus.${call.status}`) : call.status}
                  />
                  {call.statusReason && (
                    <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.25 }}>
                      {call.statusReason}
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem', whiteSpace: 'nowrap' }}>
                  {call.callback ? formatNumber(call.callback) : '—'}
                </TableCell>
                <TableCell align="center">
                  {call.hasVoice &&
                    (canListen ? (
                      <Tooltip title={t('subscribers.calls.play')}>
                        <span>
                          <IconButton
                            color={voice.isPlaying({ callId: call.id }) ? 'primary' : 'default'}
                            aria-label={t('subscribers.calls.play')}
                            disabled={voice.loading}
                            onClick={() =>
                              void voice.play(
                                { callId: call.id },
                                t('subscribers.calls.playing', { caller: callerText(call), time: f.dateTimeShort(call.at) }),
                              )
                            }
                            data-testid={`call-play-${call.id}`}
                          >
                            {voice.isLoading({ callId: call.id }) ? <CircularProgress size={16} /> : <PlayArrowOutlined fontSize="small" />}
                          </IconButton>
                        </span>
                      </Tooltip>
                    ) : (
                      <Tooltip title={t('subscribers.calls.noListen')}>
                        <MicOffOutlined fontSize="small" color="disabled" />
                      </Tooltip>
                    ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Stack>
  );
}
