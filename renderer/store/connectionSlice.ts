import type { StateCreator } from 'zustand';
import type { ConnectionState } from '../api/client';
import type { AppState } from './types';

export interface ConnectionSlice {
  connection: ConnectionState;
  /** Whether the socket was ever open; tells "connecting" apart from "reconnecting". */
  everConnected: boolean;
  /** When the current outage began (epoch ms), or null while connected. */
  disconnectedSince: number | null;
  setConnection(state: ConnectionState): void;
}

export const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set, get) => ({
  connection: 'connecting',
  everConnected: false,
  disconnectedSince: null,
  setConnection(state) {
    const previous = get();
    if (state === 'connected') {
      set({ connection: state, everConnected: true, disconnectedSince: null, sessionBound: false });
    } else {
      set({
        connection: state,
        sessionBound: false,
        disconnectedSince: previous.disconnectedSince ?? (previous.everConnected ? Date.now() : null),
      });
    }
  },
});
