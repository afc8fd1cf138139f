import { parseJson, retryAtFrom, type HttpResponse } from '../http.js';
import { ProviderError } from '../types.js';

/** The message Spotify's Web API sends with 403 for a fan who is not on a Development Mode app's allow-list. */
export const NOT_ALLOW_LISTED = 'User not registered in the Developer Dashboard';

/** What the artist sees when a fan is not on the app's allow-list. */
export const NOT_ALLOW_LISTED_REASON =
  "this Spotify account is not on the allow-list of this server's Spotify app (while a Spotify app is in " +
  'Development Mode, only the 5 listeners its owner has added by hand in the Spotify Developer Dashboard can use it)';

/** What the artist sees when Spotify refuses a refresh token. */
export const GRANT_EXPIRED_REASON = 'the fan revoked access or the 6-month Spotify authorization expired';

interface WebApiErrorBody {
  error?: { status?: number; message?: string; reason?: string } | string;
  error_description?: string;
  reason?: string;
}

function errorBody(res: HttpResponse): { message: string | undefined; reason: string | undefined } {
  const body = parseJson(res.text) as WebApiErrorBody | null;
  if (!body || typeof body !== 'object') return { message: undefined, reason: undefined };
  const err = typeof body.error === 'object' && body.error !== null ? body.error : undefined;
  const message = err?.message ?? (typeof body.error === 'string' ? body.error : undefined);
  return { message: typeof message === 'string' ? message.slice(0, 300) : undefined, reason: err?.reason ?? body.reason };
}

/**
 * Turns a Web API error answer into a ProviderError kind. Body shape:
 * `{"error":{"status":401,"message":"The access token expired"}}`.
 */
export function classifyWebApiError(res: HttpResponse, what: string, now: number): ProviderError {
  const { status } = res;
  const { message, reason } = errorBody(res);
  const said = message ?? `HTTP ${status}`;
  if (status === 401) return new ProviderError('unauthorized', `Spotify ${what}: ${said}`, { status });
  if (status === 429 && reason === 'QUOTA_EXCEEDED') {
    return new ProviderError('quota', "Spotify: the app's request quota is exhausted", { status });
  }
  if (status === 429) {
    return new ProviderError('retry_after', 'Spotify: rate limited', { status, retryAt: retryAtFrom(res.headers['retry-after'], now) });
  }
  if (status >= 500) return new ProviderError('transient', `Spotify ${what} answered ${status}`, { status });
  if (status === 403) {
    if (message?.trim() === NOT_ALLOW_LISTED)
      return new ProviderError('grant_dead', NOT_ALLOW_LISTED_REASON, { status, refusal: 'not_allow_listed' });
    return new ProviderError('grant_dead', `Spotify refused access (${said})`, { status });
  }
  return new ProviderError('bad_config', `Spotify ${what} rejected the request (${status}): ${said}`, { status });
}

/**
 * Accounts service errors (`POST /api/token`): `{"error":"invalid_grant","error_description":"…"}`.
 * `deadGrantReason` is the message for invalid_grant, which never heals by retrying.
 */
export function classifyTokenError(res: HttpResponse, deadGrantReason: string, now: number): ProviderError {
  const { status } = res;
  const body = parseJson(res.text) as WebApiErrorBody | null;
  const code = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description.slice(0, 300) : undefined;
  if (status === 400 && code === 'invalid_grant') return new ProviderError('grant_dead', deadGrantReason, { status });
  if (code === 'invalid_client' || status === 401) {
    return new ProviderError(
      'bad_config',
      `Spotify rejected this app's credentials (${code ?? status}${description ? `: ${description}` : ''}); ` +
        'check SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET',
      { status },
    );
  }
  if (status === 429) {
    return new ProviderError('retry_after', 'Spotify accounts: rate limited', {
      status,
      retryAt: retryAtFrom(res.headers['retry-after'], now),
    });
  }
  if (status >= 500) return new ProviderError('transient', `Spotify accounts answered ${status}`, { status });
  return new ProviderError(
    'bad_config',
    `Spotify accounts rejected the token request (${status}${code ? ` ${code}` : ''}${description ? `: ${description}` : ''})`,
    { status },
  );
}
