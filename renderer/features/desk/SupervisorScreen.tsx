/**
 * For supervisors (desk.supervise): every agent live (state and how long, the call they are on, who is next in
 * line for a call, today's figures), every agent's calls with filters, and the desk's shared settings.
 */
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskAgentView } from '../../../core/api/desk-types';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useNow } from '../../hooks/useNow';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { useReasonLabel } from './AgentStateBar';
import { CallLogTable } from './CallLogTable';
import { DeskConfigForm } from './DeskConfigForm';
import { formatClock, stateColors, useNumberText } from './labels';

type TabId = 'agents' | 'calls' | 'settings';

function useLiveAgents() {
  const query = useQuery('desk/agents', {}, { intervalMs: 30_000 });
  const [agents, setAgents] = useState<DeskAgentView[]>([]);
  const [base, setBase] = useState(query.data);
  if (query.data !== base) {
    setBase(query.data);
    setAgents(query.data ?? []);
  }
  useCoreEvent('desk/agent-changed', (view) =>
    setAgents((list) =>
      list.some((a) => a.operatorId === view.operatorId)
        ? list.map((a) => (a.operatorId === view.operatorId ? view : a))
        : [...list, view].sort((a, b) => a.username.localeCompare(b.username)),
    ),
  );
  return { agents, query };
}

export function SupervisorScreen() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<TabId>('agents');
  const { agents, query } = useLiveAgents();
  return (
    <Box data-testid="screen-desk-supervisor" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader title={t('desk.supervisor.title')} subtitle={t('desk.supervisor.subtitle')} />
      <Tabs value={tab} onChange={(_, v: TabId) => setTab(v)} sx={{ mb: 2, borderBottom: 1, borderColor: 'divider', minHeight: 36 }}>
        <Tab value="agents" label={t('desk.supervisor.tabs.agents')} data-testid="desk-supervisor-tab-agents" sx={{ minHeight: 36 }} />
        <Tab value="calls" label={t('desk.supervisor.tabs.calls')} data-testid="desk-supervisor-tab-calls" sx={{ minHeight: 36 }} />
        <Tab
          value="settings"
          label={t('desk.supervisor.tabs.settings')}
          data-testid="desk-supervisor-tab-settings"
          sx={{ minHeight: 36 }}
        />
      </Tabs>
      {tab === 'agents' &&
        (query.error && !query.data ? (
          <ErrorAlert error={query.error} onRetry={query.reload} />
        ) : query.loading ? (
          <LoadingState />
        ) : (
          <AgentsTable agents={agents} />
        ))}
      {tab === 'calls' && <CallLogTable mode="all" agents={agents} testId="desk-all-calls" />}
      {tab === 'settings' && <DeskConfigForm />}
    </Box>
  );
}

