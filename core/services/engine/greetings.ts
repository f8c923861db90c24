/**
 * The subscriber's personal greeting ("the local owner's message"): recorded in a self-care call, where the media
 * server uploads it to the call's session and the subscriber hears it back before keeping it; played to callers
 * before the menu; deleted by self-care or from the console. The audio is a file in voice/ like voice messages;
 * every function that lets go of one returns its name, for the caller to remove once the transaction committed.
 */
import { ApiError } from '../../api';
import { maxRecordingMs } from '../../domain/ivr';
import type { SelfcareState } from '../../domain/selfcare-ivr';
import type { EngineDeps, Trx } from './deps';
import { newSessionId } from './session-ids';
import { checkRecording, readVoiceFile, removeVoiceFiles, writeVoiceFile } from './voice-files';

export interface GreetingInfo {
  recordedAt: number;
  durationMs: number;
}

/** The subscriber's greeting columns, read together wherever the greeting is. */
export const greetingColumns = ['greeting_file', 'greeting_ms', 'greeting_at'] as const;

/** A greeting older than this in a session the media server never ended is dropped (the call is gone). */
const abandonedRecordingMs = 3_600_000;

export function greetingOf(row: {
  greeting_file: string | null;
  greeting_ms: number | null;
  greeting_at: number | null;
}): GreetingInfo | null {
  return row.greeting_file ? { recordedAt: Number(row.greeting_at), durationMs: row.greeting_ms ?? 0 } : null;
}

/** Refuses a greeting upload unless the self-care call is at its recording step. */
function checkRecordingStep(state: string): void {
  if ((JSON.parse(state) as SelfcareState).step !== 'greeting-record')
    throw new ApiError('conflict', 'This self-care call is not recording a greeting; press 6, then 2, first', { field: 'session' });
}

/** Keeps a greeting uploaded during a self-care call's recording step (the session as found); it waits there until kept. */
export async function storeGreetingRecording(
  deps: EngineDeps,
  found: { session: string; state: string },
  bytes: Buffer,
): Promise<{ durationMs: number }> {
  const { session } = found;
  checkRecordingStep(found.state);
  const durationMs = checkRecording(bytes, maxRecordingMs);
  // A new name each time: the recording must not overwrite the greeting callers hear until it is kept.
  const file = `greeting-${newSessionId()}.wav`;
  await writeVoiceFile(deps, file, bytes);
  let replaced: string | null;
  try {
    // The dialogue may have moved on (a hang-up) while the file was written.
    replaced = await deps.store.write(async (trx) => {
      const row = await trx
        .selectFrom('selfcare_sessions')
        .select(['state', 'greeting_file'])
        .where('session', '=', session)
        .executeTakeFirst();
      if (!row) throw new ApiError('not_found', `There is no IVR session ${session}`, { field: 'session' });
      checkRecordingStep(row.state);
      await trx
        .updateTable('selfcare_sessions')
        .set({ greeting_file: file, greeting_ms: durationMs })
        .where('session', '=', session)
        .execute();
      return row.greeting_file;
    });
  } catch (error) {
    await removeVoiceFiles(deps, [file]);
    throw error;
  }
  if (replaced) await removeVoiceFiles(deps, [replaced]);
  return { durationMs };
}

/** The greeting recorded in a self-care call and not kept yet, for the media server to play it back. */
export async function sessionRecordingAudio(deps: EngineDeps, session: string): Promise<Buffer> {
  const row = await deps.store.db.selectFrom('selfcare_sessions').select('greeting_file').where('session', '=', session).executeTakeFirst();
  if (!row) {
    const call = await deps.store.db.selectFrom('calls').select('id').where('session', '=', session).executeTakeFirst();
    if (call)
      throw new ApiError('not_found', `A caller's voice message is played from /api/v1/voice-messages/${call.id}`, { field: 'session' });
    throw new ApiError('not_found', `There is no IVR session ${session}`, { field: 'session' });
  }
  if (!row.greeting_file)
    throw new ApiError('not_found', 'No greeting is waiting in this call: none was uploaded, or it was kept or dropped', {
      field: 'session',
    });
  return readVoiceFile(deps, row.greeting_file);
}

/** The subscriber's greeting as callers hear it. */
export async function greetingAudio(deps: EngineDeps, msisdn: string): Promise<{ audio: Buffer } & GreetingInfo> {
  const row = await deps.store.db
    .selectFrom('subscribers')
    .select(greetingColumns)
    .where('msisdn', '=', msisdn)
    .where('state', '!=', 'cancelled')
    .executeTakeFirst();
  if (!row) throw new ApiError('not_found', `${msisdn} is not a subscriber`, { field: 'msisdn' });
  const info = greetingOf(row);
  if (!info) throw new ApiError('not_found', `${msisdn} has no personal greeting`, { field: 'msisdn' });
  return { audio: await readVoiceFile(deps, row.greeting_file!), ...info };
}

/**
 * The greeting recorded in a self-care call (its session row, read in this transaction) replaces the subscriber's;
 * returns the file it replaced. The caller clears the session's recording.
 */
export async function keepGreeting(
  trx: Trx,
  recorded: { greeting_file: string | null; greeting_ms: number | null },
  msisdn: string,
  at: number,
): Promise<string | null> {
  const replaced = await trx.selectFrom('subscribers').select('greeting_file').where('msisdn', '=', msisdn).executeTakeFirst();
  await trx
    .updateTable('subscribers')
    .set({ greeting_file: recorded.greeting_file, greeting_ms: recorded.greeting_ms, greeting_at: at, updated_at: at })
    .where('msisdn', '=', msisdn)
    .execute();
  return replaced?.greeting_file ?? null;
}

/** Self-care greetings the media server abandoned (no hang-up came within the hour): their sessions end, their files are returned. */
export async function dropAbandonedRecordings(trx: Trx, now: number): Promise<string[]> {
  const unkept = await trx
    .selectFrom('selfcare_sessions')
    .select(['session', 'greeting_file'])
    .where('ended_at', 'is', null)
    .where('greeting_file', 'is not', null)
    .where('started_at', '<', now - abandonedRecordingMs)
    .execute();
  if (!unkept.length) return [];
  await trx
    .updateTable('selfcare_sessions')
    .set({ greeting_file: null, greeting_ms: null, ended_at: now })
    .where(
      'session',
      'in',
      unkept.map((u) => u.session),
    )
    .execute();
  return unkept.map((u) => u.greeting_file!);
}

/** Removes the subscriber's greeting; what it was (for the audit) and its file, or null when there was none. */
export async function deleteGreeting(trx: Trx, msisdn: string, at: number): Promise<({ file: string } & GreetingInfo) | null> {
  const row = await trx.selectFrom('subscribers').select(greetingColumns).where('msisdn', '=', msisdn).executeTakeFirst();
  const info = row ? greetingOf(row) : null;
  if (!info) return null;
  await trx
    .updateTable('subscribers')
    .set({ greeting_file: null, greeting_ms: null, greeting_at: null, updated_at: at })
    .where('msisdn', '=', msisdn)
    .execute();
  return { file: row!.greeting_file!, ...info };
}
