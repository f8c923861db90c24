/**
 * Plays recordings (voice messages and personal greetings: Subscribers, the Lab's calls) in an audio element the
 * console controls; the object URL is released when done.
 */
import { useCallback, useEffect, useState } from 'react';
import { useAction } from './useCommand';

/** What to play: a caller's voice message, or the personal greeting a subscriber recorded. */
export type VoiceSource = { callId: number } | { greetingOf: string };

const keyOf = (source: VoiceSource): string => ('callId' in source ? `call:${source.callId}` : `greeting:${source.greetingOf}`);

export interface PlayingVoice {
  key: string;
  url: string;
  label: string;
}

export function base64ToBlob(base64: string, type: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** Needs the voice.listen permission (subscribers/voice-message, subscribers/greeting); playing is audited by the core. */
export function useVoicePlayer() {
  const fetchVoice = useAction('subscribers/voice-message');
  const fetchGreeting = useAction('subscribers/greeting');
  const [playing, setPlaying] = useState<PlayingVoice | null>(null);
  const [loadingKey, setLoadingKey] = useState<string | null>(null);
  useEffect(() => {
    if (!playing) return;
    return () => URL.revokeObjectURL(playing.url);
  }, [playing]);

  const play = async (source: VoiceSource, label: string) => {
    const key = keyOf(source);
    setLoadingKey(key);
    const result =
      'callId' in source ? await fetchVoice.run({ callId: source.callId }) : await fetchGreeting.run({ msisdn: source.greetingOf });
    setLoadingKey(null);
    if (!result) return;
    setPlaying({ key, label, url: URL.createObjectURL(base64ToBlob(result.wavBase64, 'audio/wav')) });
  };
  const stop = useCallback(() => setPlaying(null), []);
  return {
    playing,
    /** Something is being fetched: one recording at a time. */
    loading: loadingKey !== null,
    isLoading: (source: VoiceSource) => loadingKey === keyOf(source),
    isPlaying: (source: VoiceSource) => playing?.key === keyOf(source),
    play,
    stop,
  };
}

export type VoicePlayer = ReturnType<typeof useVoicePlayer>;
