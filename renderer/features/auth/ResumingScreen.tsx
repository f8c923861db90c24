import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useTranslation } from 'react-i18next';
import { LoadingState } from '../../components/StatusViews';
import { useStore } from '../../store';
import { AuthLayout } from './AuthLayout';

/** After a reload the stored token is resumed as soon as the socket opens. */
export function ResumingScreen() {
  const { t } = useTranslation();
  const signOut = useStore((s) => s.signOut);
  const connected = useStore((s) => s.connection === 'connected');
  return (
    <AuthLayout title={t('resume.title')} testId="screen-resuming">
      <Stack spacing={2} sx={{ alignItems: 'center' }}>
        <LoadingState label={connected ? t('resume.resuming') : t('resume.waiting')} />
        <Button onClick={signOut}>{t('resume.signInAgain')}</Button>
      </Stack>
    </AuthLayout>
  );
}
