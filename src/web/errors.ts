import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DropdayError, ERRORS, RetryLaterError, type ErrorCode } from '../errors.js';
import { isAppPage } from './security.js';
import { errorPage } from './views/error-page.js';

const TITLES: Record<number, string> = {
  400: 'Something is not right',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Already taken',
  410: 'Gone',
  413: 'Too large',
  415: 'Not accepted',
  429: 'Slow down',
  502: 'The streaming service did not answer',
  503: 'Not available',
};

/** Where the status's title would not say what happened. */
const CODE_TITLES: Partial<Record<ErrorCode, string>> = {
  CAMPAIGN_NOT_FOUND: 'Campaign not found',
  CAMPAIGN_ARCHIVED: 'This campaign has ended',
  PRESAVE_NOT_FOUND: 'Pre-save not found',
  STATE_MISSING: 'Please start again',
  STATE_INVALID: 'Please start again',
  STATE_BROWSER_MISMATCH: 'Please start again',
  STATE_SERVICE_MISMATCH: 'Please start again',
  ACCESS_DENIED: 'Nothing was saved',
  CSRF: 'Please try again',
};

/** The header that carries an error's code on pages, for scripts and support (never shown). */
export const ERROR_CODE_HEADER = 'X-Dropday-Error';

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
  // Fans (every page outside the signed-in app) read what happened and what to do, in words;
  // the code and status are for people running the app, and for scripts (the header).
  const operator = isAppPage(req.url);
  return reply
    .code(err.status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header(ERROR_CODE_HEADER, err.fullCode)
    .send(
      errorPage({
        nonce: req.cspNonce,
        title: CODE_TITLES[err.code] ?? TITLES[err.status] ?? 'Something went wrong',
        message: err.message,
        ...(operator ? { code: { code: err.fullCode, status: err.status } } : {}),
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
      const code =
        status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION';
      const message = status === 413 || status === 415 ? ERRORS[code].message : `The request is not valid: ${error.message}`;
      return sendError(req, reply, new DropdayError(code, message));
    }
    req.log.error({ err: error }, 'unhandled error');
    return reply.code(500).type('text/plain').send('Internal error. It has been logged.');
  });
}
