import { HttpClient, parseJson } from '../http.js';
import { ProviderError, type AdapterDeps, type TokenSet } from '../types.js';
import type { TidalConfig } from './config.js';
import { classifyApiError, classifyTokenError, firstError } from './errors.js';
import { JSON_API, type Document } from './jsonapi.js';

/** Query parameters in order; a name may repeat (OpenAPI `form` style arrays: `filter[isrc]=A&filter[isrc]=B`). */
export type Query = [string, string][];

/**
 * HTTP to TIDAL: the OAuth token endpoint (form-encoded, client secret via HTTP Basic when
 * configured) and the JSON:API (`application/vnd.api+json` both ways, Bearer token).
 */
export class TidalClient {
  private readonly http: HttpClient;

  constructor(
    private readonly config: TidalConfig,
    private readonly deps: AdapterDeps,
  ) {
    this.http = new HttpClient('TIDAL', deps.timeoutMs);
  }

  async token(form: Record<string, string>): Promise<TokenSet> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.config.clientSecret) {
      const basic = Buffer.from(`${encodeURIComponent(this.config.clientId)}:${encodeURIComponent(this.config.clientSecret)}`).toString(
        'base64',
      );
      headers.authorization = `Basic ${basic}`;
    }
    const res = await this.http.send('POST', `${this.config.authBaseUrl}/token`, {
      headers,
      body: new URLSearchParams({ ...form, client_id: this.config.clientId }).toString(),
    });
    const body = parseJson(res.text) as Record<string, unknown> | null;
    if (res.status === 200 && body && typeof body.access_token === 'string' && body.access_token) {
      return {
        accessToken: body.access_token,
        ...(typeof body.refresh_token === 'string' && body.refresh_token ? { refreshToken: body.refresh_token } : {}),
        expiresAt: typeof body.expires_in === 'number' ? this.deps.now() + body.expires_in * 1000 : null,
        scopes: typeof body.scope === 'string' ? body.scope.split(/[\s,]+/).filter(Boolean) : [],
      };
    }
    if (res.status === 200) throw new ProviderError('transient', 'TIDAL token endpoint answered without an access token');
    throw classifyTokenError(res, this.deps.now());
  }

  async get(path: string, query: Query, accessToken: string): Promise<Document> {
    const qs = new URLSearchParams(query).toString();
    const res = await this.http.send('GET', `${this.config.apiBaseUrl}${path}${qs ? `?${qs}` : ''}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: JSON_API },
    });
    if (res.status === 200) return this.document(res.text, path);
    throw classifyApiError(res, `GET ${path}`, this.deps.now());
  }

  /**
   * POSTs a JSON:API document. A 409 is returned as `{ conflict: code }` (the caller knows which
   * conflicts mean "already there"); every other refusal is thrown as a ProviderError.
   */
  async post(path: string, body: unknown, accessToken: string): Promise<{ doc: Document | null; conflict?: string }> {
    const res = await this.http.send('POST', `${this.config.apiBaseUrl}${path}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: JSON_API, 'content-type': JSON_API },
      body: JSON.stringify(body),
    });
    if (res.status >= 200 && res.status < 300) return { doc: res.text ? this.document(res.text, path) : null };
    if (res.status === 409) return { doc: null, conflict: firstError(res.text)?.code ?? 'CONFLICT' };
    throw classifyApiError(res, `POST ${path}`, this.deps.now());
  }

  private document(text: string, path: string): Document {
    const doc = parseJson(text);
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ProviderError('transient', `TIDAL ${path} answered with a body that is not a JSON:API document`);
    }
    return doc as Document;
  }
}
