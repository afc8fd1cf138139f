import { HttpClient, parseJson, retryAtFrom, type HttpResponse } from '../http.js';
import { ProviderError } from '../types.js';
import type { DeveloperTokenSigner } from './developer-token.js';

/**
 * HTTP to the Apple Music API, with every answer classified into a ProviderError kind.
 *
 * Every request carries the developer token (`Authorization: Bearer …`); requests on a fan's
 * behalf also carry the `Music-User-Token`. A 401/403 on such a request is ambiguous (which token
 * was refused?), so the client asks a catalog endpoint that needs only the developer token: if
 * that fails too, our configuration is wrong; if it works, the fan's authorization is dead.
 */
export const GRANT_DEAD_REASON = "the fan's Apple Music authorization was revoked or expired";

export interface AppleError {
  id?: string;
  title?: string;
  detail?: string;
  status?: string;
  code?: string;
}

export class AppleMusicClient {
  private readonly http: HttpClient;

  constructor(
    private readonly baseUrl: string,
    private readonly signer: DeveloperTokenSigner,
    timeoutMs: number,
    private readonly now: () => number,
  ) {
    this.http = new HttpClient('Apple Music', timeoutMs);
  }

  /** Sends a request; never classifies (for callers that expect some non-2xx answers). */
  async send(method: 'GET' | 'POST', path: string, userToken?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.signer.token()}`, accept: 'application/json' };
    if (userToken !== undefined) headers['music-user-token'] = userToken;
    return this.http.send(method, `${this.baseUrl}${path}`, { headers });
  }

  /** A 2xx answer's JSON body (null when empty), or the classified error. */
  async json(method: 'GET' | 'POST', path: string, userToken?: string): Promise<unknown> {
    const res = await this.send(method, path, userToken);
    if (res.status >= 200 && res.status < 300) return res.text ? parseJson(res.text) : null;
    throw await this.classify(res, describe(method, path), userToken !== undefined);
  }

  async classify(res: HttpResponse, what: string, withUserToken: boolean): Promise<ProviderError> {
    const status = res.status;
    const first = errorsOf(res.text)[0];
    const detail = first
      ? [first.title, first.detail, first.code ? `code ${first.code}` : ''].filter(Boolean).join(': ').slice(0, 200)
      : '';
    if (status === 429) {
      return new ProviderError('retry_after', 'Apple Music: rate limited', {
        status,
        retryAt: retryAtFrom(res.headers['retry-after'], this.now()),
      });
    }
    if (status >= 500)
      return new ProviderError('transient', `Apple Music ${what} answered ${status}${detail ? ` (${detail})` : ''}`, { status });
    if (status === 401 || status === 403) {
      if (!withUserToken || (await this.developerTokenRefused())) {
        return new ProviderError(
          'bad_config',
          `Apple Music rejected Dropday's developer token (HTTP ${status}): check APPLE_MUSIC_TEAM_ID, APPLE_MUSIC_KEY_ID and the .p8 key ` +
            '(the key may have been revoked in the Apple Developer account)',
          { status },
        );
      }
      return new ProviderError('grant_dead', GRANT_DEAD_REASON, { status });
    }
    return new ProviderError('bad_config', `Apple Music ${what} rejected the request (${status})${detail ? `: ${detail}` : ''}`, {
      status,
    });
  }

  /**
   * Whether the developer token alone is refused. Asked only after a 401/403 on a fan's request;
   * a probe that cannot be answered (rate limit, outage) is reported as transient.
   */
  private async developerTokenRefused(): Promise<boolean> {
    const probe = await this.send('GET', '/v1/storefronts/us');
    if (probe.status === 401 || probe.status === 403) return true;
    if (probe.status === 429 || probe.status >= 500) {
      throw new ProviderError('transient', `Apple Music refused a fan's token and could not be asked why (HTTP ${probe.status})`, {
        status: probe.status,
      });
    }
    return false;
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

export function errorsOf(text: string): AppleError[] {
  const body = parseJson(text) as { errors?: unknown } | null;
  return Array.isArray(body?.errors) ? (body.errors as AppleError[]) : [];
}

function describe(method: string, path: string): string {
  // Ids and search terms stay out of messages; the shape of the call is enough to act on.
  const p = path
    .split('?')[0]!
    .replace(/\/catalog\/[a-z]{2}\//, '/catalog/{storefront}/')
    .replace(/\/(albums|songs)\/[^/]+/, '/$1/{id}');
  return `${method} ${p}`;
}
