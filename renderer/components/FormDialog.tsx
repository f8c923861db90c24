/** A modal form with a title, a body and Cancel / submit buttons; closing is blocked while it saves. */
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  title: ReactNode;
  submitLabel: ReactNode;
  pending: boolean;
  onSubmit: (event: FormEvent) => void;
  onClose: () => void;
  testId: string;
  children: ReactNode;
}

export function FormDialog({ title, submitLabel, pending, onSubmit, onClose, testId, children }: Props) {
  const { t } = useTranslation();
  return (
    <Dialog open onClose={pending ? undefined : onClose} data-testid={`${testId}-dialog`}>
      <form onSubmit={onSubmit} noValidate>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent>{children}</DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={pending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={pending} data-testid={`${testId}-save`}>
            {submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
