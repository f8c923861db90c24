/**
 * The console's one typed way to talk to the core: `send(name, args)` for
 * commands and `listen(event, cb)` for pushed events, over the core's
 * WebSocket. Identical in Electron and in a browser: both load the console
 * from the core's own HTTP server with the launch key in the URL.
 */
import type { ApiErrorBody, CommandArgs, CommandName, CommandResult, EventName, EventPayload, ServerMessage } from '../../core/api';
import { consoleSocketPath } from '../../core/api/protocol';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'no-key';

/** A command failure as the core reported it. `code` selects the translated message. */
export class CommandError extends Error {
  readonly code: ApiErrorBody['code'];
  readonly field?: string;
  readonly params?: Record<string, string | number>;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'CommandError';
    this.code = body.code;
    this.field = body.field;
    this.params = body.params;
  }
}

const launchKeyStorage = 'reachback.launchKey';

/** Reads the launch key from `?key=`, keeps it for reloads and removes it from the address bar. */
export function takeLaunchKey(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('key');
  if (fromUrl) {
    sessionStorage.setItem(launchKeyStorage, fromUrl);
    url.searchParams.delete('key');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(launchKeyStorage);
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

type Listener = (payload: unknown) => void;

export class CoreClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private retryMs = 500;
  private everConnected = false;
  private closed = false;
  state: ConnectionState = 'connecting';

  constructor(private readonly key: string | null) {
    if (!key) this.setState('no-key');
    else this.connect();
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const cb of this.stateListeners) cb(state);
  }

  private connect(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${window.location.host}${consoleSocketPath}?key=${encodeURIComponent(this.key ?? '')}`;
    this.setState('connecting');
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      this.setState('connected');
      const events = [...this.listeners.keys()];
      if (events.length) socket.send(JSON.stringify({ type: 'subscribe', events }));
      if (this.everConnected) for (const cb of this.reconnectListeners) cb();
      this.everConnected = true;
    };
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onclose = () => {
      this.socket = null;
      for (const [, p] of this.pending) p.reject(new CommandError({ code: 'unavailable', message: 'Connection to the core was lost' }));
      this.pending.clear();
      if (this.closed) return;
      this.setState('disconnected');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as ServerMessage;
    if (message.type === 'event') {
      for (const cb of this.listeners.get(message.name) ?? []) cb(message.payload);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(new CommandError(message.error));
  }

  send<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new CommandError({ code: 'unavailable', message: 'Not connected to the core' }));
    }
    const id = this.nextId++;
    return new Promise<CommandResult<N>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify({ type: 'command', id, name, args }));
    });
  }

  listen<N extends EventName>(name: N, callback: (payload: EventPayload<N>) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'subscribe', events: [name] }));
    }
    const listener = callback as Listener;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  onState(callback: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(callback);
    return () => this.stateListeners.delete(callback);
  }

  /** Called after the socket comes back, so the session can be resumed on the new connection. */
  onReconnect(callback: () => void): () => void {
    this.reconnectListeners.add(callback);
    return () => this.reconnectListeners.delete(callback);
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
