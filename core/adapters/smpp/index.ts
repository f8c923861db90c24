/**
 * SMPP 3.4 ESME connector for an operator's SMSC. `SmppConnector` implements the engine's SmsConnector;
 * `smppLinkSchema` (core/api) validates Settings → SMSC. The simulator for tests is in ./testing/smsc-simulator.
 */
export {
  SmppConnector,
  SmppSubmitError,
  type InboundSms,
  type SmppConnectorOptions,
  type SmppCounters,
  type SmppLinkState,
  type SmppStatus,
} from './esme';
export { smppLinkSchema, type SmppConfig, type SmppConfigInput } from '../../api/network-settings';
export { BindRefusedError, LinkLostError, ResponseTimeoutError } from './link';
export type { ReceiptState } from './receipts';
