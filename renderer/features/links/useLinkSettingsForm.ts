/**
 * What every network link's settings form does with its saved settings: keeps the settings the fields were loaded
 * from, follows a save made elsewhere unless the operator is mid-edit, guards navigation while edits are unsaved,
 * reverts, and saves (or takes the engineer to the first field to correct).
 */
import { useState, type FormEvent } from 'react';
import { useUnsavedChanges } from '../../hooks/useUnsavedChanges';

interface Options<S> {
  /** The settings as the core has them now. */
  saved: S;
  /** Puts settings into the form's own fields. */
  load(settings: S): void;
  /** Whether the fields differ from `base`. */
  dirty(base: S): boolean;
  /** Clears the last save's error (on revert). */
  clearError(): void;
}

export interface LinkSettingsForm<S> {
  /** The settings the fields were loaded from (or last saved as). */
  base: S;
  dirty: boolean;
  /** A save was tried: required fields left empty are flagged from then on. */
  attempted: boolean;
  /** Someone saved other settings while this operator was editing. */
  serverChanged: boolean;
  reset(): void;
  /** The form's submit: sends unless `blocked` or unchanged; `send` resolves to the saved settings, or undefined. */
  submit(event: FormEvent, blocked: boolean, send: () => Promise<S | undefined>): Promise<void>;
}

export function useLinkSettingsForm<S>({ saved, load, dirty: isDirty, clearError }: Options<S>): LinkSettingsForm<S> {
  const [base, setBase] = useState(saved);
  const [attempted, setAttempted] = useState(false);
  const dirty = isDirty(base);
  const serverChanged = JSON.stringify(saved) !== JSON.stringify(base);

  const apply = (settings: S) => {
    setBase(settings);
    load(settings);
    setAttempted(false);
  };

  // Follow changes made elsewhere unless the operator is in the middle of an edit.
  if (serverChanged && !dirty) apply(saved);
  useUnsavedChanges(dirty);

  return {
    base,
    dirty,
    attempted,
    serverChanged,
    reset() {
      apply(saved);
      clearError();
    },
    async submit(event, blocked, send) {
      event.preventDefault();
      setAttempted(true);
      if (blocked) {
        // Take the engineer to the first field to correct, once the errors are drawn.
        const form = event.currentTarget as HTMLFormElement;
        requestAnimationFrame(() => form.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus());
        return;
      }
      if (!dirty) return;
      const result = await send();
      if (result) apply(result);
    },
  };
}
