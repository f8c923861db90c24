/** Shows a freshly issued one-time password exactly once, with a copy button. */
import CheckOutlined from '@mui/icons-material/CheckOutlined';
import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { monoFontFamily } from '../theme/theme';

export interface OneTimePasswordInfo {
  username: string;
  displayName: string;
  password: string;
  /** 'created' for a new operator, 'reset' after a password reset. */
  reason: 'created' | 'reset';
}

export function OneTimePasswordDialog({ info, onClose }: { info: OneTimePasswordInfo | null; onClose(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const textRef = useRef<HTMLSpanElement>(null);

  const copy = async () => {
    if (!info) return;
    try {
      await navigator.clipboard.writeText(info.password);
      setCopied('yes');
    } catch {
      // Clipboard access can be refused; select the text so Ctrl+C works.
      const node = textRef.current;
      if (node) window.getSelection()?.selectAllChildren(node);
      setCopied('failed');
    }
  };

  const close = () => {
    setCopied(null);
    onClose();
  };

  return (
    <Dialog open={info !== null} onClose={(_, reason) => reason !== 'backdropClick' && close()} data-testid="one-time-password-dialog">
      <DialogTitle>{info?.reason === 'reset' ? t('oneTimePassword.titleReset') : t('oneTimePassword.titleCreated')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Typography variant="body2">
            {t('oneTimePassword.for', { displayName: info?.displayName ?? '', username: info?.username ?? '' })}
          </Typography>
          <Stack
            direction="row"
            spacing={1}
            sx={{ alignItems: 'center', p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: 'action.hover' }}
          >
            <Box
              component="span"
              ref={textRef}
              data-testid="one-time-password"
              sx={{
                flex: 1,
                fontFamily: monoFontFamily,
                fontSize: '1.25rem',
                letterSpacing: '0.08em',
                userSelect: 'all',
                wordBreak: 'break-all',
              }}
            >
              {info?.password}
            </Box>
            <Button
              variant="outlined"
              startIcon={copied === 'yes' ? <CheckOutlined /> : <ContentCopyOutlined />}
              onClick={() => void copy()}
              data-testid="one-time-password-copy"
            >
              {copied === 'yes' ? t('oneTimePassword.copied') : t('oneTimePassword.copy')}
            </Button>
          </Stack>
          {copied === 'failed' && <Alert severity="info">{t('oneTimePassword.copyFailed')}</Alert>}
          <Alert severity="warning">{t('oneTimePassword.explanation')}</Alert>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={close} data-testid="one-time-password-close">
          {t('oneTimePassword.done')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
