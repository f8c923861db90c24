/**
 * The permission catalog. A command names the permission it needs; roles are
 * sets of these ids. Areas group them in the role matrix and the navigation.
 * Extend this list together with the commands that use a new permission.
 */
export const permissionCatalog = [
  { id: 'operators.read', area: 'administration' },
  { id: 'operators.manage', area: 'administration' },
  { id: 'roles.read', area: 'administration' },
  { id: 'roles.manage', area: 'administration' },
  { id: 'audit.read', area: 'administration' },
  { id: 'settings.read', area: 'administration' },
  { id: 'settings.manage', area: 'administration' },
  { id: 'subscribers.read', area: 'operations' },
  { id: 'subscribers.manage', area: 'operations' },
  { id: 'voice.listen', area: 'operations' },
  { id: 'provisioning.bulk', area: 'operations' },
  { id: 'lab.use', area: 'operations' },
  { id: 'templates.manage', area: 'administration' },
  { id: 'rules.read', area: 'administration' },
  { id: 'rules.manage', area: 'administration' },
  { id: 'network.manage', area: 'administration' },
  { id: 'billing.read', area: 'billing' },
  { id: 'billing.manage', area: 'billing' },
  { id: 'statements.read', area: 'billing' },
  { id: 'desk.use', area: 'desk' },
  { id: 'desk.supervise', area: 'desk' },
] as const;

export type Permission = (typeof permissionCatalog)[number]['id'];
export type PermissionArea = (typeof permissionCatalog)[number]['area'];

export const allPermissions: readonly Permission[] = permissionCatalog.map((p) => p.id);

export function isPermission(value: string): value is Permission {
  return (allPermissions as readonly string[]).includes(value);
}

/** Built-in roles. Their permissions live here, not in the database, so new permissions reach them on upgrade. */
export const builtinRoles = {
  'system-admin': { name: 'System administrator', permissions: allPermissions },
  'customer-service': {
    name: 'Customer service',
    permissions: ['subscribers.read', 'subscribers.manage', 'voice.listen', 'rules.read', 'statements.read'] as Permission[],
  },
  'billing-admin': { name: 'Billing administrator', permissions: ['billing.read', 'billing.manage', 'statements.read'] as Permission[] },
  agent: { name: 'Agent', permissions: ['desk.use'] as Permission[] },
  'desk-supervisor': { name: 'Desk supervisor', permissions: ['desk.use', 'desk.supervise', 'subscribers.read'] as Permission[] },
} as const satisfies Record<string, { name: string; permissions: readonly Permission[] }>;

export type BuiltinRoleKey = keyof typeof builtinRoles;
