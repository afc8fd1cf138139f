import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(ctx.db);
      return { ok: true, database: ctx.dialect };
    } catch {
      return reply.code(503).send({ ok: false, database: ctx.dialect, error: 'database unreachable' });
    }
  });
}
