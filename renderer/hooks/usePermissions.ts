import { useCallback } from 'react';
import type { Permission } from '../../core/api';
import { useStore } from '../store';

/** Whether the signed-in operator holds a permission. The server enforces it anyway; this only hides what would be refused. */
export function useCan(): (permission: Permission) => boolean {
  const permissions = useStore((s) => s.me?.permissions);
  return useCallback((permission: Permission) => permissions?.includes(permission) ?? false, [permissions]);
}
