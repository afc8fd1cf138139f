import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/context.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const COOKIE = '__Host-dropday_session';
const PW = 'correct horse battery';

describe.each(testDialects())('sign-up, sign-in, sign-out and session rules (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  let clock = Date.UTC(2030, 0, 1);
  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config, { now: () => clock, log: captureLog().log });
    app = await buildApp(ctx);
    await registerAuth(app, ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await t.drop();
  });

  async function signUp(email: string): Promise<InjectAgent> {
    const a = new InjectAgent(app);
    expect((await a.get('/signup')).statusCode).toBe(200);
    const res = await a.post('/signup', { email, password: PW });
    expect(res.statusCode).toBe(303);
    return a;
  }

  it('sign-up sets a __Host- session cookie (Secure, HttpOnly, SameSite=Lax, Path=/) and signs in', async () => {
    const a = new InjectAgent(app);
    await a.get('/signup');
    const res = await a.post('/signup', { email: '  New.Person@Example.COM ', password: PW });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/workspaces');
    const c = res.cookies.find((x) => x.name === COOKIE)!;
    expect(c).toBeDefined();
    expect(c.secure).toBe(true);
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.path).toBe('/');
    expect(c.domain).toBeUndefined();
    expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await a.get('/workspaces');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('new.person@example.com');
    // Only a hash of the token is stored.
    const rows = await ctx.db.selectFrom('user_sessions').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(c.value);
    // Passwords are argon2id with the OWASP parameters.
    const u = await ctx.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'new.person@example.com')
      .executeTakeFirstOrThrow();
    expect(u.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('sign-up refuses a short, common or duplicate password/email with clear messages', async () => {
    const a = new InjectAgent(app);
    await a.get('/signup');
    const short = await a.post('/signup', { email: 'short@example.com', password: 'abc' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('at least 8 characters');
    const common = await a.post('/signup', { email: 'short@example.com', password: 'Password123' });
    expect(common.statusCode).toBe(400);
    expect(common.body).toContain('too common');
    const bad = await a.post('/signup', { email: 'not-an-email', password: PW });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('like name@example.com');
    await signUp('dupe@example.com');
    const dupe = await a.post('/signup', { email: 'DUPE@example.com', password: PW });
    expect(dupe.statusCode).toBe(400);
    expect(dupe.body).toContain('already exists');
    expect(await ctx.db.selectFrom('users').select('id').where('email', '=', 'short@example.com').execute()).toHaveLength(0);
  });

  it('sign-in rotates the session: a new cookie value, and the old token no longer works', async () => {
    const a = await signUp('rotate@example.com');
    const before = a.cookies.get(COOKIE)!;
    await a.get('/login');
    const res = await a.post('/login', { email: 'rotate@example.com', password: PW });
    expect(res.statusCode).toBe(303);
    const after = a.cookies.get(COOKIE)!;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const old = await app.inject({ url: '/workspaces', cookies: { [COOKIE]: before } });
    expect(old.statusCode).toBe(303);
    expect(old.headers.location).toBe('/login?next=%2Fworkspaces');
    expect((await a.get('/workspaces')).statusCode).toBe(200);
  });

  it('a session value planted before sign-in (fixation) is discarded at sign-in', async () => {
    const victim = await signUp('fixation@example.com');
    const planted = 'A'.repeat(43);
    const a = new InjectAgent(app);
    a.cookies.set(COOKIE, planted);
    await a.get('/login');
    await a.post('/login', { email: 'fixation@example.com', password: PW });
    expect(a.cookies.get(COOKIE)).not.toBe(planted);
    expect((await app.inject({ url: '/workspaces', cookies: { [COOKIE]: planted } })).statusCode).toBe(303);
    expect((await victim.get('/workspaces')).statusCode).toBe(200);
  });

  it('sign-out revokes the session on the server', async () => {
    const a = await signUp('signout@example.com');
    const token = a.cookies.get(COOKIE)!;
    await a.get('/workspaces');
    const out = await a.post('/logout');
    expect(out.statusCode).toBe(303);
    expect(out.cookies.find((c) => c.name === COOKIE)?.value).toBe('');
    // Replaying the old cookie (as a thief would) gets nothing.
    expect((await app.inject({ url: '/workspaces', cookies: { [COOKIE]: token } })).statusCode).toBe(303);
  });

  it('idle timeout (2 h, sliding) and absolute timeout (12 h)', async () => {
    const a = await signUp('timeouts@example.com');
    const token = a.cookies.get(COOKIE)!;
    const get = () => app.inject({ url: '/workspaces', cookies: { [COOKIE]: token } });
    // Activity every 100 minutes keeps it alive past 2 h…
    for (let i = 0; i < 6; i++) {
      clock += 100 * 60_000;
      expect((await get()).statusCode, `after ${(i + 1) * 100} min`).toBe(200);
    }
    // …but not past 12 h from sign-in.
    clock += 100 * 60_000; // 700 min = 11 h 40
    expect((await get()).statusCode).toBe(200);
    clock += 25 * 60_000; // 12 h 05
    expect((await get()).statusCode).toBe(303);

    const b = await signUp('idle@example.com');
    const idleToken = b.cookies.get(COOKIE)!;
    clock += 2 * 3_600_000 + 1000;
    const res = await app.inject({ url: '/workspaces', cookies: { [COOKIE]: idleToken } });
    expect(res.statusCode).toBe(303);
    expect(await ctx.db.selectFrom('user_sessions').select('token_hash').where('expires_at', '<', 0).execute()).toHaveLength(0);
  });

  it('signed-in API-style requests without a session answer 401, pages redirect to /login', async () => {
    const json = await app.inject({ url: '/workspaces', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(401);
    expect(json.json().error.code).toBe('DROPDAY_ERR_UNAUTHORIZED');
    const page = await app.inject('/w/anything/members');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fw%2Fanything%2Fmembers');
  });

  it('after sign-in, `next` returns to a local path only', async () => {
    await signUp('next@example.com');
    const a = new InjectAgent(app);
    await a.get('/login?next=/w/x/members');
    const ok = await a.post('/login', { email: 'next@example.com', password: PW, next: '/w/x/members' });
    expect(ok.headers.location).toBe('/w/x/members');
    for (const evil of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const b = new InjectAgent(app);
      await b.get('/login');
      const res = await b.post('/login', { email: 'next@example.com', password: PW, next: evil });
      expect(res.headers.location).toBe('/workspaces');
    }
  });
});
