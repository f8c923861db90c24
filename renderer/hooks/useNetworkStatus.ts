/**
 * The network links' health, live: the core pushes `network/changed` on every state change (applied at once), and
 * the counters are polled with `network/status` every second while an SMPP link runs or the SIP watcher watches
 * (every 5 s otherwise, as a safety net for a missed event). The watcher's registrar going down or up, and its
 * counters, are only seen by polling.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandResult } from '../../core/api';
import { call } from '../api/call';
import { CommandError } from '../api/client';
import { useStore } from '../store';
import { useCoreEvent } from './useCoreEvent';

export type NetworkStatus = CommandResult<'network/status'>;

const liveMs = 1_000;
const idleMs = 5_000;

export interface NetworkStatusState {
  status: NetworkStatus | undefined;
  error: CommandError | null;
  /** Client time of the last answer or event. */
  updatedAt: number | null;
  reload(): void;
}

export function useNetworkStatus(): NetworkStatusState {
  const [status, setStatus] = useState<NetworkStatus | undefined>(undefined);
  const [error, setError] = useState<CommandError | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const epoch = useStore((s) => s.sessionEpoch);
  const inFlight = useRef(false);
  // Bumped by each pushed event: an answer to a request sent before it may be older than the event, so it is dropped
  // (the event triggers a fresh request).
  const eventCount = useRef(0);
  const mounted = useRef(true);

  const fetchNow = useCallback(() => {
    inFlight.current = true;
    const sentAfter = eventCount.current;
    call('network/status', {}).then(
      (result) => {
        inFlight.current = false;
        if (!mounted.current || sentAfter !== eventCount.current) return;
        setStatus(result);
        setError(null);
        setUpdatedAt(Date.now());
      },
      (e: unknown) => {
        inFlight.current = false;
        if (!mounted.current) return;
        setError(e instanceof CommandError ? e : new CommandError({ code: 'internal', message: String(e) }));
      },
    );
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // First load, and again after every session re-bind (events may have been missed while disconnected).
  useEffect(() => fetchNow(), [fetchNow, epoch]);

  const live = status?.smsc.mode === 'smpp' || status?.sip.mode === 'watching';
  useEffect(() => {
    const timer = setInterval(
      () => {
        if (!inFlight.current) fetchNow();
      },
      live ? liveMs : idleMs,
    );
    return () => clearInterval(timer);
  }, [fetchNow, live]);

  // An event carries the links that changed; the others keep their last known state.
  useCoreEvent('network/changed', (payload) => {
    eventCount.current++;
    setStatus((previous) => previous && { ...previous, ...payload });
    setError(null);
    setUpdatedAt(Date.now());
    fetchNow();
  });

  return { status, error, updatedAt, reload: fetchNow };
}
