/**
 * IVR session ids: 96 random bits as 24 hex digits. One call event each, so they come from a pool filled 4 KiB
 * at a time: asking the CSPRNG for 12 bytes per call cost more than the rest of the id's handling.
 */
import { randomBytes } from 'node:crypto';

const idBytes = 12;
let pool = Buffer.alloc(0);
let offset = 0;

export function newSessionId(): string {
  if (offset + idBytes > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + idBytes);
  offset += idBytes;
  return id;
}
