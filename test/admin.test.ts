import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginToken } from '../src/admin/sessions.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

describe.each(testDialects())('admin sign-in and overview through inject() (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config);
    app = await buildApp(ctx);
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      { slug: 'admin-view', artistName: 'Ada <b>', title: 'Overview', upc: '036000291452', releaseAt: '2030-01-01', services: ['sandbox'] },
    );
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await t.drop();
  });

  it('without a session /admin explains how to sign in', async () => {
    const res = await app.inject('/admin');
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('npx dropday admin login-link');
  });

  it('a one-time link opens a session that lists campaigns, escaped; the link cannot be reused', async () => {
    const token = await createLoginToken(ctx.db, ctx.now());
    const login = await app.inject(`/admin/login?token=${token}`);
    expect(login.statusCode).toBe(303);
    const cookie = login.cookies.find((c) => c.name === 'dropday_admin')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const page = await app.inject({ url: '/admin', cookies: { dropday_admin: cookie.value } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('admin-view');
    expect(page.body).toContain('Ada &lt;b&gt;');
    expect((await app.inject(`/admin/login?token=${token}`)).statusCode).toBe(401);

    const out = await app.inject({
      method: 'POST',
      url: '/admin/logout',
      cookies: { dropday_admin: cookie.value },
      headers: { origin: 'https://evil.example' },
    });
    expect(out.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/admin/logout', cookies: { dropday_admin: cookie.value } });
    expect(ok.statusCode).toBe(303);
    expect((await app.inject({ url: '/admin', cookies: { dropday_admin: cookie.value } })).statusCode).toBe(401);
  });

  it('health reports the database', async () => {
    const res = await app.inject('/healthz');
    expect(res.json()).toEqual({ ok: true, database: dialect });
  });

  it('an oversized or malformed request is a 4xx, never a 500', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/admin/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'x='.padEnd(200_000, 'a'),
    });
    expect(big.statusCode).toBe(413);
    const weird = await app.inject('/%E0%A4%A');
    expect(weird.statusCode).toBeLessThan(500);
    const p = await app.inject('/p/not-a-real-id!!');
    expect(p.statusCode).toBe(404);
  });
});
