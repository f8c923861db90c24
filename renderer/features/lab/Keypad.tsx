/** A phone keypad: 1–9, *, 0, #, with the letters printed under the digits as on a handset. */
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import { alpha } from '@mui/material/styles';
import { useTranslation } from 'react-i18next';

export const keypadKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type KeypadKey = (typeof keypadKeys)[number];

const letters: Partial<Record<KeypadKey, string>> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
  '0': '+',
};

export function keyTestId(key: KeypadKey): string {
  if (key === '*') return 'lab-key-star';
  if (key === '#') return 'lab-key-hash';
  return `lab-key-${key}`;
}

interface Props {
  disabled: boolean;
  /** Keys that stand for an option of the current menu are emphasised. */
  highlighted?: readonly string[];
  onKey(key: KeypadKey): void;
}

export function Keypad({ disabled, highlighted = [], onKey }: Props) {
  const { t } = useTranslation();
  return (
    <Box
      role="group"
      aria-label={t('lab.ivr.keypad')}
      data-testid="lab-keypad"
      sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, 60px)', gap: 0.75, justifyContent: 'center' }}
    >
      {keypadKeys.map((key) => {
        const emphasised = !disabled && highlighted.includes(key);
        return (
          <ButtonBase
            key={key}
            disabled={disabled}
            onClick={() => onKey(key)}
            data-testid={keyTestId(key)}
            aria-label={t('lab.ivr.keyLabel', { key })}
            focusRipple
            sx={(theme) => ({
              height: 44,
              borderRadius: 2.5,
              flexDirection: 'column',
              border: 1,
              borderColor: emphasised ? alpha(theme.palette.primary.main, 0.5) : 'divider',
              bgcolor: emphasised ? alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.16 : 0.07) : 'background.paper',
              color: 'text.primary',
              transition: theme.transitions.create(['background-color', 'transform']),
              '&:hover': { bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.24 : 0.12) },
              '&:active': { transform: 'scale(0.96)' },
              '&.Mui-disabled': { color: 'text.disabled', bgcolor: 'action.hover', borderColor: 'transparent' },
              '&.Mui-focusVisible': { outline: `2px solid ${theme.palette.primary.main}`, outlineOffset: 1 },
            })}
          >
            <Box component="span" sx={{ fontSize: '1.15rem', fontWeight: 600, lineHeight: 1.1 }}>
              {key}
            </Box>
            <Box
              component="span"
              sx={{ fontSize: '0.56rem', letterSpacing: '0.12em', color: 'text.secondary', lineHeight: 1, minHeight: 8 }}
            >
              {letters[key] ?? ''}
            </Box>
          </ButtonBase>
        );
      })}
    </Box>
  );
}
