import LogoutOutlined from '@mui/icons-material/LogoutOutlined';
import PhoneMissedOutlined from '@mui/icons-material/PhoneMissedOutlined';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ButtonBase from '@mui/material/ButtonBase';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { ConnectionChip } from '../../components/ConnectionChip';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { ThemeToggle } from '../../components/ThemeToggle';
import { useRoleLabel } from '../../hooks/useLabels';
import { navigate } from '../../routing';
import { PhoneChip } from '../desk/PhoneStatus';
import { useStore } from '../../store';

export function TopBar({ onSignOut }: { onSignOut(): void }) {
  const { t } = useTranslation();
  const me = useStore((s) => s.me);
  const roleLabel = useRoleLabel();
  return (
    <AppBar position="static" sx={{ borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper' }}>
      <Toolbar variant="dense" sx={{ gap: 1.5 }}>
        <PhoneMissedOutlined color="primary" fontSize="small" />
        <Typography variant="h6" component="div" sx={{ mr: 1 }}>
          {t('app.name')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ display: { xs: 'none', md: 'block' } }}>
          {t('app.tagline')}
        </Typography>
        <Box sx={{ flex: 1 }} />
        <PhoneChip />
        <ConnectionChip />
        <LanguageSwitch />
        <ThemeToggle />
        <Divider orientation="vertical" flexItem sx={{ my: 1 }} />
        {me && (
          <ButtonBase
            onClick={() => navigate('account')}
            data-testid="topbar-operator"
            title={t('nav.items.account')}
            sx={{ borderRadius: 1, px: 1, py: 0.25, textAlign: 'right' }}
          >
            <Stack>
              <Typography variant="body2" sx={{ fontWeight: 600, lineHeight: 1.3 }} data-testid="topbar-operator-name">
                {me.displayName}
              </Typography>
              <Typography variant="caption" color="text.secondary" sx={{ lineHeight: 1.3 }} data-testid="topbar-operator-role">
                {roleLabel(me.role)}
              </Typography>
            </Stack>
          </ButtonBase>
        )}
        <Button color="inherit" startIcon={<LogoutOutlined />} onClick={onSignOut} data-testid="sign-out">
          {t('topbar.signOut')}
        </Button>
      </Toolbar>
    </AppBar>
  );
}
