/** Screens and the permission each needs, grouped by job. The server refuses anyway; hiding avoids dead ends. */
import AccountCircleOutlined from '@mui/icons-material/AccountCircleOutlined';
import AdminPanelSettingsOutlined from '@mui/icons-material/AdminPanelSettingsOutlined';
import DashboardOutlined from '@mui/icons-material/DashboardOutlined';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import PeopleAltOutlined from '@mui/icons-material/PeopleAltOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import type { ComponentType, ReactElement } from 'react';
import type { Permission } from '../../../core/api';
import type { RouteName } from '../../routing';
import { AccountScreen } from '../account/AccountScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { DashboardScreen } from '../dashboard/DashboardScreen';
import { OperatorsScreen } from '../operators/OperatorsScreen';
import { RolesScreen } from '../roles/RolesScreen';
import { SettingsScreen } from '../settings/SettingsScreen';

export interface NavItem {
  route: RouteName;
  icon: ReactElement;
  /** Needed to see the item; undefined means every signed-in operator. */
  permission?: Permission;
  screen: ComponentType;
}

export interface NavGroup {
  id: 'operations' | 'administration' | 'personal';
  items: NavItem[];
}

export const navGroups: NavGroup[] = [
  {
    id: 'operations',
    items: [{ route: 'dashboard', icon: <DashboardOutlined fontSize="small" />, screen: DashboardScreen }],
  },
  {
    id: 'administration',
    items: [
      { route: 'operators', icon: <PeopleAltOutlined fontSize="small" />, permission: 'operators.read', screen: OperatorsScreen },
      { route: 'roles', icon: <AdminPanelSettingsOutlined fontSize="small" />, permission: 'roles.read', screen: RolesScreen },
      { route: 'audit', icon: <HistoryOutlined fontSize="small" />, permission: 'audit.read', screen: AuditScreen },
      { route: 'settings', icon: <SettingsOutlined fontSize="small" />, permission: 'settings.read', screen: SettingsScreen },
    ],
  },
  {
    id: 'personal',
    items: [{ route: 'account', icon: <AccountCircleOutlined fontSize="small" />, screen: AccountScreen }],
  },
];

export const navItems: NavItem[] = navGroups.flatMap((g) => g.items);
