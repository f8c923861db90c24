/**
 * Settings → SMSC: where SMS go (the built-in virtual SMSC, or an operator SMSC over SMPP 3.4), the link's
 * settings, and its state and counters live beside them.
 */
import { useTranslation } from 'react-i18next';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useNetworkStatus } from '../../hooks/useNetworkStatus';
import { useSettingsSources } from '../../hooks/useSettingsSources';
import { LinkSettingsLayout } from '../links/LinkSettingsForm';
import { LinkPanel } from './LinkPanel';
import { SmscForm } from './SmscForm';

export function SmscScreen() {
  const { t } = useTranslation();
  const query = useQuery('smsc/get', {});
  // smsc/update announces itself as a settings change.
  useCoreEvent('settings/changed', query.reload);
  const network = useNetworkStatus();
  const sources = useSettingsSources('smsc');
  return (
    <LinkSettingsLayout
      testId="screen-smsc"
      title={t('smsc.title')}
      subtitle={t('smsc.subtitle')}
      error={query.error}
      onRetry={query.reload}
      form={
        query.data && <SmscForm saved={query.data.settings} hasPassword={query.data.hasPassword} sources={sources} onSaved={query.reload} />
      }
      panel={<LinkPanel network={network} settings={query.data?.settings} />}
    />
  );
}
