/**
 * The call being worked on: its context pop beside the message form, and the other calls still open here (a
 * message not finished, a call waiting). A call's work stays after hang-up, through the wrap-up, until the agent
 * closes it.
 */
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import HeadsetMicOutlined from '@mui/icons-material/HeadsetMicOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useQuery } from '../../hooks/useCommand';
import { useSoftphone } from './useSoftphone';
import { useFormat } from '../../i18n/format';
import { ContextPanel } from './ContextPanel';
import { useDeskStore } from './deskStore';
import { useNumberText } from './labels';
import { MessagePanel } from './MessagePanel';
import { draftHasText, loadDraft, type WorkItem } from './workItems';

export function WorkPanel() {
  const { t } = useTranslation();
  const work = useDeskStore((s) => s.work);
  const selected = useDeskStore((s) => s.selected);
  const select = useDeskStore((s) => s.select);
  const item = work.find((w) => w.callId === selected) ?? work.at(-1);

  if (!item) {
    return (
      <Stack
        spacing={1.5}
        sx={{
          alignItems: 'center',
          justifyContent: 'center',
          py: 8,
          color: 'text.secondary',
          border: 1,
          borderColor: 'divider',
          borderStyle: 'dashed',
          borderRadius: 1.5,
        }}
        data-testid="desk-no-work"
      >
        <HeadsetMicOutlined fontSize="large" color="disabled" />
        <Typography variant="subtitle2">{t('desk.work.emptyTitle')}</Typography>
        <Typography variant="body2" sx={{ maxWidth: 460, textAlign: 'center' }}>
          {t('desk.work.emptyHint')}
        </Typography>
      </Stack>
    );
  }
  return (
    <Box sx={{ minWidth: 0 }}>
      {work.length > 1 && <WorkTabs items={work} current={item.callId} onSelect={select} />}
      <WorkItemView key={item.callId} item={item} />
    </Box>
  );
}

function WorkTabs({ items, current, onSelect }: { items: WorkItem[]; current: string; onSelect(id: string): void }) {
  const { t } = useTranslation();
  const number = useNumberText();
  const f = useFormat();
  return (
    <Stack
      direction="row"
      spacing={0.75}
      sx={{ mb: 1.5, flexWrap: 'wrap', rowGap: 0.75, alignItems: 'center' }}
      data-testid="desk-work-tabs"
    >
      <Typography variant="caption" color="text.secondary">
        {t('desk.work.open', { count: items.length })}
      </Typography>
      {items.map((w) => (
        <Chip
          key={w.callId}
          color={w.callId === current ? 'primary' : 'default'}
          variant={w.callId === current ? 'filled' : 'outlined'}
          label={`${f.time(w.receivedAt)} · ${number(w.caller)}`}
          onClick={() => onSelect(w.callId)}
          data-testid="desk-work-tab"
          data-call-id={w.callId}
        />
      ))}
    </Stack>
  );
}

function WorkItemView({ item }: { item: WorkItem }) {
  const { t } = useTranslation();
  const number = useNumberText();
  const f = useFormat();
  const phone = useSoftphone();
  const operatorId = useDeskStore((s) => s.operatorId) ?? 0;
  const closeWork = useDeskStore((s) => s.closeWork);
  const [confirmClose, setConfirmClose] = useState(false);
  const called = item.lookedUp ?? item.called;
  const canLook = !!called || !!item.session;
  const context = useQuery(
    'desk/context',
    { ...(called ? { called } : {}), caller: item.caller, session: item.session },
    { enabled: canLook },
  );
  const live = phone.calls.find((c) => c.id === item.callId && c.state !== 'ended');

  const close = () => {
    if (draftHasText(loadDraft(operatorId, item.callId))) setConfirmClose(true);
    else closeWork(item.callId);
  };

  return (
    <Box data-testid="desk-work" data-call-id={item.callId}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1.5 }}>
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {t('desk.work.heading', { caller: number(item.caller), time: f.time(item.receivedAt) })}
          {live ? ` · ${t(`desk.work.live.${live.state as 'ringing' | 'connecting' | 'active'}`)}` : ` · ${t('desk.work.over')}`}
        </Typography>
        {!live && (
          <Button size="small" startIcon={<CloseOutlined />} onClick={close} data-testid="desk-work-close">
            {item.saved.length ? t('desk.work.done') : t('desk.work.closeWithout')}
          </Button>
        )}
      </Stack>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 1.1fr)' }, gap: 2, alignItems: 'start' }}>
        <ContextPanel
          item={item}
          context={canLook ? context.data : undefined}
          error={canLook ? context.error : null}
          loading={context.loading}
          onRetry={context.reload}
        />
        <MessagePanel item={item} context={canLook && !context.error ? context.data : undefined} />
      </Box>
      <ConfirmDialog
        open={confirmClose}
        title={t('desk.work.discardTitle')}
        message={t('desk.work.discardMessage')}
        confirmLabel={t('desk.work.discard')}
        destructive
        onCancel={() => setConfirmClose(false)}
        onConfirm={() => {
          setConfirmClose(false);
          closeWork(item.callId);
        }}
      />
    </Box>
  );
}
