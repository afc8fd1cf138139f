import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A request hook from a synchronous check that throws to refuse. Registered in callback style
 * rather than as an async function: these hooks run on every request, fans' pages included, and a
 * promise (and its microtask) per hook per request is a measurable share of a cached page's cost.
 */
export function syncHook(check: (req: FastifyRequest) => void) {
  return (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    try {
      check(req);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  };
}
