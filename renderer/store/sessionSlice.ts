import type { StateCreator } from 'zustand';
import type { EventPayload, Me } from '../../core/api';
import { CommandError } from '../api/client';
import { core } from '../api/core';
import type { AppState } from './types';

export type SessionStatus = 'signed-out' | 'resuming' | 'signed-in';

/** Why the operator is looking at the sign-in screen; selects the message shown there. */
export type SignOutReason = 'signed-out' | 'unauthenticated' | EventPayload<'session/ended'>['reason'];

export interface SessionSlice {
  sessionStatus: SessionStatus;
  me: Me | null;
  /** True while the session is bound to the current WebSocket connection (it is lost on every reconnect). */
  sessionBound: boolean;
  /** Bumped on every (re)bind, so screens can reload after a reconnect. */
  sessionEpoch: number;
  signOutReason: SignOutReason | null;
  /** Throws CommandError on failure so the sign-in form can show it inline. */
  login(username: string, password: string): Promise<void>;
  resumeSession(): Promise<void>;
  signOut(): void;
  endSession(reason: SignOutReason): void;
  setMe(me: Me): void;
  /** Reloads `me` after the core said our role or its permissions changed. */
  refreshMe(): Promise<void>;
  requirePasswordChange(): void;
}

const tokenStorage = 'reachback.sessionToken';

function readToken(): string | null {
  return sessionStorage.getItem(tokenStorage);
}

let resuming: Promise<void> | null = null;

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set, get) => ({
  sessionStatus: readToken() ? 'resuming' : 'signed-out',
  me: null,
  sessionBound: false,
  sessionEpoch: 0,
  signOutReason: null,

  async login(username, password) {
    const { token, me } = await core.send('session/login', { username, password });
    sessionStorage.setItem(tokenStorage, token);
    set((s) => ({ sessionStatus: 'signed-in', me, sessionBound: true, sessionEpoch: s.sessionEpoch + 1, signOutReason: null }));
  },

  resumeSession() {
    const token = readToken();
    if (!token) {
      if (get().sessionStatus !== 'signed-out') set({ sessionStatus: 'signed-out', me: null, sessionBound: false });
      return Promise.resolve();
    }
    if (resuming) return resuming;
    resuming = (async () => {
      try {
        const { me } = await core.send('session/resume', { token });
        set((s) => ({ sessionStatus: 'signed-in', me, sessionBound: true, sessionEpoch: s.sessionEpoch + 1 }));
      } catch (error) {
        // 'unavailable' means the socket dropped again: the next connect retries. Anything else means the token is dead.
        if (error instanceof CommandError && error.code !== 'unavailable' && error.code !== 'internal') {
          get().endSession(error.code === 'session_expired' ? 'expired' : 'unauthenticated');
        }
      } finally {
        resuming = null;
      }
    })();
    return resuming;
  },

  signOut() {
    const wasBound = get().sessionBound;
    get().endSession('signed-out');
    // Best effort: the server also ends the session when the token idles out.
    if (wasBound) core.send('session/logout', {}).catch(() => undefined);
  },

  endSession(reason) {
    sessionStorage.removeItem(tokenStorage);
    if (get().sessionStatus === 'signed-out') return;
    set({ sessionStatus: 'signed-out', me: null, sessionBound: false, signOutReason: reason, unsavedChanges: false, pendingRoute: null });
  },

  setMe(me) {
    set({ me });
  },

  async refreshMe() {
    if (!get().sessionBound) return; // a resume is due anyway and returns a fresh `me`
    try {
      set({ me: await core.send('session/me', {}) });
    } catch (error) {
      if (error instanceof CommandError && (error.code === 'session_expired' || error.code === 'unauthenticated')) {
        get().endSession(error.code === 'session_expired' ? 'expired' : 'unauthenticated');
      }
    }
  },

  requirePasswordChange() {
    const me = get().me;
    if (me && !me.mustChangePassword) set({ me: { ...me, mustChangePassword: true } });
  },
});
