import { HttpClient, parseJson } from '../http.js';
import { ProviderError, type TokenSet } from '../types.js';
import type { DeezerConfig } from './config.js';
import { classifyApiError, classifyHttpStatus, classifyTokenError, DEEZER_CODES, deezerErrorOf } from './errors.js';

/**
 * Deezer over HTTP: the token exchange on connect.deezer.com and the API on api.deezer.com, with
 * the access token in the query string as Deezer requires. Every answer is checked for an `error`
 * key before it is trusted, whatever the HTTP status. Error messages never contain a URL, so a
 * token or the app secret cannot leak into logs or failure reasons.
 */
export interface DeezerArtist {
  id: number;
  name: string;
  role?: string;
}

export interface DeezerAlbum {
  id: number;
  title: string;
  upc?: string;
  link?: string;
  record_type?: string;
  artist?: DeezerArtist;
  contributors?: DeezerArtist[];
}

export interface DeezerTrack {
  id: number;
  title: string;
  isrc?: string;
  album?: { id: number; title?: string };
}

export interface DeezerPage<T> {
  data?: T[];
  total?: number;
  next?: string;
}

/** The permissions Dropday asks for. Deezer grants them all or none. */
export const DEEZER_PERMS = ['basic_access', 'offline_access', 'manage_library'] as const;

export class DeezerClient {
  private readonly http: HttpClient;

  constructor(
    private readonly config: DeezerConfig,
    private readonly deps: { timeoutMs: number; now: () => number },
  ) {
    this.http = new HttpClient('Deezer', deps.timeoutMs);
  }

  /**
   * `access_token.php` with output=json. Deezer answers `{access_token, expires}` (expires 0 = never,
   * which is what offline_access gives), or plain text such as `wrong code`, or a JSON error.
   */
  async exchangeCode(code: string): Promise<TokenSet> {
    const url = new URL(`${this.config.connectBaseUrl}/oauth/access_token.php`);
    url.search = new URLSearchParams({ app_id: this.config.appId, secret: this.config.secret, code, output: 'json' }).toString();
    const res = await this.http.send('GET', url.toString());
    const now = this.deps.now();
    const httpError = classifyHttpStatus(res, 'the token exchange', now);
    if (httpError) throw httpError;
    const text = res.text.trim();
    const body = parseJson(text);
    const error = deezerErrorOf(body);
    if (error) throw classifyTokenError(error, now);
    let fields: { access_token?: unknown; expires?: unknown } | null = null;
    if (body && typeof body === 'object') fields = body as { access_token?: unknown; expires?: unknown };
    else if (/(^|&)access_token=/.test(text)) fields = Object.fromEntries(new URLSearchParams(text)); // output=json ignored
    if (fields && typeof fields.access_token === 'string' && fields.access_token) {
      const expires = Number(fields.expires ?? 0);
      return {
        accessToken: fields.access_token,
        expiresAt: Number.isFinite(expires) && expires > 0 ? now + expires * 1000 : null,
        // Deezer does not echo what was granted; consent is all-or-nothing for the perms asked.
        scopes: [...DEEZER_PERMS],
      };
    }
    if (/^wrong code$/i.test(text)) {
      throw new ProviderError('grant_dead', 'Deezer rejected the authorization code ("wrong code"): it was already used or has expired');
    }
    const shown = text.replace(/[^\x20-\x7e]/g, ' ').slice(0, 80);
    throw new ProviderError(
      'bad_config',
      shown
        ? `Deezer's token endpoint answered "${shown}" (check DEEZER_APP_ID and DEEZER_SECRET)`
        : "Deezer's token endpoint gave an empty answer (check DEEZER_APP_ID and DEEZER_SECRET)",
    );
  }

  /**
   * One API call. `what` names it in messages. With `noData: 'null'`, Deezer's code 800 ("no data")
   * is an answer (null), not an error: that is how a lookup says "not (yet) in the catalog".
   */
  async call(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string>,
    accessToken: string,
    opts: { noData?: 'null' } = {},
  ): Promise<unknown> {
    const url = new URL(`${this.config.apiBaseUrl}${path}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('access_token', accessToken);
    return this.send(method, url, path, opts);
  }

  /**
   * A catalog read without a fan's token (Deezer's catalog is public): for checking the ids an
   * artist enters. Null when Deezer has no such item (code 800).
   */
  async publicGet(path: string): Promise<unknown> {
    return this.send('GET', new URL(`${this.config.apiBaseUrl}${path}`), path, { noData: 'null' });
  }

  /**
   * Follows a `next` link from a paged answer, but only on Deezer's API under the same path: the
   * link carries the fan's token, so it is never sent anywhere else.
   */
  async follow(next: string, path: string, accessToken: string): Promise<unknown> {
    let url: URL;
    try {
      url = new URL(next);
    } catch {
      throw new ProviderError('transient', `Deezer ${path} gave a malformed next link`);
    }
    const base = new URL(`${this.config.apiBaseUrl}${path}`);
    if (url.origin !== base.origin || url.pathname !== base.pathname) {
      throw new ProviderError('transient', `Deezer ${path} gave a next link to another place; not following it`);
    }
    url.searchParams.set('access_token', accessToken);
    return this.send('GET', url, path, {});
  }

  private async send(method: 'GET' | 'POST', url: URL, path: string, opts: { noData?: 'null' }): Promise<unknown> {
    const what = `${method} ${path}`;
    const res = await this.http.send(method, url.toString());
    const now = this.deps.now();
    const httpError = classifyHttpStatus(res, what, now);
    if (httpError) throw httpError;
    const body = parseJson(res.text);
    if (body === null && res.text.trim() !== 'null') {
      throw new ProviderError('transient', `Deezer ${what} answered with something that is not JSON`);
    }
    const error = deezerErrorOf(body);
    if (error) {
      if (error.code === DEEZER_CODES.DATA_NOT_FOUND && opts.noData === 'null') return null;
      throw classifyApiError(error, what, now);
    }
    return body;
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
