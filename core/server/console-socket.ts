/**
 * The console's WebSocket: commands in, results and events out. A client
 * must present the per-launch key, and a browser must come from our own
 * origin, so other local programs and web pages cannot drive the core.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { events, isEventName, maxClientFrameBytes, type ClientMessage, type EventName, type ServerMessage } from '../api';
import type { CoreServices } from '../services/context';
import type { Published } from '../services/event-bus';
import { loadActor } from '../services/access/auth';
import { dispatch, toErrorBody, type Caller } from './dispatch';

interface Connection extends Caller {
  socket: WebSocket;
  subscriptions: Set<EventName>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ConsoleSocket {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: maxClientFrameBytes });
  private readonly connections = new Set<Connection>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly services: CoreServices,
    private readonly launchKey: string,
  ) {
    this.unsubscribe = services.bus.subscribe((event) => this.broadcast(event));
    services.connectionCount = () => this.connections.size;
  }

  /** Handles an HTTP upgrade on the console path; refuses with 401/403 before the handshake. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ownOrigins: string[]): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = url.searchParams.get('key') ?? '';
    const origin = req.headers.origin;
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      this.services.logger.warn('console connection refused', { status, remote: req.socket.remoteAddress, origin });
    };
    if (!sameSecret(key, this.launchKey)) return refuse(401, 'Unauthorized');
    if (origin !== undefined && !ownOrigins.includes(origin)) return refuse(403, 'Forbidden');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
  }

  private accept(socket: WebSocket, req: IncomingMessage): void {
    const connection: Connection = {
      socket,
      sessionId: null,
      origin: `console ${req.socket.remoteAddress ?? '?'}`,
      permissions: new Set(),
      subscriptions: new Set(),
    };
    this.connections.add(connection);
    socket.on('message', (data, isBinary) => {
      if (isBinary)
        return this.send(connection, { type: 'result', id: 0, ok: false, error: { code: 'validation', message: 'Send JSON text frames' } });
      void this.receive(connection, String(data));
    });
    socket.on('close', () => this.connections.delete(connection));
    socket.on('error', (error) => this.services.logger.warn('console socket error', { error: error.message }));
  }

  private async receive(connection: Connection, text: string): Promise<void> {
    let message: ClientMessage;
    try {
      message = JSON.parse(text) as ClientMessage;
    } catch {
      return this.send(connection, {
        type: 'result',
        id: 0,
        ok: false,
        error: { code: 'validation', message: 'The message is not valid JSON' },
      });
    }
    if (message?.type === 'subscribe' || message?.type === 'unsubscribe') {
      for (const name of Array.isArray(message.events) ? message.events : []) {
        if (!isEventName(name)) continue;
        if (message.type === 'subscribe') connection.subscriptions.add(name);
        else connection.subscriptions.delete(name);
      }
      return;
    }
    if (message?.type !== 'command' || typeof message.id !== 'number' || typeof message.name !== 'string') {
      return this.send(connection, {
        type: 'result',
        id: 0,
        ok: false,
        error: { code: 'validation', message: 'Expected {type:"command", id, name, args}' },
      });
    }
    try {
      const result = await dispatch(this.services, connection, message.name, message.args);
      this.send(connection, { type: 'result', id: message.id, ok: true, result });
    } catch (error) {
      this.send(connection, { type: 'result', id: message.id, ok: false, error: toErrorBody(this.services, error, message.name) });
    }
  }

  private send(connection: Connection, message: ServerMessage): void {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message));
  }

  private broadcast(event: Published): void {
    if (event.name === 'roles/changed' || event.name === 'operators/changed') void this.refreshPermissions();
    const access = events[event.name].access;
    for (const connection of this.connections) {
      if (!connection.sessionId) continue;
      if (event.sessions) {
        // Targeted session notices always reach their connection.
        if (!event.sessions.includes(connection.sessionId)) continue;
        this.send(connection, { type: 'event', name: event.name, payload: event.payload });
        if (event.name === 'session/ended') this.signOut(connection);
        continue;
      }
      if (!connection.subscriptions.has(event.name)) continue;
      if (!this.services.sessions.isLive(connection.sessionId)) {
        this.send(connection, { type: 'event', name: 'session/ended', payload: { reason: 'expired' } });
        this.signOut(connection);
        continue;
      }
      if (access !== 'signed-in' && access !== 'public' && !connection.permissions.has(access)) continue;
      this.send(connection, { type: 'event', name: event.name, payload: event.payload });
    }
  }

  private signOut(connection: Connection): void {
    connection.sessionId = null;
    connection.permissions = new Set();
  }

  /** Role or operator changes can take rights away: reload what each connection may receive. */
  private async refreshPermissions(): Promise<void> {
    for (const connection of this.connections) {
      const sessionId = connection.sessionId;
      if (!sessionId) continue;
      const operatorId = this.services.sessions.operatorOf(sessionId);
      const actor = operatorId === null ? null : await loadActor(this.services, operatorId);
      if (connection.sessionId !== sessionId) continue;
      if (!actor) this.signOut(connection);
      else connection.permissions = actor.mustChangePassword ? new Set() : actor.permissions;
    }
  }

  get size(): number {
    return this.connections.size;
  }

  close(): void {
    this.unsubscribe();
    for (const c of this.connections) c.socket.close(1001, 'Reachback is shutting down');
    this.wss.close();
  }
}
