import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../db/index.js';
import { sha256b64url } from '../../../util/random.js';
import { apiError } from './errors.js';

export interface SandboxUser {
  username: string;
  clientId: string;
  /** Space-separated granted scopes. */
  scope: string;
}

function unauthorized(reply: FastifyReply, message: string): FastifyReply {
  reply.header('www-authenticate', `Bearer realm="sandbox", error="invalid_token", error_description="${message}"`);
  return apiError(reply, 401, message);
}

/**
 * Checks `Authorization: Bearer <access token>`. Returns the user, or undefined after answering
 * 401 with Spotify's message for the case (missing, unknown or revoked, expired).
 */
export async function authenticate(db: Db, now: number, request: FastifyRequest, reply: FastifyReply): Promise<SandboxUser | undefined> {
  const header = request.headers.authorization?.trim() ?? '';
  if (header === '' || /^Bearer$/i.test(header)) {
    unauthorized(reply, 'No token provided');
    return undefined;
  }
  const token = /^Bearer +(\S+)$/i.exec(header)?.[1];
  if (!token) {
    unauthorized(reply, 'Invalid access token');
    return undefined;
  }
  const row = await db
    .selectFrom('sandbox_tokens')
    .select(['username', 'client_id', 'scope', 'expires_at', 'revoked'])
    .where('token_hash', '=', sha256b64url(token))
    .where('kind', '=', 'access')
    .executeTakeFirst();
  if (!row || row.revoked) {
    unauthorized(reply, 'Invalid access token');
    return undefined;
  }
  if (row.expires_at !== null && Number(row.expires_at) <= now) {
    unauthorized(reply, 'The access token expired');
    return undefined;
  }
  return { username: row.username, clientId: row.client_id, scope: row.scope };
}
