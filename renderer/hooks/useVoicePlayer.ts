/** Plays voice messages (Subscribers, the Lab's self-care calls) in an audio element the console controls; the object URL is released when done. */
import { useCallback, useEffect, useState } from 'react';
import { useAction } from './useCommand';

export interface PlayingVoice {
  callId: number;
  url: string;
  label: string;
}

export function base64ToBlob(base64: string, type: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** Needs the voice.listen permission (subscribers/voice-message); playing is audited by the core. */
export function useVoicePlayer() {
  const fetchVoice = useAction('subscribers/voice-message');
  const [playing, setPlaying] = useState<PlayingVoice | null>(null);
  const [loadingId, setLoadingId] = useState<number | null>(null);
  useEffect(() => {
    if (!playing) return;
    return () => URL.revokeObjectURL(playing.url);
  }, [playing]);

  const play = async (callId: number, label: string) => {
    setLoadingId(callId);
    const result = await fetchVoice.run({ callId });
    setLoadingId(null);
    if (!result) return;
    setPlaying({ callId, label, url: URL.createObjectURL(base64ToBlob(result.wavBase64, 'audio/wav')) });
  };
  const stop = useCallback(() => setPlaying(null), []);
  return { playing, loadingId, play, stop };
}

export type VoicePlayer = ReturnType<typeof useVoicePlayer>;
