/**
 * The two ways screens use commands, written once:
 * - `useQuery` loads data, reloads on demand, after a reconnect and on an interval, and keeps the last good data on error;
 * - `useAction` runs a state-changing command, tracks `pending`, reports success and failure.
 * Failures become translated messages (snackbar by default, or inline via `error`).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandArgs, CommandName, CommandResult } from '../../core/api';
import { call } from '../api/call';
import { CommandError } from '../api/client';
import { describeError, isSessionError } from '../i18n/errors';
import { useStore } from '../store';

function asCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  return new CommandError({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
}

export interface QueryState<T> {
  data: T | undefined;
  error: CommandError | null;
  /** True until the first answer (or failure) arrives. */
  loading: boolean;
  /** True while any request is in flight, including background refreshes. */
  refreshing: boolean;
  reload(): void;
}

export interface QueryOptions {
  enabled?: boolean;
  /** Background refresh interval; skipped while a request is still in flight. */
  intervalMs?: number;
}

export function useQuery<N extends CommandName>(name: N, args: CommandArgs<N>, options: QueryOptions = {}): QueryState<CommandResult<N>> {
  const { enabled = true, intervalMs } = options;
  const [data, setData] = useState<CommandResult<N> | undefined>(undefined);
  const [error, setError] = useState<CommandError | null>(null);
  const [reloadCount, setReloadCount] = useState(0);
  // Key of the last request that answered; `refreshing` is true while the current key has not.
  const [settledKey, setSettledKey] = useState<string | null>(null);
  // Re-fetch after every session re-bind: events may have been missed while disconnected.
  const epoch = useStore((s) => s.sessionEpoch);
  const argsKey = JSON.stringify(args);
  const requestKey = `${name}|${argsKey}|${epoch}|${reloadCount}`;
  const latestKey = useRef(requestKey);
  const inFlight = useRef(false);

  useEffect(() => {
    if (!enabled) return;
    latestKey.current = requestKey;
    inFlight.current = true;
    const settle = (apply: () => void) => {
      if (latestKey.current !== requestKey) return; // a newer request (other filters) superseded this one
      apply();
      inFlight.current = false;
      setSettledKey(requestKey);
    };
    call(name, JSON.parse(argsKey) as CommandArgs<N>).then(
      (result) =>
        settle(() => {
          setData(result);
          setError(null);
        }),
      (e: unknown) => settle(() => setError(asCommandError(e))),
    );
  }, [name, argsKey, enabled, requestKey]);

  useEffect(() => {
    if (!enabled || !intervalMs) return;
    const timer = setInterval(() => {
      if (!inFlight.current) setReloadCount((n) => n + 1);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [enabled, intervalMs]);

  const reload = useCallback(() => setReloadCount((n) => n + 1), []);
  return {
    data,
    error,
    loading: enabled && settledKey === null,
    refreshing: enabled && settledKey !== requestKey,
    reload,
  };
}

export interface ActionOptions {
  /** Shown as a success snackbar. */
  success?: string;
  /** Keep the error for inline display (see `error`) instead of a snackbar. */
  inline?: boolean;
}

export interface ActionState<N extends CommandName> {
  /** Resolves to the result, or undefined when the command failed (already reported). */
  run(args: CommandArgs<N>, options?: ActionOptions): Promise<CommandResult<N> | undefined>;
  pending: boolean;
  error: CommandError | null;
  clearError(): void;
}

export function useAction<N extends CommandName>(name: N): ActionState<N> {
  const { t } = useTranslation();
  const notify = useStore((s) => s.notify);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<CommandError | null>(null);

  const run = useCallback(
    async (args: CommandArgs<N>, options: ActionOptions = {}) => {
      setPending(true);
      setError(null);
      try {
        const result = await call(name, args);
        if (options.success) notify('success', options.success);
        return result;
      } catch (e) {
        const failure = asCommandError(e);
        if (options.inline) setError(failure);
        else if (!isSessionError(failure)) notify('error', describeError(t, failure));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [name, notify, t],
  );
  const clearError = useCallback(() => setError(null), []);
  return { run, pending, error, clearError };
}

/** Reports a failure the same way `useAction` does, for code that calls `call` directly (e.g. batch saves). */
export function useReportError(): (error: unknown) => void {
  const { t } = useTranslation();
  const notify = useStore((s) => s.notify);
  return useCallback(
    (error: unknown) => {
      if (!isSessionError(error)) notify('error', describeError(t, error));
    },
    [notify, t],
  );
}
