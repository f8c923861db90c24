import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/call';
import { PasswordChangeForm } from '../../components/PasswordChangeForm';
import { useReportError } from '../../hooks/useCommand';
import { useStore } from '../../store';
import { AuthLayout } from './AuthLayout';

/** First sign-in with a one-time password: nothing else is reachable until the password is changed. */
export function ForcedPasswordChange() {
  const { t } = useTranslation();
  const me = useStore((s) => s.me);
  const setMe = useStore((s) => s.setMe);
  const signOut = useStore((s) => s.signOut);
  const notify = useStore((s) => s.notify);
  const reportError = useReportError();

  const changed = async () => {
    notify('success', t('password.changed'));
    try {
      setMe(await call('session/me', {}));
    } catch (error) {
      reportError(error);
    }
  };

  return (
    <AuthLayout title={t('password.forcedTitle')} testId="screen-change-password">
      <Stack spacing={2}>
        <Alert severity="info">{t('password.forcedMessage', { name: me?.displayName ?? '' })}</Alert>
        <PasswordChangeForm currentLabel={t('password.oneTime')} onChanged={() => void changed()} />
        <Stack direction="row" sx={{ justifyContent: 'flex-end' }}>
          <Button onClick={signOut} data-testid="sign-out">
            {t('topbar.signOut')}
          </Button>
        </Stack>
      </Stack>
    </AuthLayout>
  );
}
