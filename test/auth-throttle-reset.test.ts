import { passwordHashing } from '../src/accounts/passwords.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/context.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const PW = 'correct horse battery';
const COOKIE = '__Host-dropday_session';

/** A page without what differs per request by design: the CSP nonce, the CSRF token, and the email typed. */
function shape(res: LightMyRequestResponse, email?: string): string {
  let body = res.body.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""');
  if (email) body = body.split(email).join('EMAIL');
  return `${res.statusCode}\n${body}`;
}

describe.each(testDialects())('sign-in throttling and password reset (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  let clock = Date.UTC(2030, 0, 1);
  const logs = captureLog();
  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config, { now: () => clock, log: logs.log });
    app = await buildApp(ctx);
    await registerAuth(app, ctx);
    for (const email of ['known@example.com', 'ipvictim@example.com', 'reset@example.com', 'timing@example.com']) {
      await createUser(ctx.db, { email, password: PW }, clock);
    }
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await t.drop();
  });

  async function login(agent: InjectAgent, email: string, password: string) {
    await agent.get('/login');
    return agent.post('/login', { email, password });
  }

  it('per account: 5 failures lock it for 15 minutes, with the same answer for a known and an unknown email', async () => {
    const known = new InjectAgent(app, '10.0.0.1');
    const ghost = new InjectAgent(app, '10.0.0.2');
    for (let i = 1; i <= 7; i++) {
      const k = await login(known, 'known@example.com', `wrong password ${i}`);
      const g = await login(ghost, 'ghost@example.com', `wrong password ${i}`);
      expect(k.statusCode, `attempt ${i}`).toBe(401);
      expect(shape(k, 'known@example.com'), `attempt ${i}`).toBe(shape(g, 'ghost@example.com'));
      expect(k.body).toContain('Wrong email or password, or too many attempts');
      if (i >= 5) expect(k.body).toMatch(/try again in 15 minutes/);
      clock += 1000;
    }
    // Locked: even the right password is refused, with the very same answer.
    const locked = await login(known, 'known@example.com', PW);
    expect(locked.statusCode).toBe(401);
    expect(locked.body).toMatch(/too many attempts; try again in 15 minutes/);
    expect(locked.cookies.find((c) => c.name === COOKIE)).toBeUndefined();
    // The lock is per account: another IP does not help…
    expect((await login(new InjectAgent(app, '10.0.0.3'), 'known@example.com', PW)).statusCode).toBe(401);
    // …and it slides: when the failures leave the 15-minute window, the right password works again.
    clock += 15 * 60_000;
    const ok = await login(known, 'known@example.com', PW);
    expect(ok.statusCode).toBe(303);
    expect(ok.cookies.find((c) => c.name === COOKIE)).toBeDefined();
  });

  it('per IP: 20 failures from one address lock every account from it, not from elsewhere', async () => {
    const attacker = new InjectAgent(app, '10.9.9.9');
    for (let i = 0; i < 20; i++) {
      const res = await login(attacker, `spray${i}@example.com`, 'some guess 123');
      expect(res.statusCode).toBe(401);
    }
    const fromAttacker = await login(attacker, 'ipvictim@example.com', PW);
    expect(fromAttacker.statusCode).toBe(401);
    expect(fromAttacker.body).toMatch(/try again in \d+ minutes?/);
    expect((await login(new InjectAgent(app, '10.1.1.1'), 'ipvictim@example.com', PW)).statusCode).toBe(303);
    clock += 16 * 60_000;
  });

  it('the counters live in the database (shared by every process), with hashed keys only', async () => {
    const rows = await ctx.db.selectFrom('throttles').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    const text = JSON.stringify(rows);
    expect(text).not.toContain('@example.com');
    expect(text).not.toContain('10.9.9.9');
  });

  it('an unknown email costs a password hash too (no timing oracle)', async () => {
    // Counted, not timed: every failed sign-in runs exactly one argon2 verification through the
    // hashing gate, whether or not the account exists (an unknown one checks a dummy hash).
    const hashesFor = async (email: string) => {
      const a = new InjectAgent(app, `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`);
      await a.get('/login');
      const before = passwordHashing.stats.started;
      const res = await a.post('/login', { email, password: 'not the password' });
      return { hashes: passwordHashing.stats.started - before, status: res.statusCode };
    };
    const known = await hashesFor('timing@example.com');
    const unknown = await hashesFor('nobody@example.com');
    expect(known.hashes).toBe(1);
    expect(unknown.hashes).toBe(1);
    expect(unknown.status).toBe(known.status);
  });

  it('reset: the same answer whether or not the account exists; a mail only for a real account', async () => {
    const a = new InjectAgent(app);
    await a.get('/forgot');
    const before = logs.mails().length;
    const real = await a.post('/forgot', { email: 'reset@example.com' });
    const fake = await a.post('/forgot', { email: 'no-such-person@example.com' });
    expect(real.statusCode).toBe(200);
    expect(shape(real)).toBe(shape(fake));
    expect(real.body).toContain('If an account exists for that address');
    const mails = logs.mails().slice(before);
    expect(mails.map((m) => m.to)).toEqual(['reset@example.com']);
    expect(mails[0]!.link).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/);
    // Only a hash of the token is stored.
    const token = mails[0]!.link!.split('/').pop()!;
    const rows = await ctx.db.selectFrom('account_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it('reset: a weak password does not use the link; a good one does, ends sessions, and the link works once', async () => {
    const signedIn = new InjectAgent(app, '10.2.2.2');
    expect((await login(signedIn, 'reset@example.com', PW)).statusCode).toBe(303);
    const link = new URL(logs.lastLinkTo('reset@example.com'));
    const a = new InjectAgent(app);
    const form = await a.get(link.pathname);
    expect(form.statusCode).toBe(200);
    expect(form.headers['referrer-policy']).toBe('no-referrer');
    expect(form.body).toContain('Choose a new password');
    const weak = await a.post(link.pathname, { password: 'password1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('too common');
    const done = await a.post(link.pathname, { password: 'a brand new passphrase' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/login?reset=1');
    // The session that existed before the reset is over.
    expect((await signedIn.get('/workspaces')).statusCode).toBe(303);
    // The link is used up.
    expect((await a.get(link.pathname)).statusCode).toBe(400);
    expect((await a.post(link.pathname, { password: 'yet another passphrase' })).statusCode).toBe(400);
    // Old password out, new one in.
    expect((await login(new InjectAgent(app, '10.3.3.3'), 'reset@example.com', PW)).statusCode).toBe(401);
    expect((await login(new InjectAgent(app, '10.3.3.4'), 'reset@example.com', 'a brand new passphrase')).statusCode).toBe(303);
  });

  it('reset: a link expires after 30 minutes', async () => {
    clock += 60 * 60_000;
    const a = new InjectAgent(app);
    await a.get('/forgot');
    await a.post('/forgot', { email: 'reset@example.com' });
    const link = new URL(logs.lastLinkTo('reset@example.com'));
    clock += 29 * 60_000;
    expect((await a.get(link.pathname)).statusCode).toBe(200);
    clock += 2 * 60_000;
    expect((await a.get(link.pathname)).statusCode).toBe(400);
    expect((await a.post(link.pathname, { password: 'too late passphrase' })).statusCode).toBe(400);
    expect((await login(new InjectAgent(app, '10.4.4.4'), 'reset@example.com', 'a brand new passphrase')).statusCode).toBe(303);
  });

  it('reset: at most 3 mails per account per 15 minutes, still with the same answer', async () => {
    clock += 60 * 60_000;
    const a = new InjectAgent(app);
    await a.get('/forgot');
    const before = logs.mails().length;
    for (let i = 0; i < 5; i++) {
      const res = await a.post('/forgot', { email: 'reset@example.com' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('If an account exists');
    }
    expect(logs.mails().length - before).toBe(3);
  });
});
