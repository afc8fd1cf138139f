import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { apiClient, apiKeyFor, apiWorkspace } from './helpers/api.js';

describe.each(testDialects())('API keys through the API (%s)', (dialect) => {
  let server: TestServer;
  const clock = Date.UTC(2026, 11, 1, 12);
  let workspaceId: number;
  let otherWorkspaceId: number;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    ({ workspaceId } = await apiWorkspace(server.ctx));
    ({ workspaceId: otherWorkspaceId } = await apiWorkspace(server.ctx, 'label-two'));
  });
  afterAll(async () => server?.close());

  it('makes a key shown once, lists it without any secret, and the new key works', async () => {
    const admin = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { name: 'admin' }));
    const made = await admin.post('/keys', { name: 'CRM sync', scopes: ['workspace:read', 'campaigns:read'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      name: 'CRM sync',
      scopes: ['campaigns:read', 'workspace:read'],
      created_via: 'api',
      expires_at: null,
      revoked_at: null,
      created_at: new Date(clock).toISOString(),
    });
    expect(made.body.key).toMatch(/^ddk_[0-9A-Za-z]{8}_[A-Za-z0-9_-]{43}$/);
    expect(made.body.key.startsWith(made.body.prefix)).toBe(true);
    expect((await apiClient(server.url, made.body.key).get('/workspace')).status).toBe(200);

    const list = await admin.get('/keys');
    expect(list.status).toBe(200);
    const listed = list.body.data.find((k: { prefix: string }) => k.prefix === made.body.prefix);
    expect(listed).toMatchObject({ name: 'CRM sync', last_used_at: new Date(clock).toISOString() });
    expect(JSON.stringify(list.body)).not.toContain(made.body.key.slice(13));
    expect(Object.keys(listed).sort()).toEqual(
      ['created_at', 'created_via', 'expires_at', 'last_used_at', 'name', 'prefix', 'revoked_at', 'scopes'].sort(),
    );
    const row = await server.ctx.db.selectFrom('api_keys').selectAll().where('prefix', '=', made.body.prefix).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(made.body.key.slice(13));
  });

  it('a key cannot grant a scope it does not have; a read key cannot write', async () => {
    const limited = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['keys:write', 'campaigns:read'] }));
    const res = await limited.post('/keys', { name: 'escalate', scopes: ['campaigns:write'] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'DROPDAY_ERR_API_SCOPE_MISSING',
      errors: { 'body.scopes': expect.stringContaining('campaigns:write') },
    });
    expect((await limited.post('/keys', { name: 'narrower', scopes: ['campaigns:read', 'keys:read'] })).status).toBe(201);

    const reader = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['keys:read'] }));
    const before = (await reader.get('/keys')).body.data.length;
    const refused = await reader.post('/keys', { name: 'nope', scopes: ['keys:read'] });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('keys:write');
    expect((await reader.get('/keys')).body.data.length).toBe(before);
  });

  it('a key that expires cannot make a key that outlives it', async () => {
    const expiresAt = clock + 86_400_000;
    const shortLived = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['keys:write'], expiresAt }));
    const before = (await shortLived.get('/keys')).body.data.length;
    for (const expires_at of [undefined, null, new Date(expiresAt + 1000).toISOString()]) {
      const res = await shortLived.post('/keys', {
        name: 'forever',
        scopes: ['keys:read'],
        ...(expires_at !== undefined ? { expires_at } : {}),
      });
      expect(res.status).toBe(403);
      expect(res.body.errors).toEqual({ 'body.expires_at': expect.stringContaining(new Date(expiresAt).toISOString()) });
    }
    expect((await shortLived.get('/keys')).body.data.length).toBe(before);
    const ok = await shortLived.post('/keys', { name: 'as long', scopes: ['keys:read'], expires_at: new Date(expiresAt).toISOString() });
    expect(ok.status).toBe(201);
  });

  it('mistakes are 400s naming the field, and nothing is made', async () => {
    const admin = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId));
    const count = async () =>
      (
        await server.ctx.db
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = Number(await count());
    const cases: Array<[unknown, string]> = [
      [{ scopes: ['keys:read'] }, 'body.name'],
      [{ name: 'x', scopes: [] }, 'body.scopes'],
      [{ name: 'x', scopes: ['keys:admin'] }, 'body.scopes.0'],
      [{ name: 'x', scopes: ['keys:read'], expires_at: 'tomorrow' }, 'body.expires_at'],
      [{ name: 'x', scopes: ['keys:read'], expires_at: new Date(clock - 1000).toISOString() }, 'body.expires_at'],
      [{ name: 'x', scopes: ['keys:read'], admin: true }, 'body.admin'],
      [{ name: '   ', scopes: ['keys:read'] }, 'body.name'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post('/keys', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Object.keys(res.body.errors ?? {}), JSON.stringify(res.body)).toContain(field);
    }
    expect(Number(await count())).toBe(before);
  });

  it('revokes a key of its own workspace at once; another workspace’s key is a 404 and keeps working', async () => {
    const admin = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId));
    const made = (await admin.post('/keys', { name: 'short-lived', scopes: ['workspace:read'] })).body;
    const revoked = await admin.delete(`/keys/${made.prefix}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ prefix: made.prefix, revoked_at: new Date(clock).toISOString() });
    expect((await apiClient(server.url, made.key).get('/workspace')).body.code).toBe('DROPDAY_ERR_API_KEY_REVOKED');

    const theirs = await apiKeyFor(server.ctx, otherWorkspaceId, { scopes: ['workspace:read'] });
    const res = await admin.delete(`/keys/${theirs.slice(0, 12)}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('DROPDAY_ERR_NOT_FOUND');
    expect((await apiClient(server.url, theirs).get('/workspace')).body.slug).toBe('label-two');
    expect((await admin.get('/keys')).body.data.map((k: { prefix: string }) => k.prefix)).not.toContain(theirs.slice(0, 12));
  });

  it('pages through keys with a cursor, none skipped or repeated', async () => {
    const { workspaceId: ws } = await apiWorkspace(server.ctx, 'label-pages');
    const admin = apiClient(server.url, await apiKeyFor(server.ctx, ws, { name: 'k0' }));
    for (let i = 1; i <= 4; i++) await admin.post('/keys', { name: `k${i}`, scopes: ['keys:read'] });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { data: Array<{ name: string }>; next_cursor: string | null } } = await admin.get(
        `/keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((k: { name: string }) => k.name));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect((await admin.get('/keys?cursor=garbage!')).status).toBe(400);
  });
});
