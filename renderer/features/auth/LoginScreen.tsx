import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../i18n/errors';
import { useStore } from '../../store';
import { AuthLayout } from './AuthLayout';

export function LoginScreen() {
  const { t } = useTranslation();
  const login = useStore((s) => s.login);
  const reason = useStore((s) => s.signOutReason);
  const connected = useStore((s) => s.connection === 'connected');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [touched, setTouched] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!username.trim() || !password) {
      setError(null);
      return;
    }
    setPending(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (e) {
      setError(e);
      setPassword('');
      setTouched(false);
    } finally {
      setPending(false);
    }
  };

  return (
    <AuthLayout title={t('login.title')} testId="screen-login">
      <Stack component="form" spacing={2} onSubmit={(e) => void submit(e)} noValidate>
        {reason && !error && (
          <Alert severity={reason === 'signed-out' ? 'info' : 'warning'} data-testid="login-reason">
            {t(`login.reason.${reason}`)}
          </Alert>
        )}
        {error !== null && (
          <Alert severity="error" data-testid="login-error">
            {describeError(t, error)}
          </Alert>
        )}
        {!connected && <Alert severity="info">{t('login.waitingForCore')}</Alert>}
        <TextField
          label={t('fields.username')}
          autoComplete="username"
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          error={touched && !username.trim()}
          helperText={touched && !username.trim() ? t('common.required') : undefined}
          slotProps={{ htmlInput: { 'data-testid': 'login-username', autoCapitalize: 'none', spellCheck: false } }}
        />
        <TextField
          label={t('fields.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          error={touched && !password}
          helperText={touched && !password ? t('common.required') : undefined}
          slotProps={{ htmlInput: { 'data-testid': 'login-password' } }}
        />
        <Button
          type="submit"
          variant="contained"
          size="medium"
          disabled={pending || !connected}
          startIcon={pending ? <CircularProgress size={16} color="inherit" /> : undefined}
          data-testid="login-submit"
        >
          {t('login.submit')}
        </Button>
      </Stack>
    </AuthLayout>
  );
}
