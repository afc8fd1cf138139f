import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const PW = 'correct horse battery';

async function setup(dialect: 'sqlite' | 'postgres', env: Record<string, string> = {}) {
  const t = await createTestDb(dialect, env);
  const ctx = await createContext(t.config, { log: captureLog().log });
  const app = await buildApp(ctx);
  await registerAuth(app, ctx);
  // A route that checks its token itself (as a multipart upload would): only Origin is checked globally.
  app.post('/test/manual-csrf', { config: { csrf: 'manual' } }, async () => ({ ok: true }));
  return {
    t,
    ctx,
    app,
    async close() {
      await app.close();
      await ctx.close();
      await t.drop();
    },
  };
}

describe.each(testDialects())('CSRF protection (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let user: InjectAgent;
  beforeAll(async () => {
    ({ t, ctx, app, close } = await setup(dialect));
    void t;
    user = new InjectAgent(app);
    await user.get('/signup');
    expect((await user.post('/signup', { email: 'csrf@example.com', password: PW })).statusCode).toBe(303);
    await user.get('/workspaces');
  });
  afterAll(() => close());

  const workspaceCount = async () => (await ctx.db.selectFrom('workspaces').select('id').execute()).length;

  it('a signed-in POST without a token, or with a wrong one, is refused and changes nothing', async () => {
    const none = await user.post('/workspaces', { name: 'No token', slug: 'no-token' }, { csrf: false });
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('DROPDAY_ERR_CSRF');
    const wrong = await user.post('/workspaces', { name: 'Wrong', slug: 'wrong-token' }, { csrf: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    // Another user's token is no good either.
    const other = new InjectAgent(app);
    await other.get('/signup');
    await other.post('/signup', { email: 'csrf-other@example.com', password: PW });
    await other.get('/workspaces');
    expect((await user.post('/workspaces', { name: 'Other', slug: 'other-token' }, { csrf: other.csrf! })).statusCode).toBe(403);
    expect(await workspaceCount()).toBe(0);
  });

  it('a cross-site Origin or Sec-Fetch-Site is refused even with the right token', async () => {
    const evil = await user.post('/workspaces', { name: 'Evil', slug: 'evil' }, { headers: { origin: 'https://evil.example' } });
    expect(evil.statusCode).toBe(403);
    const nul = await user.post('/workspaces', { name: 'Null', slug: 'null-origin' }, { headers: { origin: 'null' } });
    expect(nul.statusCode).toBe(403);
    const site = await user.post('/workspaces', { name: 'Site', slug: 'cross-site' }, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.statusCode).toBe(403);
    expect(await workspaceCount()).toBe(0);
    const ok = await user.post(
      '/workspaces',
      { name: 'Fine', slug: 'fine' },
      { headers: { origin: new URL(ctx.config.publicUrl).origin, 'sec-fetch-site': 'same-origin' } },
    );
    expect(ok.statusCode).toBe(303);
    expect(await workspaceCount()).toBe(1);
  });

  it('signed-out forms use a signed double-submit token bound to this browser', async () => {
    const users = async () => (await ctx.db.selectFrom('users').select('id').execute()).length;
    const before = await users();
    const a = new InjectAgent(app);
    const page = await a.get('/signup');
    const cookie = page.cookies.find((c) => c.name === '__Host-dropday_csrf')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.secure).toBe(true);
    // No token at all:
    expect((await a.post('/signup', { email: 'x1@example.com', password: PW }, { csrf: false })).statusCode).toBe(403);
    // The token of another browser (its own cookie) does not fit this one's cookie:
    const b = new InjectAgent(app);
    await b.get('/signup');
    expect((await a.post('/signup', { email: 'x2@example.com', password: PW }, { csrf: b.csrf! })).statusCode).toBe(403);
    // The cookie value itself is not the token:
    expect((await a.post('/signup', { email: 'x3@example.com', password: PW }, { csrf: cookie.value })).statusCode).toBe(403);
    // Without the cookie the token is worthless:
    const token = a.csrf!;
    a.cookies.delete('__Host-dropday_csrf');
    expect((await a.post('/signup', { email: 'x4@example.com', password: PW }, { csrf: token })).statusCode).toBe(403);
    expect(await users()).toBe(before);
    // Login and forgot are protected the same way.
    expect((await new InjectAgent(app).post('/login', { email: 'csrf@example.com', password: PW })).statusCode).toBe(403);
    expect((await new InjectAgent(app).post('/forgot', { email: 'csrf@example.com' })).statusCode).toBe(403);
  });

  it('sign-out needs the token: a forged sign-out leaves the session alive', async () => {
    expect((await user.post('/logout', {}, { csrf: false })).statusCode).toBe(403);
    expect((await user.get('/workspaces')).statusCode).toBe(200);
  });

  it('the token can come in the X-CSRF-Token header (for scripts on our pages)', async () => {
    await user.get('/workspaces');
    const res = await user.post(
      '/workspaces',
      { name: 'Header', slug: 'via-header' },
      { csrf: false, headers: { 'x-csrf-token': user.csrf! } },
    );
    expect(res.statusCode).toBe(303);
  });

  it("a route with config.csrf = 'manual' keeps the Origin check but not the token check", async () => {
    const res = await app.inject({ method: 'POST', url: '/test/manual-csrf', headers: { origin: new URL(ctx.config.publicUrl).origin } });
    expect(res.statusCode).toBe(200);
    const evil = await app.inject({ method: 'POST', url: '/test/manual-csrf', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(evil.statusCode).toBe(403);
  });

  it('a same-origin form on a no-referrer page (Origin: null, Sec-Fetch-Site: same-origin) is accepted', async () => {
    await user.get('/workspaces');
    const res = await user.post(
      '/workspaces',
      { name: 'Null ok', slug: 'null-ok' },
      { headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } },
    );
    expect(res.statusCode).toBe(303);
  });

  it('excluded paths: /sandbox/*, /callback/* and /api/* are not checked for CSRF', async () => {
    const callback = await app.inject({ method: 'POST', url: '/callback/sandbox', payload: {} });
    expect(callback.body).not.toContain('DROPDAY_ERR_CSRF');
    const sandbox = await app.inject({
      method: 'POST',
      url: '/sandbox/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      payload: 'request_id=nope&username=x&decision=allow',
    });
    expect(sandbox.body).not.toContain('DROPDAY_ERR_CSRF');
    const api = await app.inject({ method: 'POST', url: '/api/v1/anything', payload: {} });
    expect(api.statusCode).not.toBe(403);
  });
});

describe.each(testDialects())('security headers (%s)', (dialect) => {
  it('app pages: CSP with nonce, form-action and frame-ancestors; X-Frame-Options, COOP, nosniff, no-store; no HSTS on http', async () => {
    const s = await setup(dialect);
    try {
      for (const url of ['/login', '/signup', '/forgot', '/admin', '/workspaces']) {
        const res = await s.app.inject(url);
        const csp = String(res.headers['content-security-policy']);
        expect(csp, url).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
        expect(csp, url).toContain("frame-ancestors 'none'");
        expect(res.headers['x-frame-options'], url).toBe('DENY');
        expect(res.headers['x-content-type-options'], url).toBe('nosniff');
        expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
        expect(res.headers['strict-transport-security'], url).toBeUndefined();
        if (res.statusCode === 200) {
          expect(csp, url).toContain("form-action 'self'");
          expect(res.headers['cache-control'], url).toBe('no-store');
        }
      }
      // The fans' campaign page keeps working with provider redirects: no form-action there.
      await createCampaign(
        { db: s.ctx.db, now: s.ctx.now, enabledServices: s.ctx.providers.enabled() },
        { slug: 'hdr', artistName: 'A', title: 'T', upc: '036000291452', releaseAt: '2028-06-01', services: ['sandbox'] },
      );
      const page = await s.app.inject('/hdr');
      expect(page.statusCode).toBe(200);
      expect(String(page.headers['content-security-policy'])).not.toContain('form-action');
      expect(page.headers['x-frame-options']).toBe('DENY');
      // The Apple Music page opens Apple's sign-in popup and needs its answer.
      const connect = await s.app.inject('/connect/sandbox?campaign=nope');
      expect(connect.headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups');
    } finally {
      await s.close();
    }
  });

  it('https PUBLIC_URL: HSTS; plain http on a LAN address: the session cookie drops Secure and the __Host- prefix', async () => {
    const https = await setup(dialect, { PUBLIC_URL: 'https://presave.example.com' });
    try {
      const res = await https.app.inject('/login');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      const a = new InjectAgent(https.app);
      await a.get('/signup');
      const s = await a.post('/signup', { email: 'tls@example.com', password: PW }, { headers: { origin: 'https://presave.example.com' } });
      expect(s.statusCode).toBe(303);
      expect(s.cookies.find((c) => c.name === '__Host-dropday_session')?.secure).toBe(true);
      // The browser's Origin must be the public one.
      const b = new InjectAgent(https.app);
      await b.get('/signup');
      expect(
        (await b.post('/signup', { email: 'tls2@example.com', password: PW }, { headers: { origin: 'http://presave.example.com' } }))
          .statusCode,
      ).toBe(403);
    } finally {
      await https.close();
    }
    const lan = await setup(dialect, { PUBLIC_URL: 'http://192.168.1.20:3000' });
    try {
      const a = new InjectAgent(lan.app);
      await a.get('/signup');
      const s = await a.post('/signup', { email: 'lan@example.com', password: PW });
      expect(s.statusCode).toBe(303);
      const c = s.cookies.find((x) => x.name === 'dropday_session')!;
      expect(c).toBeDefined();
      expect(c.secure).toBeFalsy();
      expect(c.httpOnly).toBe(true);
      expect((await a.get('/workspaces')).statusCode).toBe(200);
    } finally {
      await lan.close();
    }
  });
});
