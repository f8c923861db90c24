/**
 * `call` is how screens talk to the core: it waits until the session is bound
 * to the current connection (after a reconnect the new socket is anonymous
 * until `session/resume` returns), and turns session failures into a sign-out.
 */
import type { CommandArgs, CommandName, CommandResult } from '../../core/api';
import { useStore } from '../store';
import { CommandError } from './client';
import { core } from './core';

const sessionFree: ReadonlySet<CommandName> = new Set<CommandName>(['session/login', 'session/resume']);
const readyTimeoutMs = 15_000;

function sessionReady(): boolean {
  const s = useStore.getState();
  return s.sessionStatus === 'signed-in' && s.sessionBound;
}

function whenSessionReady(): Promise<void> {
  if (sessionReady()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const finish = (error?: CommandError) => {
      clearTimeout(timer);
      unsubscribe();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new CommandError({ code: 'unavailable', message: 'Not connected to the core' })), readyTimeoutMs);
    const unsubscribe = useStore.subscribe((s) => {
      if (s.sessionStatus === 'signed-out') finish(new CommandError({ code: 'unauthenticated', message: 'Signed out' }));
      else if (sessionReady()) finish();
    });
  });
}

export async function call<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
  if (!sessionFree.has(name)) await whenSessionReady();
  const epoch = useStore.getState().sessionEpoch;
  try {
    return await core.send(name, args);
  } catch (error) {
    if (error instanceof CommandError) {
      const state = useStore.getState();
      // Only trust a session error that came from the binding we sent on, not from a socket that has since been replaced.
      const sameBinding = state.sessionEpoch === epoch && state.sessionStatus === 'signed-in';
      if (sameBinding && error.code === 'session_expired') state.endSession('expired');
      else if (sameBinding && error.code === 'unauthenticated') state.endSession('unauthenticated');
      else if (error.code === 'password_change_required') state.requirePasswordChange();
    }
    throw error;
  }
}
