export { sipReginfoConfigSchema, type SipReginfoConfig } from '../../api/network-settings';
export { aorFor, type UserPartFormat } from './address';
export { parseReginfo, ReginfoError, type Reginfo, type Reachability } from './reginfo';
export {
  RegInfoWatcher,
  type RegInfoWatcherOptions,
  type RegInfoWatcherStatus,
  type SipPresenceEvent,
  type SubscriptionInfo,
} from './watcher';
