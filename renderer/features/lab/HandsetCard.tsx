/** One virtual handset: its number, service and power state, the SMS it received, and a box to text the short code. */
import { smsCommandNames } from '../../../core/api/rules';
import PhoneAndroidOutlined from '@mui/icons-material/PhoneAndroidOutlined';
import PowerSettingsNewOutlined from '@mui/icons-material/PowerSettingsNewOutlined';
import SendOutlined from '@mui/icons-material/SendOutlined';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import { alpha, keyframes } from '@mui/material/styles';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { VirtualHandset } from '../../../core/api/engine-types';
import { serviceNames } from '../../../core/api/engine-types';
import { useAction } from '../../hooks/useCommand';
import { useFormat } from '../../i18n/format';
import { useStore } from '../../store';
import { useLab, type SentSms } from './labStore';
import { digitsOf, looksChinese, type NumberTools } from './numbers';

const flash = keyframes`
  0% { transform: translateY(6px); opacity: 0; }
  12% { transform: none; opacity: 1; }
`;

const quickTexts = ['D', 'HELP'] as const;

type Entry = { kind: 'in'; message: VirtualHandset['messages'][number] } | { kind: 'out'; sms: SentSms };

interface Props {
  handset: VirtualHandset;
  role: 'caller' | 'callee' | null;
  /** Inbox ids that arrived moments ago; they are highlighted. */
  fresh: ReadonlySet<number>;
  tools: NumberTools;
  onChanged(): void;
}

