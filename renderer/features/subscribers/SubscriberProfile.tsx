/** One subscriber as customer service sees it: profile, lists, missed calls and SMS, live. */
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import RadioButtonUncheckedOutlined from '@mui/icons-material/RadioButtonUncheckedOutlined';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { serviceNames, type SubscriberDetail } from '../../../core/api/engine-types';
import { KeyValueList } from '../../components/KeyValueList';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { StatementsPanel } from '../statements/StatementsPanel';
import { MissedCallsTable } from './MissedCallsTable';
import { useMsisdnFormat, useSubscriberRules } from './numbers';
import { SmsLogTable } from './SmsLogTable';
import { SubscriberStateChip } from './SubscriberChips';
import { SubscriberDialog } from './SubscriberDialog';
import { SubscriberGreeting } from './SubscriberGreeting';
import { SubscriberListEditor } from './SubscriberLists';

type ProfileTab = 'overview' | 'calls' | 'sms' | 'statements';
/** Bursts of SMS state changes (a whole queue draining) cost one reload. */
const smsRefreshMs = 1_000;

interface Props {
  msisdn: string;
  onClose(): void;
  /** Something changed that the list shows too (services, state, pending calls). */
  onChanged(): void;
}

export function SubscriberProfile({ msisdn, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const can = useCan();
  const canManage = can('subscribers.manage');
  const formatNumber = useMsisdnFormat();
  const query = useQuery('subscribers/get', { msisdn });
  const rules = useSubscriberRules();
  const [tab, setTab] = useState<ProfileTab>('overview');
  const [editing, setEditing] = useState(false);
  // A saved change answers with the new detail: show it until the query has loaded something newer.
  const [fresh, setFresh] = useState<{ detail: SubscriberDetail; over: SubscriberDetail | undefined } | null>(null);
  const detail = fresh && fresh.over === query.data ? fresh.detail : query.data;
  const { reload } = query;

  const applyChange = (next: SubscriberDetail) => {
    setFresh({ detail: next, over: query.data });
    reload();
    onChanged();
  };

  useCoreEvent('calls/changed', ({ callee }) => {
    if (callee === msisdn) reload();
  });
  // Changed elsewhere: by the subscriber (SMS command, self-care IVR), the network or another operator.
  useCoreEvent('subscribers/changed', ({ msisdn: changed }) => {
    if (changed === msisdn) reload();
  });
  // State changes of this subscriber's SMS come in bursts (submitted, delivered): reload at most once a second.
  const smsTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useCoreEvent('sms/changed', ({ to }) => {
    if (to !== msisdn || smsTimer.current) return;
    smsTimer.current = setTimeout(() => {
      smsTimer.current = null;
      reload();
    }, smsRefreshMs);
  });
  useEffect(
    () => () => {
      if (smsTimer.current) clearTimeout(smsTimer.current);
    },
    [],
  );

  const calls = useMemo(() => detail?.calls.filter((c) => c.callee === msisdn) ?? [], [detail, msisdn]);
  const pending = calls.filter((c) => c.status === 'pending').length;

  if (!detail) {
    return (
      <Box sx={{ p: 2.5 }} data-testid="subscriber-profile">
        <Stack direction="row" sx={{ alignItems: 'center', mb: 2 }}>
          <Typography variant="h3" sx={{ flex: 1, fontFamily: monoFontFamily }}>
            {formatNumber(msisdn)}
          </Typography>
          <IconButton onClick={onClose} aria-label={t('common.close')}>
            <CloseOutlined fontSize="small" />
          </IconButton>
        </Stack>
        {query.error ? <ErrorAlert error={query.error} onRetry={reload} /> : <LoadingState />}
      </Box>
    );
  }

  const s = detail.subscriber;
  return (
    <Box sx={{ p: 2.5 }} data-testid="subscriber-profile" data-msisdn={s.msisdn}>
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h2" sx={{ fontFamily: monoFontFamily }} data-testid="subscriber-profile-number">
          {formatNumber(s.msisdn)}
        </Typography>
        <SubscriberStateChip state={s.state} />
        {detail.presence && (
          <Tooltip title={t('subscribers.presenceSince', { time: f.dateTime(detail.presence.at) })}>
            <Chip
              variant="outlined"
              color={detail.presence.state === 'reachable' ? 'success' : 'default'}
              label={t(`subscribers.presence.${detail.presence.state}`)}
              data-testid="subscriber-presence"
            />
          </Tooltip>
        )}
        <Box sx={{ flex: 1 }} />
        {canManage && (
          <Button variant="outlined" startIcon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="subscriber-edit">
            {t('subscribers.edit')}
          </Button>
        )}
        <Tooltip title={t('common.refresh')}>
          <IconButton onClick={reload} aria-label={t('common.refresh')} disabled={query.refreshing}>
            <RefreshOutlined fontSize="small" />
          </IconButton>
        </Tooltip>
        <IconButton onClick={onClose} aria-label={t('common.close')} data-testid="subscriber-profile-close">
          <CloseOutlined fontSize="small" />
        </IconButton>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
        {[
          t(`subscribers.languages.${s.language}`),
          s.tariff ? t('subscribers.tariffNamed', { tariff: s.tariff }) : t('subscribers.noTariff'),
          s.hasPin ? t('subscribers.pinSet') : t('subscribers.pinNotSet'),
          s.msisdn,
        ].join(' · ')}
      </Typography>
      {query.error && (
        <Box sx={{ mb: 1.5 }}>
          <ErrorAlert error={query.error} onRetry={reload} />
        </Box>
      )}
      <Tabs value={tab} onChange={(_, v: ProfileTab) => setTab(v)} sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tab value="overview" label={t('subscribers.tabs.overview')} data-testid="subscriber-tab-overview" />
        <Tab
          value="calls"
          data-testid="subscriber-tab-calls"
          label={
            <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
              <span>{t('subscribers.tabs.calls', { count: calls.length })}</span>
              {pending > 0 && (
                <Chip color="warning" label={t('subscribers.tabs.waiting', { count: pending })} data-testid="subscriber-pending" />
              )}
            </Stack>
          }
        />
        <Tab value="sms" label={t('subscribers.tabs.sms', { count: detail.sms.length })} data-testid="subscriber-tab-sms" />
        {can('statements.read') && <Tab value="statements" label={t('statements.title')} data-testid="subscriber-tab-statements" />}
      </Tabs>

      {tab === 'overview' && (
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
          <Card>
            <CardHeader title={t('subscribers.fields.services')} />
            <CardContent sx={{ pt: 0.5 }}>
              <Stack spacing={0.75}>
                {serviceNames.map((name) => {
                  const on = s.services[name];
                  return (
                    <Stack
                      key={name}
                      direction="row"
                      spacing={1}
                      sx={{ alignItems: 'center' }}
                      data-testid={`subscriber-service-${name}`}
                      data-on={on}
                    >
                      {on ? (
                        <CheckCircleOutlined fontSize="small" color="success" />
                      ) : (
                        <RadioButtonUncheckedOutlined fontSize="small" color="disabled" />
                      )}
                      <Typography variant="body2" color={on ? 'text.primary' : 'text.secondary'}>
                        {t(`subscribers.services.${name}`)}
                      </Typography>
                    </Stack>
                  );
                })}
              </Stack>
              {s.state !== 'active' && (
                <Typography variant="caption" color="warning.main" component="div" sx={{ mt: 1 }}>
                  {t('subscribers.servicesInactiveHint')}
                </Typography>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader title={t('subscribers.profile')} />
            <CardContent sx={{ pt: 0.5 }}>
              <KeyValueList
                items={[
                  {
                    label: t('subscribers.fields.privacy'),
                    value: t(`subscribers.privacy.${s.privacy.mode}`),
                    testId: 'subscriber-privacy-mode',
                  },
                  {
                    label: t('subscribers.fields.hidden'),
                    value: s.privacy.hidden.length
                      ? s.privacy.hidden.map((w) => `${w.from}–${w.to}`).join(t('common.listSeparator'))
                      : t('subscribers.noHidden'),
                  },
                  { label: t('subscribers.fields.stateSince'), value: f.dateTime(s.stateSince) },
                  { label: t('subscribers.fields.created'), value: f.dateTime(s.createdAt) },
                  { label: t('subscribers.fields.updated'), value: f.dateTime(s.updatedAt) },
                ]}
              />
            </CardContent>
          </Card>
          <Card>
            <CardContent>
              <SubscriberListEditor
                subscriber={s}
                list="whitelist"
                canManage={canManage}
                max={rules?.whitelistMax}
                onChanged={applyChange}
              />
            </CardContent>
          </Card>
          <Card>
            <CardContent>
              <SubscriberListEditor
                subscriber={s}
                list="blacklist"
                canManage={canManage}
                max={rules?.blacklistMax}
                onChanged={applyChange}
              />
            </CardContent>
          </Card>
          <SubscriberGreeting subscriber={s} onChanged={applyChange} />
        </Box>
      )}
      {tab === 'calls' && <MissedCallsTable calls={calls} />}
      {tab === 'sms' && <SmsLogTable sms={detail.sms} />}
      {tab === 'statements' && can('statements.read') && <StatementsPanel msisdn={msisdn} />}

      {editing && (
        <SubscriberDialog
          state={{ mode: 'edit', subscriber: s }}
          onClose={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            applyChange(next);
          }}
        />
      )}
    </Box>
  );
}
