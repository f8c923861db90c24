/** The SMS sent to the subscriber and where each one is: queued, held for quiet hours, sent, delivered, failed or expired. */
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { SmsRecord } from '../../../core/api/engine-types';
import { EmptyState } from '../../components/StatusViews';
import { useNow } from '../../hooks/useNow';
import { en } from '../../i18n/en';
import { useFormat } from '../../i18n/format';
import { isSmsState, smsStateColor } from './smsStates';

type SmsKind = keyof typeof en.subscribers.smsKinds;

function isKind(value: string): value is SmsKind {
  return Object.prototype.hasOwnProperty.call(en.subscribers.smsKinds, value);
}

export function SmsLogTable({ sms }: { sms: SmsRecord[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  if (sms.length === 0) return <EmptyState title={t('subscribers.sms.empty')} />;
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" data-testid="subscriber-sms">
        <TableHead>
          <TableRow>
            <TableCell>{t('subscribers.sms.created')}</TableCell>
            <TableCell>{t('subscribers.sms.kind')}</TableCell>
            <TableCell sx={{ width: '45%' }}>{t('subscribers.sms.text')}</TableCell>
            <TableCell>{t('subscribers.sms.state')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {sms.map((m) => {
            const held = m.state === 'queued' && m.holdUntil !== null && m.holdUntil > now;
            const state = held ? 'held' : m.state;
            return (
              <TableRow
                key={m.id}
                data-testid="subscriber-sms-row"
                data-state={state}
                data-kind={m.kind}
                hover
                sx={{ verticalAlign: 'top' }}
              >
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{f.timestamp(m.createdAt)}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{isKind(m.kind) ? t(`subscribers.smsKinds.${m.kind}`) : m.kind}</TableCell>
                <TableCell>
                  <Box sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.text}</Box>
                  <Typography variant="caption" color="text.secondary">
                    {t('subscribers.sms.layout', {
                      encoding: m.encoding === 'gsm7' ? 'GSM-7' : m.encoding === 'ucs2' ? 'UCS-2' : m.encoding,
                      count: m.parts,
                      from: m.from,
                    })}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Chip
                    variant="outlined"
                    color={smsStateColor(state)}
                    label={
                      held && m.holdUntil !== null
                        ? t('subscribers.smsStates.held', { time: f.dateTimeShort(m.holdUntil) })
                        : isSmsState(state)
                          ? t(`subscribers.smsStates.${state}`)
                          : state
                    }
                  />
                  <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.25, whiteSpace: 'nowrap' }}>
                    {t('subscribers.sms.updatedAt', { time: f.timestamp(m.updatedAt) })}
                  </Typography>
                  {m.attempts > 1 && (
                    <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.25 }}>
                      {t('subscribers.sms.attempts', { count: m.attempts })}
                    </Typography>
                  )}
                  {m.error && (
                    <Typography variant="caption" color="error" component="div" sx={{ mt: 0.25 }}>
                      {m.error}
                    </Typography>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
