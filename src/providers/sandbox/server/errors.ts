import type { FastifyReply } from 'fastify';

/** A Web API error in Spotify's shape: `{"error":{"status":…,"message":…}}`. */
export function apiError(reply: FastifyReply, status: number, message: string, extra: Record<string, string> = {}): FastifyReply {
  return reply.code(status).send({ error: { status, message, ...extra } });
}

/** An accounts-service (OAuth token endpoint) error: `{"error":…,"error_description":…}`. */
export function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
}
