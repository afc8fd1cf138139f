import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { apiClient, apiKeyFor, apiWorkspace } from './helpers/api.js';
import { revokeApiKey } from '../src/api/keys/store.js';

describe.each(testDialects())('the API’s keys, scopes and problems (%s)', (dialect) => {
  let server: TestServer;
  let clock = Date.UTC(2026, 11, 1, 12);
  let workspaceId: number;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    ({ workspaceId } = await apiWorkspace(server.ctx));
  });
  afterAll(async () => server?.close());

  it('a valid key reads its own workspace; the key’s last use is recorded', async () => {
    const key = await apiKeyFor(server.ctx, workspaceId, { scopes: ['workspace:read'] });
    const res = await apiClient(server.url, key).get('/workspace');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ slug: 'label-one', name: 'Workspace label-one', kind: 'label', created_at: new Date(clock).toISOString() });
    const row = await server.ctx.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('prefix', '=', key.slice(0, 12))
      .executeTakeFirstOrThrow();
    expect(Number(row.last_used_at)).toBe(clock);
  });

  it('no key, a malformed one, a wrong secret: 401 problem+json with the code and WWW-Authenticate', async () => {
    for (const [key, code] of [
      [null, 'DROPDAY_ERR_API_KEY_MISSING'],
      ['not-a-key', 'DROPDAY_ERR_API_KEY_INVALID'],
    ] as const) {
      const res = await apiClient(server.url, key).get('/workspace');
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="dropday"');
      expect(res.body).toMatchObject({ status: 401, code, type: `${server.ctx.config.publicUrl}/api/v1/errors/${code}` });
    }
    const real = await apiKeyFor(server.ctx, workspaceId);
    const forged = `${real.slice(0, 13)}${'A'.repeat(43)}`;
    expect((await apiClient(server.url, forged).get('/workspace')).body).toMatchObject({ code: 'DROPDAY_ERR_API_KEY_INVALID' });
  });

  it('a revoked key and an expired key are refused, each saying why', async () => {
    const key = await apiKeyFor(server.ctx, workspaceId);
    await revokeApiKey(server.ctx.db, workspaceId, key.slice(0, 12), clock);
    expect((await apiClient(server.url, key).get('/workspace')).body).toMatchObject({ status: 401, code: 'DROPDAY_ERR_API_KEY_REVOKED' });
    const soon = await apiKeyFor(server.ctx, workspaceId, { expiresAt: clock + 1000 });
    expect((await apiClient(server.url, soon).get('/workspace')).status).toBe(200);
    clock += 1000;
    expect((await apiClient(server.url, soon).get('/workspace')).body).toMatchObject({ status: 401, code: 'DROPDAY_ERR_API_KEY_EXPIRED' });
  });

  it('a key without the scope is refused with 403 naming the scope', async () => {
    const key = await apiKeyFor(server.ctx, workspaceId, { scopes: ['campaigns:read'] });
    const res = await apiClient(server.url, key).get('/workspace');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'DROPDAY_ERR_API_SCOPE_MISSING', detail: expect.stringContaining('workspace:read') });
  });

  it('a session cookie never authenticates the API', async () => {
    const res = await fetch(`${server.url}/api/v1/workspace`, { headers: { cookie: 'dropday_session=anything' } });
    expect(res.status).toBe(401);
  });

  it('unknown routes answer problem+json 404; every error code is documented at its type address', async () => {
    const res = await apiClient(server.url, null).get('/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'DROPDAY_ERR_NOT_FOUND', detail: 'No API route GET /api/v1/nothing-here.' });
    const doc = await apiClient(server.url, null).get('/errors/DROPDAY_ERR_API_KEY_REVOKED');
    expect(doc.body).toEqual({ code: 'DROPDAY_ERR_API_KEY_REVOKED', status: 401, title: 'This API key was revoked.' });
    expect((await apiClient(server.url, null).get('/errors/DROPDAY_ERR_NOPE')).status).toBe(404);
  });
});
