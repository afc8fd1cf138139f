import type { Selectable } from 'kysely';
import type { Db } from '../../db/index.js';
import type { ApiKeyTable } from '../../db/schema-api.js';
import { base62Id, randomToken, safeEqual, sha256b64url } from '../../util/random.js';
import { isApiScope, type ApiScope } from '../scopes.js';

/**
 * THE ONLY WRITER of `api_keys`. A key reads `ddk_<8 base62>_<43 base64url>`: the first part (the
 * prefix) is stored in clear to find the row and to show in lists; the whole key is stored only as
 * its SHA-256, compared in constant time. The key is shown once, when made.
 */
export const KEY_PREFIX = 'ddk_';
const KEY_SHAPE = /^ddk_([0-9A-Za-z]{8})_([A-Za-z0-9_-]{43})$/;

export interface ApiKey {
  id: number;
  workspaceId: number;
  prefix: string;
  name: string;
  scopes: ApiScope[];
  createdVia: string;
  createdByUserId: number | null;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  const scopes = (JSON.parse(row.scopes) as unknown[]).filter(isApiScope);
  return {
    id: Number(row.id),
    workspaceId: Number(row.workspace_id),
    prefix: row.prefix,
    name: row.name,
    scopes,
    createdVia: row.created_via,
    createdByUserId: row.created_by_user_id === null ? null : Number(row.created_by_user_id),
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export interface NewApiKey {
  workspaceId: number;
  name: string;
  scopes: readonly ApiScope[];
  expiresAt: number | null;
  createdByUserId: number | null;
  createdVia: 'settings' | 'cli' | 'api';
}

/** Makes a key; `secret` is the whole key, returned this once and never stored. */
export async function createApiKey(db: Db, input: NewApiKey, now: number): Promise<{ key: ApiKey; secret: string }> {
  const prefix = `${KEY_PREFIX}${base62Id(8)}`;
  const secret = `${prefix}_${randomToken(32)}`;
  const row = await db
    .insertInto('api_keys')
    .values({
      workspace_id: input.workspaceId,
      prefix,
      secret_hash: sha256b64url(secret),
      name: input.name,
      scopes: JSON.stringify([...new Set(input.scopes)].sort()),
      created_by_user_id: input.createdByUserId,
      created_via: input.createdVia,
      created_at: now,
      expires_at: input.expiresAt,
      last_used_at: null,
      revoked_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { key: toApiKey(row), secret };
}

export async function listApiKeys(db: Db, workspaceId: number): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiKey);
}

export async function findApiKey(db: Db, workspaceId: number, prefix: string): Promise<ApiKey | null> {
  const row = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('prefix', '=', prefix)
    .executeTakeFirst();
  return row ? toApiKey(row) : null;
}

/** Revokes at once (idempotent: a revoked key keeps its first revocation time). */
export async function revokeApiKey(db: Db, workspaceId: number, prefix: string, now: number): Promise<ApiKey | null> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('prefix', '=', prefix)
    .where('revoked_at', 'is', null)
    .execute();
  return findApiKey(db, workspaceId, prefix);
}

export type KeyCheck = { ok: true; key: ApiKey } | { ok: false; reason: 'malformed' | 'unknown' | 'revoked' | 'expired' };

/** Who a presented key is. Unknown and wrong-secret answers look the same to the caller. */
export async function authenticateApiKey(db: Db, presented: string, now: number): Promise<KeyCheck> {
  const m = KEY_SHAPE.exec(presented);
  if (!m) return { ok: false, reason: 'malformed' };
  const row = await db.selectFrom('api_keys').selectAll().where('prefix', '=', `${KEY_PREFIX}${m[1]}`).executeTakeFirst();
  if (!row || !safeEqual(row.secret_hash, sha256b64url(presented))) return { ok: false, reason: 'unknown' };
  const key = toApiKey(row);
  if (key.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, key };
}

/**
 * Records use, at most once a minute per key (one small write, not one per request): the list shows
 * "last used" to the minute.
 */
export async function touchApiKey(db: Db, key: ApiKey, now: number): Promise<void> {
  if (key.lastUsedAt !== null && now - key.lastUsedAt < 60_000) return;
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', key.id).execute();
}

/** One page of a workspace's keys, newest first (`GET /api/v1/keys`). */
export async function pageApiKeys(
  db: Db,
  workspaceId: number,
  limit: number,
  after: { createdAt: number; id: number } | null,
): Promise<ApiKey[]> {
  let q = db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId);
  if (after) {
    q = q.where((eb) =>
      eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
    );
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toApiKey);
}
