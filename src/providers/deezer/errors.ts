import { retryAtFrom, type HttpResponse } from '../http.js';
import { ProviderError } from '../types.js';

/**
 * Turning Deezer's answers into ProviderError kinds. Deezer reports most errors as HTTP 200 with
 * `{"error":{"type","message","code"}}`, so a 200 means nothing until the body has been checked
 * for an `error` key. Codes (Deezer's list): 4 quota, 100 items limit, 200 permission, 300 invalid
 * token, 500/501 parameter, 600 invalid query, 700 service busy, 800 no data, 901 account type.
 */
export interface DeezerApiError {
  code: number | null;
  type: string;
  message: string;
}

export const DEEZER_CODES = {
  QUOTA: 4,
  ITEMS_LIMIT_EXCEEDED: 100,
  PERMISSION: 200,
  TOKEN_INVALID: 300,
  PARAMETER: 500,
  PARAMETER_MISSING: 501,
  QUERY_INVALID: 600,
  SERVICE_BUSY: 700,
  DATA_NOT_FOUND: 800,
  INDIVIDUAL_ACCOUNT_NOT_ALLOWED: 901,
} as const;

/**
 * Deezer's quota is about 50 requests per 5 seconds (reported, not published). Code 4 carries no
 * Retry-After, so Dropday waits one whole window, for the whole service (the quota is the app's,
 * not one fan's).
 */
export const QUOTA_WAIT_MS = 5_000;

/** The `error` member of a Deezer body, normalised; null when the body reports no error. */
export function deezerErrorOf(body: unknown): DeezerApiError | null {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('error' in body)) return null;
  const e = (body as { error: unknown }).error;
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; type?: unknown; message?: unknown };
    const code = typeof o.code === 'number' ? o.code : typeof o.code === 'string' && /^\d+$/.test(o.code) ? Number(o.code) : null;
    return {
      code,
      type: typeof o.type === 'string' ? o.type : 'Exception',
      message: typeof o.message === 'string' ? o.message.slice(0, 200) : 'no message',
    };
  }
  return { code: null, type: 'Exception', message: typeof e === 'string' ? e.slice(0, 200) : 'unknown error' };
}

/** An HTTP-level failure (the body was not even Deezer's), or null when the status is 200. */
export function classifyHttpStatus(res: HttpResponse, what: string, now: number): ProviderError | null {
  const status = res.status;
  if (status === 200) return null;
  if (status === 429) {
    return new ProviderError('retry_after', `Deezer rate limit (HTTP 429) on ${what}`, {
      status,
      retryAt: retryAtFrom(res.headers['retry-after'], now, QUOTA_WAIT_MS),
    });
  }
  if (status >= 500) return new ProviderError('transient', `Deezer ${what} answered HTTP ${status}`, { status });
  if (status >= 200 && status < 300) return null;
  return new ProviderError('bad_config', `Deezer ${what} answered HTTP ${status}`, { status });
}

/** A Deezer error on an API call made with a fan's access token. Code 800 is the caller's to handle first. */
export function classifyApiError(e: DeezerApiError, what: string, now: number): ProviderError {
  const said = `${e.type} ${e.code ?? '?'}: ${e.message}`;
  switch (e.code) {
    case DEEZER_CODES.QUOTA:
      return new ProviderError('retry_after', `Deezer quota limit reached on ${what} (about 50 requests per 5 seconds)`, {
        retryAt: now + QUOTA_WAIT_MS,
      });
    case DEEZER_CODES.TOKEN_INVALID:
      // Deezer has no refresh token: an invalid token can never be repaired, only re-authorized.
      return new ProviderError(
        'grant_dead',
        `Deezer no longer accepts the fan's access token (revoked or expired; Deezer said "${e.message}")`,
      );
    case DEEZER_CODES.PERMISSION:
      return new ProviderError(
        'grant_dead',
        `Deezer refused permission: the fan's authorization does not let Dropday manage their library (Deezer said "${e.message}")`,
      );
    case DEEZER_CODES.INDIVIDUAL_ACCOUNT_NOT_ALLOWED:
      return new ProviderError('grant_dead', `Deezer does not allow this for the fan's account (Deezer said "${e.message}")`);
    case DEEZER_CODES.SERVICE_BUSY:
      return new ProviderError('transient', `Deezer is busy (${said}) on ${what}`);
    case DEEZER_CODES.ITEMS_LIMIT_EXCEEDED:
      return new ProviderError('bad_config', `Deezer refused ${what}: the fan's favourites are full (${said})`);
    case DEEZER_CODES.DATA_NOT_FOUND:
      return new ProviderError('bad_config', `Deezer has no data for ${what} (${said})`);
    case DEEZER_CODES.PARAMETER:
    case DEEZER_CODES.PARAMETER_MISSING:
    case DEEZER_CODES.QUERY_INVALID:
      return new ProviderError('bad_config', `Deezer rejected Dropday's request ${what} (${said})`);
    default:
      return new ProviderError('transient', `Deezer answered ${what} with an error (${said})`);
  }
}

/**
 * A Deezer error from the token endpoint (which authenticates the app, not a fan): wrong app id or
 * secret is the operator's to fix; quota and busy are waited out like anywhere else.
 */
export function classifyTokenError(e: DeezerApiError, now: number): ProviderError {
  if (e.code === DEEZER_CODES.QUOTA || e.code === DEEZER_CODES.SERVICE_BUSY) return classifyApiError(e, 'the token exchange', now);
  return new ProviderError(
    'bad_config',
    `Deezer's token endpoint refused the app's credentials (${e.type} ${e.code ?? '?'}: ${e.message}); check DEEZER_APP_ID and DEEZER_SECRET`,
  );
}
