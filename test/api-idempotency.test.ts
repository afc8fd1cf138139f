import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { apiClient, apiKeyFor, apiWorkspace, type ApiClient } from './helpers/api.js';
import { housekeep } from '../src/web/housekeeping.js';

describe.each(testDialects())('Idempotency-Key on POST (%s)', (dialect) => {
  let server: TestServer;
  let clock = Date.UTC(2026, 11, 1, 12);
  let workspaceId: number;
  let api: ApiClient;

  const keyCount = async () =>
    Number(
      (
        await server.ctx.db
          .selectFrom('api_keys')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('workspace_id', '=', workspaceId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    ({ workspaceId } = await apiWorkspace(server.ctx));
    api = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId));
  });
  afterAll(async () => server?.close());

  it('a retried create with the same key makes one API key and answers the first answer again', async () => {
    const before = await keyCount();
    const body = { name: 'retry me', scopes: ['workspace:read'] };
    const first = await api.post('/keys', body, { 'idempotency-key': 'create-1' });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same fields in another order are the same request.
    const again = await api.post('/keys', { scopes: ['workspace:read'], name: 'retry me' }, { 'idempotency-key': 'create-1' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(again.body).toEqual(first.body);
    expect(await keyCount()).toBe(before + 1);
    // The stored answer holds the new key's secret: encrypted, never in clear.
    const row = await server.ctx.db.selectFrom('api_idempotency').selectAll().where('idem_key', '=', 'create-1').executeTakeFirstOrThrow();
    expect(row.response).not.toContain(first.body.key);
    expect(row.response).not.toContain('retry me');
    // Without a key, every POST makes another.
    await api.post('/keys', body);
    expect(await keyCount()).toBe(before + 2);
  });

  it('the same key with another body or path is a 422; nothing is made', async () => {
    await api.post('/keys', { name: 'a', scopes: ['workspace:read'] }, { 'idempotency-key': 'create-2' });
    const before = await keyCount();
    const res = await api.post('/keys', { name: 'b', scopes: ['workspace:read'] }, { 'idempotency-key': 'create-2' });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'DROPDAY_ERR_IDEMPOTENCY_MISMATCH' });
    expect(await keyCount()).toBe(before);
  });

  it('a bad Idempotency-Key is a 400 naming the header; a 400 for the body is not remembered', async () => {
    for (const bad of ['x'.repeat(256), 'tab\there']) {
      const res = await api.post('/keys', { name: 'x', scopes: ['workspace:read'] }, { 'idempotency-key': bad });
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveProperty(['headers.idempotency-key']);
    }
    const before = await keyCount();
    const wrong = await api.post('/keys', { name: 'fixed', scopes: ['nope'] }, { 'idempotency-key': 'create-3' });
    expect(wrong.status).toBe(400);
    const fixed = await api.post('/keys', { name: 'fixed', scopes: ['workspace:read'] }, { 'idempotency-key': 'create-3' });
    expect(fixed.status).toBe(201);
    expect(await keyCount()).toBe(before + 1);
  });

  it('a 400 from the handler’s own checks is not remembered either: the fixed body runs under the same key', async () => {
    // The schema lets an expiry in the past through; the handler refuses it (a ValidationError, 400).
    const before = await keyCount();
    const past = await api.post(
      '/keys',
      { name: 'late fix', scopes: ['workspace:read'], expires_at: '2020-01-01T00:00:00Z' },
      { 'idempotency-key': 'create-past' },
    );
    expect(past.status).toBe(400);
    expect(past.body.errors).toHaveProperty(['body.expires_at']);
    const fixed = await api.post('/keys', { name: 'late fix', scopes: ['workspace:read'] }, { 'idempotency-key': 'create-past' });
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    expect(await keyCount()).toBe(before + 1);
  });

  it('a handler’s 4xx is replayed as it was', async () => {
    const limited = apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['keys:write'] }));
    const body = { name: 'more', scopes: ['campaigns:write'] };
    const first = await limited.post('/keys', body, { 'idempotency-key': 'refused-1' });
    expect(first.status).toBe(403);
    const again = await limited.post('/keys', body, { 'idempotency-key': 'refused-1' });
    expect(again.status).toBe(403);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('a request still running answers 409 with Retry-After; one abandoned for 5 minutes runs again', async () => {
    const body = { name: 'late', scopes: ['workspace:read'] };
    expect((await api.post('/keys', body, { 'idempotency-key': 'running' })).status).toBe(201);
    // As if that first request were still running (or its process had died before it answered).
    await server.ctx.db.updateTable('api_idempotency').set({ status: null, response: null }).where('idem_key', '=', 'running').execute();
    const before = await keyCount();
    const busy = await api.post('/keys', body, { 'idempotency-key': 'running' });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('DROPDAY_ERR_IDEMPOTENCY_IN_PROGRESS');
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await keyCount()).toBe(before);
    clock += 5 * 60_000;
    const rerun = await api.post('/keys', body, { 'idempotency-key': 'running' });
    expect(rerun.status).toBe(201);
    expect(rerun.headers.get('idempotent-replayed')).toBeNull();
    expect(await keyCount()).toBe(before + 1);
  });

  it('answers are kept 24 hours; housekeeping deletes them after', async () => {
    clock += 24 * 3_600_000;
    const run = await housekeep(server.ctx);
    expect(run.idempotency).toBe(6);
    expect(await server.ctx.db.selectFrom('api_idempotency').selectAll().execute()).toEqual([]);
  });
});
