/** Statements by subscriber number: customer service finds the number, then reads each cycle's statement. */
import SearchOutlined from '@mui/icons-material/SearchOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenHeader } from '../../components/ScreenHeader';
import { routeQuery } from '../../routing';
import { EmptyState } from '../../components/StatusViews';
import { StatementsPanel } from './StatementsPanel';

export function StatementsScreen() {
  const { t } = useTranslation();
  // A link (e.g. from Capping) may name the number and the cycle to open.
  const [linked] = useState(() => {
    const query = routeQuery();
    return { msisdn: query.get('msisdn'), cycle: query.get('cycle') ?? undefined };
  });
  const [text, setText] = useState(linked.msisdn ?? '');
  const [msisdn, setMsisdn] = useState<string | null>(linked.msisdn);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    setMsisdn(value || null);
  };
  return (
    <Box data-testid="screen-statements" sx={{ display: 'flex', flexDirection: 'column', flex: 1 }}>
      <ScreenHeader title={t('statements.title')} subtitle={t('statements.subtitle')} />
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Stack component="form" direction="row" spacing={1.5} onSubmit={submit} noValidate sx={{ alignItems: 'flex-start' }}>
          <TextField
            size="small"
            label={t('statements.msisdn')}
            value={text}
            onChange={(e) => setText(e.target.value)}
            helperText={t('statements.msisdnHint')}
            sx={{ width: 320 }}
            slotProps={{ htmlInput: { inputMode: 'tel', 'data-testid': 'statements-msisdn' } }}
          />
          <Button type="submit" variant="contained" startIcon={<SearchOutlined />} data-testid="statements-search">
            {t('statements.show')}
          </Button>
        </Stack>
      </Paper>
      {msisdn ? (
        <StatementsPanel key={msisdn} msisdn={msisdn} cycle={msisdn === linked.msisdn ? linked.cycle : undefined} />
      ) : (
        <Paper variant="outlined">
          <EmptyState title={t('statements.pickNumber')} />
        </Paper>
      )}
    </Box>
  );
}
