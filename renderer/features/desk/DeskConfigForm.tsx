/** The desk's shared settings (desk.supervise): wrap-up time, how long a picked agent stays reserved, Not ready reasons. */
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskConfig } from '../../../core/api/desk-types';
import { ChipListEditor } from '../../components/ChipListEditor';
import { fieldErrorText } from '../../components/fieldError';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { describeError } from '../../i18n/errors';

export function DeskConfigForm() {
  const query = useQuery('desk/config', {});
  useCoreEvent('desk/config-changed', query.reload);
  if (query.error && !query.data) return <ErrorAlert error={query.error} onRetry={query.reload} />;
  if (!query.data) return <LoadingState />;
  return <ConfigForm key={JSON.stringify(query.data)} saved={query.data} onSaved={query.reload} />;
}

function ConfigForm({ saved, onSaved }: { saved: DeskConfig; onSaved(): void }) {
  const { t } = useTranslation();
  const [wrapUp, setWrapUp] = useState(String(saved.wrapUpSeconds));
  const [reservation, setReservation] = useState(String(saved.reservationSeconds));
  const [reasons, setReasons] = useState(saved.notReadyReasons);
  const save = useAction('desk/config-update');
  const dirty =
    wrapUp !== String(saved.wrapUpSeconds) ||
    reservation !== String(saved.reservationSeconds) ||
    JSON.stringify(reasons) !== JSON.stringify(saved.notReadyReasons);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await save.run(
      { wrapUpSeconds: Number(wrapUp), reservationSeconds: Number(reservation), notReadyReasons: reasons },
      { inline: true, success: t('desk.config.saved') },
    );
    if (result) onSaved();
  };
  const err = (field: string) => fieldErrorText(save.error, field);
  const general = save.error && !['wrapUpSeconds', 'reservationSeconds', 'notReadyReasons'].some((f) => err(f)) ? save.error : null;

  return (
    <Card sx={{ maxWidth: 720 }} data-testid="desk-config">
      <CardContent component="form" onSubmit={(e) => void submit(e)} noValidate>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {t('desk.config.intro')}
        </Typography>
        <Stack spacing={2}>
          <Stack direction="row" spacing={2}>
            <TextField
              label={t('desk.config.wrapUp')}
              value={wrapUp}
              onChange={(e) => setWrapUp(e.target.value.replace(/[^\d]/g, ''))}
              error={!!err('wrapUpSeconds')}
              helperText={err('wrapUpSeconds') ?? t('desk.config.wrapUpHint')}
              slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'desk-config-wrapUp' } }}
            />
            <TextField
              label={t('desk.config.reservation')}
              value={reservation}
              onChange={(e) => setReservation(e.target.value.replace(/[^\d]/g, ''))}
              error={!!err('reservationSeconds')}
              helperText={err('reservationSeconds') ?? t('desk.config.reservationHint')}
              slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'desk-config-reservation' } }}
            />
          </Stack>
          <ChipListEditor
            values={reasons}
            onAdd={(value) => {
              if (reasons.some((r) => r.toLowerCase() === value.toLowerCase())) return false;
              setReasons([...reasons, value]);
              return true;
            }}
            onDelete={(value) => setReasons(reasons.filter((r) => r !== value))}
            label={t('desk.config.reason')}
            addLabel={t('desk.config.addReason')}
            removeLabel={(shown) => t('desk.config.removeReason', { reason: shown })}
            emptyText={t('desk.config.noReasons')}
            error={err('notReadyReasons')}
            helperText={t('desk.config.reasonsHint')}
            maxLength={40}
            testId="desk-config-reasons"
          />
          {general && <Alert severity="error">{describeError(t, general)}</Alert>}
          <Stack direction="row" spacing={1}>
            <Button type="submit" variant="contained" disabled={!dirty || save.pending} data-testid="desk-config-save">
              {t('common.save')}
            </Button>
          </Stack>
        </Stack>
      </CardContent>
    </Card>
  );
}
