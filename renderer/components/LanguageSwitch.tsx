import TranslateOutlined from '@mui/icons-material/TranslateOutlined';
import Button from '@mui/material/Button';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languages } from '../i18n';
import { useStore } from '../store';

export function LanguageSwitch({ color = 'inherit' }: { color?: 'inherit' | 'primary' }) {
  const { t } = useTranslation();
  const language = useStore((s) => s.language);
  const setLanguage = useStore((s) => s.setLanguage);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const current = languages.find((l) => l.id === language);
  return (
    <>
      <Button
        color={color}
        startIcon={<TranslateOutlined />}
        onClick={(e) => setAnchor(e.currentTarget)}
        aria-label={t('topbar.language')}
        aria-haspopup="menu"
        data-testid="lang-switch"
        data-language={language}
      >
        {current?.label}
      </Button>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        {languages.map((l) => (
          <MenuItem
            key={l.id}
            selected={l.id === language}
            lang={l.id}
            data-testid={`lang-${l.id}`}
            onClick={() => {
              setLanguage(l.id);
              setAnchor(null);
            }}
          >
            {l.label}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
