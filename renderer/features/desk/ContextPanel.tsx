/**
 * The context pop: who the caller was trying to reach, as the agent needs them while the caller is on the line:
 * the called party's services, language and pending missed calls, and the privacy rules in plain words (what the
 * agent may say, and what not). When the INVITE did not say who was called, the agent asks and looks them up.
 */
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskContext, DeskPrivacyRule } from '../../../core/api/desk-types';
import type { CommandError } from '../../api/client';
import { fieldErrorText } from '../../components/fieldError';
import { describeError } from '../../i18n/errors';
import { useFormat } from '../../i18n/format';
import { useDeskStore } from './deskStore';
import { useNumberText } from './labels';
import type { WorkItem } from './workItems';

export function ContextPanel({
  item,
  context,
  error,
  loading,
  onRetry,
}: {
  item: WorkItem;
  context: DeskContext | undefined;
  error: CommandError | null;
  loading: boolean;
  onRetry(): void;
}) {
  const { t } = useTranslation();
  const number = useNumberText();
  const needsNumber = !item.called && !item.session && !item.lookedUp;
  const calledError = fieldErrorText(error, 'called');
  const otherError = error && !calledError ? error : null;

  return (
    <Card data-testid="desk-context" sx={{ minWidth: 0 }}>
      <CardContent>
        <Typography variant="overline" color="text.secondary">
          {t('desk.context.title')}
        </Typography>
        {(needsNumber || calledError) && (
          <LookupForm
            item={item}
            intro={
              needsNumber ? t('desk.context.askNumber') : t('desk.context.checkNumber', { called: number(item.lookedUp ?? item.called) })
            }
            error={
              calledError && error?.code === 'not_found'
                ? t('desk.context.notSubscriber', { called: number(item.lookedUp ?? item.called) })
                : calledError
            }
          />
        )}
        {otherError && (
          <Alert
            severity="error"
            action={
              <Button color="inherit" size="small" onClick={onRetry}>
                {t('common.retry')}
              </Button>
            }
            data-testid="desk-context-error"
          >
            {describeError(t, otherError)}
          </Alert>
        )}
        {!needsNumber && loading && !context && (
          <Stack spacing={1}>
            <Skeleton variant="text" width="60%" height={36} />
            <Skeleton variant="rounded" height={80} />
          </Stack>
        )}
        {context && !calledError && <Profile context={context} lookedUp={item.lookedUp !== null} item={item} />}
      </CardContent>
    </Card>
  );
}

function LookupForm({ item, intro, error }: { item: WorkItem; intro: string; error: string | null }) {
  const { t } = useTranslation();
  const updateWork = useDeskStore((s) => s.updateWork);
  const [typed, setTyped] = useState(item.lookedUp ?? '');
  const submit = () => {
    if (typed.trim()) updateWork(item.callId, { lookedUp: typed.trim() });
  };
  return (
    <Box sx={{ mb: 2 }} data-testid="desk-lookup">
      <Alert severity="info" sx={{ mb: 1.5 }} data-testid="desk-lookup-intro">
        {intro}
      </Alert>
      <Stack direction="row" spacing={1} component="form" onSubmit={(e) => (e.preventDefault(), submit())}>
        <TextField
          label={t('desk.context.calledNumber')}
          value={typed}
          autoFocus
          onChange={(e) => setTyped(e.target.value)}
          error={!!error}
          helperText={error ?? t('desk.context.calledNumberHint')}
          slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'desk-lookup-number' } }}
        />
        <Button
          type="submit"
          variant="contained"
          startIcon={<SearchOutlined />}
          disabled={!typed.trim()}
          data-testid="desk-lookup-submit"
          sx={{ alignSelf: 'flex-start', mt: 0.25 }}
        >
          {t('desk.context.lookUp')}
        </Button>
      </Stack>
    </Box>
  );
}

