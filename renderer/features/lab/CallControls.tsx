/** The controls both kinds of Lab call end with: hiding the caller ID, and the call button. */
import PhoneInTalkOutlined from '@mui/icons-material/PhoneInTalkOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Switch from '@mui/material/Switch';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function HiddenCallerSwitch({
  checked,
  onChange,
  hint,
  testId,
}: {
  checked: boolean;
  onChange(checked: boolean): void;
  hint: string;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Box>
      <FormControlLabel
        control={
          <Switch
            checked={checked}
            onChange={(e) => onChange(e.target.checked)}
            slotProps={{ input: { 'data-testid': testId } as Record<string, string> }}
          />
        }
        label={t('lab.call.clir')}
        slotProps={{ typography: { variant: 'body2' } }}
      />
      <FormHelperText sx={{ mt: 0 }}>{hint}</FormHelperText>
    </Box>
  );
}

/** Submits the form; while a dialogue runs it is disabled and says why. */
export function CallButton({
  disabled,
  inCall,
  testId,
  children,
}: {
  disabled: boolean;
  inCall: boolean;
  testId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box>
      <Button
        type="submit"
        variant="contained"
        size="large"
        fullWidth
        startIcon={<PhoneInTalkOutlined />}
        disabled={disabled || inCall}
        data-testid={testId}
        sx={{ py: 1 }}
      >
        {children}
      </Button>
      {inCall && (
        <FormHelperText sx={{ textAlign: 'center' }} data-testid="lab-call-busy">
          {t('lab.call.inCall')}
        </FormHelperText>
      )}
    </Box>
  );
}
