import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DropdayError, ERRORS, RetryLaterError } from '../errors.js';
import { errorPage } from './views/error-page.js';

const TITLES: Record<number, string> = {
  400: 'Something is not right',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Already taken',
  410: 'Gone',
  413: 'Too large',
  429: 'Slow down',
  502: 'The streaming service did not answer',
  503: 'Not available',
};

function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || (req.headers.accept ?? '').includes('application/json');
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: DropdayError, back?: string): FastifyReply {
  if (err instanceof RetryLaterError) reply.header('Retry-After', String(err.retryAfterSeconds));
  if (wantsJson(req)) {
    return reply
      .code(err.status)
      .send({ error: { code: err.fullCode, message: err.message, ...(err.details ? { details: err.details } : {}) } });
  }
  return reply
    .code(err.status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .send(
      errorPage({
        nonce: req.cspNonce,
        status: err.status,
        title: TITLES[err.status] ?? 'Error',
        message: err.message,
        code: err.fullCode,
        ...(back ? { back } : {}),
      }).value,
    );
}

/** Every error becomes a clear page or JSON body; only a genuine bug is a 500, and it is logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => sendError(req, reply, new DropdayError('NOT_FOUND', 'There is nothing at this address.')));
  app.setErrorHandler((error: FastifyError | DropdayError, req, reply) => {
    if (error instanceof DropdayError) return sendError(req, reply, error);
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION';
      const message = status === 413 ? ERRORS.PAYLOAD_TOO_LARGE.message : `The request is not valid: ${error.message}`;
      return sendError(req, reply, new DropdayError(code, message));
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type('text/plain').send('Internal error. It has been logged.');
  });
}
