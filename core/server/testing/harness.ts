/**
 * Starts a real core (file-backed store in a temp dir, HTTP + WebSocket on
 * 127.0.0.1, random port) and gives tests a typed WebSocket client.
 */
import WebSocket from 'ws';
import type { ApiErrorBody, CommandArgs, CommandName, CommandResult, EventName, EventPayload, ServerMessage } from '../../api';
import { ManualClock } from '../../clock';
import { memoryLogger } from '../../logger';
import { tempDir } from '../../store/testing/temp-dir';
import { startApp, type RunningApp } from '../app';

export class CommandFailed extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}

export class TestClient {
  private nextId = 1;
  private readonly pending = new Map<number, (m: ServerMessage) => void>();
  readonly events: { name: string; payload: unknown }[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'event') this.events.push({ name: message.name, payload: message.payload });
      else this.pending.get(message.id)?.(message);
    });
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new TestClient(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  /** Sends anything, for tests of malformed input. */
  raw(message: unknown): Promise<ServerMessage> {
    const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : 0;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    });
  }

  async send<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
    const id = this.nextId++;
    const reply = await new Promise<ServerMessage>((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ type: 'command', id, name, args }));
    });
    if (reply.type !== 'result') throw new Error('unexpected reply');
    if (!reply.ok) throw new CommandFailed(reply.error);
    return reply.result as CommandResult<N>;
  }

  /** The error a command fails with; fails the test if it succeeds. */
  async error<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<ApiErrorBody> {
    try {
      await this.send(name, args);
    } catch (error) {
      if (error instanceof CommandFailed) return error.body;
      throw error;
    }
    throw new Error(`${name} unexpectedly succeeded`);
  }

  subscribe(...events: EventName[]): void {
    this.socket.send(JSON.stringify({ type: 'subscribe', events }));
  }

  async nextEvent<N extends EventName>(name: N, timeoutMs = 2000): Promise<EventPayload<N>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex((e) => e.name === name);
      if (index >= 0) return this.events.splice(index, 1)[0]!.payload as EventPayload<N>;
      if (Date.now() > deadline) throw new Error(`no ${name} event within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}

export interface Harness {
  app: RunningApp;
  clock: ManualClock;
  dataDir: string;
  socketUrl: string;
  adminPassword: string;
  /** The HTTP origin of the console and the network API. */
  readonly url: string;
  logger: ReturnType<typeof memoryLogger>;
  client(): Promise<TestClient>;
  /** A client signed in as the initial admin, after the forced password change. */
  admin(): Promise<TestClient>;
  /** Creates an operator with a role and returns a client signed in as them (password already changed). */
  operator(username: string, roleId: number): Promise<{ client: TestClient; id: number; password: string }>;
  /** Calls the network API with the test token (or the given headers). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the endpoint answers
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Waits until the SMS dispatcher has sent everything due. */
  settle(): Promise<void>;
  /** What the virtual handsets received, oldest first. */
  inbox(to?: string): Promise<{ id: number; from: string; to: string; text: string; encoding: string; parts: number; at: number }[]>;
  /** replayJournal: stop without the closing snapshot, so the next start replays the journal as after a crash. */
  restart(options?: { replayJournal?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export const networkToken = 'test-network-token-0123456789';

export const strongPassword = 'Correct-Horse-42';

/** staticDir: serve the built console too (e2e tests that drive it in Chromium with the test clock). */
export async function startHarness(options: { dataDir?: string; staticDir?: string } = {}): Promise<Harness> {
  const temp = options.dataDir ? null : tempDir('reachback-api-');
  const dataDir = options.dataDir ?? temp!.dir;
  const clock = new ManualClock(Date.UTC(2026, 10, 25, 9, 0, 0));
  const logger = memoryLogger();
  const launchKey = 'test-launch-key-0123456789';
  const start = () =>
    startApp({
      dataDir,
      host: '127.0.0.1',
      port: 0,
      version: 'test',
      launchKey,
      clock,
      logger,
      networkToken,
      strictStore: true,
      staticDir: options.staticDir,
    });
  let app = await start();
  const initial = app.core.initialAdmin;
  if (!initial) throw new Error('expected a first start');
  let adminPassword = initial.password;
  const clients: TestClient[] = [];

  const harness: Harness = {
    get app() {
      return app;
    },
    clock,
    dataDir,
    logger,
    get url() {
      return app.http.url;
    },
    get socketUrl() {
      return `${app.http.url.replace('http', 'ws')}/ws?key=${launchKey}`;
    },
    get adminPassword() {
      return adminPassword;
    },
    async client() {
      const c = await TestClient.connect(harness.socketUrl);
      clients.push(c);
      return c;
    },
    async admin() {
      const c = await harness.client();
      const { me } = await c.send('session/login', { username: 'admin', password: adminPassword });
      if (me.mustChangePassword) {
        await c.send('session/change-password', { currentPassword: adminPassword, newPassword: strongPassword });
        adminPassword = strongPassword;
      }
      return c;
    },
    async operator(username, roleId) {
      const admin = await harness.admin();
      const { operator, oneTimePassword } = await admin.send('operators/create', { username, displayName: username, roleId });
      const c = await harness.client();
      await c.send('session/login', { username, password: oneTimePassword });
      await c.send('session/change-password', { currentPassword: oneTimePassword, newPassword: strongPassword });
      return { client: c, id: operator.id, password: strongPassword };
    },
    async api(method, path, body, headers) {
      const init: RequestInit = {
        method,
        headers: {
          authorization: `Bearer ${networkToken}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      };
      if (body !== undefined) init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
      const res = await fetch(`${app.http.url}${path}`, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      await harness.settle();
      return { status: res.status, body: parsed };
    },
    async settle() {
      const dispatcher = app.core.services.engine.dispatcher;
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setImmediate(r));
        dispatcher.kick();
        await dispatcher.idle();
      }
    },
    async inbox(to) {
      const { body } = await harness.api('GET', `/api/v1/virtual-smsc/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`);
      return (body as { messages: Awaited<ReturnType<Harness['inbox']>> }).messages;
    },
    async restart(options = {}) {
      for (const c of clients.splice(0)) c.close();
      await app.stop({ snapshot: !options.replayJournal });
      app = await start();
    },
    async stop() {
      for (const c of clients.splice(0)) c.close();
      await app.stop();
      temp?.cleanup();
    },
  };
  return harness;
}
