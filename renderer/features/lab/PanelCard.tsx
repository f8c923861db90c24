/** One of the Lab's three columns: a titled card whose body scrolls inside the column on wide screens. */
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactElement, ReactNode } from 'react';

interface Props {
  icon: ReactElement;
  title: string;
  subtitle?: ReactNode;
  action?: ReactNode;
  testId: string;
  /** The body scrolls (otherwise the children manage their own layout). */
  scroll?: boolean;
  children: ReactNode;
}

export function PanelCard({ icon, title, subtitle, action, testId, scroll, children }: Props) {
  return (
    <Card
      data-testid={testId}
      sx={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: { lg: '100%' }, overflow: 'hidden' }}
      component="section"
      aria-label={title}
    >
      <Stack
        direction="row"
        spacing={1.25}
        sx={{ alignItems: 'center', px: 2, py: 1.25, borderBottom: 1, borderColor: 'divider', flexShrink: 0 }}
      >
        <Avatar
          variant="rounded"
          sx={{ width: 30, height: 30, bgcolor: 'action.selected', color: 'primary.main', '& svg': { fontSize: 18 } }}
        >
          {icon}
        </Avatar>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Typography variant="h6" component="h2" noWrap>
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="caption" color="text.secondary" component="div" noWrap>
              {subtitle}
            </Typography>
          )}
        </Box>
        {action}
      </Stack>
      <Box
        sx={
          scroll ? { flex: 1, minHeight: 0, overflowY: 'auto', p: 2 } : { flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }
        }
      >
        {children}
      </Box>
    </Card>
  );
}
