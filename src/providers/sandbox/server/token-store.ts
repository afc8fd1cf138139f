import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { randomToken, sha256b64url } from '../../../util/random.js';

/**
 * Sandbox tokens are stored as SHA-256 hashes only. Every token issued from one authorization
 * shares a `family`, so a replayed code or refresh token can revoke all of them at once.
 */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  refresh_token: string;
}

/** Refresh tokens die six months after the original consent; refreshing does not extend that. */
export const REFRESH_LIFETIME_MS = 183 * 24 * 3600 * 1000;

/** The family of the tokens issued from an authorization code, derivable from the code alone. */
export function familyOfCode(codeHash: string): string {
  return sha256b64url(`family:${codeHash}`);
}

export async function issueTokens(
  db: Kysely<Database>,
  grant: { family: string; username: string; clientId: string; scope: string; refreshExpiresAt: number | null },
  ttlSeconds: number,
  now: number,
): Promise<TokenResponse> {
  const access = randomToken();
  const refresh = randomToken();
  const common = {
    family: grant.family,
    username: grant.username,
    client_id: grant.clientId,
    scope: grant.scope,
    revoked: 0,
    created_at: now,
  };
  await db
    .insertInto('sandbox_tokens')
    .values([
      { ...common, token_hash: sha256b64url(access), kind: 'access', expires_at: now + ttlSeconds * 1000 },
      { ...common, token_hash: sha256b64url(refresh), kind: 'refresh', expires_at: grant.refreshExpiresAt },
    ])
    .execute();
  return { access_token: access, token_type: 'Bearer', scope: grant.scope, expires_in: ttlSeconds, refresh_token: refresh };
}

export async function revokeFamily(db: Kysely<Database>, family: string): Promise<void> {
  await db.updateTable('sandbox_tokens').set({ revoked: 1 }).where('family', '=', family).where('revoked', '=', 0).execute();
}
