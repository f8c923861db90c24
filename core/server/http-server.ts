/**
 * One HTTP server on one port: the console's files, the console WebSocket,
 * and the network API (health now; the network elements' API joins here).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from '../adapters/network-api/http-io';
import { handleNetworkApi } from '../adapters/network-api/router';
import { consoleSocketPath } from '../api';
import type { Core } from './core';
import { ConsoleSocket } from './console-socket';
import { serveStatic } from './static-files';

export interface HttpOptions {
  host: string;
  port: number;
  /** Folder with the built console; without it only the APIs are served. */
  staticDir?: string;
  /** Fixed launch key (tests); a random one per launch otherwise. */
  launchKey?: string;
}

export interface RunningServer {
  server: Server;
  /** Base address, e.g. http://127.0.0.1:8470 */
  url: string;
  /** The console address including the launch key. */
  consoleUrl: string;
  launchKey: string;
  close(): Promise<void>;
}

export async function startHttpServer(core: Core, options: HttpOptions): Promise<RunningServer> {
  const launchKey = options.launchKey ?? randomBytes(24).toString('base64url');
  const consoleSocket = new ConsoleSocket(core.services, launchKey);
  let ownOrigins: string[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      void handleNetworkApi(req, res, core.services).then((handled) => {
        if (!handled) sendJson(res, 404, { error: { code: 'not_found', message: `No API endpoint ${req.method} ${url.pathname}` } });
      });
      return;
    }
    if (options.staticDir && serveStatic(options.staticDir, req, res)) return;
    sendJson(res, 404, { error: { code: 'not_found', message: `Nothing at ${url.pathname}` } });
  });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === consoleSocketPath) consoleSocket.handleUpgrade(req, socket, head, ownOrigins);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`;
  ownOrigins = [url, `http://localhost:${port}`, `http://127.0.0.1:${port}`];
  core.services.logger.info('listening', { url, host: options.host, port });

  return {
    server,
    url,
    consoleUrl: `${url}/?key=${launchKey}`,
    launchKey,
    close: async () => {
      consoleSocket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
