/** The softphone's state (registration, calls, microphone), re-rendering on every change. */
import { useSyncExternalStore } from 'react';
import { softphone, type PhoneSnapshot } from './softphone';

export function useSoftphone(): PhoneSnapshot {
  return useSyncExternalStore(softphone.subscribe, softphone.getSnapshot);
}
