import Box from '@mui/material/Box';
import { monoFontFamily } from '../theme/theme';

export function formatJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

export function JsonBlock({ value, empty, testId }: { value: unknown; empty: string; testId?: string }) {
  const text = value === null || value === undefined ? '' : formatJson(value);
  return (
    <Box
      component="pre"
      data-testid={testId}
      sx={{
        m: 0,
        p: 1.5,
        minHeight: 80,
        overflow: 'auto',
        fontFamily: monoFontFamily,
        fontSize: '0.78rem',
        lineHeight: 1.5,
        bgcolor: 'action.hover',
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-word',
        color: text ? 'text.primary' : 'text.secondary',
      }}
    >
      {text || empty}
    </Box>
  );
}
