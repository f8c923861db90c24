/** The phone's registration state in words, for the desk and for the top bar (always visible while the desk is open). */
import CallOutlined from '@mui/icons-material/CallOutlined';
import MicOffOutlined from '@mui/icons-material/MicOffOutlined';
import PhoneDisabledOutlined from '@mui/icons-material/PhoneDisabledOutlined';
import PhoneInTalkOutlined from '@mui/icons-material/PhoneInTalkOutlined';
import RingVolumeOutlined from '@mui/icons-material/RingVolumeOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { keyframes } from '@mui/material/styles';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useNow } from '../../hooks/useNow';
import { useSoftphone } from './useSoftphone';
import { navigate } from '../../routing';
import { useDeskStore } from './deskStore';
import { formatClock, type ChipColor } from './labels';
import { shortcutKeys } from './shortcuts';
import type { PhoneSnapshot } from './softphone';

export interface PhoneStatusText {
  color: ChipColor;
  label: string;
  detail: string;
  /** What the server or the browser said, as it came (for whoever fixes it). */
  technical: string | null;
}

export const pulse = keyframes`
  0%, 100% { opacity: 1; }
  50% { opacity: 0.55; }
`;

/** A ringing call's frame: a halo that swells and fades, the content stays still and readable. */
export const ring = keyframes`
  0%, 100% { box-shadow: 0 0 0 0 rgba(2, 136, 209, 0.45); }
  50% { box-shadow: 0 0 0 6px rgba(2, 136, 209, 0); }
`;

export function describePhone(t: TFunction, phone: PhoneSnapshot, hasSettings: boolean): PhoneStatusText {
  const ws = phone.config?.wsUri ?? '';
  const uri = phone.config?.sipUri.replace(/^sips?:/, '') ?? '';
  const error = phone.error;
  return { technical: null, ...text(t, phone, hasSettings, ws, uri, error) };
}

function text(
  t: TFunction,
  phone: PhoneSnapshot,
  hasSettings: boolean,
  ws: string,
  uri: string,
  error: PhoneSnapshot['error'],
): Omit<PhoneStatusText, 'technical'> & { technical?: string | null } {
  switch (phone.registration) {
    case 'stopped':
      return hasSettings
        ? { color: 'default', label: t('desk.phone.state.stopped'), detail: t('desk.phone.detail.stopped') }
        : { color: 'warning', label: t('desk.phone.state.notSetUp'), detail: t('desk.phone.detail.notSetUp') };
    case 'connecting':
      return { color: 'warning', label: t('desk.phone.state.connecting'), detail: t('desk.phone.detail.connecting', { ws }) };
    case 'reconnecting':
      return {
        color: 'error',
        label: t('desk.phone.state.reconnecting'),
        detail: t('desk.phone.detail.reconnecting', { ws, count: Math.max(1, phone.attempts) }),
        technical: error?.detail ?? null,
      };
    case 'registering':
      return { color: 'warning', label: t('desk.phone.state.registering'), detail: t('desk.phone.detail.registering', { uri }) };
    case 'registered':
      return { color: 'success', label: t('desk.phone.state.registered'), detail: t('desk.phone.detail.registered', { uri, ws }) };
    case 'unregistered':
      return { color: 'default', label: t('desk.phone.state.unregistered'), detail: t('desk.phone.detail.unregistered') };
    case 'failed': {
      const kind = error?.kind ?? 'refused';
      const detail = error?.detail ?? '';
      return {
        color: 'error',
        label: t('desk.phone.state.failed'),
        detail:
          kind === 'auth'
            ? t('desk.phone.detail.auth', { uri, detail })
            : kind === 'timeout'
              ? t('desk.phone.detail.timeout', { detail })
              : kind === 'config'
                ? t('desk.phone.detail.config', { detail })
                : t('desk.phone.detail.refused', { uri, detail }),
      };
    }
  }
}

/** Compact: the top bar. A ringing call takes over the chip, so it is seen from any screen. */
export function PhoneChip() {
  const { t } = useTranslation();
  const phone = useSoftphone();
  const active = useDeskStore((s) => s.active);
  const hasSettings = useDeskStore((s) => s.hasSipSettings);
  const now = useNow(1000);
  if (!active) return null;
  const calls = phone.calls.filter((c) => c.state !== 'ended');
  const ringing = calls.find((c) => c.state === 'ringing');
  const talking = calls.find((c) => c.state === 'active');
  const status = describePhone(t, phone, hasSettings);
  const micBlocked = phone.mic === 'denied' || phone.mic === 'missing';

  if (ringing)
    return (
      <Chip
        icon={<RingVolumeOutlined />}
        color="info"
        label={t('desk.topbar.ringing', { key: shortcutKeys.answer.label })}
        onClick={() => navigate('desk')}
        data-testid="topbar-phone"
        data-state="ringing"
        sx={{ animation: `${pulse} 1.2s ease-in-out infinite`, fontWeight: 600 }}
      />
    );
  if (talking)
    return (
      <Chip
        icon={<PhoneInTalkOutlined />}
        color="primary"
        label={t('desk.topbar.onCall', { time: formatClock(now - (talking.answeredAt ?? now)) })}
        onClick={() => navigate('desk')}
        data-testid="topbar-phone"
        data-state="on-call"
      />
    );
  const icon =
    phone.registration === 'registered' ? (
      <CallOutlined />
    ) : phone.registration === 'reconnecting' || phone.registration === 'connecting' || phone.registration === 'registering' ? (
      <SyncOutlined />
    ) : (
      <PhoneDisabledOutlined />
    );
  return (
    <Tooltip title={micBlocked ? `${status.detail} · ${t(`desk.mic.${phone.mic as 'denied' | 'missing'}`)}` : status.detail}>
      <Chip
        icon={micBlocked ? <MicOffOutlined /> : icon}
        color={micBlocked && status.color === 'success' ? 'warning' : status.color}
        variant="outlined"
        label={t('desk.topbar.phone', { state: status.label })}
        onClick={() => navigate('desk')}
        data-testid="topbar-phone"
        data-state={phone.registration}
        aria-live="polite"
      />
    </Tooltip>
  );
}
