/** Why the IVR did not answer: the called number does not subscribe. Offers the two ways to change that. */
import ManageAccountsOutlined from '@mui/icons-material/ManageAccountsOutlined';
import PersonAddAltOutlined from '@mui/icons-material/PersonAddAltOutlined';
import PhoneDisabledOutlined from '@mui/icons-material/PhoneDisabledOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { alpha } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../hooks/useCommand';
import { useCan } from '../../hooks/usePermissions';
import { navigate } from '../../routing';
import { useLab } from './labStore';
import type { NumberTools } from './numbers';

interface Props {
  /** The called number as it was typed. */
  callee: string;
  tools: NumberTools;
  onNetworkChange(): void;
}

export function NotSubscriber({ callee, tools, onNetworkChange }: Props) {
  const { t } = useTranslation();
  const can = useCan();
  const addSent = useLab((s) => s.addSent);
  const settleSent = useLab((s) => s.settleSent);
  const rememberNumbers = useLab((s) => s.rememberNumbers);
  const setNotSubscriber = useLab((s) => s.setNotSubscriber);
  const sms = useAction('lab/sms');
  const e164 = tools.toE164(callee) ?? callee;
  const number = tools.national(e164);

  const sendOpen = async () => {
    const id = addSent(e164, 'OPEN');
    const result = await sms.run({ from: callee, text: 'OPEN' }, { success: t('lab.call.openSent', { number }) });
    settleSent(id, result ?? null);
    if (!result) return;
    rememberNumbers([e164]);
    setNotSubscriber(null);
    onNetworkChange();
  };

  return (
    <Stack spacing={2} sx={{ flex: 1, alignItems: 'center', justifyContent: 'center', p: 4 }} data-testid="lab-not-subscriber">
      <Box
        sx={(theme) => ({
          width: 64,
          height: 64,
          borderRadius: '50%',
          display: 'grid',
          placeItems: 'center',
          bgcolor: alpha(theme.palette.warning.main, 0.14),
          color: 'warning.main',
        })}
      >
        <PhoneDisabledOutlined fontSize="large" />
      </Box>
      <Typography variant="h5" component="p" sx={{ textAlign: 'center' }}>
        {t('lab.call.notSubscriberTitle', { number })}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'center', maxWidth: 420 }}>
        {t('lab.call.notSubscriberMessage')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', justifyContent: 'center' }}>
        <Button
          variant="contained"
          startIcon={<PersonAddAltOutlined />}
          onClick={() => void sendOpen()}
          disabled={sms.pending}
          data-testid="lab-send-open"
        >
          {t('lab.call.sendOpen', { number })}
        </Button>
        {can('subscribers.read') && (
          <Button
            variant="outlined"
            startIcon={<ManageAccountsOutlined />}
            onClick={() => navigate('subscribers')}
            data-testid="lab-open-subscribers"
          >
            {t('lab.call.openSubscribers')}
          </Button>
        )}
      </Box>
    </Stack>
  );
}
