import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DropdayError, ERRORS, RetryLaterError, type ErrorCode } from '../errors.js';
import { BlobStoreError } from '../growth/storage/store.js';
import { isAppPage } from './security.js';
import { errorPage } from './views/error-page.js';
import { errorLang } from './fan-lang.js';
import { direction, isolate, t, type Lang, type MessageKey, type MessageValues } from '../i18n/index.js';

/** Titles by status, in the fans' catalog (the app's own pages read them in English). */
const TITLES: Partial<Record<number, MessageKey>> = {
  400: 'errors.title_invalid',
  403: 'errors.title_not_allowed',
  404: 'errors.title_not_found',
  410: 'errors.title_gone',
  413: 'errors.title_too_large',
  415: 'errors.title_not_accepted',
  429: 'errors.title_slow_down',
  502: 'errors.title_service_silent',
  503: 'errors.title_unavailable',
};

/** Statuses only the app's own users meet. */
const APP_TITLES: Partial<Record<number, string>> = { 401: 'Please sign in', 409: 'Already taken' };

/** Where the status's title would not say what happened. */
const CODE_TITLES: Partial<Record<ErrorCode, MessageKey>> = {
  CAMPAIGN_NOT_FOUND: 'errors.title_campaign_not_found',
  CAMPAIGN_ARCHIVED: 'errors.title_campaign_ended',
  PRESAVE_NOT_FOUND: 'errors.title_presave_not_found',
  STATE_MISSING: 'errors.title_start_again',
  STATE_INVALID: 'errors.title_start_again',
  STATE_BROWSER_MISMATCH: 'errors.title_start_again',
  STATE_SERVICE_MISMATCH: 'errors.title_start_again',
  ACCESS_DENIED: 'errors.title_nothing_saved',
  CSRF: 'errors.title_try_again',
};

function titleOf(err: DropdayError, lang: Lang): string {
  const key = CODE_TITLES[err.code] ?? TITLES[err.status];
  return key ? t(lang, key) : (APP_TITLES[err.status] ?? t(lang, 'errors.title_generic'));
}

/**
 * The error's words in the fan's language. A message of the app's own (no catalog words: a
 * parser's detail) is shown as it is in English, and replaced by the code's words in any other
 * language, so a fan never reads a mix.
 */
function messageOf(err: DropdayError, lang: Lang): string {
  if (err.words) return t(lang, err.words.key, isolated(lang, err.words.values));
  const key = (ERRORS[err.code] as { key?: MessageKey }).key;
  return lang === 'en' || !key ? err.message : t(lang, key);
}

/**
 * The words' values come from the request or the artist (a campaign's title, a time zone): in a
 * right-to-left sentence each is isolated, as on every fan page, so a Latin title cannot reorder
 * the Arabic around it. The language is only known here, after the error was thrown.
 */
function isolated(lang: Lang, values: MessageValues | undefined): MessageValues | undefined {
  if (!values || direction(lang) !== 'rtl') return values;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? isolate(lang, v) : v]));
}

/** The header that carries an error's code on pages, for scripts and support (never shown). */
export const ERROR_CODE_HEADER = 'X-Dropday-Error';

function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || (req.headers.accept ?? '').includes('application/json');
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: DropdayError, back?: string): FastifyReply {
  if (err instanceof RetryLaterError) reply.header('Retry-After', String(err.retryAfterSeconds));
  // Fans (every page outside the signed-in app) read what happened and what to do, in words, in
  // their language; the code and status are for people running the app, and for scripts (the header).
  const operator = isAppPage(req.url);
  if (wantsJson(req)) {
    // The API speaks English; a fan's page's script (the MusicKit page) shows the message as it comes.
    const message = operator || req.url.startsWith('/api/') ? err.message : messageOf(err, errorLang(req));
    return reply.code(err.status).send({ error: { code: err.fullCode, message, ...(err.details ? { details: err.details } : {}) } });
  }
  const lang = operator ? 'en' : errorLang(req);
  return reply
    .code(err.status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header(ERROR_CODE_HEADER, err.fullCode)
    .send(
      errorPage({
        nonce: req.cspNonce,
        lang,
        title: titleOf(err, lang),
        message: messageOf(err, lang),
        ...(operator ? { code: { code: err.fullCode, status: err.status } } : {}),
        ...(back ? { back } : {}),
      }).value,
    );
}

/** Every error becomes a clear page or JSON body; only a genuine bug is a 500, and it is logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => sendError(req, reply, new DropdayError('NOT_FOUND').say('errors.nothing_here')));
  app.setErrorHandler((error: FastifyError | DropdayError, req, reply) => {
    if (error instanceof DropdayError) return sendError(req, reply, error);
    // The blob store (local disk or S3) failing is an outage, not a bug: logged (its message names
    // the call and key, never credentials) and answered like any moment of overload, with Retry-After.
    if (error instanceof BlobStoreError) {
      req.log.error({ err: error }, 'blob store unavailable');
      return sendError(req, reply, new RetryLaterError('BUSY', 30_000));
    }
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
