/**
 * Settings → SIP: power-on from SIP registrations (RFC 3680 reg events): where the registrar is, which numbers
 * to watch, and the watcher's health and counters live beside them.
 */
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useNetworkStatus } from '../../hooks/useNetworkStatus';
import { useSettingsSources } from '../../hooks/useSettingsSources';
import { LinkSettingsLayout } from '../links/LinkSettingsForm';
import { SipForm } from './SipForm';
import { SipPanel } from './SipPanel';

export function SipScreen() {
  const { t } = useTranslation();
  const query = useQuery('sip/get', {});
  // sip/update announces itself as a settings change.
  useCoreEvent('settings/changed', query.reload);
  const network = useNetworkStatus();
  const sources = useSettingsSources('sip');
  return (
    <LinkSettingsLayout
      testId="screen-sip"
      title={t('sip.title')}
      subtitle={t('sip.subtitle')}
      error={query.error}
      onRetry={query.reload}
      form={query.data && <SipForm saved={query.data} sources={sources} onSaved={query.reload} />}
      panel={<SipPanel network={network} settings={query.data} />}
    />
  );
}
