/**
 * The ringtone, generated with WebAudio (no audio asset): a soft two-tone ring, or a short beep for a call
 * waiting while the agent talks. It plays through its own `<audio>` element so it can go to the ringer device
 * (setSinkId), which may differ from the headset the call uses.
 */

type Pattern = 'ring' | 'waiting';

/** One cadence: a burst of tone pairs, then silence. */
const cadences: Record<Pattern, { periodMs: number; bursts: { at: number; length: number }[]; gain: number }> = {
  ring: {
    periodMs: 3000,
    bursts: [
      { at: 0, length: 0.4 },
      { at: 0.6, length: 0.4 },
    ],
    gain: 0.22,
  },
  waiting: { periodMs: 5000, bursts: [{ at: 0, length: 0.2 }], gain: 0.12 },
};

export class Ringer {
  private context: AudioContext | null = null;
  private destination: MediaStreamAudioDestinationNode | null = null;
  private element: HTMLAudioElement | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private sink = '';
  private unblock: (() => void) | null = null;

  /** blocked: the browser keeps audio silent until the agent clicks or types on the page (its autoplay rule). */
  constructor(private readonly onBlocked: (blocked: boolean) => void = () => undefined) {}

  /** Makes the audio ready before the first call, so that a browser that blocks it is noticed (and said) in time. */
  prepare(): void {
    const audio = this.ensure();
    if (!audio || audio.context.state !== 'suspended') return;
    this.onBlocked(true);
    if (this.unblock) return;
    this.unblock = () => {
      void audio.context.resume().then(() => {
        if (audio.context.state !== 'running') return;
        this.onBlocked(false);
        for (const type of ['pointerdown', 'keydown'] as const) window.removeEventListener(type, this.unblock!, true);
        this.unblock = null;
      });
    };
    for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, this.unblock, true);
  }

  private ensure(): { context: AudioContext; destination: MediaStreamAudioDestinationNode } | null {
    if (typeof AudioContext === 'undefined') return null;
    if (!this.context) {
      this.context = new AudioContext();
      this.destination = this.context.createMediaStreamDestination();
      this.element = new Audio();
      this.element.srcObject = this.destination.stream;
      void this.applySink();
    }
    return { context: this.context, destination: this.destination! };
  }

  setSink(deviceId: string): void {
    this.sink = deviceId;
    void this.applySink();
  }

  private async applySink(): Promise<void> {
    const element = this.element as (HTMLAudioElement & { setSinkId?(id: string): Promise<void> }) | null;
    if (!element?.setSinkId) return;
    try {
      await element.setSinkId(this.sink);
    } catch {
      // The device went away: the default output rings instead.
    }
  }

  get ringing(): boolean {
    return this.timer !== null;
  }

  start(pattern: Pattern = 'ring'): void {
    this.stop();
    const audio = this.ensure();
    if (!audio) return;
    const { context, destination } = audio;
    void context.resume().catch(() => undefined);
    this.element?.play().catch(() => undefined);
    const cadence = cadences[pattern];
    const burst = () => {
      const start = context.currentTime + 0.05;
      for (const { at, length } of cadence.bursts) {
        const gain = context.createGain();
        gain.gain.setValueAtTime(0, start + at);
        gain.gain.linearRampToValueAtTime(cadence.gain, start + at + 0.02);
        gain.gain.setValueAtTime(cadence.gain, start + at + length - 0.04);
        gain.gain.linearRampToValueAtTime(0, start + at + length);
        gain.connect(destination);
        for (const frequency of [440, 480]) {
          const tone = context.createOscillator();
          tone.frequency.value = frequency;
          tone.connect(gain);
          tone.start(start + at);
          tone.stop(start + at + length + 0.02);
        }
      }
    };
    burst();
    this.timer = setInterval(burst, cadence.periodMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
