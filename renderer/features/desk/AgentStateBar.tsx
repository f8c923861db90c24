/**
 * The agent's state as the core tracks it (Ready, Not ready with the reason, Ringing, On call, Wrap-up with its
 * countdown), how long it has lasted, the choice of what comes next, and today's figures.
 */
import ArrowDropDownOutlined from '@mui/icons-material/ArrowDropDownOutlined';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import PauseCircleOutlined from '@mui/icons-material/PauseCircleOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import IconButton from '@mui/material/IconButton';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskAgentView } from '../../../core/api/desk-types';
import { useAction } from '../../hooks/useCommand';
import { useNow } from '../../hooks/useNow';
import { useSoftphone } from './useSoftphone';
import { describeError } from '../../i18n/errors';
import { useFormat } from '../../i18n/format';
import { useDeskStore } from './deskStore';
import { formatClock, stateColors } from './labels';
import { pulse } from './PhoneStatus';

/** A reason as the agent reads it: the configured ones as written, the core's own translated. */
export function useReasonLabel(): (reason: string | null) => string {
  const { t } = useTranslation();
  return (reason) => (reason === 'missed-call' ? t('desk.state.missedCallReason') : (reason ?? ''));
}

export function AgentStateBar({ agent }: { agent: DeskAgentView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(1000);
  const phone = useSoftphone();
  const config = useDeskStore((s) => s.config);
  const hasSettings = useDeskStore((s) => s.hasSipSettings);
  const setAgent = useDeskStore((s) => s.setAgent);
  const openSettings = useDeskStore((s) => s.setSettingsOpen);
  const reasonLabel = useReasonLabel();
  const setState = useAction('desk/set-state');
  const [menu, setMenu] = useState<HTMLElement | null>(null);

  const busy = agent.activity === 'ringing' || agent.activity === 'on-call';
  const wrapUp = agent.activity === 'wrap-up';
  const registered = phone.registration === 'registered';
  const readyBlocked = !hasSettings ? t('desk.state.readyNeedsSettings') : !registered ? t('desk.state.readyNeedsPhone') : null;

  const choose = async (state: 'ready' | 'not-ready', reason?: string) => {
    setMenu(null);
    const result = await setState.run(state === 'ready' ? { state } : { state, reason: reason ?? '' }, { inline: true });
    if (result) setAgent(result);
  };

  const stateLabel =
    agent.state === 'not-ready' && agent.reason
      ? t('desk.state.notReadyBecause', { reason: reasonLabel(agent.reason) })
      : t(`desk.state.names.${agent.state}`);
  const elapsed = formatClock(now - agent.since);
  const wrapUpLeft = agent.wrapUpEndsAt ? formatClock(agent.wrapUpEndsAt - now + 999) : null;
  const next = agent.presence === 'ready' ? t('desk.state.names.ready') : reasonLabel(agent.reason) || t('desk.state.names.not-ready');

  return (
    <Paper variant="outlined" sx={{ px: 2, py: 1.25, mb: 2 }} data-testid="desk-state-bar" data-state={agent.state}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <Chip
          color={stateColors[agent.state]}
          label={
            <span>
              {stateLabel}
              <Box component="span" sx={{ ml: 1, opacity: 0.85, fontWeight: 400 }} data-testid="desk-state-elapsed">
                {wrapUp && wrapUpLeft ? t('desk.state.wrapUpLeft', { time: wrapUpLeft }) : elapsed}
              </Box>
            </span>
          }
          data-testid="desk-state"
          data-state={agent.state}
          sx={{
            height: 34,
            fontSize: '0.95rem',
            fontWeight: 600,
            px: 1,
            ...(agent.state === 'ringing' ? { animation: `${pulse} 1.2s ease-in-out infinite` } : {}),
          }}
        />
        {(busy || wrapUp) && (
          <Typography variant="body2" color="text.secondary" data-testid="desk-state-next">
            {wrapUp && agent.wrapUpEndsAt ? t('desk.state.afterWrapUp', { state: next }) : t('desk.state.afterCall', { state: next })}
          </Typography>
        )}
        <Box sx={{ flex: 1 }} />
        <Tooltip title={readyBlocked ?? (wrapUp ? t('desk.state.readyEndsWrapUp') : t('desk.state.readyHint'))}>
          <span>
            <Button
              variant={agent.presence === 'ready' ? 'contained' : 'outlined'}
              color="success"
              startIcon={<CheckCircleOutlined />}
              disabled={setState.pending || readyBlocked !== null || (agent.presence === 'ready' && !wrapUp)}
              onClick={() => void choose('ready')}
              data-testid="desk-ready"
            >
              {wrapUp ? t('desk.state.readyNow') : t('desk.state.names.ready')}
            </Button>
          </span>
        </Tooltip>
        <Button
          variant={agent.presence === 'not-ready' ? 'contained' : 'outlined'}
          color="warning"
          startIcon={<PauseCircleOutlined />}
          endIcon={<ArrowDropDownOutlined />}
          disabled={setState.pending || !config}
          onClick={(e) => setMenu(e.currentTarget)}
          data-testid="desk-not-ready"
        >
          {t('desk.state.names.not-ready')}
        </Button>
        <Menu anchorEl={menu} open={menu !== null} onClose={() => setMenu(null)}>
          {config?.notReadyReasons.map((reason) => (
            <MenuItem
              key={reason}
              selected={agent.presence === 'not-ready' && agent.reason === reason}
              onClick={() => void choose('not-ready', reason)}
              data-testid="desk-reason"
              data-reason={reason}
            >
              {reason}
            </MenuItem>
          ))}
        </Menu>
        <Divider orientation="vertical" flexItem />
        <Stack direction="row" spacing={2} data-testid="desk-today" sx={{ color: 'text.secondary' }}>
          <Figure label={t('desk.today.offered')} value={f.number(agent.today.offered)} testId="offered" />
          <Figure label={t('desk.today.answered')} value={f.number(agent.today.answered)} testId="answered" />
          <Figure label={t('desk.today.missed')} value={f.number(agent.today.missed)} testId="missed" />
          <Figure label={t('desk.today.talk')} value={formatClock(agent.today.talkMs)} testId="talk" />
          <Figure label={t('desk.today.messages')} value={f.number(agent.today.messages)} testId="messages" />
        </Stack>
        <Tooltip title={t('desk.settings.open')}>
          <IconButton onClick={() => openSettings(true)} aria-label={t('desk.settings.open')} data-testid="desk-settings-open">
            <SettingsOutlined fontSize="small" />
          </IconButton>
        </Tooltip>
      </Stack>
      {setState.error && (
        <Alert severity="error" sx={{ mt: 1 }} onClose={setState.clearError} data-testid="desk-state-error">
          {describeError(t, setState.error)}
        </Alert>
      )}
    </Paper>
  );
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Stack sx={{ alignItems: 'center', minWidth: 44 }}>
      <Typography variant="body1" sx={{ fontWeight: 600, color: 'text.primary', lineHeight: 1.2 }} data-testid={`desk-today-${testId}`}>
        {value}
      </Typography>
      <Typography variant="caption" sx={{ lineHeight: 1.2 }}>
        {label}
      </Typography>
    </Stack>
  );
}
