import Box from '@mui/material/Box';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useCan } from '../../hooks/usePermissions';
import { navigate, useRoute } from '../../routing';
import { DeskHost } from '../desk/DeskHost';
import { useStore } from '../../store';
import { navItems } from './navigation';
import { NavMenu } from './NavMenu';
import { TopBar } from './TopBar';

const navWidth = 216;

export function Shell() {
  const { t } = useTranslation();
  const route = useRoute();
  const can = useCan();
  const unsaved = useStore((s) => s.unsavedChanges);
  const pendingRoute = useStore((s) => s.pendingRoute);
  const setPendingRoute = useStore((s) => s.setPendingRoute);
  const signOut = useStore((s) => s.signOut);
  const [confirmSignOut, setConfirmSignOut] = useState(false);

  const item = navItems.find((i) => i.route === route);
  const allowed = item !== undefined && (!item.permission || can(item.permission));
  useEffect(() => {
    if (!allowed) navigate('dashboard', { force: true });
  }, [allowed]);

  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  const Screen = allowed ? item.screen : null;
  return (
    <Box sx={{ height: '100vh', display: 'flex', flexDirection: 'column', bgcolor: 'background.default' }}>
      <TopBar onSignOut={() => (unsaved ? setConfirmSignOut(true) : signOut())} />
      <DeskHost />
      <Box sx={{ flex: 1, display: 'flex', minHeight: 0 }}>
        <Box
          sx={{ width: navWidth, flexShrink: 0, borderRight: 1, borderColor: 'divider', bgcolor: 'background.paper', overflowY: 'auto' }}
        >
          <NavMenu />
        </Box>
        <Box component="main" sx={{ flex: 1, minWidth: 0, overflow: 'auto', p: 2.5, display: 'flex', flexDirection: 'column' }}>
          {Screen && <Screen key={route} />}
        </Box>
      </Box>
      <ConfirmDialog
        open={pendingRoute !== null || confirmSignOut}
        title={t('unsaved.title')}
        message={t('unsaved.message')}
        confirmLabel={t('unsaved.discard')}
        destructive
        onCancel={() => {
          setPendingRoute(null);
          setConfirmSignOut(false);
        }}
        onConfirm={() => {
          if (confirmSignOut) {
            setConfirmSignOut(false);
            signOut();
          } else if (pendingRoute) navigate(pendingRoute, { force: true });
        }}
      />
    </Box>
  );
}
