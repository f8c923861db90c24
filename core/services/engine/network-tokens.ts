/**
 * Bearer tokens for network elements (MSC/IVR, HLR gateway, SMSC gateway).
 * Only a hash is stored; the token is shown once when created.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ApiError } from '../../api';
import type { NetworkTokenInfo } from '../../api/engine-types';
import type { Schema } from '../../store/schema';
import type { Trx } from './deps';

export type NetworkToken = NetworkTokenInfo;

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

export function newTokenValue(): string {
  return `rbk_${randomBytes(30).toString('base64url')}`;
}

export async function createToken(
  trx: Trx,
  name: string,
  token: string,
  source: NetworkToken['source'],
  at: number,
): Promise<NetworkToken> {
  const result = await trx
    .insertInto('network_tokens')
    .values({ name, token_hash: hash(token), hint: token.slice(-4), source, created_at: at, revoked_at: null })
    .executeTakeFirstOrThrow();
  return { id: Number(result.insertId), name, hint: token.slice(-4), source, createdAt: at, revokedAt: null };
}

/**
 * Registers a token given outside the console (REACHBACK_NETWORK_TOKEN or the
 * config file), once: a token revoked in the console stays revoked.
 */
export async function ensureFixedToken(
  trx: Trx,
  fixed: { name: string; token: string; source: 'environment' | 'file' },
  at: number,
): Promise<boolean> {
  if (fixed.token.length < 16) throw new Error(`${fixed.name}: a network token must be at least 16 characters`);
  const existing = await trx.selectFrom('network_tokens').select('id').where('token_hash', '=', hash(fixed.token)).executeTakeFirst();
  if (existing) return false;
  await createToken(trx, fixed.name, fixed.token, fixed.source, at);
  return true;
}

export async function listTokens(db: Kysely<Schema> | Trx): Promise<NetworkToken[]> {
  const rows = await db.selectFrom('network_tokens').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    hint: r.hint,
    source: r.source as NetworkToken['source'],
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  }));
}

export async function revokeToken(trx: Trx, id: number, at: number): Promise<NetworkToken> {
  const row = await trx.selectFrom('network_tokens').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('not_found', `There is no network token with id ${id}`, { field: 'id' });
  await trx.updateTable('network_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  return (await listTokens(trx)).find((t) => t.id === id)!;
}

/** The token's name when it is valid and not revoked. */
export async function verifyToken(db: Kysely<Schema>, token: string): Promise<string | null> {
  const key = hash(token);
  const known = validTokens.get(db);
  if (known) return known.get(key) ?? null;
  // Every network request is checked: keep the valid tokens in memory, reloaded after any change.
  const rows = await db.selectFrom('network_tokens').select(['name', 'token_hash']).where('revoked_at', 'is', null).execute();
  const loaded = new Map(rows.map((r) => [r.token_hash, r.name]));
  validTokens.set(db, loaded);
  return loaded.get(key) ?? null;
}

const validTokens = new WeakMap<Kysely<Schema>, Map<string, string>>();

/** Called after a token is created or revoked (once the change is durable). */
export function forgetValidTokens(db: Kysely<Schema>): void {
  validTokens.delete(db);
}
