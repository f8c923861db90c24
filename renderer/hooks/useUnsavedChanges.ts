/** Tells the shell that this screen holds unsaved edits, so leaving it asks first; cleared when the screen goes. */
import { useEffect } from 'react';
import { useStore } from '../store';

export function useUnsavedChanges(dirty: boolean): void {
  const setUnsavedChanges = useStore((s) => s.setUnsavedChanges);
  useEffect(() => {
    setUnsavedChanges(dirty);
  }, [dirty, setUnsavedChanges]);
  useEffect(() => () => setUnsavedChanges(false), [setUnsavedChanges]);
}
