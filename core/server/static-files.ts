/** Serves the built console (dist/renderer) with safe paths, content types and security headers. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
};

/**
 * The console needs inline styles (emotion), its own WebSocket, and the agent desk's SIP WebSocket server, which
 * each agent names in their phone settings (any ws:// or wss:// host); nothing else.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = new URL(req.url ?? '/', 'http://localhost');
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  if (relative.endsWith('/')) relative += 'index.html';
  const file = path.resolve(root, '.' + relative);
  if (!file.startsWith(path.resolve(root) + path.sep)) return false;
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  const ext = path.extname(file);
  res.writeHead(200, {
    'Content-Type': contentTypes[ext] ?? 'application/octet-stream',
    'Content-Length': statSync(file).size,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Hashed asset names can be cached; the page itself must not be, so a new build is picked up.
    'Cache-Control': relative.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    ...(ext === '.html' ? { 'Content-Security-Policy': consoleContentSecurityPolicy, 'X-Frame-Options': 'DENY' } : {}),
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
  return true;
}