function Profile({ context, lookedUp, item }: { context: DeskContext; lookedUp: boolean; item: WorkItem }) {
  const { t } = useTranslation();
  const f = useFormat();
  const number = useNumberText();
  const updateWork = useDeskStore((s) => s.updateWork);
  const called = context.called;
  const services = (['missedCallAlert', 'reachableAlert', 'voicemail'] as const).filter((s) => called.services[s]);
  const refusal = called.messages.accepted ? null : called.messages;

  return (
    <Box data-testid="desk-profile" data-msisdn={called.msisdn}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography variant="h2" sx={{ fontSize: '1.5rem' }} data-testid="desk-context-called">
          {called.national}
        </Typography>
        {lookedUp && (
          <Button size="small" onClick={() => updateWork(item.callId, { lookedUp: null })} data-testid="desk-lookup-change">
            {t('desk.context.changeNumber')}
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {context.caller ? t('desk.context.calledBy', { caller: number(context.caller) }) : t('desk.context.calledByUnknown')}
      </Typography>
      <Stack direction="row" spacing={0.75} sx={{ flexWrap: 'wrap', rowGap: 0.75, mb: 1.5 }}>
        <Chip
          color={called.state === 'active' ? 'success' : 'error'}
          variant="outlined"
          label={t(`desk.context.state.${called.state}`)}
          data-testid="desk-context-state"
        />
        <Chip variant="outlined" label={t(`desk.context.language.${called.language}`)} data-testid="desk-context-language" />
        {services.map((s) => (
          <Chip
            key={s}
            color="primary"
            variant="outlined"
            label={t(`desk.context.services.${s}`)}
            data-testid="desk-context-service"
            data-service={s}
          />
        ))}
        {services.length === 0 && <Chip variant="outlined" label={t('desk.context.services.none')} />}
      </Stack>

      <Stack direction="row" spacing={3} sx={{ mb: 1.5 }}>
        <Box>
          <Typography variant="caption" color="text.secondary">
            {t('desk.context.pending')}
          </Typography>
          <Typography variant="h5" data-testid="desk-context-pending">
            {f.number(called.pendingMissedCalls)}
          </Typography>
        </Box>
        <Box>
          <Typography variant="caption" color="text.secondary">
            {t('desk.context.presence.label')}
          </Typography>
          <Typography variant="body1" sx={{ fontWeight: 600, mt: 0.5 }} data-testid="desk-context-presence" data-presence={called.presence}>
            {t(`desk.context.presence.${called.presence}`)}
          </Typography>
        </Box>
      </Stack>

      {refusal && (
        <Alert severity="error" sx={{ mb: 1.5 }} data-testid="desk-context-refusal" data-reason={refusal.reason}>
          {t(`desk.context.refusal.${refusal.reason}`, { called: called.national })}
        </Alert>
      )}

      <Divider sx={{ mb: 1 }} />
      <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
        {t('desk.context.privacyTitle')}
      </Typography>
      <List dense disablePadding data-testid="desk-privacy">
        {called.privacy.rules.map((rule, i) => (
          <PrivacyRule key={`${rule.code}-${i}`} rule={rule} />
        ))}
      </List>

      {context.session && (
        <>
          <Divider sx={{ my: 1 }} />
          <Typography variant="body2" color="text.secondary" data-testid="desk-context-session">
            {t('desk.context.fromIvr', {
              time: f.time(context.session.at),
              callback: context.session.callback ? number(context.session.callback) : t('desk.context.noCallbackLeft'),
            })}
          </Typography>
        </>
      )}
    </Box>
  );
}

function PrivacyRule({ rule }: { rule: DeskPrivacyRule }) {
  const { t } = useTranslation();
  return (
    <ListItem disableGutters data-testid="desk-privacy-rule" data-code={rule.code} data-may={rule.may} sx={{ alignItems: 'flex-start' }}>
      <ListItemIcon sx={{ minWidth: 30, mt: 0.5 }}>
        {rule.may ? <CheckCircleOutlined color="success" fontSize="small" /> : <BlockOutlined color="error" fontSize="small" />}
      </ListItemIcon>
      <ListItemText
        primary={rule.may ? t('desk.privacy.may') : t('desk.privacy.mayNot')}
        secondary={t(`desk.privacy.rules.${rule.code}`, { from: rule.params?.from ?? '', to: rule.params?.to ?? '' })}
        slotProps={{
          primary: {
            variant: 'caption',
            sx: { fontWeight: 700, color: rule.may ? 'success.main' : 'error.main', textTransform: 'uppercase' },
          },
          secondary: { variant: 'body2', color: 'text.primary' },
        }}
      />
    </ListItem>
  );
}
