import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { AuthLayout } from './AuthLayout';

/** Without the launch key the core refuses the socket, so there is nothing to sign in to. */
export function NoKeyScreen() {
  const { t } = useTranslation();
  return (
    <AuthLayout title={t('noKey.title')} testId="screen-no-key">
      <Stack spacing={2}>
        <Alert severity="warning" data-testid="login-no-key">
          {t('noKey.message')}
        </Alert>
        <Typography variant="body2" color="text.secondary">
          {t('noKey.hint')}
        </Typography>
      </Stack>
    </AuthLayout>
  );
}
