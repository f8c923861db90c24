/** Permissions (rows, grouped by area) × roles (columns). Built-in roles are shown but cannot be edited. */
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import LockOutlined from '@mui/icons-material/LockOutlined';
import MoreVertOutlined from '@mui/icons-material/MoreVertOutlined';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { permissionCatalog, type Permission, type PermissionArea, type Role } from '../../../core/api';
import { useFormat } from '../../i18n/format';
import { usePermissionLabels, useRoleDescription, useRoleLabel } from '../../hooks/useLabels';

const areas: { area: PermissionArea; permissions: Permission[] }[] = [...new Set(permissionCatalog.map((p) => p.area))].map((area) => ({
  area,
  permissions: permissionCatalog.filter((p) => p.area === area).map((p) => p.id),
}));

interface Props {
  roles: Role[];
  /** Edited permission sets of custom roles, by role id; roles absent here show their saved permissions. */
  draft: Record<number, Permission[]>;
  canManage: boolean;
  disabled: boolean;
  onToggle(role: Role, permission: Permission, granted: boolean): void;
  onEdit(role: Role): void;
  onDelete(role: Role): void;
}

function RoleHeader({
  role,
  modified,
  canManage,
  onEdit,
  onDelete,
}: {
  role: Role;
  modified: boolean;
  canManage: boolean;
  onEdit(): void;
  onDelete(): void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const roleLabel = useRoleLabel();
  const roleDescription = useRoleDescription();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const description = roleDescription(role);
  return (
    <Stack spacing={0.5} sx={{ alignItems: 'center' }}>
      <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
        <Tooltip title={description || roleLabel(role)}>
          <Typography variant="subtitle2" sx={{ lineHeight: 1.3 }} data-testid={`role-header-${role.id}`}>
            {roleLabel(role)}
          </Typography>
        </Tooltip>
        {canManage && !role.builtin && (
          <>
            <IconButton
              onClick={(e) => setAnchor(e.currentTarget)}
              aria-label={t('roles.roleActions', { name: role.name })}
              data-testid={`role-menu-${role.id}`}
            >
              <MoreVertOutlined fontSize="small" />
            </IconButton>
            <Menu anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
              <MenuItem
                onClick={() => {
                  setAnchor(null);
                  onEdit();
                }}
                data-testid={`role-edit-${role.id}`}
              >
                <ListItemIcon>
                  <EditOutlined fontSize="small" />
                </ListItemIcon>
                {t('roles.rename')}
              </MenuItem>
              <MenuItem
                onClick={() => {
                  setAnchor(null);
                  onDelete();
                }}
                data-testid={`role-delete-${role.id}`}
                sx={{ color: 'error.main' }}
              >
                <ListItemIcon>
                  <DeleteOutlined fontSize="small" color="error" />
                </ListItemIcon>
                {t('roles.delete')}
              </MenuItem>
            </Menu>
          </>
        )}
      </Stack>
      <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', flexWrap: 'wrap', justifyContent: 'center' }}>
        {role.builtin ? (
          <Chip icon={<LockOutlined />} label={t('roles.builtin')} variant="outlined" data-testid={`role-builtin-${role.id}`} />
        ) : (
          <Chip label={t('roles.custom')} variant="outlined" color="primary" />
        )}
        {modified && <Chip label={t('roles.modified')} color="warning" data-testid={`role-modified-${role.id}`} />}
      </Stack>
      <Typography variant="caption" color="text.secondary">
        {t('roles.operatorCount', { count: role.operatorCount, formatted: f.number(role.operatorCount) })}
      </Typography>
    </Stack>
  );
}

export function PermissionMatrix({ roles, draft, canManage, disabled, onToggle, onEdit, onDelete }: Props) {
  const { t } = useTranslation();
  const labels = usePermissionLabels();
  const columnCount = roles.length + 1;
  return (
    <TableContainer sx={{ maxHeight: '100%' }}>
      <Table stickyHeader size="small" aria-label={t('roles.matrixLabel')}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ minWidth: 280, position: 'sticky', left: 0, zIndex: 3, bgcolor: 'background.paper', verticalAlign: 'bottom' }}>
              {t('roles.permission')}
            </TableCell>
            {roles.map((role) => (
              <TableCell key={role.id} align="center" sx={{ minWidth: 150, verticalAlign: 'top', bgcolor: 'background.paper' }}>
                <RoleHeader
                  role={role}
                  modified={draft[role.id] !== undefined}
                  canManage={canManage}
                  onEdit={() => onEdit(role)}
                  onDelete={() => onDelete(role)}
                />
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {areas.map(({ area, permissions }) => (
            <Fragment key={area}>
              <TableRow>
                <TableCell colSpan={columnCount} sx={{ bgcolor: 'action.hover', py: 0.5 }}>
                  <Typography variant="overline" color="text.secondary">
                    {labels.area(area)}
                  </Typography>
                </TableCell>
              </TableRow>
              {permissions.map((permission) => (
                <TableRow key={permission} hover>
                  <TableCell sx={{ position: 'sticky', left: 0, bgcolor: 'background.paper', zIndex: 1 }}>
                    <Typography variant="body2" sx={{ fontWeight: 500 }}>
                      {labels.name(permission)}
                    </Typography>
                    <Typography variant="caption" color="text.secondary" component="div">
                      {labels.description(permission)}
                    </Typography>
                  </TableCell>
                  {roles.map((role) => {
                    const saved = role.permissions.includes(permission);
                    const current = draft[role.id]?.includes(permission) ?? saved;
                    const changed = current !== saved;
                    const readOnly = role.builtin !== null || !canManage;
                    return (
                      <TableCell
                        key={role.id}
                        align="center"
                        sx={changed ? { bgcolor: (theme) => alpha(theme.palette.warning.main, 0.14) } : undefined}
                      >
                        <Box component="span" title={role.builtin ? t('roles.builtinReadOnly') : undefined}>
                          <Checkbox
                            checked={current}
                            disabled={readOnly || disabled}
                            onChange={(e) => onToggle(role, permission, e.target.checked)}
                            slotProps={{
                              input: {
                                'aria-label': `${labels.name(permission)} — ${role.name}`,
                                // @ts-expect-error data-* attributes are valid on the input element
                                'data-testid': `perm-${role.id}-${permission}`,
                              },
                            }}
                          />
                        </Box>
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </Fragment>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
