/** Settings are grouped in sections (tabs); add a section by adding an entry to `sections`. */
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../core/api';
import { ScreenHeader } from '../../components/ScreenHeader';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useCan } from '../../hooks/usePermissions';
import { SecuritySettingsForm } from './SecuritySettingsForm';

interface SectionProps {
  settings: Settings;
  canManage: boolean;
  onSaved(): void;
}

const sections: { id: 'security'; render(props: SectionProps): ReactNode }[] = [
  {
    id: 'security',
    render: ({ settings, canManage, onSaved }) => (
      <SecuritySettingsForm saved={settings.security} canManage={canManage} onSaved={onSaved} />
    ),
  },
];

export function SettingsScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const query = useQuery('settings/get', {});
  useCoreEvent('settings/changed', query.reload);
  const [tab, setTab] = useState(sections[0]?.id ?? 'security');
  const section = sections.find((s) => s.id === tab);

  return (
    <Box data-testid="screen-settings">
      <ScreenHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      {query.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={query.error} onRetry={query.reload} />
        </Box>
      )}
      <Paper variant="outlined">
        <Tabs value={tab} onChange={(_, value: typeof tab) => setTab(value)} sx={{ borderBottom: 1, borderColor: 'divider', px: 2 }}>
          {sections.map((s) => (
            <Tab key={s.id} value={s.id} label={t(`settings.sections.${s.id}`)} data-testid={`settings-tab-${s.id}`} />
          ))}
        </Tabs>
        <Box sx={{ p: 3 }}>
          {query.loading && !query.data ? (
            <LoadingState />
          ) : (
            query.data && section?.render({ settings: query.data, canManage: can('settings.manage'), onSaved: query.reload })
          )}
        </Box>
      </Paper>
    </Box>
  );
}
