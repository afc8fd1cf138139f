/**
 * One registry of the errors Dropday reports to people. Every user-facing failure carries a
 * stable code (for scripts and support), an HTTP status, and a human message. Route handlers
 * throw `DropdayError`; the web layer renders it as JSON or as an HTML page, never as a 500.
 */
export const ERRORS = {
  VALIDATION: { status: 400, message: 'Some input is not valid.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  CAMPAIGN_NOT_FOUND: {
    status: 404,
    message: 'There is no campaign at this address. Check the link you were given, or ask the artist for it.',
  },
  CAMPAIGN_ARCHIVED: {
    status: 410,
    message: 'This campaign has ended, so it no longer takes pre-saves. Look for the release on your streaming service.',
  },
  PRESAVE_NOT_FOUND: {
    status: 404,
    message:
      'There is no pre-save at this address. If you erased your data, it is gone. To have the release saved, pre-save again from the campaign page.',
  },
  SLUG_TAKEN: { status: 409, message: 'That slug is already used by another campaign.' },
  SERVICE_UNKNOWN: { status: 404, message: 'Unknown streaming service. Go back to the campaign page and choose one of its buttons.' },
  SERVICE_NOT_OFFERED: {
    status: 400,
    message: 'This campaign is not offered on that service. Go back to the campaign page and choose one of its services.',
  },
  SERVICE_NOT_CONFIGURED: {
    status: 404,
    message: 'This streaming service is not set up on this Dropday server. Choose another service.',
  },
  STATE_MISSING: {
    status: 400,
    message: 'The sign-in response is missing its security token. Please start again.',
  },
  STATE_INVALID: {
    status: 400,
    message: 'This sign-in link is not valid, was already used, or has expired. Please start again.',
  },
  STATE_BROWSER_MISMATCH: {
    status: 400,
    message: 'This sign-in was started in another browser. Please start again from the campaign page.',
  },
  STATE_SERVICE_MISMATCH: {
    status: 400,
    message: 'This sign-in response belongs to a different streaming service. Please start again.',
  },
  ACCESS_DENIED: {
    status: 403,
    message: 'You did not allow access, so nothing was saved. You can try again at any time.',
  },
  PROVIDER_REFUSED: { status: 400, message: 'The streaming service refused this sign-in, so nothing was saved.' },
  PROVIDER_ERROR: {
    status: 502,
    message: 'The streaming service did not answer as expected. Nothing was saved; please try again.',
  },
  INVALID_TIMEZONE: {
    status: 400,
    message: 'The time zone sent by your browser is not valid. Go back to the campaign page and try again.',
  },
  UNAUTHORIZED: { status: 401, message: 'Please sign in.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  CSRF: { status: 403, message: 'The form has expired or was not sent from this site. Please reload the page.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This address does not take that kind of body. Send the form from its page.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Please wait a moment.' },
  BUSY: { status: 503, message: 'This server is busy right now. Please try again in a few seconds.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class DropdayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Per-field problems, for validation errors. */
  readonly details: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, string>) {
    super(message ?? ERRORS[code].message);
    this.name = 'DropdayError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
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
