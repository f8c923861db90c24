import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../hooks/usePermissions';
import { navigate, useRoute } from '../../routing';
import { navGroups } from './navigation';

export function NavMenu() {
  const { t } = useTranslation();
  const can = useCan();
  const route = useRoute();
  return (
    <Box component="nav" aria-label={t('nav.label')} sx={{ px: 1, py: 1 }}>
      {navGroups.map((group) => {
        const items = group.items.filter((item) => !item.permission || can(item.permission));
        if (items.length === 0) return null;
        return (
          <List
            key={group.id}
            dense
            disablePadding
            sx={{ mb: 1 }}
            subheader={
              <ListSubheader disableSticky sx={{ bgcolor: 'transparent' }}>
                {t(`nav.groups.${group.id}`)}
              </ListSubheader>
            }
          >
            {items.map((item) => (
              <ListItemButton
                key={item.route}
                selected={item.route === route}
                onClick={() => navigate(item.route)}
                data-testid={`nav-${item.route}`}
                aria-current={item.route === route ? 'page' : undefined}
              >
                <ListItemIcon sx={{ minWidth: 34 }}>{item.icon}</ListItemIcon>
                <ListItemText primary={t(`nav.items.${item.route}`)} />
              </ListItemButton>
            ))}
          </List>
        );
      })}
    </Box>
  );
}
