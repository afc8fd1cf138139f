import { parseJson, retryAtFrom, type HttpResponse } from '../http.js';
import { ProviderError } from '../types.js';
import type { ErrorObject } from './jsonapi.js';

/**
 * Turns TIDAL's answers into ProviderError kinds. The API answers JSON:API error documents
 * (`{"errors":[{"status":"403","code":"…","detail":"…"}]}`, status as a string); the token endpoint
 * answers OAuth errors (`{"error":"invalid_grant","error_description":"…"}`).
 */

/** What the artist reads when TIDAL refuses a fan's account (403). */
export const TIDAL_FORBIDDEN_REASON =
  'TIDAL refused access to this account: the Dropday app is not approved by TIDAL for anyone but its developer yet, ' +
  'or the fan withdrew its permission';

export function firstError(text: string): ErrorObject | undefined {
  const body = parseJson(text) as { errors?: unknown } | null;
  const first = Array.isArray(body?.errors) ? (body.errors[0] as unknown) : undefined;
  return first && typeof first === 'object' ? (first as ErrorObject) : undefined;
}

export function classifyApiError(res: HttpResponse, what: string, now: number): ProviderError {
  const err = firstError(res.text);
  const status = res.status;
  const said = err?.detail ?? err?.code;
  if (status === 401) return new ProviderError('unauthorized', `TIDAL rejected the access token${said ? ` (${said})` : ''}`, { status });
  if (status === 403)
    return new ProviderError('grant_dead', `${TIDAL_FORBIDDEN_REASON}${said ? ` (TIDAL said: “${said}”)` : ''}`, { status });
  if (status === 429) {
    return new ProviderError('retry_after', 'TIDAL rate limit reached', { status, retryAt: retryAtFrom(res.headers['retry-after'], now) });
  }
  if (status >= 500) return new ProviderError('transient', `TIDAL ${what} answered ${status}${said ? ` (${said})` : ''}`, { status });
  if (status >= 400) {
    return new ProviderError(
      'bad_config',
      `TIDAL ${what} rejected the request (${status}${err?.code ? ` ${err.code}` : ''}): ${said ?? 'no detail'}`,
      {
        status,
      },
    );
  }
  return new ProviderError('transient', `TIDAL ${what} answered with an unexpected status ${status}`, { status });
}

export function classifyTokenError(res: HttpResponse, now: number): ProviderError {
  const body = parseJson(res.text) as { error?: unknown; error_description?: unknown } | null;
  const error = typeof body?.error === 'string' ? body.error : undefined;
  const description = typeof body?.error_description === 'string' ? body.error_description : undefined;
  const status = res.status;
  if (error === 'invalid_grant') {
    return new ProviderError('grant_dead', 'the fan withdrew Dropday’s access on TIDAL or the TIDAL authorization expired', { status });
  }
  if (status === 429) {
    return new ProviderError('retry_after', 'TIDAL sign-in service rate limit reached', {
      status,
      retryAt: retryAtFrom(res.headers['retry-after'], now),
    });
  }
  if (status >= 500) return new ProviderError('transient', `TIDAL token endpoint answered ${status}`, { status });
  if (error === 'invalid_client' || status === 401) {
    return new ProviderError('bad_config', 'TIDAL rejected the app credentials (check TIDAL_CLIENT_ID and TIDAL_CLIENT_SECRET)', {
      status,
    });
  }
  return new ProviderError(
    'bad_config',
    `TIDAL token endpoint rejected the request (${status}${error ? ` ${error}` : ''})${description ? `: ${description}` : ''}`,
    { status },
  );
}
