/**
 * The agent's softphone: a small wrapper around JsSIP's UA, with no React inside. It folds the UA's events into
 * one snapshot (registration state, the calls, the microphone), which the desk renders and reports to the core.
 *
 * Handles the JsSIP pitfalls listed in the design brief (section 5):
 * - registration: `register: true` lets JsSIP register on every (re)connect by itself; we never call register()
 *   on `connected` (that doubles REGISTERs). A refused registration is not retried until the settings change or
 *   the agent asks, so a wrong password causes no storm.
 * - ICE: no STUN servers by default, and gathering is ended early (a short timer after the first candidate), so an
 *   unreachable STUN server cannot stall the answer for tens of seconds.
 * - hold: tracked here from our own successful re-INVITEs and the remote's, not from JsSIP's flag.
 * - remote audio: played through an `<audio>` element the app owns and hands in.
 * - devices: a new microphone mid-call is swapped in with RTCRtpSender.replaceTrack, never by recreating the stream.
 */
import { UA, WebSocketInterface } from 'jssip';
import type { DTMFOptions, RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingRTCSessionEvent, RTCSessionEvent, UAConfiguration } from 'jssip/lib/UA';
import type { DtmfMode } from '../../../core/api/desk-types';
import { Ringer } from './ringtone';

export interface PhoneConfig {
  wsUri: string;
  sipUri: string;
  password: string;
  displayName: string;
  dtmfMode: DtmfMode;
  callWaiting: boolean;
}

export interface DevicePrefs {
  /** deviceId, or '' for the system default. */
  microphone: string;
  speaker: string;
  ringer: string;
}

/**
 * stopped: no phone (no settings, or signed out); connecting: the first WebSocket connection; reconnecting: the
 * WebSocket server is down or dropped, JsSIP retries with backoff; registering: connected, REGISTER sent;
 * registered; unregistered: the agent took the phone off the network; failed: the registrar refused (no retry).
 */
export type RegistrationState = 'stopped' | 'connecting' | 'reconnecting' | 'registering' | 'registered' | 'unregistered' | 'failed';

export interface PhoneError {
  /** ws: the WebSocket server cannot be reached; auth: user or password refused; refused: another SIP refusal; timeout; config: the settings cannot be used. */
  kind: 'ws' | 'auth' | 'refused' | 'timeout' | 'config';
  status: number | null;
  /** The SIP reason phrase or JsSIP's cause, as it came. */
  detail: string;
  at: number;
}

export type MicState = 'unknown' | 'ok' | 'denied' | 'missing' | 'error';

export type CallEndReason = 'hangup' | 'rejected' | 'missed' | 'transferred' | 'failed';

export interface CallStats {
  packetsIn: number;
  packetsOut: number;
  /** 0..1, the last second. */
  levelIn: number;
  levelOut: number;
}

export interface PhoneCall {
  /** The SIP Call-ID: the caller's, unchanged through the proxy. */
  id: string;
  state: 'ringing' | 'connecting' | 'active' | 'ended';
  /** X-Reachback-Caller, else the From user. */
  caller: string | null;
  /** X-Reachback-Called; null when the INVITE did not say (the desk asks). */
  called: string | null;
  session: string | null;
  /** Display name and URI of the remote side, as the INVITE's From had them. */
  remoteName: string;
  remoteUri: string;
  receivedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Refused with 486 at once: the agent was busy and call waiting is off. */
  busyRejected: boolean;
  muted: boolean;
  /** Our own hold, as our last successful re-INVITE left it. */
  held: boolean;
  /** A hold or resume re-INVITE in flight. */
  holdPending: boolean;
  /** The other side put us on hold (its re-INVITE said so). */
  remoteHeld: boolean;
  endReason: CallEndReason | null;
  /** JsSIP's cause (Canceled, Terminated, …) or ours. */
  endCause: string | null;
  transfer: { target: string; state: 'sending' | 'accepted' | 'failed'; detail: string | null } | null;
  /** Digits the agent sent, and the ones the caller sent by SIP INFO (RFC 4733 digits do not reach JavaScript). */
  dtmfSent: string;
  dtmfReceived: string;
  stats: CallStats | null;
}

