/** Current password + new password + confirmation; used by the forced first sign-in change and by My account. */
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../hooks/useCommand';
import { ErrorAlert } from './StatusViews';

export interface PasswordChangeFormProps {
  /** Label of the first field: "One-time password" when forced, "Current password" otherwise. */
  currentLabel: string;
  onChanged(): void;
}

export function PasswordChangeForm({ currentLabel, onChanged }: PasswordChangeFormProps) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const change = useAction('session/change-password');

  const mismatch = confirm.length > 0 && next !== confirm;
  const sameAsCurrent = next.length > 0 && next === current;
  const complete = current.length > 0 && next.length > 0 && confirm.length > 0;
  const serverField = change.error?.field;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!complete || mismatch || sameAsCurrent) return;
    const result = await change.run({ currentPassword: current, newPassword: next }, { inline: true });
    if (result) {
      setCurrent('');
      setNext('');
      setConfirm('');
      setTouched(false);
      onChanged();
    }
  };

  return (
    <Stack component="form" spacing={2} onSubmit={(e) => void submit(e)} noValidate sx={{ maxWidth: 420 }}>
      {change.error && <ErrorAlert error={change.error} onClose={change.clearError} />}
      <TextField
        label={currentLabel}
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        required
        error={(touched && !current) || serverField === 'currentPassword' || change.error?.code === 'invalid_credentials'}
        slotProps={{ htmlInput: { 'data-testid': 'password-current' } }}
      />
      <TextField
        label={t('password.new')}
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        required
        error={(touched && !next) || sameAsCurrent || serverField === 'newPassword'}
        helperText={sameAsCurrent ? t('password.sameAsCurrent') : t('password.hint')}
        slotProps={{ htmlInput: { 'data-testid': 'password-new' } }}
      />
      <TextField
        label={t('password.confirm')}
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        required
        error={(touched && !confirm) || mismatch}
        helperText={mismatch ? t('password.mismatch') : ' '}
        slotProps={{ htmlInput: { 'data-testid': 'password-confirm' } }}
      />
      <Stack direction="row">
        <Button type="submit" variant="contained" disabled={change.pending} data-testid="password-submit">
          {t('password.submit')}
        </Button>
      </Stack>
    </Stack>
  );
}
