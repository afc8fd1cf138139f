import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { createLoginToken } from '../src/admin/sessions.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const PW = 'correct horse battery';
const COOKIE = '__Host-dropday_session';

describe.each(testDialects())('operator overview at /admin (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config, { log: captureLog().log });
    app = await buildApp(ctx);
    await registerAuth(app, ctx);
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    await createCampaign(deps, {
      slug: 'admin-view',
      artistName: 'Ada <b>',
      title: 'Overview',
      upc: '036000291452',
      releaseAt: '2028-06-01',
      services: ['sandbox'],
    });
    const owned = await createCampaign(deps, {
      slug: 'in-a-workspace',
      artistName: 'W',
      title: 'Owned',
      upc: '036000291452',
      releaseAt: '2028-06-01',
      services: ['sandbox'],
    });
    const artist = await createUser(ctx.db, { email: 'artist@example.com', password: PW }, ctx.now());
    const ws = await createWorkspace(ctx.db, { slug: 'ada', name: 'Ada & Co' }, artist.id, ctx.now());
    await setCampaignWorkspace(ctx.db, owned.id, ws.id);
    await createUser(ctx.db, { email: 'ops@example.com', password: PW, instanceAdmin: true }, ctx.now());
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await t.drop();
  });

  async function signIn(email: string) {
    const a = new InjectAgent(app);
    await a.get('/login');
    expect((await a.post('/login', { email, password: PW })).statusCode).toBe(303);
    return a;
  }

  it('without a session /admin sends to sign-in; a signed-in non-operator is refused', async () => {
    const res = await app.inject('/admin');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?next=%2Fadmin');
    const artist = await signIn('artist@example.com');
    const page = await artist.get('/admin');
    expect(page.statusCode).toBe(403);
    expect(page.body).not.toContain('admin-view');
  });

  it('an instance admin sees every campaign (escaped) with its workspace, CLI-made ones as "operators", and every workspace', async () => {
    const ops = await signIn('ops@example.com');
    const page = await ops.get('/admin');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('admin-view');
    expect(page.body).toContain('Ada &lt;b&gt;');
    expect(page.body).toContain('in-a-workspace');
    expect(page.body).toContain('Ada &amp; Co');
    expect(page.body).toMatch(/admin-view<\/a>[\s\S]*?operators/);
    // Operators may read any workspace, without member controls.
    const ws = await ops.get('/w/ada/members');
    expect(ws.statusCode).toBe(200);
    expect(ws.body).toContain('operator (read-only)');
    expect(ws.body).not.toContain('action="/w/ada/invitations"');
  });

  it('`dropday admin login-link`: a one-time link signs an instance admin in; it cannot be reused', async () => {
    const token = await createLoginToken(ctx.db, ctx.now());
    const login = await app.inject(`/admin/login?token=${token}`);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/admin');
    const cookie = login.cookies.find((c) => c.name === COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const page = await app.inject({ url: '/admin', cookies: { [COOKIE]: cookie.value } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('admin-view');
    expect((await app.inject(`/admin/login?token=${token}`)).statusCode).toBe(401);
    await expect(createLoginToken(ctx.db, ctx.now(), 'artist@example.com')).rejects.toThrow(/no instance admin/);
  });

  it('health reports the database', async () => {
    const res = await app.inject('/healthz');
    expect(res.json()).toEqual({ ok: true, database: dialect });
  });

  it('an oversized or malformed request is a 4xx, never a 500', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'x='.padEnd(200_000, 'a'),
    });
    expect(big.statusCode).toBe(413);
    const weird = await app.inject('/%E0%A4%A');
    expect(weird.statusCode).toBeLessThan(500);
    const p = await app.inject('/p/not-a-real-id!!');
    expect(p.statusCode).toBe(404);
    const junk = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/json' }, payload: '[1,2' });
    expect(junk.statusCode).toBeLessThan(500);
    const longCookie = await app.inject({ url: '/workspaces', cookies: { [COOKIE]: 'x'.repeat(5000) } });
    expect(longCookie.statusCode).toBe(303);
  });
});
