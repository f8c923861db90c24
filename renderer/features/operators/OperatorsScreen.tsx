import EditOutlined from '@mui/icons-material/EditOutlined';
import LockOpenOutlined from '@mui/icons-material/LockOpenOutlined';
import LockResetOutlined from '@mui/icons-material/LockResetOutlined';
import PersonAddAltOutlined from '@mui/icons-material/PersonAddAltOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import { DataGrid, GridActionsCellItem, type GridColDef } from '@mui/x-data-grid';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Operator, RoleRef } from '../../../core/api';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { OneTimePasswordDialog, type OneTimePasswordInfo } from '../../components/OneTimePasswordDialog';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert } from '../../components/StatusViews';
import { useAction, useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useRoleLabel } from '../../hooks/useLabels';
import { useNow } from '../../hooks/useNow';
import { useCan } from '../../hooks/usePermissions';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { OperatorDialog, type OperatorDialogState } from './OperatorDialog';
import { operatorStatus, OperatorStatusChip } from './operatorStatus';

/** Roles to offer in the role select. */
function useRoleOptions(): RoleRef[] {
  const roles = useQuery('roles/options', {});
  useCoreEvent('roles/changed', roles.reload);
  const roleLabel = useRoleLabel();
  return useMemo(() => [...(roles.data ?? [])].sort((a, b) => roleLabel(a).localeCompare(roleLabel(b))), [roles.data, roleLabel]);
}

export function OperatorsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow();
  const can = useCan();
  const canManage = can('operators.manage');
  const roleLabel = useRoleLabel();
  const operators = useQuery('operators/list', {});
  useCoreEvent('operators/changed', operators.reload);
  const roleOptions = useRoleOptions();

  const [dialog, setDialog] = useState<OperatorDialogState | null>(null);
  const [resetTarget, setResetTarget] = useState<Operator | null>(null);
  const [oneTime, setOneTime] = useState<OneTimePasswordInfo | null>(null);
  const reset = useAction('operators/reset-password');
  const { run: runUnlock } = useAction('operators/unlock');

  const confirmReset = async () => {
    if (!resetTarget) return;
    const result = await reset.run({ id: resetTarget.id });
    if (result) {
      setOneTime({
        username: resetTarget.username,
        displayName: resetTarget.displayName,
        password: result.oneTimePassword,
        reason: 'reset',
      });
    }
    setResetTarget(null);
  };

  const columns = useMemo<GridColDef<Operator>[]>(() => {
    const list: GridColDef<Operator>[] = [
      {
        field: 'username',
        headerName: t('fields.username'),
        width: 130,
        renderCell: ({ value }) => <Box sx={{ fontFamily: monoFontFamily, fontSize: '0.8rem' }}>{String(value)}</Box>,
      },
      { field: 'displayName', headerName: t('fields.displayName'), flex: 1, minWidth: 160 },
      {
        field: 'role',
        headerName: t('fields.roleId'),
        width: 170,
        valueGetter: (_value, row) => roleLabel(row.role),
      },
      {
        field: 'status',
        headerName: t('operators.columns.status'),
        width: 200,
        valueGetter: (_value, row) => t(`operators.status.${operatorStatus(row, now)}`),
        renderCell: ({ row }) => <OperatorStatusChip operator={row} now={now} />,
      },
      {
        field: 'mustChangePassword',
        headerName: t('operators.columns.mustChangePassword'),
        width: 150,
        type: 'boolean',
        renderCell: ({ row }) =>
          row.mustChangePassword ? <Chip color="info" variant="outlined" label={t('operators.pendingChange')} /> : null,
      },
      {
        field: 'lastLoginAt',
        headerName: t('operators.columns.lastLogin'),
        width: 150,
        type: 'number',
        align: 'left',
        headerAlign: 'left',
        valueFormatter: (value: number | null) => (value === null ? t('operators.never') : f.dateTimeShort(value)),
      },
    ];
    if (canManage) {
      list.push({
        field: 'actions',
        type: 'actions',
        headerName: t('common.actions'),
        width: 110,
        getActions: ({ row }) => {
          const actions = [
            <GridActionsCellItem
              key="edit"
              icon={<EditOutlined fontSize="small" />}
              label={t('operators.edit')}
              onClick={() => setDialog({ mode: 'edit', operator: row })}
              data-testid={`operator-edit-${row.username}`}
            />,
            <GridActionsCellItem
              key="reset"
              icon={<LockResetOutlined fontSize="small" />}
              label={t('operators.resetPassword')}
              onClick={() => setResetTarget(row)}
              data-testid={`operator-reset-${row.username}`}
            />,
          ];
          if (operatorStatus(row, now) === 'locked') {
            actions.push(
              <GridActionsCellItem
                key="unlock"
                icon={<LockOpenOutlined fontSize="small" />}
                label={t('operators.unlock')}
                onClick={() => void runUnlock({ id: row.id }, { success: t('operators.unlocked', { name: row.displayName }) })}
                data-testid={`operator-unlock-${row.username}`}
              />,
            );
          }
          return actions;
        },
      });
    }
    return list;
  }, [t, f, now, canManage, roleLabel, runUnlock]);

  return (
    <Box data-testid="screen-operators" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader
        title={t('operators.title')}
        subtitle={t('operators.subtitle')}
        actions={
          canManage && (
            <Button
              variant="contained"
              startIcon={<PersonAddAltOutlined />}
              onClick={() => setDialog({ mode: 'create' })}
              data-testid="operators-create"
            >
              {t('operators.create')}
            </Button>
          )
        }
      />
      {operators.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={operators.error} onRetry={operators.reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 360 }}>
        <DataGrid
          rows={operators.data ?? []}
          columns={columns}
          loading={operators.loading}
          showToolbar
          slotProps={{
            toolbar: { csvOptions: { disableToolbarButton: true }, printOptions: { disableToolbarButton: true } },
          }}
          slots={{ noRowsOverlay: () => <EmptyState title={t('operators.empty')} /> }}
          initialState={{ sorting: { sortModel: [{ field: 'username', sort: 'asc' }] } }}
          pageSizeOptions={[25, 50, 100]}
          sx={{ border: 0 }}
        />
      </Paper>
      {dialog && (
        <OperatorDialog
          key={dialog.mode === 'edit' ? dialog.operator.id : 'create'}
          state={dialog}
          roles={roleOptions}
          onClose={() => setDialog(null)}
          onCreated={(operator, password) => {
            setDialog(null);
            setOneTime({ username: operator.username, displayName: operator.displayName, password, reason: 'created' });
          }}
        />
      )}
      <ConfirmDialog
        open={resetTarget !== null}
        title={t('operators.resetTitle')}
        message={t('operators.resetMessage', { name: resetTarget?.displayName ?? '', username: resetTarget?.username ?? '' })}
        confirmLabel={t('operators.resetPassword')}
        destructive
        pending={reset.pending}
        onCancel={() => setResetTarget(null)}
        onConfirm={() => void confirmReset()}
      />
      <OneTimePasswordDialog info={oneTime} onClose={() => setOneTime(null)} />
    </Box>
  );
}
