/**
 * Settings → SIP, right-hand side: whether the registrar answers, the subscriptions, the NOTIFYs and the presence
 * events they produced, and the last failure with its number and Call-ID, live.
 */
import { aorFor } from '../../../core/domain/sip-address';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { SipSettings, SipWatcherStatus } from '../../../core/api/network-settings';
import type { NetworkStatusState } from '../../hooks/useNetworkStatus';
import { useFormat } from '../../i18n/format';
import {
  Em,
  FailureNote,
  LastFailure,
  LinkFigures,
  LinkStatusHead,
  LinkStatusPanel,
  LinkTarget,
  Metric,
  type CounterGroup,
} from '../links/LinkStatusPanel';
import { useMsisdnFormat } from '../subscribers/numbers';
import { explainSipError, sipChip, sipDisplay, sipTone, type SipDisplay } from './sipState';

function LastError({ watcher, display }: { watcher: SipWatcherStatus; display: SipDisplay }) {
  const { t } = useTranslation();
  const f = useFormat();
  const formatNumber = useMsisdnFormat();
  const error = watcher.lastError;
  if (!error) return null;
  const current = display === 'down' || display === 'degraded';
  return (
    <LastFailure
      testId="sip-error"
      tone={current ? sipTone[display] : 'info'}
      title={current ? t('sip.panel.lastError', { time: f.time(error.at) }) : t('sip.panel.lastErrorPast', { time: f.time(error.at) })}
      plain={explainSipError(t, error.message)}
      detail={error.message}
    >
      {(error.msisdn || error.callId) && (
        <FailureNote testId="sip-error-dialog">
          {error.msisdn && t('sip.panel.errorNumber', { number: formatNumber(error.msisdn) })}
          {error.msisdn && error.callId && ' · '}
          {error.callId && (
            <>
              {'Call-ID '}
              <Typography component="span" variant="caption" sx={{ fontFamily: 'inherit' }} data-testid="sip-error-callid">
                {error.callId}
              </Typography>
            </>
          )}
        </FailureNote>
      )}
      {display === 'down' && <FailureNote>{t('sip.panel.retrying')}</FailureNote>}
    </LastFailure>
  );
}

/** Where SUBSCRIBEs go and what they carry, in SIP terms. */
function Target({ settings, watcher }: { settings: SipSettings | undefined; watcher: SipWatcherStatus }) {
  const { t } = useTranslation();
  const f = useFormat();
  const registrar = settings?.registrar;
  if (!registrar) return null;
  const keepalive = registrar.keepaliveIntervalMs;
  return (
    <LinkTarget testId="sip-target">
      {'→ '}
      <Em>
        {registrar.registrarHost}:{registrar.registrarPort}
      </Em>
      {' UDP'}
      <br />
      {'SUBSCRIBE '}
      <Em>{aorFor(`+<${t('sip.example.number')}>`, registrar.domain, registrar.userPart)}</Em>
      <br />
      {`Event: reg · Expires: ${registrar.expires}`}
      <br />
      {'Contact '}
      <Em>
        sip:reachback@{registrar.localHost}:{watcher.localPort ?? registrar.localPort}
      </Em>
      <br />
      {keepalive > 0 ? t('sip.panel.keepalive', { interval: f.number(keepalive) }) : t('sip.panel.noKeepalive')}
    </LinkTarget>
  );
}

export function SipPanel({ network, settings }: { network: NetworkStatusState; settings: SipSettings | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const view = network.status?.sip;
  const watcher = view?.mode === 'watching' ? view.watcher : null;
  const display = view ? sipDisplay(view) : undefined;
  const groups: CounterGroup[] = watcher
    ? [
        {
          id: 'subscriptions',
          title: t('sip.counterGroups.subscriptions'),
          rows: [
            { key: 'active', label: t('sip.counters.active'), value: watcher.subscriptions.active },
            { key: 'pending', label: t('sip.counters.pending'), value: watcher.subscriptions.pending },
            { key: 'failed', label: t('sip.counters.failed'), value: watcher.subscriptions.failed, problem: true },
            { key: 'resubscribes', label: t('sip.counters.resubscribes'), value: watcher.resubscribes },
          ],
        },
        {
          id: 'notify',
          title: t('sip.counterGroups.notify'),
          rows: [
            { key: 'notifiesReceived', label: t('sip.counters.notifiesReceived'), value: watcher.notifiesReceived },
            { key: 'notifiesMalformed', label: t('sip.counters.notifiesMalformed'), value: watcher.notifiesMalformed, problem: true },
            {
              key: 'notifiesUnknownDialog',
              label: t('sip.counters.notifiesUnknownDialog'),
              value: watcher.notifiesUnknownDialog,
              problem: true,
            },
            {
              key: 'lastNotifyAt',
              label: t('sip.counters.lastNotifyAt'),
              value: watcher.lastNotifyAt ?? 0,
              text: watcher.lastNotifyAt !== undefined ? f.time(watcher.lastNotifyAt) : t('sip.counters.never'),
            },
          ],
        },
      ]
    : [];
  const { active = 0, total = 0 } = watcher?.subscriptions ?? {};
  return (
    <LinkStatusPanel
      testId="sip-panel"
      title={t('sip.panel.title')}
      live={watcher ? t('sip.panel.live') : undefined}
      network={network}
      ready={view !== undefined}
      data={{ 'data-mode': view?.mode, 'data-state': display }}
    >
      {display && <LinkStatusHead chip={sipChip(t, display)} testId="sip-state" />}
      {!watcher ? (
        <Typography variant="body2" color="text.secondary" data-testid="sip-off-explanation">
          {t('sip.panel.off')}
        </Typography>
      ) : (
        <>
          {display === 'unknown' && (
            <Typography variant="body2" color="text.secondary" data-testid="sip-waiting">
              {t('sip.panel.waiting')}
            </Typography>
          )}
          <Target settings={settings} watcher={watcher} />
          {display && <LastError watcher={watcher} display={display} />}
          <LinkFigures
            metrics={
              <>
                <Metric
                  label={t('sip.panel.subscriptionsActive')}
                  value={t('sip.panel.ofTotal', { n: f.number(active), total: f.number(total) })}
                  raw={active}
                  testId="sip-subscriptions-active"
                />
                <Metric
                  label={t('sip.panel.presenceEvents')}
                  value={f.number(watcher.presenceEvents)}
                  raw={watcher.presenceEvents}
                  testId="sip-presence-events"
                />
              </>
            }
            note={
              total === 0 &&
              settings && (
                <Typography variant="body2" color="text.secondary" data-testid="sip-nothing-watched">
                  {t(`sip.panel.nothingWatched.${settings.watch}`)}
                </Typography>
              )
            }
            groups={groups}
            testIdPrefix="sip"
            countedSince={t('sip.panel.countersSince')}
          />
        </>
      )}
    </LinkStatusPanel>
  );
}
