/**
 * SMPP 3.4 ESME connector for an operator's SMSC. `SmppConnector` implements the engine's SmsConnector;
 * `smppConfigSchema` validates Settings → SMSC. The simulator for tests is in ./testing/smsc-simulator.
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
export { smppConfigSchema, type SmppConfig, type SmppConfigInput } from './config';
export { BindRefusedError, LinkLostError, ResponseTimeoutError } from './link';
export type { ReceiptState } from './receipts';
