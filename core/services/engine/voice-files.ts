/**
 * Recordings kept as files in voice/ beside the database (callers' voice messages and subscribers' greetings), not
 * as blobs in the in-memory database: checked before anything is written, fsynced, and removed only after the
 * transaction that stops referring to them has committed.
 */
import { mkdirSync, promises as fs } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../api';
import { fsyncDir } from '../../store/files';
import type { EngineDeps } from './deps';

export const maxRecordingBytes = 8 * 1024 * 1024;

/** Where the media server fetches each recording (network API paths, bearer-token auth). */
export const voiceAudioPath = (callId: number): string => `/api/v1/voice-messages/${callId}`;
export const greetingAudioPath = (msisdn: string): string => `/api/v1/subscribers/${encodeURIComponent(msisdn)}/greeting`;
export const sessionRecordingPath = (session: string): string => `/api/v1/ivr/${session}/recording`;

/** Reads a WAV header: the duration in ms, or null when it is not a PCM/A-law/µ-law WAV file. */
function wavDurationMs(bytes: Buffer): number | null {
  if (bytes.length < 44 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return null;
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') byteRate = bytes.readUInt32LE(offset + 16);
    if (id === 'data') return byteRate ? Math.round((Math.min(size, bytes.length - offset - 8) * 1000) / byteRate) : null;
    offset += 8 + size + (size % 2);
  }
  return null;
}

/** Refuses an upload that is not a WAV recording (or is longer than `maxDurationMs`); its duration in ms. */
export function checkRecording(bytes: Buffer, maxDurationMs = Infinity): number {
  if (bytes.length > maxRecordingBytes)
    throw new ApiError('validation', `The recording is larger than ${maxRecordingBytes / 1024 / 1024} MiB`, { field: 'body' });
  const durationMs = wavDurationMs(bytes);
  if (durationMs === null)
    throw new ApiError('validation', 'The recording must be a WAV file (RIFF/WAVE with fmt and data chunks)', { field: 'body' });
  if (durationMs > maxDurationMs)
    throw new ApiError('validation', `The recording lasts ${durationMs / 1000} s; at most ${maxDurationMs / 1000} s is allowed`, {
      field: 'body',
    });
  return durationMs;
}

/** Writes a recording under `name` in voice/ and makes it durable before the database refers to it. */
export async function writeVoiceFile(deps: EngineDeps, name: string, bytes: Buffer): Promise<void> {
  mkdirSync(deps.voiceDir, { recursive: true });
  const handle = await fs.open(path.join(deps.voiceDir, path.basename(name)), 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(deps.voiceDir);
}

export function readVoiceFile(deps: EngineDeps, name: string): Promise<Buffer> {
  return readFile(path.join(deps.voiceDir, path.basename(name)));
}

/** Removes recordings nothing refers to any more; call it after the commit that let go of them. */
export async function removeVoiceFiles(deps: EngineDeps, files: string[]): Promise<void> {
  for (const file of files) {
    await rm(path.join(deps.voiceDir, path.basename(file)), { force: true }).catch((e: Error) =>
      deps.logger.warn('could not remove a deleted recording', { file, error: e.message }),
    );
  }
}
