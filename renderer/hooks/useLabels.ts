/** Translated names for things the server names in English: built-in roles, permissions, areas, commands. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { builtinRoles, type BuiltinRoleKey, type Permission, type PermissionArea } from '../../core/api/permissions';
import { en } from '../i18n/en';

interface RoleLike {
  name: string;
  builtin: string | null;
}

function isBuiltinKey(key: string): key is BuiltinRoleKey {
  return Object.prototype.hasOwnProperty.call(builtinRoles, key);
}

/** The built-in key of a role, if it is one. */
export function builtinKeyOf(role: RoleLike): BuiltinRoleKey | null {
  return role.builtin && isBuiltinKey(role.builtin) ? role.builtin : null;
}

export function useRoleLabel(): (role: RoleLike) => string {
  const { t } = useTranslation();
  return useCallback(
    (role: RoleLike) => {
      const key = builtinKeyOf(role);
      return key ? t(`roleNames.${key}`) : role.name;
    },
    [t],
  );
}

export function useRoleDescription(): (role: RoleLike & { description: string }) => string {
  const { t } = useTranslation();
  return useCallback(
    (role: RoleLike & { description: string }) => {
      const key = builtinKeyOf(role);
      return key ? t(`roleDescriptions.${key}`) : role.description;
    },
    [t],
  );
}

export function usePermissionLabels(): {
  name(permission: Permission): string;
  description(permission: Permission): string;
  area(area: PermissionArea): string;
} {
  const { t } = useTranslation();
  return {
    name: (permission) => t(`permissions.${permission}`),
    description: (permission) => t(`permissionDescriptions.${permission}`),
    area: (area) => t(`permissionAreas.${area}`),
  };
}

type CommandLabelKey = keyof typeof en.commandNames;

function hasCommandLabel(name: string): name is CommandLabelKey {
  return Object.prototype.hasOwnProperty.call(en.commandNames, name);
}

/** Translated label of a command name as recorded in the audit log; unknown names are shown as they are. */
export function useCommandLabel(): (command: string) => string {
  const { t } = useTranslation();
  return useCallback((command: string) => (hasCommandLabel(command) ? t(`commandNames.${command}`) : command), [t]);
}
