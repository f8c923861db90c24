import { create } from 'zustand';
import { core } from '../api/core';
import { createConnectionSlice } from './connectionSlice';
import { createSessionSlice } from './sessionSlice';
import type { AppState } from './types';
import { createUiSlice } from './uiSlice';

export type { AppState } from './types';
export type { SessionStatus, SignOutReason } from './sessionSlice';
export type { Notice, ThemeMode } from './uiSlice';

export const useStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createConnectionSlice(...a),
  ...createUiSlice(...a),
}));

let wired = false;

/** Connects the store to the core client: connection state, session resume on every (re)connect, permission refresh and forced sign-out. */
export function wireCore(): void {
  if (wired) return;
  wired = true;
  const apply = (state: typeof core.state) => {
    useStore.getState().setConnection(state);
    // The session lives on the socket, so every new socket (first load, reload, reconnect) must resume it.
    if (state === 'connected') void useStore.getState().resumeSession();
  };
  apply(core.state);
  core.onState(apply);
  core.listen('session/ended', ({ reason }) => useStore.getState().endSession(reason));
  core.listen('session/refresh', () => void useStore.getState().refreshMe());
}
