import type { AppContext } from '../../src/context.js';
import { createUser } from '../../src/accounts/users.js';
import { createWorkspace } from '../../src/accounts/workspaces.js';
import { createApiKey } from '../../src/api/keys/store.js';
import { API_SCOPES, type ApiScope } from '../../src/api/scopes.js';

/** A workspace with an owner, for API tests (no browser needed to make one). */
export async function apiWorkspace(ctx: AppContext, slug = 'label-one'): Promise<{ workspaceId: number; userId: number }> {
  const user = await createUser(ctx.db, { email: `${slug}@example.com`, password: null, emailVerified: true }, ctx.now());
  const ws = await createWorkspace(ctx.db, { slug, name: `Workspace ${slug}`, kind: 'label' }, user.id, ctx.now());
  return { workspaceId: ws.id, userId: user.id };
}

/** A key for `workspaceId` (all scopes unless told), as `dropday apikey create` makes one. */
export async function apiKeyFor(
  ctx: AppContext,
  workspaceId: number,
  opts: { scopes?: readonly ApiScope[]; expiresAt?: number | null; name?: string } = {},
): Promise<string> {
  const { secret } = await createApiKey(
    ctx.db,
    {
      workspaceId,
      name: opts.name ?? 'test key',
      scopes: opts.scopes ?? API_SCOPES,
      expiresAt: opts.expiresAt ?? null,
      createdByUserId: null,
      createdVia: 'cli',
    },
    ctx.now(),
  );
  return secret;
}

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A client over real HTTP, as any program would call the API: JSON in, JSON (or problem+json) out.
 * The black-box suite uses only this, so it runs against any base URL.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers name what they expect; tests assert on it
type Body = any;

export function apiClient(baseUrl: string, key: string | null) {
  async function call<T = Body>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  }
  return {
    get: <T = Body>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    post: <T = Body>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body ?? {}, headers),
    patch: <T = Body>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('PATCH', path, body, headers),
    put: <T = Body>(path: string, body: unknown, headers?: Record<string, string>) => call<T>('PUT', path, body, headers),
    delete: <T = Body>(path: string, headers?: Record<string, string>) => call<T>('DELETE', path, undefined, headers),
    call,
  };
}
export type ApiClient = ReturnType<typeof apiClient>;
