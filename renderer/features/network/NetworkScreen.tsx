/** Network elements: the bearer tokens MSC/IVR, HLR and SMSC gateways use for the network API. */
import AddOutlined from '@mui/icons-material/AddOutlined';
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DataGrid, GridActionsCellItem, type GridColDef } from '@mui/x-data-grid';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { commands } from '../../../core/api';
import type { NetworkTokenInfo } from '../../../core/api/engine-types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fieldErrorText } from '../../components/fieldError';
import { FormDialog } from '../../components/FormDialog';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { NetworkTokenDialog, type NewToken } from './NetworkTokenDialog';

const nameSchema = commands['network-tokens/create'].input.shape.name;

function CreateTokenDialog({ onClose, onCreated }: { onClose(): void; onCreated(created: NewToken): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useAction('network-tokens/create');
  const nameOk = nameSchema.safeParse(name).success;
  const serverName = fieldErrorText(create.error, 'name');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!nameOk) return;
    const result = await create.run({ name: name.trim() }, { inline: true });
    if (result) onCreated({ name: result.info.name, token: result.token });
  };

  return (
    <FormDialog
      title={t('networkTokens.createTitle')}
      submitLabel={t('networkTokens.create')}
      pending={create.pending}
      onSubmit={(e) => void submit(e)}
      onClose={onClose}
      testId="network-token"
    >
      <Stack spacing={2} sx={{ pt: 1 }}>
        {create.error && !serverName && <ErrorAlert error={create.error} onClose={create.clearError} />}
        <TextField
          label={t('networkTokens.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          autoFocus
          error={(touched && !nameOk) || !!serverName}
          helperText={serverName ?? (touched && !nameOk ? t('networkTokens.nameInvalid') : t('networkTokens.nameHint'))}
          slotProps={{ htmlInput: { 'data-testid': 'network-token-name', maxLength: 60 } }}
        />
        <Alert severity="info">{t('networkTokens.createExplanation')}</Alert>
      </Stack>
    </FormDialog>
  );
}

export function NetworkScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const tokens = useQuery('network-tokens/list', {});
  const revoke = useAction('network-tokens/revoke');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<NewToken | null>(null);
  // The target stays set while the confirmation closes, so its text does not change during the fade.
  const [revokeTarget, setRevokeTarget] = useState<NetworkTokenInfo | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const { reload } = tokens;

  const confirmRevoke = async () => {
    if (!revokeTarget) return;
    const result = await revoke.run({ id: revokeTarget.id }, { success: t('networkTokens.revoked', { name: revokeTarget.name }) });
    setConfirmOpen(false);
    if (result) reload();
  };

  const columns = useMemo<GridColDef<NetworkTokenInfo>[]>(
    () => [
      { field: 'name', headerName: t('networkTokens.columns.name'), flex: 1, minWidth: 200 },
      {
        field: 'hint',
        headerName: t('networkTokens.columns.hint'),
        width: 130,
        sortable: false,
        renderCell: ({ value }) => (
          <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>
            …{String(value)}
          </Box>
        ),
      },
      {
        field: 'source',
        headerName: t('networkTokens.columns.source'),
        width: 190,
        valueGetter: (_value, row) => t(`networkTokens.sources.${row.source}`),
        renderCell: ({ row }) => (
          <Chip
            variant="outlined"
            color={row.source === 'console' ? 'default' : 'secondary'}
            label={t(`networkTokens.sources.${row.source}`)}
          />
        ),
      },
      {
        field: 'createdAt',
        headerName: t('networkTokens.columns.created'),
        width: 200,
        type: 'number',
        align: 'left',
        headerAlign: 'left',
        valueFormatter: (value: number) => f.timestamp(value),
      },
      {
        field: 'revokedAt',
        headerName: t('networkTokens.columns.status'),
        width: 220,
        type: 'number',
        align: 'left',
        headerAlign: 'left',
        renderCell: ({ row }) =>
          row.revokedAt === null ? (
            <Chip variant="outlined" color="success" label={t('networkTokens.active')} data-state="active" />
          ) : (
            <Chip variant="outlined" label={t('networkTokens.revokedAt', { time: f.dateTimeShort(row.revokedAt) })} data-state="revoked" />
          ),
      },
      {
        field: 'actions',
        type: 'actions',
        headerName: t('common.actions'),
        width: 90,
        getActions: ({ row }) =>
          row.revokedAt === null
            ? [
                <GridActionsCellItem
                  key="revoke"
                  icon={<BlockOutlined fontSize="small" />}
                  label={t('networkTokens.revoke')}
                  onClick={() => {
                    setRevokeTarget(row);
                    setConfirmOpen(true);
                  }}
                  data-testid={`network-token-revoke-${row.id}`}
                />,
              ]
            : [],
      },
    ],
    [t, f],
  );

  const apiBase = `${window.location.protocol}//${window.location.host}/api/v1/`;
  return (
    <Box data-testid="screen-network" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader
        title={t('networkTokens.title')}
        subtitle={t('networkTokens.subtitle')}
        actions={
          <Button variant="contained" startIcon={<AddOutlined />} onClick={() => setCreating(true)} data-testid="network-token-new">
            {t('networkTokens.new')}
          </Button>
        }
      />
      <Paper variant="outlined" sx={{ p: 2, mb: 2 }}>
        <Typography variant="body2">
          {t('networkTokens.apiIntro')}{' '}
          <Box component="span" sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }} data-testid="network-api-base">
            {apiBase}
          </Box>
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
          {t('networkTokens.apiHint')}
        </Typography>
      </Paper>
      {tokens.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={tokens.error} onRetry={reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 300 }}>
        <DataGrid
          rows={tokens.data ?? []}
          columns={columns}
          loading={tokens.loading}
          initialState={{ sorting: { sortModel: [{ field: 'createdAt', sort: 'desc' }] } }}
          getRowClassName={({ row }) => (row.revokedAt === null ? '' : 'token-revoked')}
          slots={{ noRowsOverlay: () => <EmptyState title={t('networkTokens.empty')} hint={t('networkTokens.emptyHint')} /> }}
          pageSizeOptions={[25, 50, 100]}
          sx={{ border: 0, '& .token-revoked': { color: 'text.disabled' } }}
        />
      </Paper>
      {creating && (
        <CreateTokenDialog
          onClose={() => setCreating(false)}
          onCreated={(next) => {
            setCreating(false);
            setCreated(next);
            reload();
          }}
        />
      )}
      <NetworkTokenDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={confirmOpen && revokeTarget !== null}
        title={t('networkTokens.revokeTitle')}
        message={
          revokeTarget?.source === 'environment'
            ? t('networkTokens.revokeEnvironmentMessage', { name: revokeTarget.name })
            : revokeTarget?.source === 'file'
              ? t('networkTokens.revokeFileMessage', { name: revokeTarget.name })
              : t('networkTokens.revokeMessage', { name: revokeTarget?.name ?? '' })
        }
        confirmLabel={t('networkTokens.revoke')}
        destructive
        pending={revoke.pending}
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setConfirmOpen(false)}
      />
    </Box>
  );
}
