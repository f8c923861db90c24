/** Screens and the permission each needs, grouped by job. The server refuses anyway; hiding avoids dead ends. */
import AccountCircleOutlined from '@mui/icons-material/AccountCircleOutlined';
import AdminPanelSettingsOutlined from '@mui/icons-material/AdminPanelSettingsOutlined';
import BalanceOutlined from '@mui/icons-material/BalanceOutlined';
import CellTowerOutlined from '@mui/icons-material/CellTowerOutlined';
import ContactPhoneOutlined from '@mui/icons-material/ContactPhoneOutlined';
import DashboardOutlined from '@mui/icons-material/DashboardOutlined';
import DataUsageOutlined from '@mui/icons-material/DataUsageOutlined';
import DriveFolderUploadOutlined from '@mui/icons-material/DriveFolderUploadOutlined';
import EventRepeatOutlined from '@mui/icons-material/EventRepeatOutlined';
import HeadsetMicOutlined from '@mui/icons-material/HeadsetMicOutlined';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import HubOutlined from '@mui/icons-material/HubOutlined';
import InsightsOutlined from '@mui/icons-material/InsightsOutlined';
import PeopleAltOutlined from '@mui/icons-material/PeopleAltOutlined';
import PhoneCallbackOutlined from '@mui/icons-material/PhoneCallbackOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import RequestQuoteOutlined from '@mui/icons-material/RequestQuoteOutlined';
import RuleOutlined from '@mui/icons-material/RuleOutlined';
import ScienceOutlined from '@mui/icons-material/ScienceOutlined';
import SettingsInputAntennaOutlined from '@mui/icons-material/SettingsInputAntennaOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import SmsOutlined from '@mui/icons-material/SmsOutlined';
import SupervisorAccountOutlined from '@mui/icons-material/SupervisorAccountOutlined';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import type { ComponentType, ReactElement } from 'react';
import type { Permission } from '../../../core/api';
import type { RouteName } from '../../routing';
import { AccountScreen } from '../account/AccountScreen';
import { AdjustmentsScreen } from '../adjustments/AdjustmentsScreen';
import { BillCyclesScreen } from '../cycles/BillCyclesScreen';
import { AuditScreen } from '../audit/AuditScreen';
import { BillingReportsScreen } from '../billing-reports/BillingReportsScreen';
import { CappingScreen } from '../capping/CappingScreen';
import { DashboardScreen } from '../dashboard/DashboardScreen';
import { CallLogScreen } from '../desk/CallLogScreen';
import { DeskScreen } from '../desk/DeskScreen';
import { SupervisorScreen } from '../desk/SupervisorScreen';
import { ExportsScreen } from '../exports/ExportsScreen';
import { LabScreen } from '../lab/LabScreen';
import { NetworkScreen } from '../network/NetworkScreen';
import { OperatorsScreen } from '../operators/OperatorsScreen';
import { ProvisioningScreen } from '../provisioning/ProvisioningScreen';
import { RolesScreen } from '../roles/RolesScreen';
import { RulesScreen } from '../rules/RulesScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { SipScreen } from '../sip/SipScreen';
import { SmscScreen } from '../smsc/SmscScreen';
import { StatementsScreen } from '../statements/StatementsScreen';
import { SubscribersScreen } from '../subscribers/SubscribersScreen';
import { TariffsScreen } from '../tariffs/TariffsScreen';
import { TemplatesScreen } from '../templates/TemplatesScreen';

export interface NavItem {
  route: RouteName;
  icon: ReactElement;
  /** Needed to see the item; undefined means every signed-in operator. */
  permission?: Permission;
  screen: ComponentType;
}

export interface NavGroup {
  id: 'operations' | 'desk' | 'billing' | 'administration' | 'personal';
  items: NavItem[];
}

export const navGroups: NavGroup[] = [
  {
    id: 'operations',
    items: [
      { route: 'dashboard', icon: <DashboardOutlined fontSize="small" />, screen: DashboardScreen },
      { route: 'lab', icon: <ScienceOutlined fontSize="small" />, permission: 'lab.use', screen: LabScreen },
      { route: 'subscribers', icon: <ContactPhoneOutlined fontSize="small" />, permission: 'subscribers.read', screen: SubscribersScreen },
      { route: 'provisioning', icon: <UploadFileOutlined fontSize="small" />, permission: 'provisioning.bulk', screen: ProvisioningScreen },
    ],
  },
  {
    id: 'desk',
    items: [
      { route: 'desk', icon: <HeadsetMicOutlined fontSize="small" />, permission: 'desk.use', screen: DeskScreen },
      { route: 'desk-calls', icon: <PhoneCallbackOutlined fontSize="small" />, permission: 'desk.use', screen: CallLogScreen },
      {
        route: 'desk-supervisor',
        icon: <SupervisorAccountOutlined fontSize="small" />,
        permission: 'desk.supervise',
        screen: SupervisorScreen,
      },
    ],
  },
  {
    id: 'billing',
    items: [
      { route: 'tariffs', icon: <RequestQuoteOutlined fontSize="small" />, permission: 'billing.read', screen: TariffsScreen },
      { route: 'capping', icon: <DataUsageOutlined fontSize="small" />, permission: 'billing.read', screen: CappingScreen },
      { route: 'billing-reports', icon: <InsightsOutlined fontSize="small" />, permission: 'billing.read', screen: BillingReportsScreen },
      { route: 'bill-cycles', icon: <EventRepeatOutlined fontSize="small" />, permission: 'billing.read', screen: BillCyclesScreen },
      { route: 'statements', icon: <ReceiptLongOutlined fontSize="small" />, permission: 'statements.read', screen: StatementsScreen },
      { route: 'adjustments', icon: <BalanceOutlined fontSize="small" />, permission: 'billing.read', screen: AdjustmentsScreen },
      { route: 'exports', icon: <DriveFolderUploadOutlined fontSize="small" />, permission: 'billing.read', screen: ExportsScreen },
    ],
  },
  {
    id: 'administration',
    items: [
      { route: 'operators', icon: <PeopleAltOutlined fontSize="small" />, permission: 'operators.read', screen: OperatorsScreen },
      { route: 'roles', icon: <AdminPanelSettingsOutlined fontSize="small" />, permission: 'roles.read', screen: RolesScreen },
      { route: 'audit', icon: <HistoryOutlined fontSize="small" />, permission: 'audit.read', screen: AuditScreen },
      { route: 'templates', icon: <SmsOutlined fontSize="small" />, permission: 'templates.manage', screen: TemplatesScreen },
      { route: 'rules', icon: <RuleOutlined fontSize="small" />, permission: 'rules.read', screen: RulesScreen },
      { route: 'network', icon: <HubOutlined fontSize="small" />, permission: 'network.manage', screen: NetworkScreen },
      { route: 'smsc', icon: <CellTowerOutlined fontSize="small" />, permission: 'network.manage', screen: SmscScreen },
      { route: 'sip', icon: <SettingsInputAntennaOutlined fontSize="small" />, permission: 'network.manage', screen: SipScreen },
      { route: 'settings', icon: <SettingsOutlined fontSize="small" />, permission: 'settings.read', screen: SettingsScreen },
    ],
  },
  {
    id: 'personal',
    items: [{ route: 'account', icon: <AccountCircleOutlined fontSize="small" />, screen: AccountScreen }],
  },
];

export const navItems: NavItem[] = navGroups.flatMap((g) => g.items);
