/** The desk's keyboard shortcuts: Alt + a letter, by physical key, so they type nothing and work on any layout. */

export type Shortcut = 'answer' | 'hangup' | 'mute';

export const shortcutKeys: Record<Shortcut, { code: string; label: string }> = {
  answer: { code: 'KeyA', label: 'Alt+A' },
  hangup: { code: 'KeyH', label: 'Alt+H' },
  mute: { code: 'KeyM', label: 'Alt+M' },
};

export function shortcutOf(event: KeyboardEvent): Shortcut | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.repeat) return null;
  for (const [name, key] of Object.entries(shortcutKeys) as [Shortcut, { code: string }][]) {
    if (event.code === key.code) return name;
  }
  return null;
}
