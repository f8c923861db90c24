/** How an SMSC link's health reads, the same on Settings → SMSC and the dashboard: colour, label, reason in plain words. */
import BlockOutlined from '@mui/icons-material/BlockOutlined';
import CheckCircleOutlined from '@mui/icons-material/CheckCircleOutlined';
import LinkOffOutlined from '@mui/icons-material/LinkOffOutlined';
import PhonelinkRingOutlined from '@mui/icons-material/PhonelinkRingOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import type { TFunction } from 'i18next';
import type { ReactElement } from 'react';
import type { SmppLinkState, SmscStatusView } from '../../../core/api/network-settings';
import type { LinkChipModel, LinkTone } from '../links/LinkStateChip';

/** What the chip shows: the virtual SMSC, or the SMPP link's state. */
export type LinkDisplay = 'virtual' | SmppLinkState;

export function linkDisplay(view: SmscStatusView): LinkDisplay {
  return view.mode === 'virtual' || !view.link ? 'virtual' : view.link.state;
}

/** Bound is good; on the way up or down is a warning; a refused bind needs someone to act. The virtual SMSC is neutral. */
export const linkTone: Record<LinkDisplay, LinkTone> = {
  virtual: 'info',
  bound: 'success',
  connecting: 'warning',
  disconnected: 'warning',
  unbinding: 'warning',
  refused: 'error',
};

const icons: Record<LinkDisplay, ReactElement> = {
  virtual: <PhonelinkRingOutlined />,
  bound: <CheckCircleOutlined />,
  connecting: <SyncOutlined />,
  disconnected: <LinkOffOutlined />,
  unbinding: <SyncOutlined />,
  refused: <BlockOutlined />,
};

/** The chip of the SMSC link: on Settings → SMSC and the dashboard. */
export function smscChip(t: TFunction, display: LinkDisplay): LinkChipModel {
  return { state: display, label: t(`smsc.state.${display}`), tone: linkTone[display], icon: icons[display], idle: display === 'virtual' };
}

type Reason =
  | 'badPassword'
  | 'badSystemId'
  | 'badSystemType'
  | 'alreadyBound'
  | 'bindRefused'
  | 'connectionRefused'
  | 'unknownHost'
  | 'unreachable'
  | 'connectTimeout'
  | 'reset'
  | 'deadLink'
  | 'responseTimeout'
  | 'malformed'
  | 'unboundByPeer'
  | 'closedByPeer';

// First match wins: the connector's messages name the SMPP status or the socket error.
const reasons: [RegExp, Reason][] = [
  [/ESME_RINVPASWD/, 'badPassword'],
  [/ESME_RINVSYSID/, 'badSystemId'],
  [/ESME_RINVSYSTYP/, 'badSystemType'],
  [/ESME_RALYBND/, 'alreadyBound'],
  [/bind refused/i, 'bindRefused'],
  [/ECONNREFUSED/, 'connectionRefused'],
  [/ENOTFOUND|EAI_AGAIN/, 'unknownHost'],
  [/EHOSTUNREACH|ENETUNREACH/, 'unreachable'],
  [/no TCP connection/, 'connectTimeout'],
  [/ECONNRESET|EPIPE/, 'reset'],
  [/dead link/, 'deadLink'],
  [/no \w+_resp within/, 'responseTimeout'],
  [/malformed PDU/, 'malformed'],
  [/the SMSC unbound/, 'unboundByPeer'],
  [/connection closed by the SMSC/, 'closedByPeer'],
];

/** The connector's last error in plain words, or null when it is not one we know (the technical text is shown anyway). */
export function explainLinkError(t: TFunction, message: string): string | null {
  const reason = reasons.find(([pattern]) => pattern.test(message))?.[1];
  return reason ? t(`smsc.reasons.${reason}`) : null;
}
