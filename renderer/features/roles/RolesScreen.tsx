import AddOutlined from '@mui/icons-material/AddOutlined';
import SaveOutlined from '@mui/icons-material/SaveOutlined';
import UndoOutlined from '@mui/icons-material/UndoOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allPermissions, type Permission, type Role } from '../../../core/api';
import { call } from '../../api/call';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ScreenHeader } from '../../components/ScreenHeader';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { useAction, useQuery, useReportError } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useRoleLabel } from '../../hooks/useLabels';
import { useCan } from '../../hooks/usePermissions';
import { useStore } from '../../store';
import { PermissionMatrix } from './PermissionMatrix';
import { RoleDialog, type RoleDialogState } from './RoleDialog';

type Draft = Record<number, Permission[]>;

function sameSet(a: readonly Permission[], b: readonly Permission[]): boolean {
  return a.length === b.length && a.every((p) => b.includes(p));
}

/** Built-in roles first (in their catalog order from the server), then custom roles by name. */
function orderRoles(roles: Role[]): Role[] {
  const builtin = roles.filter((r) => r.builtin !== null);
  const custom = roles.filter((r) => r.builtin === null).sort((a, b) => a.name.localeCompare(b.name));
  return [...builtin, ...custom];
}

export function RolesScreen() {
  const { t } = useTranslation();
  const can = useCan();
  const canManage = can('roles.manage');
  const roleLabel = useRoleLabel();
  const notify = useStore((s) => s.notify);
  const setUnsavedChanges = useStore((s) => s.setUnsavedChanges);
  const reportError = useReportError();
  const query = useQuery('roles/list', {});
  useCoreEvent('roles/changed', query.reload);
  const roles = useMemo(() => orderRoles(query.data ?? []), [query.data]);

  const [draft, setDraft] = useState<Draft>({});
  const [saving, setSaving] = useState(false);
  const [dialog, setDialog] = useState<RoleDialogState | null>(null);
  const [deleteTarget, setDeleteTarget] = useState<Role | null>(null);
  const remove = useAction('roles/delete');

  // Drop edits of roles that disappeared or whose saved permissions now equal the edit.
  const liveDraft = useMemo(() => {
    const result: Draft = {};
    for (const [id, permissions] of Object.entries(draft)) {
      const role = roles.find((r) => r.id === Number(id));
      if (role && !role.builtin && !sameSet(role.permissions, permissions)) result[role.id] = permissions;
    }
    return result;
  }, [draft, roles]);
  const dirtyCount = Object.keys(liveDraft).length;

  useEffect(() => {
    setUnsavedChanges(dirtyCount > 0);
  }, [dirtyCount, setUnsavedChanges]);
  useEffect(() => () => setUnsavedChanges(false), [setUnsavedChanges]);

  const toggle = (role: Role, permission: Permission, granted: boolean) => {
    setDraft((current) => {
      const base = current[role.id] ?? role.permissions;
      const next = granted ? [...base, permission] : base.filter((p) => p !== permission);
      // Keep catalog order so saved lists stay tidy.
      return { ...current, [role.id]: allPermissions.filter((p) => next.includes(p)) };
    });
  };

  const saveMatrix = async () => {
    setSaving(true);
    let saved = 0;
    try {
      for (const [id, permissions] of Object.entries(liveDraft)) {
        await call('roles/update', { id: Number(id), permissions });
        saved++;
        setDraft((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== id)));
      }
      notify('success', t('roles.matrixSaved', { count: saved }));
    } catch (error) {
      reportError(error);
    } finally {
      setSaving(false);
      query.reload();
    }
  };

  const confirmDelete = async () => {
    if (!deleteTarget) return;
    const result = await remove.run({ id: deleteTarget.id }, { inline: true, success: t('roles.deleted', { name: deleteTarget.name }) });
    if (result) {
      setDeleteTarget(null);
      query.reload();
    }
  };

  return (
    <Box data-testid="screen-roles" sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      <ScreenHeader
        title={t('roles.title')}
        subtitle={t('roles.subtitle')}
        actions={
          canManage && (
            <>
              {dirtyCount > 0 && (
                <Button startIcon={<UndoOutlined />} onClick={() => setDraft({})} disabled={saving} data-testid="roles-discard">
                  {t('roles.discard')}
                </Button>
              )}
              <Button
                variant={dirtyCount > 0 ? 'contained' : 'outlined'}
                color={dirtyCount > 0 ? 'warning' : 'primary'}
                startIcon={<SaveOutlined />}
                onClick={() => void saveMatrix()}
                disabled={dirtyCount === 0 || saving}
                data-testid="roles-save-matrix"
              >
                {dirtyCount > 0 ? t('roles.saveChangesCount', { count: dirtyCount }) : t('roles.saveChanges')}
              </Button>
              <Button
                variant="contained"
                startIcon={<AddOutlined />}
                onClick={() => setDialog({ mode: 'create' })}
                data-testid="roles-create"
              >
                {t('roles.create')}
              </Button>
            </>
          )
        }
      />
      {dirtyCount > 0 && (
        <Alert severity="warning" sx={{ mb: 2 }} data-testid="roles-unsaved">
          {t('roles.unsaved', { count: dirtyCount })}
        </Alert>
      )}
      {!canManage && (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('roles.readOnly')}
        </Alert>
      )}
      {query.error && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={query.error} onRetry={query.reload} />
        </Box>
      )}
      <Paper variant="outlined" sx={{ flex: 1, minHeight: 0, overflow: 'hidden', display: 'flex' }}>
        {query.loading ? (
          <Stack sx={{ flex: 1 }}>
            <LoadingState />
          </Stack>
        ) : roles.length === 0 ? (
          <EmptyState title={t('roles.empty')} />
        ) : (
          <PermissionMatrix
            roles={roles}
            draft={liveDraft}
            canManage={canManage}
            disabled={saving}
            onToggle={toggle}
            onEdit={(role) => setDialog({ mode: 'edit', role })}
            onDelete={(role) => {
              remove.clearError();
              setDeleteTarget(role);
            }}
          />
        )}
      </Paper>
      {dialog && (
        <RoleDialog
          key={dialog.mode === 'edit' ? dialog.role.id : 'create'}
          state={dialog}
          roles={roles}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            query.reload();
          }}
        />
      )}
      <ConfirmDialog
        open={deleteTarget !== null}
        title={t('roles.deleteTitle')}
        message={
          <Stack spacing={1.5}>
            <span>{t('roles.deleteMessage', { name: deleteTarget ? roleLabel(deleteTarget) : '' })}</span>
            {deleteTarget && deleteTarget.operatorCount > 0 && (
              <Alert severity="warning">{t('roles.deleteInUse', { count: deleteTarget.operatorCount })}</Alert>
            )}
            {remove.error && <ErrorAlert error={remove.error} />}
          </Stack>
        }
        confirmLabel={t('roles.delete')}
        destructive
        pending={remove.pending}
        onCancel={() => setDeleteTarget(null)}
        onConfirm={() => void confirmDelete()}
      />
    </Box>
  );
}
