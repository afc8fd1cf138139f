import { describe, expect, it } from 'vitest';
import { createInvitation } from '../src/accounts/invitations.js';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { createTestDb, testDialects } from './helpers/db.js';

const PW = 'correct horse battery';

/** Builds the app with SIGNUP set in its configuration (read with every other setting by loadConfig). */
async function withSignup<T>(
  dialect: 'sqlite' | 'postgres',
  mode: string,
  fn: (s: Awaited<ReturnType<typeof setup>>) => Promise<T>,
): Promise<T> {
  const s = await setup(dialect, mode);
  try {
    return await fn(s);
  } finally {
    await s.app.close();
    await s.ctx.close();
    await s.t.drop();
  }
}

async function setup(dialect: 'sqlite' | 'postgres', signup: string) {
  const t = await createTestDb(dialect, { SIGNUP: signup });
  const logs = captureLog();
  const ctx = await createContext(t.config, { log: logs.log });
  const app = await buildApp(ctx);
  await registerAuth(app, ctx);
  await app.ready();
  return { t, ctx, app, logs };
}

describe.each(testDialects())('SIGNUP=open|invite|closed (%s)', (dialect) => {
  it('closed: no sign-up page and no sign-up, but sign-in works', async () => {
    await withSignup(dialect, 'closed', async ({ app, ctx }) => {
      await createUser(ctx.db, { email: 'made-by-ops@example.com', password: PW }, ctx.now());
      const a = new InjectAgent(app);
      const page = await a.get('/signup');
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain('Sign-up is closed');
      await a.get('/login');
      expect((await a.post('/signup', { email: 'new@example.com', password: PW })).statusCode).toBe(403);
      expect(await ctx.db.selectFrom('users').select('id').where('email', '=', 'new@example.com').execute()).toHaveLength(0);
      expect((await a.post('/login', { email: 'made-by-ops@example.com', password: PW })).statusCode).toBe(303);
    });
  });

  it('invite: only an address with a pending invitation may sign up', async () => {
    await withSignup(dialect, 'invite', async ({ app, ctx }) => {
      const owner = await createUser(ctx.db, { email: 'owner@example.com', password: PW }, ctx.now());
      const ws = await createWorkspace(ctx.db, { slug: 'ws', name: 'WS' }, owner.id, ctx.now());
      await createInvitation(
        ctx.db,
        ws,
        { userId: owner.id, role: 'owner' },
        { email: 'invited@example.com', role: 'viewer' },
        ctx.now(),
        86_400_000,
      );
      const a = new InjectAgent(app);
      expect((await a.get('/signup')).statusCode).toBe(200);
      const refused = await a.post('/signup', { email: 'stranger@example.com', password: PW });
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('needs an invitation');
      expect((await a.post('/signup', { email: 'Invited@example.com', password: PW })).statusCode).toBe(303);
    });
  });

  for (const mode of ['open', 'invite']) {
    it(`${mode}: signing up with an invitee's address does not let anyone join until the address is confirmed by link`, async () => {
      await withSignup(dialect, mode, async ({ app, ctx, logs }) => {
        const owner = await createUser(ctx.db, { email: 'owner@example.com', password: PW, emailVerified: true }, ctx.now());
        const ws = await createWorkspace(ctx.db, { slug: 'ws', name: 'WS' }, owner.id, ctx.now());
        const inv = await createInvitation(
          ctx.db,
          ws,
          { userId: owner.id, role: 'owner' },
          { email: 'invitee@example.com', role: 'editor' },
          ctx.now(),
          86_400_000,
        );
        // Someone else signs up with the invitee's address, and has the (forwarded) invitation link.
        const squatter = new InjectAgent(app, '10.6.6.6');
        await squatter.get('/signup');
        expect((await squatter.post('/signup', { email: 'invitee@example.com', password: 'squatting cat 42' })).statusCode).toBe(303);
        const page = await squatter.get(`/invite/${inv.token}`);
        expect(page.body).toContain('Confirm your email address first');
        expect(page.body).not.toMatch(/<button[^>]*>Join WS/);
        const join = await squatter.post(`/invite/${inv.token}`);
        expect(join.statusCode).toBe(403);
        expect(join.body).toContain('Confirm your email address first');
        const members = () => ctx.db.selectFrom('workspace_members').select('user_id').where('workspace_id', '=', ws.id).execute();
        expect(await members()).toHaveLength(1);
        // Asking for more links is fine, but they all go to the address, never to the page.
        const resend = await squatter.post('/verify', { next: `/invite/${inv.token}` });
        expect(resend.statusCode).toBe(303);
        expect(resend.headers.location).toBe(`/invite/${inv.token}?sent=1`);
        const link = new URL(logs.lastLinkTo('invitee@example.com'));
        expect(link.pathname).toMatch(/^\/verify\/[A-Za-z0-9_-]{43}$/);
        expect((await squatter.get(`/invite/${inv.token}?sent=1`)).body).not.toContain(link.pathname);

        // The address's owner opens the link: opening confirms nothing (mail scanners open links)…
        const owner2 = new InjectAgent(app, '10.7.7.7');
        const confirmPage = await owner2.get(link.pathname);
        expect(confirmPage.statusCode).toBe(200);
        expect(confirmPage.headers['referrer-policy']).toBe('no-referrer');
        expect(confirmPage.body).toContain('invitee@example.com');
        expect((await squatter.post(`/invite/${inv.token}`)).statusCode).toBe(403);
        // …the button does, once.
        const confirmed = await owner2.post(link.pathname);
        expect(confirmed.statusCode).toBe(200);
        expect(confirmed.body).toContain('invitee@example.com is confirmed');
        expect((await owner2.post(link.pathname)).statusCode).toBe(400);
        const joined = await squatter.post(`/invite/${inv.token}`);
        expect(joined.statusCode).toBe(303);
        expect(await members()).toHaveLength(2);
      });
    });
  }

  it('a password reset proves the address (its link came by mail)', async () => {
    await withSignup(dialect, 'open', async ({ app, ctx, logs }) => {
      const a = new InjectAgent(app);
      await a.get('/signup');
      expect((await a.post('/signup', { email: 'forgetful@example.com', password: PW })).statusCode).toBe(303);
      const verified = async (email: string) =>
        (await ctx.db.selectFrom('users').select('email_verified_at').where('email', '=', email).executeTakeFirstOrThrow())
          .email_verified_at !== null;
      expect(await verified('forgetful@example.com')).toBe(false);
      const b = new InjectAgent(app);
      await b.get('/forgot');
      await b.post('/forgot', { email: 'forgetful@example.com' });
      const reset = new URL(logs.lastLinkTo('forgetful@example.com'));
      expect(reset.pathname).toMatch(/^\/reset\//);
      await b.get(reset.pathname);
      expect((await b.post(reset.pathname, { password: 'a brand new passphrase' })).statusCode).toBe(303);
      expect(await verified('forgetful@example.com')).toBe(true);
    });
  });
});
