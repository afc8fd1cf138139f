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
  const ctx = await createContext(t.config, { log: captureLog().log });
  const app = await buildApp(ctx);
  await registerAuth(app, ctx);
  await app.ready();
  return { t, ctx, app };
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
});