export interface PhoneSnapshot {
  registration: RegistrationState;
  error: PhoneError | null;
  /** Connection attempts that failed since the WebSocket was last up. */
  attempts: number;
  /** When the current state began. */
  since: number;
  calls: PhoneCall[];
  mic: MicState;
  micDetail: string | null;
  inputs: { id: string; label: string }[];
  outputs: { id: string; label: string }[];
  /** Whether audio output can be chosen (HTMLMediaElement.setSinkId). */
  sinkSupported: boolean;
  /** The browser keeps the ringtone silent until the agent clicks or types on the page. */
  ringerBlocked: boolean;
  config: PhoneConfig | null;
}

export type CallEvent = { type: 'ringing' | 'answered' | 'ended'; call: PhoneCall };

interface Live {
  call: PhoneCall;
  session: RTCSession;
  stream: MediaStream | null;
  statsTimer: ReturnType<typeof setInterval> | null;
  /** What the agent did that ended it, when it was the agent. */
  localEnd: CallEndReason | null;
  /** RTP packets per SSRC, each way. */
  packets: { in: Map<string, { base: number; last: number }>; out: Map<string, { base: number; last: number }> };
}

/** How long after the first ICE candidate the answer goes out anyway (host candidates come at once). */
const iceGatheringTimeoutMs = 400;
/** Ended calls stay in the snapshot this long, so the screen can say how they ended. */
const endedCallLingerMs = 4000;
const statsIntervalMs = 1000;
const registerExpiresSeconds = 300;

const sinkSupported = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

function initialSnapshot(): PhoneSnapshot {
  return {
    registration: 'stopped',
    error: null,
    attempts: 0,
    since: Date.now(),
    calls: [],
    mic: 'unknown',
    micDetail: null,
    inputs: [],
    outputs: [],
    sinkSupported,
    ringerBlocked: false,
    config: null,
  };
}

/** A number from a header or a URI user part: '+8613900139000', '13900139000' or 'anonymous'. */
function headerValue(request: IncomingRTCSessionEvent['request'], name: string): string | null {
  if (!request.hasHeader(name)) return null;
  const value = request.getHeader(name).trim();
  return value === '' ? null : value;
}

export class Softphone {
  private snapshot: PhoneSnapshot = initialSnapshot();
  private readonly listeners = new Set<() => void>();
  private readonly callListeners = new Set<(event: CallEvent) => void>();
  private ua: UA | null = null;
  private readonly live = new Map<string, Live>();
  private audio: HTMLAudioElement | null = null;
  private devices: DevicePrefs = { microphone: '', speaker: '', ringer: '' };
  private readonly ringer = new Ringer((ringerBlocked) => this.update({ ringerBlocked }));
  private deviceWatch = false;

  // ---- the snapshot, for useSyncExternalStore -------------------------------------------------------------

