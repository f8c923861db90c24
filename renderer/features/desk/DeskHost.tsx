/**
 * Lives in the shell, not in the desk screen: once the agent opened the desk in this window, the phone stays
 * registered and the keyboard shortcuts work on every screen until sign-out. Owns the `<audio>` element the
 * caller's voice plays through.
 */
import type { TFunction } from 'i18next';
import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../i18n/errors';
import { useCan } from '../../hooks/usePermissions';
import { useStore } from '../../store';
import { deskController } from './deskController';
import { useDeskStore } from './deskStore';
import { shortcutOf } from './shortcuts';
import { softphone } from './softphone';

// Signing out closes the desk for this window: the next operator to sign in here opens their own.
useStore.subscribe((s, previous) => {
  if (s.sessionStatus === 'signed-out' && previous.sessionStatus !== 'signed-out' && useDeskStore.getState().active) {
    useDeskStore.getState().deactivate();
  }
});

/** Answers the ringing call; a microphone that cannot be opened is reported (the call keeps ringing). */
export async function answerCall(id: string, notify: (message: string) => void, t: TFunction) {
  try {
    await softphone.answer(id);
  } catch (error) {
    const mic = softphone.getSnapshot().mic;
    notify(mic === 'denied' || mic === 'missing' ? t(`desk.mic.${mic}`) : describeError(t, error));
  }
}

export function DeskHost() {
  const { t } = useTranslation();
  const can = useCan();
  const operatorId = useStore((s) => s.me?.id ?? null);
  const active = useDeskStore((s) => s.active);
  const notify = useStore((s) => s.notify);
  const enabled = active && operatorId !== null && can('desk.use');

  useEffect(() => {
    if (!enabled || operatorId === null) return;
    deskController.start(operatorId);
    return () => deskController.stop();
  }, [enabled, operatorId]);

  // Alt+A answers, Alt+H hangs up (or rejects a ringing call), Alt+M mutes: Alt+letter types nothing in the
  // message form, and the layout-independent key code works with any keyboard layout.
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      const calls = softphone.getSnapshot().calls.filter((c) => c.state !== 'ended');
      const ringing = calls.find((c) => c.state === 'ringing');
      const talking = calls.find((c) => c.state === 'active' && !c.held) ?? calls.find((c) => c.state === 'active');
      event.preventDefault();
      if (shortcut === 'answer' && ringing) void answerCall(ringing.id, (m) => notify('error', m), t);
      else if (shortcut === 'hangup') {
        if (talking) softphone.hangup(talking.id);
        else if (ringing) void deskController.reject(ringing.id);
      } else if (shortcut === 'mute' && talking) softphone.setMuted(talking.id, !talking.muted);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled, notify, t]);

  const attach = useCallback((element: HTMLAudioElement | null) => softphone.attachAudio(element), []);
  if (!enabled) return null;
  return <audio ref={attach} autoPlay data-testid="desk-remote-audio" style={{ display: 'none' }} />;
}
