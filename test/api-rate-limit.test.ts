import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { apiClient, apiKeyFor, apiWorkspace } from './helpers/api.js';

describe.each(testDialects())('the API’s rate limits (%s)', (dialect) => {
  let server: TestServer;
  let clock = Date.UTC(2026, 11, 1, 12);
  let workspaceId: number;

  beforeAll(async () => {
    server = await startTestServer(dialect, { API_RATE_LIMIT: '5', API_AUTH_FAILURES_PER_MINUTE: '3' }, () => clock);
    ({ workspaceId } = await apiWorkspace(server.ctx));
  });
  afterAll(async () => server?.close());

  it('every authenticated answer says the limit; over it: 429 problem+json with Retry-After; a new window starts over', async () => {
    const api = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['workspace:read'] }));
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      // An error answer (403: no such scope) counts and carries the headers too.
      const res = i === 2 ? await api.get('/keys') : await api.get('/workspace');
      expect(res.status).toBe(i === 2 ? 403 : 200);
      expect(res.headers.get('ratelimit-limit')).toBe('5');
      expect(res.headers.get('ratelimit-policy')).toBe('5;w=60');
      remaining.push(`${res.headers.get('ratelimit-remaining')}/${res.headers.get('ratelimit-reset')}`);
      clock += 1000;
    }
    expect(remaining).toEqual(['4/60', '3/59', '2/58', '1/57', '0/56']);
    const over = await api.get('/workspace');
    expect(over.status).toBe(429);
    expect(over.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(over.body).toMatchObject({ status: 429, code: 'DROPDAY_ERR_RATE_LIMITED' });
    expect(over.headers.get('retry-after')).toBe('55');
    expect(over.headers.get('ratelimit-remaining')).toBe('0');
    expect(over.headers.get('ratelimit-reset')).toBe('55');

    // Another key of the same workspace has its own count.
    const other = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['workspace:read'] }));
    expect((await other.get('/workspace')).headers.get('ratelimit-remaining')).toBe('4');

    clock += 55_000;
    const again = await api.get('/workspace');
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit-remaining')).toBe('4');
  });

  it('public routes need no key and are not counted', async () => {
    const res = await apiClient(server.url, null).get('/errors');
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });

  it('guessing keys from one network is refused after a few tries, even with the right key, until the minute ends', async () => {
    const good = await apiKeyFor(server.ctx, workspaceId, { scopes: ['workspace:read'] });
    const forged = `${good.slice(0, 13)}${'A'.repeat(43)}`;
    // A revoked or expired key is not a guess; no key at all is not either.
    for (let i = 0; i < 3; i++) expect((await apiClient(server.url, null).get('/workspace')).status).toBe(401);
    for (let i = 0; i < 3; i++)
      expect((await apiClient(server.url, forged).get('/workspace')).body.code).toBe('DROPDAY_ERR_API_KEY_INVALID');
    const blocked = await apiClient(server.url, 'ddk_nope').get('/workspace');
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('DROPDAY_ERR_RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBe(60);
    const right = await apiClient(server.url, good).get('/workspace');
    expect(right.status).toBe(429);
    clock += 60_000;
    expect((await apiClient(server.url, good).get('/workspace')).status).toBe(200);
  });
});
