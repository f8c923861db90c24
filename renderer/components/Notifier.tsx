/** Shows the newest notice; errors stay until dismissed, confirmations fade. */
import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store';

export function Notifier() {
  const { t } = useTranslation();
  const notice = useStore((s) => s.notices[s.notices.length - 1]);
  const dismiss = useStore((s) => s.dismissNotice);
  if (!notice) return null;
  const close = () => dismiss(notice.id);
  return (
    <Snackbar
      key={notice.id}
      open
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      autoHideDuration={notice.severity === 'error' ? null : 5000}
      onClose={(_, reason) => {
        if (reason !== 'clickaway') close();
      }}
    >
      <Alert
        severity={notice.severity}
        variant="filled"
        onClose={close}
        data-testid="notice"
        slotProps={{ closeButton: { title: t('common.dismiss') } }}
        sx={{ maxWidth: 640, alignItems: 'center' }}
      >
        {notice.message}
      </Alert>
    </Snackbar>
  );
}