function AgentsTable({ agents }: { agents: DeskAgentView[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(1000);
  const number = useNumberText();
  const reasonLabel = useReasonLabel();
  if (agents.length === 0) return <EmptyState title={t('desk.supervisor.noAgents')} hint={t('desk.supervisor.noAgentsHint')} />;

  // Who the next call goes to: the Ready agent idle longest (the core decides the same way).
  const next = agents.filter((a) => a.idleSince !== null).sort((a, b) => a.idleSince! - b.idleSince! || a.operatorId - b.operatorId)[0];
  const sum = (pick: (a: DeskAgentView) => number) => agents.reduce((n, a) => n + pick(a), 0);
  const counts = (['ready', 'not-ready', 'ringing', 'on-call', 'wrap-up'] as const).map((s) => ({
    state: s,
    n: agents.filter((a) => a.state === s).length,
  }));

  return (
    <>
      <Box sx={{ display: 'flex', gap: 1, mb: 1.5, flexWrap: 'wrap' }} data-testid="desk-supervisor-counts">
        {counts.map(({ state, n }) => (
          <Chip
            key={state}
            color={stateColors[state]}
            variant={n ? 'filled' : 'outlined'}
            label={`${t(`desk.state.names.${state}`)} · ${n}`}
            data-state={state}
            data-count={n}
          />
        ))}
      </Box>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" data-testid="desk-agents">
          <TableHead>
            <TableRow>
              <TableCell>{t('desk.supervisor.columns.agent')}</TableCell>
              <TableCell>{t('desk.supervisor.columns.state')}</TableCell>
              <TableCell>{t('desk.supervisor.columns.call')}</TableCell>
              <TableCell align="right">{t('desk.today.offered')}</TableCell>
              <TableCell align="right">{t('desk.today.answered')}</TableCell>
              <TableCell align="right">{t('desk.today.missed')}</TableCell>
              <TableCell align="right">{t('desk.today.talk')}</TableCell>
              <TableCell align="right">{t('desk.today.messages')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {agents.map((a) => {
              const call = a.currentCall;
              return (
                <TableRow key={a.operatorId} data-testid="desk-agent" data-username={a.username} data-state={a.state} hover>
                  <TableCell>
                    <Typography variant="body2" sx={{ fontWeight: 600 }}>
                      {a.displayName}
                    </Typography>
                    <Typography variant="caption" color="text.secondary" sx={{ fontFamily: monoFontFamily }}>
                      {a.username}
                      {a.sipUser ? ` · sip:${a.sipUser}` : ` · ${t('desk.supervisor.noSip')}`}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
                      <Chip
                        color={stateColors[a.state]}
                        label={
                          a.state === 'not-ready' && a.reason
                            ? `${t('desk.state.names.not-ready')} · ${reasonLabel(a.reason)}`
                            : t(`desk.state.names.${a.state}`)
                        }
                        data-testid="desk-agent-state"
                      />
                      <Typography variant="body2" sx={{ fontFamily: monoFontFamily }} color="text.secondary">
                        {a.state === 'wrap-up' && a.wrapUpEndsAt
                          ? t('desk.state.wrapUpLeft', { time: formatClock(a.wrapUpEndsAt - now + 999) })
                          : a.idleSince !== null
                            ? t('desk.supervisor.idleFor', { time: formatClock(now - a.idleSince) })
                            : formatClock(now - a.since)}
                      </Typography>
                      {next?.operatorId === a.operatorId && (
                        <Chip
                          size="small"
                          variant="outlined"
                          color="success"
                          label={t('desk.supervisor.nextInLine')}
                          data-testid="desk-agent-next"
                        />
                      )}
                    </Box>
                  </TableCell>
                  <TableCell data-testid="desk-agent-call">
                    {call ? (
                      <>
                        <Typography variant="body2" sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>
                          {number(call.caller)} → {call.called ? number(call.called) : '?'}
                        </Typography>
                        <Typography variant="caption" color="text.secondary">
                          {call.answeredAt
                            ? t('desk.supervisor.talking', { time: formatClock(now - call.answeredAt) })
                            : t('desk.supervisor.ringingFor', { time: formatClock(now - call.offeredAt) })}
                        </Typography>
                      </>
                    ) : (
                      <Typography variant="body2" color="text.disabled">
                        —
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell align="right">{f.number(a.today.offered)}</TableCell>
                  <TableCell align="right">{f.number(a.today.answered)}</TableCell>
                  <TableCell align="right">{f.number(a.today.missed)}</TableCell>
                  <TableCell align="right">{formatClock(a.today.talkMs)}</TableCell>
                  <TableCell align="right">{f.number(a.today.messages)}</TableCell>
                </TableRow>
              );
            })}
            <TableRow sx={{ '& td': { fontWeight: 600, borderBottom: 0 } }}>
              <TableCell colSpan={3}>{t('desk.supervisor.total', { count: agents.length })}</TableCell>
              <TableCell align="right">{f.number(sum((a) => a.today.offered))}</TableCell>
              <TableCell align="right">{f.number(sum((a) => a.today.answered))}</TableCell>
              <TableCell align="right">{f.number(sum((a) => a.today.missed))}</TableCell>
              <TableCell align="right">{formatClock(sum((a) => a.today.talkMs))}</TableCell>
              <TableCell align="right">{f.number(sum((a) => a.today.messages))}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
