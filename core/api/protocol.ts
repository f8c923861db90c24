/** Wire messages on the console WebSocket (JSON text frames). */
import type { ApiErrorBody } from './errors';

export type ClientMessage =
  | { type: 'command'; id: number; name: string; args: unknown }
  | { type: 'subscribe'; events: string[] }
  | { type: 'unsubscribe'; events: string[] };

export type ServerMessage =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: ApiErrorBody }
  | { type: 'event'; name: string; payload: unknown };

/** Path of the console WebSocket; the launch key goes in the `key` query parameter. */
export const consoleSocketPath = '/ws';
/** Largest client frame accepted, in bytes. */
export const maxClientFrameBytes = 256 * 1024;
