import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Request lines that do not cost the page. Fastify writes two info lines per request ("incoming
 * request", "request completed"); on the fans' pages (routes with `config.publicPage`) that was a
 * large share of the work, and at launch-day rates it is mostly noise. Those routes log one
 * "request completed" line at debug instead (LOG_LEVEL=debug shows every one), and at error when
 * the answer is a 5xx; the error itself is logged by the error handler as before. Every other
 * route keeps Fastify's lines.
 */
export function isPublicPageRequest(req: FastifyRequest): boolean {
  // Fastify may ask before routing (the raw request has no route options): log as usual then.
  return (req as Partial<FastifyRequest>).routeOptions?.config?.publicPage === true;
}

export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (req, reply, done) => {
    if (isPublicPageRequest(req)) {
      if (reply.statusCode >= 500) req.log.error({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
      else req.log.debug({ req, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
    done();
  });
}
