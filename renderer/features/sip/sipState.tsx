/**
 * How the SIP reg-event watcher's health reads, the same on Settings → SIP and the dashboard: colour, label, and
 * the last failure in plain words.
 */
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import LinkOffOutlined from '@mui/icons-material/LinkOffOutlined';
import SensorsOffOutlined from '@mui/icons-material/SensorsOffOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import type { TFunction } from 'i18next';
import type { ReactElement } from 'react';
import type { SipStatusView } from '../../../core/api/network-settings';
import type { LinkChipModel, LinkTone } from '../links/LinkStateChip';

/**
 * off: not watching. unknown: watching, no answer from the registrar yet. up: it answers and no subscription failed.
 * degraded: it answers, but some subscriptions failed (refused, terminated). down: it stopped answering.
 */
export type SipDisplay = 'off' | 'unknown' | 'up' | 'degraded' | 'down';

export function sipDisplay(view: SipStatusView): SipDisplay {
  const watcher = view.mode === 'watching' ? view.watcher : null;
  if (!watcher) return 'off';
  if (watcher.registrar === 'down') return 'down';
  if (watcher.registrar === 'unknown') return 'unknown';
  return watcher.subscriptions.failed > 0 ? 'degraded' : 'up';
}

export const sipTone: Record<SipDisplay, LinkTone> = {
  off: 'info',
  unknown: 'warning',
  up: 'success',
  degraded: 'warning',
  down: 'error',
};

const icons: Record<SipDisplay, ReactElement> = {
  off: <SensorsOffOutlined />,
  unknown: <SyncOutlined />,
  up: <CheckCircleOutlined />,
  degraded: <WarningAmberOutlined />,
  down: <LinkOffOutlined />,
};

export function sipChip(t: TFunction, display: SipDisplay): LinkChipModel {
  return { state: display, label: t(`sip.state.${display}`), tone: sipTone[display], icon: icons[display], idle: display === 'off' };
}

type Reason =
  | 'keepaliveTimeout'
  | 'subscribeTimeout'
  | 'noAnswer'
  | 'unknownHost'
  | 'sendFailed'
  | 'authRequired'
  | 'noRegEvent'
  | 'forbidden'
  | 'subscribeRefused'
  | 'expiresZero'
  | 'terminated'
  | 'malformedNotify'
  | 'badAnswer';

// First match wins: the watcher's messages name the SIP method, the response, or the socket error.
const reasons: [RegExp, Reason][] = [
  [/no final response to OPTIONS/, 'keepaliveTimeout'],
  [/no final response to SUBSCRIBE/, 'subscribeTimeout'],
  [/no final response/, 'noAnswer'],
  [/ENOTFOUND|EAI_AGAIN/, 'unknownHost'],
  [/cannot send/, 'sendFailed'],
  [/asks for authentication/, 'authRequired'],
  [/does not support Event: reg/, 'noRegEvent'],
  [/SUBSCRIBE refused: 403/, 'forbidden'],
  [/SUBSCRIBE refused/, 'subscribeRefused'],
  [/granted Expires: 0/, 'expiresZero'],
  [/terminated the subscription/, 'terminated'],
  [/malformed reginfo/, 'malformedNotify'],
  [/unusable 2xx|without a To tag/, 'badAnswer'],
];

/** The watcher's last error in plain words, or null when it is not one we know (the technical text is shown anyway). */
export function explainSipError(t: TFunction, message: string): string | null {
  const reason = reasons.find(([pattern]) => pattern.test(message))?.[1];
  return reason ? t(`sip.reasons.${reason}`) : null;
}
