/** Calm, dense look for a network-operations console: compact controls, quiet colours, tabular numbers. */
import { createTheme, type Theme } from '@mui/material/styles';
import { enUS as materialEn, zhCN as materialZh } from '@mui/material/locale';
import { enUS as gridEn, zhCN as gridZh } from '@mui/x-data-grid/locales';
import type {} from '@mui/x-data-grid/themeAugmentation';
import type { Language } from '../../core/api';
import type { ThemeMode } from '../store';

const fontFamily = [
  'Inter',
  '"Segoe UI"',
  'system-ui',
  '-apple-system',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  '"PingFang SC"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  'sans-serif',
].join(',');

export const monoFontFamily = ['"JetBrains Mono"', '"Cascadia Mono"', 'Consolas', '"SF Mono"', 'Menlo', 'monospace'].join(',');

export function createAppTheme(mode: ThemeMode, language: Language): Theme {
  const dark = mode === 'dark';
  return createTheme(
    {
      palette: {
        mode,
        primary: { main: dark ? '#6ea8e0' : '#1f5f9e' },
        secondary: { main: dark ? '#8fb3a0' : '#3d7a5c' },
        background: dark ? { default: '#12161b', paper: '#1a2027' } : { default: '#f3f5f7', paper: '#ffffff' },
        divider: dark ? 'rgba(255,255,255,0.10)' : 'rgba(0,0,0,0.10)',
      },
      shape: { borderRadius: 6 },
      spacing: 8,
      typography: {
        fontFamily,
        fontSize: 13,
        h1: { fontSize: '1.5rem', fontWeight: 600 },
        h2: { fontSize: '1.3rem', fontWeight: 600 },
        h3: { fontSize: '1.15rem', fontWeight: 600 },
        h4: { fontSize: '1.05rem', fontWeight: 600 },
        h5: { fontSize: '1rem', fontWeight: 600 },
        h6: { fontSize: '0.95rem', fontWeight: 600 },
        subtitle2: { fontWeight: 600 },
        button: { textTransform: 'none', fontWeight: 600 },
        overline: { fontWeight: 600, letterSpacing: '0.06em' },
      },
      components: {
        MuiCssBaseline: {
          styleOverrides: {
            body: { fontVariantNumeric: 'tabular-nums' },
          },
        },
        MuiButton: { defaultProps: { size: 'small', disableElevation: true } },
        MuiIconButton: { defaultProps: { size: 'small' } },
        MuiTextField: { defaultProps: { size: 'small', fullWidth: true } },
        MuiFormControl: { defaultProps: { size: 'small' } },
        MuiSelect: { defaultProps: { size: 'small' } },
        MuiAutocomplete: { defaultProps: { size: 'small' } },
        MuiCheckbox: { defaultProps: { size: 'small' } },
        MuiSwitch: { defaultProps: { size: 'small' } },
        MuiChip: { defaultProps: { size: 'small' } },
        MuiTooltip: { defaultProps: { arrow: true, enterDelay: 400 } },
        MuiPaper: { defaultProps: { elevation: 0 }, styleOverrides: { root: { backgroundImage: 'none' } } },
        MuiCard: { defaultProps: { variant: 'outlined' } },
        MuiCardHeader: {
          styleOverrides: { root: { paddingBottom: 4 }, title: { fontSize: '0.95rem', fontWeight: 600 } },
        },
        MuiAppBar: { defaultProps: { elevation: 0, color: 'default' } },
        MuiListItemButton: { styleOverrides: { root: { borderRadius: 6, paddingTop: 4, paddingBottom: 4 } } },
        MuiListSubheader: {
          styleOverrides: { root: { lineHeight: '32px', fontSize: '0.72rem', textTransform: 'uppercase', letterSpacing: '0.06em' } },
        },
        MuiDialog: { defaultProps: { fullWidth: true, maxWidth: 'sm' } },
        MuiTableCell: { defaultProps: { size: 'small' } },
        MuiDataGrid: {
          defaultProps: { density: 'compact', disableRowSelectionOnClick: true },
          styleOverrides: { root: { backgroundColor: dark ? '#1a2027' : '#ffffff' } },
        },
      },
    },
    language === 'zh-CN' ? materialZh : materialEn,
    language === 'zh-CN' ? gridZh : gridEn,
  );
}