  getSnapshot = (): PhoneSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Ringing, answered and ended calls, for reporting to the core. */
  onCallEvent(listener: (event: CallEvent) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  private update(change: Partial<PhoneSnapshot>): void {
    const next = { ...this.snapshot, ...change };
    if (change.registration && change.registration !== this.snapshot.registration) next.since = Date.now();
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }

  private updateCall(id: string, change: Partial<PhoneCall>): PhoneCall | null {
    const live = this.live.get(id);
    const current = live?.call ?? this.snapshot.calls.find((c) => c.id === id);
    if (!current) return null;
    const call = { ...current, ...change };
    if (live) live.call = call;
    this.update({ calls: this.snapshot.calls.map((c) => (c.id === id ? call : c)) });
    return call;
  }

  private emitCall(type: CallEvent['type'], call: PhoneCall): void {
    for (const listener of this.callListeners) listener({ type, call });
  }

  // ---- audio elements and devices ---------------------------------------------------------------------------

  /** The element the remote audio plays through; the app renders and owns it. */
  attachAudio(element: HTMLAudioElement | null): void {
    this.audio = element;
    if (element && this.devices.speaker) void this.applySink(element, this.devices.speaker);
    const active = [...this.live.values()].find((l) => l.call.state === 'active');
    if (element && active) this.playRemote(active.session);
  }

  /** Checks the microphone (permission and presence) and lists the devices; labels need the permission. */
  async probeMicrophone(): Promise<MicState> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.update({ mic: 'error', micDetail: 'getUserMedia is not available (the page needs http://127.0.0.1 or https)' });
      return 'error';
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: this.micConstraints() });
      for (const track of stream.getTracks()) track.stop();
      this.update({ mic: 'ok', micDetail: null });
    } catch (error) {
      this.micFailed(error);
    }
    await this.listDevices();
    if (!this.deviceWatch && navigator.mediaDevices?.addEventListener) {
      this.deviceWatch = true;
      navigator.mediaDevices.addEventListener('devicechange', () => void this.listDevices());
    }
    return this.snapshot.mic;
  }

  private micFailed(error: unknown): void {
    const name = error instanceof DOMException ? error.name : '';
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const mic: MicState =
      name === 'NotAllowedError' || name === 'SecurityError'
        ? 'denied'
        : name === 'NotFoundError' || name === 'OverconstrainedError'
          ? 'missing'
          : 'error';
    this.update({ mic, micDetail: detail });
  }

  private async listDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    const all = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    const pick = (kind: MediaDeviceKind) =>
      all
        .filter((d) => d.kind === kind && d.deviceId !== 'default' && d.deviceId !== 'communications' && d.deviceId !== '')
        .map((d, i) => ({ id: d.deviceId, label: d.label || `${kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}` }));
    this.update({ inputs: pick('audioinput'), outputs: pick('audiooutput') });
  }

  private micConstraints(): MediaTrackConstraints | true {
    return this.devices.microphone
      ? { deviceId: { exact: this.devices.microphone }, echoCancellation: true, noiseSuppression: true }
      : { echoCancellation: true, noiseSuppression: true };
  }

  /** New device choices apply at once: the microphone mid-call by replaceTrack, the speaker and ringer by setSinkId. */
  async setDevices(prefs: DevicePrefs): Promise<void> {
    const micChanged = prefs.microphone !== this.devices.microphone;
    this.devices = { ...prefs };
    if (this.audio) await this.applySink(this.audio, prefs.speaker);
    this.ringer.setSink(prefs.ringer);
    if (!micChanged) return;
    for (const live of this.live.values()) {
      if (live.call.state !== 'active' || !live.stream) continue;
      try {
        const fresh = await navigator.mediaDevices.getUserMedia({ audio: this.micConstraints() });
        const track = fresh.getAudioTracks()[0];
        if (!track) continue;
        track.enabled = !live.call.muted;
        const sender = live.session.connection?.getSenders().find((s) => s.track?.kind === 'audio');
        if (sender) await sender.replaceTrack(track);
        for (const old of live.stream.getAudioTracks()) {
          live.stream.removeTrack(old);
          old.stop();
        }
        live.stream.addTrack(track);
        this.update({ mic: 'ok', micDetail: null });
      } catch (error) {
        this.micFailed(error);
      }
    }
  }

  private async applySink(element: HTMLAudioElement, deviceId: string): Promise<void> {
    if (!sinkSupported) return;
    try {
      await (element as HTMLAudioElement & { setSinkId(id: string): Promise<void> }).setSinkId(deviceId);
    } catch {
      // A device that went away: the default output plays instead.
    }
  }

  // ---- registration ---------------------------------------------------------------------------------------------

  /** Starts (or restarts, with new settings) the UA; it connects, registers, and reconnects with backoff by itself. */
  start(config: PhoneConfig): void {
    this.stopUa();
    this.update({ config, error: null, attempts: 0 });
    let socket: WebSocketInterface;
    try {
      socket = new WebSocketInterface(config.wsUri);
    } catch (error) {
      this.update({ registration: 'failed', error: this.error('config', null, String(error)) });
      return;
    }
    const settings: UAConfiguration = {
      sockets: [socket],
      uri: config.sipUri,
      password: config.password || undefined,
      display_name: config.displayName || undefined,
      register: true,
      register_expires: registerExpiresSeconds,
      session_timers: false,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
      no_answer_timeout: 120,
      user_agent: 'Reachback agent desk (JsSIP)',
    };
    let ua: UA;
    try {
      ua = new UA(settings);
    } catch (error) {
      this.update({ registration: 'failed', error: this.error('config', null, error instanceof Error ? error.message : String(error)) });
      return;
    }
    this.ua = ua;
    ua.on('connecting', () => {
      if (this.ua !== ua) return;
      // The first try reads "connecting"; after a failure the state stays "reconnecting" through the retries.
      if (this.snapshot.attempts === 0 && this.snapshot.registration !== 'reconnecting') this.update({ registration: 'connecting' });
    });
    ua.on('connected', () => {
      if (this.ua !== ua) return;
      // JsSIP registers by itself now (register: true); calling register() here would send a second REGISTER.
      const wanted = this.snapshot.registration !== 'unregistered';
      this.update({ registration: wanted ? 'registering' : 'unregistered', attempts: 0, error: null });
    });
    ua.on('disconnected', ({ code, reason, error }) => {
      if (this.ua !== ua) return;
      const detail = [code ? `WebSocket closed (${code})` : 'WebSocket connection failed', reason].filter(Boolean).join(': ');
      this.update({
        registration: 'reconnecting',
        attempts: this.snapshot.attempts + 1,
        error: error || code !== 1000 ? this.error('ws', null, detail) : this.snapshot.error,
      });
    });
    ua.on('registered', () => {
      if (this.ua !== ua) return;
      this.update({ registration: 'registered', error: null });
    });
    ua.on('unregistered', ({ cause }) => {
      if (this.ua !== ua) return;
      // A failure also reports unregistered; registrationFailed below says why.
      if (!cause && this.snapshot.registration !== 'failed') this.update({ registration: 'unregistered' });
    });
    ua.on('registrationFailed', ({ response, cause }) => {
      if (this.ua !== ua) return;
      const status = response?.status_code ?? null;
      const detail = response ? `${response.status_code} ${response.reason_phrase}` : String(cause ?? 'failed');
      if (cause === 'Connection Error') {
        this.update({ registration: 'reconnecting', error: this.error('ws', null, detail) });
        return;
      }
      const kind: PhoneError['kind'] =
        status === 401 || status === 407 || status === 403 || cause === 'Authentication Error'
          ? 'auth'
          : cause === 'Request Timeout'
            ? 'timeout'
            : 'refused';
      this.update({ registration: 'failed', error: this.error(kind, status, detail) });
    });
    ua.on('newRTCSession', (event: RTCSessionEvent) => {
      if (this.ua !== ua || event.originator !== 'remote') return;
      this.incoming(event as IncomingRTCSessionEvent);
    });
    this.update({ registration: 'connecting' });
    this.ringer.prepare();
    ua.start();
  }

  private error(kind: PhoneError['kind'], status: number | null, detail: string): PhoneError {
    return { kind, status, detail, at: Date.now() };
  }

  /** Puts the phone back on the network (after an unregister or a refused registration). */
  register(): void {
    if (!this.ua) {
      if (this.snapshot.config) this.start(this.snapshot.config);
      return;
    }
    if (!this.ua.isConnected()) {
      // A refused or stopped UA: start over, which also retries the connection now instead of at the next backoff.
      this.start(this.snapshot.config!);
      return;
    }
    this.update({ registration: 'registering', error: null });
    this.ua.register();
  }

  /** Takes the phone off the network: no calls ring here until register(). */
  unregister(): void {
    if (!this.ua) return;
    this.update({ registration: 'unregistered' });
    this.ua.unregister({ all: false });
  }

  /** Ends every call and the UA (unregistering first). */
  stop(): void {
    this.stopUa();
    this.ringer.stop();
    this.update({ registration: 'stopped', error: null, attempts: 0, config: null });
  }

  private stopUa(): void {
    const ua = this.ua;
    this.ua = null;
    if (!ua) return;
    for (const live of this.live.values()) this.finish(live, 'failed', 'Phone stopped');
    try {
      ua.stop();
    } catch {
      // Already stopped.
    }
  }

  // ---- calls ------------------------------------------------------------------------------------------------------

  private busy(): boolean {
    return [...this.live.values()].some((l) => l.call.state !== 'ended');
  }

  private incoming({ session, request }: IncomingRTCSessionEvent): void {
    const from = request.from;
    const fromUser = from?.uri?.user ?? null;
    const call: PhoneCall = {
      id: (request as unknown as { call_id: string }).call_id,
      state: 'ringing',
      caller: headerValue(request, 'X-Reachback-Caller') ?? fromUser,
      called: headerValue(request, 'X-Reachback-Called'),
      session: headerValue(request, 'X-Reachback-Session'),
      remoteName: from?.display_name ?? '',
      remoteUri: from?.uri?.toString() ?? '',
      receivedAt: Date.now(),
      answeredAt: null,
      endedAt: null,
      busyRejected: false,
      muted: false,
      held: false,
      holdPending: false,
      remoteHeld: false,
      endReason: null,
      endCause: null,
      transfer: null,
      dtmfSent: '',
      dtmfReceived: '',
      stats: null,
    };
    const live: Live = { call, session, stream: null, statsTimer: null, localEnd: null, packets: { in: new Map(), out: new Map() } };

    // A second call while busy: 486 at once, unless the agent turned call waiting on.
    const waiting = this.busy();
    if (waiting && !this.snapshot.config?.callWaiting) {
      const refused = { ...call, state: 'ended' as const, busyRejected: true, endReason: 'rejected' as const, endCause: 'Busy' };
      live.call = refused;
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      this.update({ calls: [...this.snapshot.calls, refused] });
      this.emitCall('ringing', call);
      this.emitCall('ended', refused);
      this.linger(call.id);
      return;
    }

    this.live.set(call.id, live);
    this.wireSession(live);
    this.update({ calls: [...this.snapshot.calls, call] });
    this.ringer.start(waiting ? 'waiting' : 'ring');
    this.emitCall('ringing', call);
  }

  private wireSession(live: Live): void {
    const { session } = live;
    const id = live.call.id;
    let iceTimer: ReturnType<typeof setTimeout> | null = null;
    let iceDone = false;
    session.on('icecandidate', ({ ready }) => {
      // End gathering shortly after the first candidate: a missing STUN server must not hold up the answer.
      if (iceDone || iceTimer) return;
      iceTimer = setTimeout(() => {
        iceDone = true;
        ready();
      }, iceGatheringTimeoutMs);
    });
    session.on('sdp', ({ originator }) => {
      if (originator !== 'local') return;
      iceDone = true;
      if (iceTimer) clearTimeout(iceTimer);
      iceTimer = null;
    });
    session.on('peerconnection', ({ peerconnection }) => {
      peerconnection.addEventListener('track', () => this.playRemote(session));
    });
    session.on('confirmed', () => {
      const call = this.updateCall(id, { state: 'active', answeredAt: live.call.answeredAt ?? Date.now() });
      this.playRemote(session);
      this.startStats(live);
      if (call) this.emitCall('answered', call);
    });
    session.on('ended', ({ cause }) => this.finish(live, live.localEnd ?? 'hangup', cause));
    // Before the answer went out (the caller gave up, the proxy moved on, nobody answered) the call was missed;
    // after it, the answer failed (media, ICE).
    session.on('failed', ({ cause }) => this.finish(live, live.localEnd ?? (live.call.answeredAt ? 'failed' : 'missed'), cause));
    session.on('hold', ({ originator }) => {
      if (originator === 'remote') this.updateCall(id, { remoteHeld: true });
    });
    session.on('unhold', ({ originator }) => {
      if (originator === 'remote') this.updateCall(id, { remoteHeld: false });
    });
    session.on('newDTMF', (event: { originator: string; dtmf: { tone: string } }) => {
      if (event.originator === 'remote') this.updateCall(id, { dtmfReceived: (live.call.dtmfReceived + event.dtmf.tone).slice(-24) });
    });
  }

  private playRemote(session: RTCSession): void {
    const audio = this.audio;
    const connection = session.connection;
    if (!audio || !connection) return;
    const tracks = connection
      .getReceivers()
      .map((r) => r.track)
      .filter((t): t is MediaStreamTrack => t?.kind === 'audio');
    if (!tracks.length) return;
    const current = audio.srcObject instanceof MediaStream ? audio.srcObject.getAudioTracks()[0] : undefined;
    if (current && tracks.includes(current)) return;
    audio.srcObject = new MediaStream(tracks);
    audio.play().catch(() => undefined);
  }

  private finish(live: Live, reason: CallEndReason, cause: string | null): void {
    if (live.call.state === 'ended') return;
    const id = live.call.id;
    if (live.statsTimer) clearInterval(live.statsTimer);
    for (const track of live.stream?.getTracks() ?? []) track.stop();
    this.live.delete(id);
    if (![...this.live.values()].some((l) => l.call.state === 'ringing')) this.ringer.stop();
    if (this.audio && ![...this.live.values()].some((l) => l.call.state === 'active')) this.audio.srcObject = null;
    const call = this.updateCall(id, { state: 'ended', endedAt: Date.now(), endReason: reason, endCause: cause, holdPending: false });
    if (call) this.emitCall('ended', call);
    this.linger(id);
  }

  private linger(id: string): void {
    setTimeout(() => {
      if (this.live.has(id)) return;
      this.update({ calls: this.snapshot.calls.filter((c) => c.id !== id) });
    }, endedCallLingerMs);
  }

  private liveCall(id: string): Live {
    const live = this.live.get(id);
    if (!live) throw new Error(`No call ${id}`);
    return live;
  }

  /** Answers with the chosen microphone; with the microphone denied the call is not answered (it keeps ringing). */
  async answer(id: string): Promise<void> {
    const live = this.liveCall(id);
    if (live.call.state !== 'ringing') return;
    // Call waiting: the call in progress is held first, so the caller waiting is not talking over it.
    for (const other of this.live.values()) {
      if (other !== live && other.call.state === 'active' && !other.call.held) this.hold(other.call.id, true);
    }
    this.updateCall(id, { state: 'connecting' });
    this.ringer.stop();
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: this.micConstraints() });
      this.update({ mic: 'ok', micDetail: null });
    } catch (error) {
      this.micFailed(error);
      if (this.live.get(id) === live && (live.call.state as PhoneCall['state']) === 'connecting') {
        this.updateCall(id, { state: 'ringing' });
        this.ringer.start('ring');
      }
      throw error;
    }
    if (this.live.get(id) !== live || live.session.isEnded()) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    live.stream = stream;
    live.call = { ...live.call, answeredAt: Date.now() };
    live.session.answer({
      mediaStream: stream,
      mediaConstraints: { audio: true, video: false },
      pcConfig: { iceServers: [] },
    });
  }

  reject(id: string): void {
    const live = this.live.get(id);
    if (!live || live.call.state !== 'ringing') return;
    live.localEnd = 'rejected';
    live.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
  }

  hangup(id: string): void {
    const live = this.live.get(id);
    if (!live) return;
    if (live.call.state === 'ringing') {
      this.reject(id);
      return;
    }
    live.localEnd = live.call.answeredAt ? 'hangup' : 'failed';
    live.session.terminate();
  }

  setMuted(id: string, muted: boolean): void {
    const live = this.liveCall(id);
    for (const track of live.stream?.getAudioTracks() ?? []) track.enabled = !muted;
    this.updateCall(id, { muted });
  }

  /**
   * Hold or resume by re-INVITE. The state shown follows our own requests: it changes when the re-INVITE succeeds.
   * JsSIP's own flag can be out of step after a re-INVITE from the other side (JsSIP #977); it is put right first.
   */
  hold(id: string, held: boolean): void {
    const live = this.liveCall(id);
    if (live.call.holdPending || live.call.held === held) return;
    const session = live.session as RTCSession & { _localHold?: boolean };
    if (session.isOnHold().local === held) session._localHold = !held;
    this.updateCall(id, { holdPending: true });
    const done = () => this.updateCall(id, { held, holdPending: false });
    const sent = held ? session.hold({}, done) : session.unhold({}, done);
    if (!sent) this.updateCall(id, { holdPending: false });
  }

  sendDtmf(id: string, tone: string): void {
    const live = this.liveCall(id);
    if (live.call.state !== 'active') return;
    const mode = this.snapshot.config?.dtmfMode ?? 'info';
    const options: DTMFOptions = {
      duration: 120,
      interToneGap: 80,
      transportType: (mode === 'rfc2833' ? 'RFC2833' : 'INFO') as DTMFOptions['transportType'],
    };
    live.session.sendDTMF(tone, options);
    this.updateCall(id, { dtmfSent: (live.call.dtmfSent + tone).slice(-24) });
  }

  /** Blind transfer: REFER to the target; once the other side accepts it, our leg hangs up. */
  transfer(id: string, target: string): void {
    const live = this.liveCall(id);
    if (live.call.state !== 'active') return;
    this.updateCall(id, { transfer: { target, state: 'sending', detail: null } });
    const fail = (detail: string) => this.updateCall(id, { transfer: { target, state: 'failed', detail } });
    try {
      live.session.refer(target, {
        eventHandlers: {
          requestSucceeded: () => {
            this.updateCall(id, { transfer: { target, state: 'accepted', detail: null } });
            live.localEnd = 'transferred';
            live.session.terminate();
          },
          requestFailed: (event: { response?: { status_code: number; reason_phrase: string }; cause?: string }) =>
            fail(event.response ? `${event.response.status_code} ${event.response.reason_phrase}` : String(event.cause ?? 'failed')),
        },
      });
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }

  private startStats(live: Live): void {
    if (live.statsTimer) return;
    const sample = async () => {
      const connection = live.session.connection;
      if (!connection || live.call.state !== 'active') return;
      const report = await connection.getStats().catch(() => null);
      if (!report) return;
      let levelIn = 0;
      let levelOut = 0;
      // The counters shown only grow: a stream the browser recreates mid-call (the caller's side switched its
      // source, or its SSRC) starts again from zero, and what the old one counted is kept.
      const count = (counters: Map<string, { base: number; last: number }>, key: string, value: number) => {
        const c = counters.get(key) ?? { base: 0, last: 0 };
        if (value < c.last) c.base += c.last;
        c.last = value;
        counters.set(key, c);
      };
      report.forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          count(live.packets.in, String(s.ssrc), Number(s.packetsReceived ?? 0));
          levelIn = Math.max(levelIn, Number(s.audioLevel ?? 0));
        } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
          count(live.packets.out, String(s.ssrc), Number(s.packetsSent ?? 0));
        } else if (s.type === 'media-source' && s.kind === 'audio') {
          levelOut = Math.max(levelOut, Number(s.audioLevel ?? 0));
        }
      });
      const sum = (m: Map<string, { base: number; last: number }>) => [...m.values()].reduce((a, c) => a + c.base + c.last, 0);
      const stats = { packetsIn: sum(live.packets.in), packetsOut: sum(live.packets.out), levelIn, levelOut };
      if (this.live.get(live.call.id) === live) this.updateCall(live.call.id, { stats });
    };
    live.statsTimer = setInterval(() => void sample(), statsIntervalMs);
    void sample();
  }

  /** Rings once on the ringer device, so the agent can check it. */
  testRinger(): void {
    if (this.ringer.ringing) return;
    this.ringer.start('ring');
    setTimeout(() => {
      if (![...this.live.values()].some((l) => l.call.state === 'ringing')) this.ringer.stop();
    }, 2500);
  }

  /** Stops the ringtone for calls still ringing (the agent silenced it); they keep ringing on screen. */
  silence(): void {
    this.ringer.stop();
  }
}

/** The one phone of this window: it outlives the desk screen, so moving to the call log does not drop a call. */
export const softphone = new Softphone();
