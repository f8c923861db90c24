/** Hash routing (`#/operators`): enough for a handful of screens, and it survives reloads. */
import { useSyncExternalStore } from 'react';
import { routeNames, type RouteName } from './route-names';
import { useStore } from './store';

export type { RouteName };

function isRouteName(value: string): value is RouteName {
  return (routeNames as readonly string[]).includes(value);
}

function currentRoute(): RouteName {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isRouteName(name) ? name : 'dashboard';
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

export function useRoute(): RouteName {
  return useSyncExternalStore(subscribe, currentRoute);
}

/** What a link asked the screen to open (`#/statements?msisdn=…`), read by the screen when it mounts. */
export function routeQuery(): URLSearchParams {
  const hash = window.location.hash;
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}

/**
 * Goes to a screen, or asks first when the current screen holds unsaved edits
 * (then the query is dropped: the screen opens as from the menu).
 */
export function navigate(route: RouteName, options: { force?: boolean; query?: Record<string, string> } = {}): void {
  const state = useStore.getState();
  if (!options.force && state.unsavedChanges && route !== currentRoute()) {
    state.setPendingRoute(route);
    return;
  }
  state.setPendingRoute(null);
  state.setUnsavedChanges(false);
  const query = options.query ? `?${new URLSearchParams(options.query)}` : '';
  window.location.hash = `#/${route}${query}`;
}
