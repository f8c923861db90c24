/** SMS states as the console shows them (queued, held for quiet hours, sent, delivered, failed, expired): one colour each, wherever SMS are listed. */
import { en } from '../../i18n/en';

type SmsState = keyof typeof en.subscribers.smsStates;

const stateColors: Record<SmsState, 'default' | 'info' | 'warning' | 'success' | 'error'> = {
  queued: 'info',
  held: 'warning',
  submitting: 'info',
  submitted: 'info',
  delivered: 'success',
  failed: 'error',
  expired: 'default',
};

export function isSmsState(value: string): value is SmsState {
  return Object.prototype.hasOwnProperty.call(en.subscribers.smsStates, value);
}

/** An SMS state's chip colour, the same wherever SMS are listed (null or unknown: default). */
export function smsStateColor(state: string | null): (typeof stateColors)[SmsState] {
  return state !== null && isSmsState(state) ? stateColors[state] : 'default';
}
