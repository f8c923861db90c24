import CloudDoneOutlined from '@mui/icons-material/CloudDoneOutlined';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from '../store';

export type ConnectionDisplay = 'connected' | 'connecting' | 'reconnecting' | 'disconnected';

/** A short blip reads as "reconnecting"; an outage longer than this reads as "disconnected" (retries go on). */
const reconnectGraceMs = 15_000;

export function useConnectionDisplay(): ConnectionDisplay {
  const connection = useStore((s) => s.connection);
  const everConnected = useStore((s) => s.everConnected);
  const since = useStore((s) => s.disconnectedSince);
  // The outage start (`since`) whose grace period has run out.
  const [graceOverFor, setGraceOverFor] = useState<number | null>(null);
  useEffect(() => {
    if (since === null) return;
    const timer = setTimeout(() => setGraceOverFor(since), Math.max(0, since + reconnectGraceMs - Date.now()));
    return () => clearTimeout(timer);
  }, [since]);

  if (connection === 'connected') return 'connected';
  if (connection === 'no-key') return 'disconnected';
  if (!everConnected) return connection === 'connecting' ? 'connecting' : 'disconnected';
  return since !== null && graceOverFor === since ? 'disconnected' : 'reconnecting';
}

export function ConnectionChip() {
  const { t } = useTranslation();
  const display = useConnectionDisplay();
  const icon = display === 'connected' ? <CloudDoneOutlined /> : display === 'disconnected' ? <CloudOffOutlined /> : <SyncOutlined />;
  const color = display === 'connected' ? 'success' : display === 'disconnected' ? 'error' : 'warning';
  return (
    <Tooltip title={t(`connection.${display}Hint`)}>
      <Chip
        icon={icon}
        label={t(`connection.${display}`)}
        color={color}
        variant="outlined"
        data-testid="connection-state"
        data-state={display}
        aria-live="polite"
      />
    </Tooltip>
  );
}
