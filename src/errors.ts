import { t, type MessageKey, type MessageValues } from './i18n/translate.js';

/**
 * An error fans can meet: its words come from the fans' catalog (i18n/messages/errors), English
 * here (the JSON API, logs, the app's own pages), the fan's language on fans' pages (web/errors.ts).
 */
function fan(status: number, key: MessageKey): { status: number; message: string; key: MessageKey } {
  return { status, message: t('en', key), key };
}

/**
 * One registry of the errors Dropday reports to people. Every user-facing failure carries a
 * stable code (for scripts and support), an HTTP status, and a human message. Route handlers
 * throw `DropdayError`; the web layer renders it as JSON or as an HTML page, never as a 500.
 */
export const ERRORS = {
  VALIDATION: fan(400, 'errors.invalid'),
  NOT_FOUND: fan(404, 'errors.not_found'),
  CAMPAIGN_NOT_FOUND: fan(404, 'errors.campaign_not_found'),
  CAMPAIGN_ARCHIVED: fan(410, 'errors.campaign_archived'),
  PRESAVE_NOT_FOUND: fan(404, 'errors.presave_not_found'),
  SLUG_TAKEN: { status: 409, message: 'That slug is already used by another campaign.' },
  SERVICE_UNKNOWN: fan(404, 'errors.service_unknown'),
  SERVICE_NOT_OFFERED: fan(400, 'errors.service_not_offered'),
  SERVICE_NOT_CONFIGURED: fan(404, 'errors.service_not_configured'),
  STATE_MISSING: fan(400, 'errors.state_missing'),
  STATE_INVALID: fan(400, 'errors.state_invalid'),
  STATE_BROWSER_MISMATCH: fan(400, 'errors.state_browser_mismatch'),
  STATE_SERVICE_MISMATCH: fan(400, 'errors.state_service_mismatch'),
  ACCESS_DENIED: fan(403, 'errors.access_denied'),
  PROVIDER_REFUSED: fan(400, 'errors.provider_refused'),
  PROVIDER_ERROR: fan(502, 'errors.provider_error'),
  INVALID_TIMEZONE: fan(400, 'errors.invalid_timezone'),
  UNAUTHORIZED: { status: 401, message: 'Please sign in.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  CSRF: fan(403, 'errors.csrf'),
  PAYLOAD_TOO_LARGE: fan(413, 'errors.too_large'),
  UNSUPPORTED_MEDIA_TYPE: fan(415, 'errors.not_accepted'),
  RATE_LIMITED: fan(429, 'errors.rate_limited'),
  BUSY: fan(503, 'errors.busy'),
  // A contest draw asked for before the contest ended, or a second time without --redraw (docs/contests.md).
  CONTEST_DRAW_REFUSED: { status: 409, message: 'The contest cannot be drawn now.' },
  // The REST API (docs/api.md, docs/api-errors.md): keys, scopes, idempotency, conflicts.
  API_KEY_MISSING: { status: 401, message: 'Send an API key: Authorization: Bearer ddk_…' },
  API_KEY_INVALID: { status: 401, message: 'This API key is not valid.' },
  API_KEY_REVOKED: { status: 401, message: 'This API key was revoked.' },
  API_KEY_EXPIRED: { status: 401, message: 'This API key has expired.' },
  API_SCOPE_MISSING: { status: 403, message: 'This API key does not have the scope this needs.' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: 'A request with this Idempotency-Key is still running; retry in a moment.' },
  IDEMPOTENCY_MISMATCH: { status: 422, message: 'This Idempotency-Key was used with a different request.' },
  CONFLICT: { status: 409, message: 'This conflicts with the current state.' },
  WEBHOOK_TARGET_REFUSED: { status: 400, message: 'Webhooks can only go to public http(s) addresses.' },
} as const satisfies Record<string, { status: number; message: string; key?: MessageKey }>;

export type ErrorCode = keyof typeof ERRORS;

export class DropdayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Per-field problems, for validation errors. */
  readonly details: Record<string, string> | undefined;
  /** The message's catalog key (and values), for a fan's page in their language; none for a message of the app's own. */
  words: { key: MessageKey; values?: MessageValues } | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, string>) {
    const entry: { message: string; key?: MessageKey } = ERRORS[code];
    super(message ?? entry.message);
    this.name = 'DropdayError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
    this.words = message === undefined && entry.key ? { key: entry.key } : undefined;
  }

  /** Says `key` from the fans' catalog instead of the code's own words (English in `message`). */
  say(key: MessageKey, values?: MessageValues): this {
    this.message = t('en', key, values);
    this.words = values ? { key, values } : { key };
    return this;
  }

  /** For Fastify and for error handlers that read `statusCode` (the Sandbox's, under Dropday's hooks). */
  get statusCode(): number {
    return this.status;
  }

  /** The stable, documented code string, e.g. DROPDAY_ERR_SLUG_TAKEN. */
  get fullCode(): string {
    return `DROPDAY_ERR_${this.code}`;
  }
}

/** A refusal worth retrying later: the answer carries `Retry-After`. */
export class RetryLaterError extends DropdayError {
  constructor(
    code: 'RATE_LIMITED' | 'BUSY',
    readonly retryAfterMs: number,
    message?: string,
  ) {
    super(code, message);
  }

  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

export class ValidationError extends DropdayError {
  constructor(details: Record<string, string>) {
    const lines = Object.entries(details).map(([field, problem]) => `${field}: ${problem}`);
    super('VALIDATION', `Invalid input — ${lines.join('; ')}`, details);
  }
}
