/** Shows a new network token exactly once, with copy buttons and a curl line to try it. */
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
import { monoFontFamily } from '../../theme/theme';

export interface NewToken {
  name: string;
  token: string;
}

type Copied = 'token' | 'curl' | 'failed' | null;

export function curlExample(token: string): string {
  return `curl -H "Authorization: Bearer ${token}" ${window.location.protocol}//${window.location.host}/api/v1/health`;
}

export function NetworkTokenDialog({ created, onClose }: { created: NewToken | null; onClose(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<Copied>(null);
  const tokenRef = useRef<HTMLSpanElement>(null);
  const curlRef = useRef<HTMLPreElement>(null);
  const curl = created ? curlExample(created.token) : '';

  const copy = async (what: 'token' | 'curl') => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(what === 'token' ? created.token : curl);
      setCopied(what);
    } catch {
      // Clipboard access can be refused; select the text so Ctrl+C works.
      const node = what === 'token' ? tokenRef.current : curlRef.current;
      if (node) window.getSelection()?.selectAllChildren(node);
      setCopied('failed');
    }
  };

  const close = () => {
    setCopied(null);
    onClose();
  };

  const copyButton = (what: 'token' | 'curl') => (
    <Button
      variant="outlined"
      startIcon={copied === what ? <CheckOutlined /> : <ContentCopyOutlined />}
      onClick={() => void copy(what)}
      data-testid={what === 'token' ? 'network-token-copy' : 'network-token-curl-copy'}
      sx={{ flexShrink: 0 }}
    >
      {copied === what ? t('networkTokens.copied') : t('networkTokens.copy')}
    </Button>
  );

  return (
    <Dialog
      open={created !== null}
      onClose={(_, reason) => reason !== 'backdropClick' && close()}
      maxWidth="md"
      data-testid="network-token-created"
    >
      <DialogTitle>{t('networkTokens.createdTitle')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Typography variant="body2">{t('networkTokens.createdFor', { name: created?.name ?? '' })}</Typography>
          <Stack
            direction="row"
            spacing={1}
            sx={{ alignItems: 'center', p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: 'action.hover' }}
          >
            <Box
              component="span"
              ref={tokenRef}
              data-testid="network-token-value"
              sx={{ flex: 1, fontFamily: monoFontFamily, fontSize: '1rem', userSelect: 'all', wordBreak: 'break-all' }}
            >
              {created?.token}
            </Box>
            {copyButton('token')}
          </Stack>
          <Box>
            <Typography variant="subtitle2" sx={{ mb: 0.5 }}>
              {t('networkTokens.tryIt')}
            </Typography>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <Box
                component="pre"
                ref={curlRef}
                data-testid="network-token-curl"
                sx={{
                  flex: 1,
                  m: 0,
                  p: 1.5,
                  fontFamily: monoFontFamily,
                  fontSize: '0.78rem',
                  bgcolor: 'action.hover',
                  border: 1,
                  borderColor: 'divider',
                  borderRadius: 1,
                  whiteSpace: 'pre-wrap',
                  wordBreak: 'break-all',
                }}
              >
                {curl}
              </Box>
              {copyButton('curl')}
            </Stack>
            <Typography variant="caption" color="text.secondary">
              {t('networkTokens.tryItHint')}
            </Typography>
          </Box>
          {copied === 'failed' && <Alert severity="info">{t('networkTokens.copyFailed')}</Alert>}
          <Alert severity="warning">{t('networkTokens.onceWarning')}</Alert>
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={close} data-testid="network-token-close">
          {t('networkTokens.done')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
