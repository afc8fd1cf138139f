import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccountsConfig } from '../src/accounts/config.js';
import { normaliseEmail } from '../src/accounts/emails.js';
import { acceptInvitation, createInvitation, findInvitation } from '../src/accounts/invitations.js';
import { passwordProblem } from '../src/accounts/passwords.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace, isValidWorkspaceSlug } from '../src/accounts/workspaces.js';
import { ConfigError } from '../src/config.js';
import { isCsrfExempt } from '../src/web/csrf.js';
import { isAppPage } from '../src/web/security.js';
import { safeNext } from '../src/web/auth-hooks.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

describe('account rules without a database', () => {
  it('password policy: length, common passwords, the email itself', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(201))).toMatch(/at most 200/);
    for (const p of ['password', 'Password123!', 'qwertyuiop', '12345678', 'aaaaaaaaaaaa']) expect(passwordProblem(p), p).not.toBeNull();
    expect(passwordProblem('ringo starr drums', 'ringo@example.com')).toMatch(/email/);
    expect(passwordProblem('correct horse battery', 'someone@example.com')).toBeNull();
  });

  it('emails are normalised; workspace slugs are checked', () => {
    expect(normaliseEmail('  Ünïcode.Person@Example.COM ')).toBe('ünïcode.person@example.com');
    expect(isValidWorkspaceSlug('my-label')).toBe(true);
    for (const s of ['-x', 'x-', 'UPPER', 'new', 'a'.repeat(41), 'white space']) expect(isValidWorkspaceSlug(s), s).toBe(false);
  });

  it('configuration: defaults, overrides, and every problem at once', () => {
    const d = readAccountsConfig('http://127.0.0.1:3000', {});
    expect(d.sessionIdleMs).toBe(2 * 3_600_000);
    expect(d.sessionAbsoluteMs).toBe(12 * 3_600_000);
    expect(d.sessionCookie).toBe('__Host-dropday_session');
    expect(d.throttle).toMatchObject({ windowMs: 15 * 60_000, perAccount: 5, perIp: 20 });
    expect(d.mail.smtpUrl).toBeNull();
    const o = readAccountsConfig('https://x.example', {
      SESSION_IDLE_MINUTES: '30',
      SESSION_ABSOLUTE_HOURS: '8',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      PASSWORD_HASH_CONCURRENCY: '3',
      SMTP_URL: 'smtps://u:p@mail.example:465',
      MAIL_FROM: 'Label <hi@x.example>',
    });
    expect(o).toMatchObject({
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 8 * 3_600_000,
      hashConcurrency: 3,
      mail: { smtpUrl: 'smtps://u:p@mail.example:465', from: 'Label <hi@x.example>' },
    });
    expect(readAccountsConfig('http://192.168.0.2:3000', {}).sessionCookie).toBe('dropday_session');
    expect(readAccountsConfig('http://127.0.0.1:3000', { SESSION_COOKIE_SECURE: 'false' }).secureCookies).toBe(false);
    let err: unknown;
    try {
      readAccountsConfig('https://x.example', {
        SESSION_IDLE_MINUTES: 'soon',
        SMTP_URL: 'mail.example',
        SESSION_COOKIE_SECURE: 'false',
        PASSWORD_HASH_CONCURRENCY: '0',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toHaveLength(4);
    expect((err as ConfigError).problems.join('\n')).toContain('PASSWORD_HASH_CONCURRENCY');
  });

  it('CSRF exclusions, app pages and `next` are exact', () => {
    for (const u of ['/sandbox/authorize', '/callback/apple-music', '/api/v1/x', '/api']) expect(isCsrfExempt(u), u).toBe(true);
    for (const u of ['/sandboxed', '/callbacks', '/apix', '/login', '/w/x/members']) expect(isCsrfExempt(u), u).toBe(false);
    for (const u of ['/login?next=/x', '/w/band/members', '/invite/abc', '/admin', '/reset/t']) expect(isAppPage(u), u).toBe(true);
    for (const u of ['/wonderful', '/my-campaign', '/connect/spotify', '/p/abc', '/administrator']) expect(isAppPage(u), u).toBe(false);
    expect(safeNext('/w/a/members?x=1')).toBe('/w/a/members?x=1');
    for (const n of ['//evil', '/\\evil', 'https://evil', 'evil', '/a b', 42]) expect(safeNext(n), String(n)).toBe('/workspaces');
  });
});

describe.each(testDialects())('invitations in the database (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.drop());

  it('expire, are single-use, bound to the email, and a new one replaces the old', async () => {
    const now = Date.UTC(2030, 0, 1);
    const owner = await createUser(t.db, { email: 'o@example.com', password: 'correct horse battery' }, now);
    const guest = await createUser(t.db, { email: 'g@example.com', password: 'correct horse battery', emailVerified: true }, now);
    const ws = await createWorkspace(t.db, { slug: 'inv', name: 'Inv' }, owner.id, now);
    const actor = { userId: owner.id, role: 'owner' as const };
    const week = 7 * 86_400_000;
    const first = await createInvitation(t.db, ws, actor, { email: 'G@Example.com', role: 'editor' }, now, week);
    expect(first.email).toBe('g@example.com');
    const second = await createInvitation(t.db, ws, actor, { email: 'g@example.com', role: 'viewer' }, now, week);
    expect(await findInvitation(t.db, first.token, now)).toBeNull();
    expect((await findInvitation(t.db, second.token, now))?.role).toBe('viewer');
    expect(await findInvitation(t.db, second.token, now + week + 1)).toBeNull();
    await expect(acceptInvitation(t.db, second.token, guest, now + week + 1)).rejects.toThrow(/expired/);
    await expect(acceptInvitation(t.db, second.token, owner, now)).rejects.toThrow(/for g@example.com/);
    expect((await acceptInvitation(t.db, second.token, guest, now)).role).toBe('viewer');
    await expect(acceptInvitation(t.db, second.token, guest, now)).rejects.toThrow(/not valid/);
    const rows = await t.db.selectFrom('workspace_invitations').select('token_hash').execute();
    expect(rows).toHaveLength(0);
  });
});
