/** A figure at a glance: an icon in the tone's colour, the label, the value, an optional ratio bar and detail line. */
import Avatar from '@mui/material/Avatar';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import { alpha } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import type { ReactElement } from 'react';

export type Tone = 'primary' | 'secondary' | 'info' | 'success' | 'warning' | 'error';

export interface TileProps {
  icon: ReactElement;
  tone: Tone;
  label: string;
  value: string;
  detail?: string;
  /** 0–1: drawn as a thin bar under the value. */
  ratio?: number | null;
  testId: string;
}

export function Tile({ icon, tone, label, value, detail, ratio, testId }: TileProps) {
  return (
    <Card sx={{ height: '100%' }}>
      <CardContent sx={{ p: 2, '&:last-child': { pb: 2 } }}>
        <Stack direction="row" spacing={1.25} sx={{ alignItems: 'center', mb: 1 }}>
          <Avatar
            variant="rounded"
            sx={(theme) => ({
              width: 28,
              height: 28,
              bgcolor: alpha(theme.palette[tone].main, theme.palette.mode === 'dark' ? 0.2 : 0.12),
              color: `${tone}.main`,
              '& svg': { fontSize: 17 },
            })}
          >
            {icon}
          </Avatar>
          <Typography variant="body2" color="text.secondary" sx={{ fontWeight: 500 }} noWrap>
            {label}
          </Typography>
        </Stack>
        <Typography variant="h2" component="div" data-testid={testId} sx={{ fontSize: '1.7rem', lineHeight: 1.2 }}>
          {value}
        </Typography>
        {ratio !== undefined && (
          <LinearProgress
            variant="determinate"
            value={ratio === null ? 0 : Math.min(100, ratio * 100)}
            color={tone}
            sx={{ height: 4, borderRadius: 2, my: 0.75, bgcolor: 'action.hover' }}
          />
        )}
        {detail && (
          <Typography variant="caption" color="text.secondary" component="div" noWrap title={detail}>
            {detail}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}
