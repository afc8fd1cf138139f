import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { authenticateApiKey } from '../src/api/keys/store.js';
import { createContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/context.js';
import { apiWorkspace } from './helpers/api.js';
import { envFor, runCli } from './helpers/cli.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

describe.each(testDialects())('dropday apikey create | list | revoke (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config, { log: captureLog().log });
    await apiWorkspace(ctx, 'label-cli');
    env = envFor(t);
  });
  afterAll(async () => {
    await ctx?.close();
    await t?.drop();
  });

  it('creates a key printed once, lists it without the secret, revokes it', async () => {
    const made = await runCli(
      ['apikey', 'create', '--workspace', 'label-cli', '--name', 'CRM', '--scopes', 'campaigns:read,workspace:write', '--expires', '30d'],
      env,
    );
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const [secret, summary, warning] = made.stdout.trim().split('\n');
    expect(secret).toMatch(/^ddk_[0-9A-Za-z]{8}_[A-Za-z0-9_-]{43}$/);
    expect(summary).toContain('campaigns:read, workspace:write');
    expect(warning).toMatch(/will not be shown again/);
    const check = await authenticateApiKey(ctx.db, secret!, Date.now());
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.key.createdVia).toBe('cli');
      expect(check.key.expiresAt! - check.key.createdAt).toBe(30 * 86_400_000);
    }

    const list = await runCli(['apikey', 'list', '--workspace', 'label-cli', '--json'], env);
    expect(list.code).toBe(0);
    const keys = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      prefix: secret!.slice(0, 12),
      name: 'CRM',
      scopes: ['campaigns:read', 'workspace:write'],
      revoked_at: null,
    });
    expect(list.stdout).not.toContain(secret!.slice(13));
    const text = await runCli(['apikey', 'list', '--workspace', 'label-cli'], env);
    expect(text.stdout).toContain(`${secret!.slice(0, 12)}  CRM`);
    expect(text.stdout).not.toContain(secret!.slice(13));

    const revoked = await runCli(['apikey', 'revoke', '--workspace', 'label-cli', secret!.slice(0, 12)], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('Revoked');
    expect(await authenticateApiKey(ctx.db, secret!, Date.now())).toEqual({ ok: false, reason: 'revoked' });
  });

  it('"all" and "read" scopes; mistakes are named with a non-zero exit and nothing is made', async () => {
    const all = await runCli(['apikey', 'create', '--workspace', 'label-cli', '--name', 'all', '--scopes', 'all'], env);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('keys:write');
    const before = (await runCli(['apikey', 'list', '--workspace', 'label-cli', '--json'], env)).stdout;
    const cases: Array<[string[], RegExp, number]> = [
      [['--workspace', 'nope', '--name', 'x', '--scopes', 'read'], /no workspace "nope"/, 4],
      [
        ['--workspace', 'label-cli', '--name', 'x', '--scopes', 'campaigns:read,keys:admin,foo'],
        /--scopes: Unknown scopes: keys:admin, foo/,
        2,
      ],
      [['--workspace', 'label-cli', '--name', 'x', '--scopes', 'read', '--expires', 'someday'], /--expires: Not a date/, 2],
      [
        ['--workspace', 'label-cli', '--name', 'x', '--scopes', 'read', '--expires', '2020-01-01'],
        /--expires: The expiry must be in the future/,
        2,
      ],
      [['--workspace', 'label-cli', '--name', ' ', '--scopes', 'read'], /--name: Give the key a name/, 2],
    ];
    for (const [args, message, code] of cases) {
      const r = await runCli(['apikey', 'create', ...args], env);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
    }
    expect((await runCli(['apikey', 'list', '--workspace', 'label-cli', '--json'], env)).stdout).toBe(before);
    const unknown = await runCli(['apikey', 'revoke', '--workspace', 'label-cli', 'ddk_00000000'], env);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/has no API key ddk_00000000/);
  });
});
