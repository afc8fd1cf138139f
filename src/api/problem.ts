import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DropdayError, ERRORS, RetryLaterError, type ErrorCode } from '../errors.js';
import { BlobStoreError } from '../growth/storage/store.js';

/**
 * Errors under /api as `application/problem+json` (RFC 9457): `type` is the code's own documented
 * address (`/api/v1/errors/DROPDAY_ERR_…`, which answers with the code's status and words), `title`
 * the code's words, `detail` what happened this time, `code` the stable DROPDAY_ERR_… string, and
 * `errors` each invalid field with its problem.
 */
export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: Record<string, string>;
}

export function problemOf(err: DropdayError, baseUrl: string, instance?: string): Problem {
  return {
    type: `${baseUrl}/api/v1/errors/${err.fullCode}`,
    title: ERRORS[err.code].message,
    status: err.status,
    detail: err.message,
    code: err.fullCode,
    ...(instance ? { instance } : {}),
    ...(err.details ? { errors: err.details } : {}),
  };
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: DropdayError, baseUrl: string): FastifyReply {
  if (err instanceof RetryLaterError) reply.header('Retry-After', String(err.retryAfterSeconds));
  if (err.code.startsWith('API_KEY_')) reply.header('WWW-Authenticate', 'Bearer realm="dropday"');
  return reply
    .code(err.status)
    .type(PROBLEM_TYPE)
    .header('Cache-Control', 'no-store')
    .send(problemOf(err, baseUrl, req.url.split('?')[0]));
}

/** A Fastify schema-validation failure → the fields and their problems, named as the client sent them. */
function validationDetails(error: FastifyError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const v of error.validation ?? []) {
    const where = error.validationContext ?? 'body';
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    const extra = (v.params as { additionalProperty?: string }).additionalProperty;
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const field = [where, path, missing ?? extra].filter(Boolean).join('.');
    details[field] = extra ? 'is not a known field' : missing ? 'is required' : (v.message ?? 'is not valid');
  }
  return details;
}

/** Installs the problem+json handlers on the API's (encapsulated) instance. */
export function registerProblems(api: FastifyInstance, baseUrl: string): void {
  api.setNotFoundHandler((req, reply) =>
    sendProblem(req, reply, new DropdayError('NOT_FOUND', `No API route ${req.method} ${req.url.split('?')[0]}.`), baseUrl),
  );
  api.setErrorHandler((error: FastifyError | DropdayError, req, reply) => {
    if (error instanceof DropdayError) return sendProblem(req, reply, error, baseUrl);
    if (error instanceof BlobStoreError) {
      req.log.error({ err: error }, 'blob store unavailable');
      return sendProblem(req, reply, new RetryLaterError('BUSY', 30_000), baseUrl);
    }
    const fe = error as FastifyError;
    if (fe.validation)
      return sendProblem(
        req,
        reply,
        new DropdayError('VALIDATION', `The request is not valid: ${fe.message}`, validationDetails(fe)),
        baseUrl,
      );
    const status = fe.statusCode;
    if (status && status >= 400 && status < 500) {
      const code: ErrorCode =
        status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 429 ? 'RATE_LIMITED' : 'VALIDATION';
      const message = status === 413 || status === 415 ? ERRORS[code].message : `The request is not valid: ${fe.message}`;
      return sendProblem(req, reply, new DropdayError(code, message), baseUrl);
    }
    req.log.error({ err: error }, 'unhandled API error');
    return reply
      .code(500)
      .type(PROBLEM_TYPE)
      .send({ type: 'about:blank', title: 'Internal error', status: 500, detail: 'Internal error. It has been logged.' });
  });
}
