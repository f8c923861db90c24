import type { AlertColor } from '@mui/material/Alert';
import type { StateCreator } from 'zustand';
import type { Language } from '../../core/api';
import { applyLanguage, initialLanguage } from '../i18n';
import type { RouteName } from '../routing';
import type { AppState } from './types';

export type ThemeMode = 'light' | 'dark';

export interface Notice {
  id: number;
  severity: AlertColor;
  message: string;
}

export interface UiSlice {
  language: Language;
  themeMode: ThemeMode;
  notices: Notice[];
  /** Set by a screen holding edits that are not saved yet; navigation asks before leaving. */
  unsavedChanges: boolean;
  /** A navigation waiting for the operator to confirm discarding unsaved changes. */
  pendingRoute: RouteName | null;
  setLanguage(language: Language): void;
  toggleTheme(): void;
  notify(severity: AlertColor, message: string): void;
  dismissNotice(id: number): void;
  setUnsavedChanges(dirty: boolean): void;
  setPendingRoute(route: RouteName | null): void;
}

const themeStorage = 'reachback.theme';

function initialTheme(): ThemeMode {
  const stored = localStorage.getItem(themeStorage);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

let nextNoticeId = 1;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  language: initialLanguage(),
  themeMode: initialTheme(),
  notices: [],
  unsavedChanges: false,
  pendingRoute: null,

  setLanguage(language) {
    applyLanguage(language);
    set({ language });
  },
  toggleTheme() {
    const themeMode = get().themeMode === 'light' ? 'dark' : 'light';
    localStorage.setItem(themeStorage, themeMode);
    set({ themeMode });
  },
  notify(severity, message) {
    const notice = { id: nextNoticeId++, severity, message };
    set((s) => {
      // Drop exact repeats still pending (e.g. the same error from a polling screen).
      if (s.notices.some((n) => n.message === message)) return s;
      // The newest notice is shown; confirmations it hides are dropped, errors wait until dismissed.
      return { notices: [...s.notices.filter((n) => n.severity === 'error'), notice] };
    });
  },
  dismissNotice(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
  setUnsavedChanges(dirty) {
    if (get().unsavedChanges !== dirty) set({ unsavedChanges: dirty });
  },
  setPendingRoute(route) {
    set({ pendingRoute: route });
  },
});
