import { parseJson, type HttpClient } from '../http.js';
import { ProviderError } from '../types.js';
import { classifyWebApiError } from './errors.js';

export type Query = Record<string, string | undefined>;

/** `a=1&b=2` with every value percent-encoded (spaces as %20, `:` and `,` escaped). */
export function queryString(query: Query): string {
  return Object.entries(query)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

/**
 * Bearer-authenticated calls to the Web API (`{apiBaseUrl}` = `https://api.spotify.com/v1`).
 * Every non-2xx answer becomes a classified ProviderError.
 */
export class SpotifyWebApi {
  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string,
    private readonly now: () => number,
  ) {}

  async get(accessToken: string, path: string, query: Query = {}): Promise<unknown> {
    return this.call('GET', accessToken, path, query);
  }

  /** GET that answers null for 404 (an id that is gone or not available). */
  async getOrNull(accessToken: string, path: string, query: Query = {}): Promise<unknown> {
    try {
      return await this.call('GET', accessToken, path, query);
    } catch (err) {
      if (err instanceof ProviderError && err.details.status === 404) return null;
      throw err;
    }
  }

  async put(accessToken: string, path: string, query: Query): Promise<unknown> {
    return this.call('PUT', accessToken, path, query);
  }

  private async call(method: 'GET' | 'PUT', accessToken: string, path: string, query: Query): Promise<unknown> {
    const qs = queryString(query);
    const res = await this.http.send(method, `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    if (res.status >= 200 && res.status < 300) {
      if (!res.text.trim()) return null;
      const body = parseJson(res.text);
      if (body === null)
        throw new ProviderError('transient', `Spotify ${method} ${path} answered ${res.status} with a body that is not JSON`);
      return body;
    }
    throw classifyWebApiError(res, `${method} ${path}`, this.now());
  }
}
