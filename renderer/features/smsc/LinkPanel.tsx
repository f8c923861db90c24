/** Settings → SMSC, right-hand side: the link's state, why it is not bound, and its counters, live. */
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { SmppCounters, SmppStatus, SmscSettings } from '../../../core/api/network-settings';
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
  Since,
  type CounterGroup,
} from '../links/LinkStatusPanel';
import { explainLinkError, linkDisplay, linkTone, smscChip } from './linkState';

/** Counters in reading order; the ones that mean trouble turn amber when not zero. */
const counterGroups: { id: 'out' | 'receipts' | 'in' | 'link'; keys: { key: keyof SmppCounters; problem?: boolean }[] }[] = [
  { id: 'out', keys: [{ key: 'submitted' }, { key: 'submitFailed', problem: true }, { key: 'throttledRetries' }, { key: 'replaced' }] },
  {
    id: 'receipts',
    keys: [
      { key: 'delivered' },
      { key: 'failed', problem: true },
      { key: 'expired', problem: true },
      { key: 'receiptsUnknown', problem: true },
    ],
  },
  { id: 'in', keys: [{ key: 'moReceived' }, { key: 'moRejected', problem: true }] },
  { id: 'link', keys: [{ key: 'linkLosses', problem: true }] },
];

function LastError({ link }: { link: SmppStatus }) {
  const { t } = useTranslation();
  if (!link.lastError) return null;
  const title =
    link.state === 'bound'
      ? t('smsc.panel.lastErrorBound')
      : link.state === 'connecting'
        ? t('smsc.panel.lastErrorRetrying')
        : t('smsc.panel.lastError');
  return (
    <LastFailure
      testId="smsc-link-error"
      tone={linkTone[link.state]}
      title={title}
      plain={explainLinkError(t, link.lastError)}
      detail={link.lastError}
    >
      {link.state !== 'bound' && <FailureNote>{t('smsc.panel.retrying')}</FailureNote>}
    </LastFailure>
  );
}

/** Where the link goes, in the terms of the PDUs: address, system_id, bind. */
function Target({ settings }: { settings: SmscSettings | undefined }) {
  const link = settings?.link;
  if (!link) return null;
  const bind = link.bindMode === 'transceiver' ? 'bind_transceiver' : 'bind_transmitter + bind_receiver';
  return (
    <LinkTarget testId="smsc-link-target">
      <Em>
        {link.host}:{link.port}
      </Em>
      {' · system_id '}
      <Em>{link.systemId}</Em>
      <br />
      {bind}
    </LinkTarget>
  );
}

export function LinkPanel({ network, settings }: { network: NetworkStatusState; settings: SmscSettings | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const view = network.status?.smsc;
  const link = view?.mode === 'smpp' ? view.link : null;
  const groups: CounterGroup[] = link
    ? counterGroups.map((group) => ({
        id: group.id,
        title: t(`smsc.counterGroups.${group.id}`),
        rows: group.keys.map(({ key, problem }) => ({ key, label: t(`smsc.counters.${key}`), value: link.counters[key], problem })),
      }))
    : [];
  return (
    <LinkStatusPanel
      testId="smsc-link-panel"
      title={t('smsc.panel.title')}
      live={link ? t('smsc.panel.live') : undefined}
      network={network}
      ready={view !== undefined}
      data={{ 'data-mode': view?.mode, 'data-state': view ? linkDisplay(view) : undefined }}
    >
      {view && (
        <LinkStatusHead chip={smscChip(t, linkDisplay(view))} testId="smsc-link-state">
          {link && <Since since={link.since} testId="smsc-link-since" />}
        </LinkStatusHead>
      )}
      {!link ? (
        <Typography variant="body2" color="text.secondary" data-testid="smsc-virtual-explanation">
          {t('smsc.panel.virtual')}
        </Typography>
      ) : (
        <>
          <Target settings={settings} />
          <LastError link={link} />
          <LinkFigures
            metrics={
              <>
                <Metric
                  label={t('smsc.panel.submitsPerSecond')}
                  value={f.number(Math.round(link.submitsPerSecond * 10) / 10)}
                  testId="smsc-submits-per-second"
                />
                <Metric
                  label={t('smsc.panel.inFlight')}
                  value={
                    settings?.link
                      ? t('smsc.panel.ofWindow', { n: f.number(link.inFlight), window: f.number(settings.link.windowSize) })
                      : f.number(link.inFlight)
                  }
                  testId="smsc-in-flight"
                />
              </>
            }
            groups={groups}
            testIdPrefix="smsc"
            countedSince={t('smsc.panel.countersSince')}
          />
        </>
      )}
    </LinkStatusPanel>
  );
}