export function HandsetCard({ handset, role, fresh, tools, onChanged }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const sentAll = useLab((s) => s.sent);
  const addSent = useLab((s) => s.addSent);
  const settleSent = useLab((s) => s.settleSent);
  const notify = useStore((s) => s.notify);
  const presence = useAction('lab/presence');
  const sms = useAction('lab/sms');
  const [text, setText] = useState('');
  const scroller = useRef<HTMLDivElement>(null);

  const on = handset.presence !== 'unreachable';
  const number = tools.national(handset.msisdn);
  const sent = useMemo(() => sentAll.filter((s) => s.from === handset.msisdn), [sentAll, handset.msisdn]);
  const entries = useMemo<Entry[]>(() => {
    const incoming: Entry[] = handset.messages.map((message) => ({ kind: 'in', message }));
    const outgoing: Entry[] = sent.map((s) => ({ kind: 'out', sms: s }));
    const at = (e: Entry) => (e.kind === 'in' ? e.message.at : e.sms.at);
    return [...incoming, ...outgoing].sort((a, b) => at(a) - at(b));
  }, [handset.messages, sent]);
  const newest = entries.length;

  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
  }, [newest]);

  const togglePower = async () => {
    const state = on ? 'unreachable' : 'reachable';
    const result = await presence.run({ msisdn: handset.msisdn, state });
    if (!result) return;
    onChanged();
    if (state === 'reachable')
      notify('success', t('lab.handset.poweredOnWith', { number, notices: result.notices, alerts: result.reachableAlerts }));
  };

  const send = async (body: string) => {
    const trimmed = body.trim();
    if (!trimmed) return;
    const id = addSent(handset.msisdn, trimmed);
    const result = await sms.run({ from: handset.msisdn, text: trimmed });
    settleSent(id, result ?? null);
    if (!result) return;
    setText('');
    onChanged();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(text);
  };

  return (
    <Card
      data-testid={`handset-${digitsOf(handset.msisdn)}`}
      data-presence={handset.presence}
      data-subscriber={handset.subscriber ? 'yes' : 'no'}
      sx={{ flexShrink: 0, overflow: 'hidden' }}
    >
      <Stack direction="row" spacing={1.25} sx={{ alignItems: 'center', px: 1.5, pt: 1.25, pb: 1 }}>
        <Avatar
          sx={(theme) => ({
            width: 34,
            height: 34,
            bgcolor: on ? alpha(theme.palette.success.main, 0.15) : 'action.selected',
            color: on ? 'success.main' : 'text.disabled',
          })}
        >
          <PhoneAndroidOutlined fontSize="small" />
        </Avatar>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, letterSpacing: '0.02em', whiteSpace: 'nowrap' }}>
            {number}
          </Typography>
          <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center', minWidth: 0 }}>
            {role && (
              <Chip
                label={t(`lab.handset.role.${role}`)}
                color={role === 'callee' ? 'primary' : 'default'}
                sx={{ height: 18, fontSize: '0.68rem', fontWeight: 600, '& .MuiChip-label': { px: 0.75 } }}
              />
            )}
            <Typography
              variant="caption"
              color={on ? 'success.main' : 'text.secondary'}
              data-testid="handset-presence"
              title={handset.presenceAt !== null ? t('lab.handset.presenceSince', { time: f.dateTime(handset.presenceAt) }) : undefined}
              noWrap
            >
              {t(`lab.handset.presence.${handset.presence}`)}
            </Typography>
          </Stack>
        </Box>
        <Tooltip title={on ? t('lab.handset.powerOffHint') : t('lab.handset.powerOnHint')}>
          <span>
            <Button
              variant={on ? 'outlined' : 'contained'}
              color={on ? 'inherit' : 'success'}
              startIcon={<PowerSettingsNewOutlined />}
              onClick={() => void togglePower()}
              disabled={presence.pending}
              data-testid="handset-power"
              data-state={on ? 'on' : 'off'}
              sx={{ whiteSpace: 'nowrap', ...(on ? { color: 'text.secondary', borderColor: 'divider' } : {}) }}
            >
              {on ? t('lab.handset.powerOff') : t('lab.handset.powerOn')}
            </Button>
          </span>
        </Tooltip>
      </Stack>

      <Stack direction="row" spacing={0.5} sx={{ px: 1.5, pb: 1, flexWrap: 'wrap', rowGap: 0.5 }} data-testid="handset-services">
        {handset.subscriber ? (
          <>
            {serviceNames
              .filter((service) => handset.subscriber?.services[service])
              .map((service) => (
                <Chip key={service} color="primary" variant="outlined" label={t(`lab.services.${service}`)} data-service={service} />
              ))}
            {!serviceNames.some((service) => handset.subscriber?.services[service]) && (
              <Chip variant="outlined" label={t('lab.handset.noServices')} />
            )}
            <Chip variant="outlined" label={t(`lab.languages.${handset.subscriber.language}`)} />
          </>
        ) : (
          <Chip variant="outlined" label={t('lab.handset.notSubscriber')} sx={{ borderStyle: 'dashed' }} />
        )}
      </Stack>

      <Box
        ref={scroller}
        data-testid="handset-messages"
        aria-live="polite"
        sx={{
          maxHeight: 300,
          minHeight: 72,
          overflowY: 'auto',
          px: 1.25,
          py: 1,
          bgcolor: 'background.default',
          borderTop: 1,
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        {entries.length === 0 ? (
          <Typography variant="caption" color="text.secondary" component="div" sx={{ textAlign: 'center', py: 2 }}>
            {t('lab.handset.noMessages')}
          </Typography>
        ) : (
          <Stack spacing={1}>
            {entries.map((entry) =>
              entry.kind === 'in' ? (
                <IncomingBubble key={`in-${entry.message.id}`} message={entry.message} fresh={fresh.has(entry.message.id)} tools={tools} />
              ) : (
                <OutgoingBubble key={`out-${entry.sms.id}`} sms={entry.sms} />
              ),
            )}
          </Stack>
        )}
      </Box>

      <Box component="form" onSubmit={submit} sx={{ px: 1.25, py: 1 }}>
        <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
          <TextField
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('lab.handset.smsPlaceholder')}
            aria-label={t('lab.handset.smsLabel', { number })}
            autoComplete="off"
            slotProps={{ htmlInput: { 'data-testid': 'handset-sms-text', maxLength: 1600, spellCheck: false } }}
            sx={{ '& .MuiInputBase-root': { borderRadius: 5 } }}
          />
          <Tooltip title={t('lab.handset.send')}>
            <span>
              <IconButton
                type="submit"
                color="primary"
                disabled={sms.pending || text.trim() === ''}
                aria-label={t('lab.handset.send')}
                data-testid="handset-sms-send"
              >
                <SendOutlined fontSize="small" />
              </IconButton>
            </span>
          </Tooltip>
        </Stack>
        <Stack direction="row" spacing={0.5} sx={{ mt: 0.75, alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
          <Typography variant="caption" color="text.secondary" sx={{ mr: 0.5 }}>
            {t('lab.handset.quick')}
          </Typography>
          {[...quickTexts, ...(handset.subscriber ? [] : (['OPEN'] as const))].map((quick) => (
            <Chip
              key={quick}
              label={quick}
              clickable
              variant="outlined"
              color="primary"
              disabled={sms.pending}
              onClick={() => void send(quick)}
              data-testid={`handset-quick-${quick}`}
              sx={{ fontWeight: 600, minWidth: 40 }}
            />
          ))}
        </Stack>
      </Box>
    </Card>
  );
}

function IncomingBubble({ message, fresh, tools }: { message: VirtualHandset['messages'][number]; fresh: boolean; tools: NumberTools }) {
  const { t } = useTranslation();
  const f = useFormat();
  const fromService = !message.from.startsWith('+');
  const encoding = message.encoding === 'ucs2' ? 'UCS-2' : message.encoding === 'gsm7' ? 'GSM-7' : message.encoding;
  return (
    <Box
      data-testid="handset-message"
      data-from={message.from}
      data-fresh={fresh ? 'yes' : undefined}
      sx={(theme) => ({
        alignSelf: 'flex-start',
        maxWidth: '92%',
        px: 1.25,
        py: 0.75,
        borderRadius: '4px 12px 12px 12px',
        bgcolor: fresh ? alpha(theme.palette.warning.main, theme.palette.mode === 'dark' ? 0.18 : 0.12) : 'background.paper',
        border: 1,
        borderColor: fresh ? alpha(theme.palette.warning.main, 0.6) : 'divider',
        transition: theme.transitions.create(['background-color', 'border-color'], { duration: 1200 }),
        animation: fresh ? `${flash} 2.5s ease-out` : undefined,
      })}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
        <Typography variant="caption" sx={{ fontWeight: 600 }} color={fromService ? 'primary.main' : 'text.primary'} noWrap>
          {fromService ? t('lab.handset.fromService', { code: message.from }) : tools.national(message.from)}
        </Typography>
        <Typography variant="caption" color="text.secondary" sx={{ flexShrink: 0 }}>
          {fresh && (
            <Box component="span" sx={{ color: 'warning.main', fontWeight: 700, mr: 0.75 }}>
              {t('lab.handset.new')}
            </Box>
          )}
          {f.time(message.at)}
        </Typography>
      </Stack>
      <Typography
        variant="body2"
        lang={looksChinese(message.text) ? 'zh-CN' : undefined}
        sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', my: 0.25, lineHeight: 1.5 }}
        data-testid="handset-message-text"
      >
        {message.text}
      </Typography>
      <Typography variant="caption" color="text.disabled" component="div" sx={{ fontSize: '0.68rem' }}>
        {t('lab.handset.layout', { encoding, count: message.parts })}
      </Typography>
    </Box>
  );
}

function OutgoingBubble({ sms }: { sms: SentSms }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Stack spacing={0.25} sx={{ alignSelf: 'flex-end', alignItems: 'flex-end', maxWidth: '85%' }} data-testid="handset-sent">
      <Box
        lang={looksChinese(sms.text) ? 'zh-CN' : undefined}
        sx={{
          px: 1.25,
          py: 0.6,
          borderRadius: '12px 4px 12px 12px',
          bgcolor: 'primary.main',
          color: 'primary.contrastText',
          fontSize: '0.85rem',
          whiteSpace: 'pre-wrap',
          overflowWrap: 'anywhere',
        }}
      >
        {sms.text}
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ fontSize: '0.68rem' }}>
        {sms.command === null
          ? t('lab.handset.sending')
          : t('lab.handset.sentAs', { command: t(`lab.smsCommands.${commandKey(sms.command)}`), count: sms.replies ?? 0 })}{' '}
        · {f.time(sms.at)}
      </Typography>
    </Stack>
  );
}

/** What the core says it read an SMS as: one of its commands, or 'unknown'. */
const knownCommands = [...smsCommandNames, 'unknown'] as const;

function commandKey(command: string): (typeof knownCommands)[number] {
  return (knownCommands as readonly string[]).includes(command) ? (command as (typeof knownCommands)[number]) : 'unknown';
}
