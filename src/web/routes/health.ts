import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#8b5cf6"/>' +
  '<path d="M9 8h7a8 8 0 010 16H9z" fill="#fff"/></svg>';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/favicon.ico', async (_req, reply) =>
    reply.type('image/svg+xml').header('Cache-Control', 'public, max-age=86400').send(FAVICON),
  );

  app.get('/healthz', async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(ctx.db);
      return { ok: true, database: ctx.dialect };
    } catch {
      return reply.code(503).send({ ok: false, database: ctx.dialect, error: 'database unreachable' });
    }
  });
}
