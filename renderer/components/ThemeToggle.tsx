import DarkModeOutlined from '@mui/icons-material/DarkModeOutlined';
import LightModeOutlined from '@mui/icons-material/LightModeOutlined';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store';

export function ThemeToggle() {
  const { t } = useTranslation();
  const mode = useStore((s) => s.themeMode);
  const toggle = useStore((s) => s.toggleTheme);
  const label = mode === 'light' ? t('topbar.darkTheme') : t('topbar.lightTheme');
  return (
    <Tooltip title={label}>
      <IconButton color="inherit" onClick={toggle} aria-label={label} data-testid="theme-toggle" data-mode={mode}>
        {mode === 'light' ? <DarkModeOutlined fontSize="small" /> : <LightModeOutlined fontSize="small" />}
      </IconButton>
    </Tooltip>
  );
}
