import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { adminCommand } from '../src/cli/admin.js';
import type { AppContext } from '../src/context.js';
import { DropdayError } from '../src/errors.js';
import { registerAuth } from '../src/web/auth-hooks.js';
import { envFor } from './helpers/cli.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const PW = 'operator passphrase';

describe.each(testDialects())('dropday admin create | reset-password | login-link (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  const saved = { ...process.env };
  beforeAll(async () => {
    t = await createTestDb(dialect);
    Object.assign(process.env, envFor(t), { LOG_LEVEL: 'silent' });
    ctx = await createContext(t.config, { log: captureLog().log });
    app = await buildApp(ctx);
    await registerAuth(app, ctx);
  });
  afterAll(async () => {
    process.env = saved;
    await app.close();
    await ctx.close();
    await t.drop();
  });

  /** Runs `dropday admin …` in-process with the given standard input; returns what it printed. */
  async function run(args: string[], stdin = ''): Promise<string> {
    const out: string[] = [];
    const cmd = adminCommand({ readStdin: async () => stdin, print: (l) => out.push(l) });
    cmd.exitOverride();
    cmd.commands.forEach((c) => c.exitOverride());
    await cmd.parseAsync(args, { from: 'user' });
    return out.join('\n');
  }

  async function signIn(email: string, password: string) {
    const a = new InjectAgent(app);
    await a.get('/login');
    return { agent: a, res: await a.post('/login', { email, password }) };
  }

  it('create with --password-stdin and a workspace: an instance admin who owns it and can sign in', async () => {
    const out = await run(
      ['create', '--email', 'Ops@Example.com', '--password-stdin', '--workspace', 'label', '--workspace-name', 'The Label'],
      `${PW}\n`,
    );
    expect(out).toContain('Created instance admin ops@example.com');
    expect(out).toContain('Workspace "The Label" (/label)');
    const { agent, res } = await signIn('ops@example.com', PW);
    expect(res.statusCode).toBe(303);
    expect((await agent.get('/admin')).statusCode).toBe(200);
    const m = await agent.get('/w/label/members');
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('you are Owner');
  });

  it('create without a password prints a one-time link to set it; --no-instance-admin makes an ordinary user', async () => {
    const out = await run(['create', '--email', 'artist@example.com', '--no-instance-admin']);
    expect(out).toContain('Created user artist@example.com');
    const link = /(http\S+\/reset\/\S+)/.exec(out)![1]!;
    const a = new InjectAgent(app);
    expect((await a.get(new URL(link).pathname)).statusCode).toBe(200);
    expect((await a.post(new URL(link).pathname, { password: 'drum machine passphrase' })).statusCode).toBe(303);
    const { agent, res } = await signIn('artist@example.com', 'drum machine passphrase');
    expect(res.statusCode).toBe(303);
    expect((await agent.get('/admin')).statusCode).toBe(403);
  });

  it('refuses a duplicate email, a weak password, and a taken workspace, leaving nothing half-made', async () => {
    await expect(run(['create', '--email', 'ops@example.com', '--password-stdin'], PW)).rejects.toThrow(/already exists/);
    await expect(run(['create', '--email', 'weak@example.com', '--password-stdin'], 'password')).rejects.toBeInstanceOf(DropdayError);
    await expect(run(['create', '--email', 'late@example.com', '--password-stdin', '--workspace', 'label'], PW)).rejects.toThrow(
      /already used/,
    );
    const emails = (await ctx.db.selectFrom('users').select('email').execute()).map((r) => r.email);
    expect(emails).not.toContain('weak@example.com');
    expect(emails).not.toContain('late@example.com');
  });

  it('reset-password: from stdin ends every session; without it prints a link', async () => {
    const { agent } = await signIn('ops@example.com', PW);
    expect((await agent.get('/admin')).statusCode).toBe(200);
    const out = await run(['reset-password', '--email', 'ops@example.com', '--password-stdin'], 'a new operator passphrase\n');
    expect(out).toContain('every session of the account was ended');
    expect((await agent.get('/admin')).statusCode).toBe(303);
    expect((await signIn('ops@example.com', 'a new operator passphrase')).res.statusCode).toBe(303);
    const linkOut = await run(['reset-password', '--email', 'ops@example.com']);
    expect(linkOut).toMatch(/\/reset\/[A-Za-z0-9_-]{43}/);
    await expect(run(['reset-password', '--email', 'nobody@example.com'])).rejects.toThrow(/no account/);
  });

  it('login-link signs the only instance admin in once; with several it needs --email', async () => {
    const link = await run(['login-link']);
    const url = new URL(link);
    const res = await app.inject(`${url.pathname}${url.search}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    await run(['instance-admin', '--email', 'artist@example.com']);
    await expect(run(['login-link'])).rejects.toThrow(/several instance admins/);
    expect(await run(['login-link', '--email', 'artist@example.com'])).toContain('/admin/login?token=');
  });
});
