import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFor, runCli, startCli, stop } from './helpers/cli.js';
import { createTestDb, type TestDb } from './helpers/db.js';
import { freePort } from './helpers/server.js';

/**
 * `dropday serve --port N` with no PORT or PUBLIC_URL in the environment: commands run in another
 * shell print addresses on port N, not the default 3000; the start banner asks for a first
 * operator only while there is none.
 */
describe('the running server’s address and the start banner', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    await t.close();
  });
  afterAll(() => t.drop());

  it('admin create prints the running server’s port; the banner stops asking for a first operator once one exists', async () => {
    const port = await freePort();
    const env = envFor(t, { WORKER_ENABLED: 'false' });
    const first = await startCli(['serve', '--port', String(port)], env, /Sign in at/);
    let created;
    try {
      expect(first.output()).toContain(`http://127.0.0.1:${port}/login`);
      expect(first.output()).toMatch(/First operator: `npx dropday admin create/);
      created = await runCli(['admin', 'create', '--email', 'op@example.com'], env);
    } finally {
      await stop(first.child);
    }
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`http://127.0.0.1:${port}/reset/`);
    expect(created.stdout).not.toContain(':3000/');

    // The server is gone: commands fall back to the configured address again.
    const link = await runCli(['admin', 'login-link'], env);
    expect(link.stdout).toContain('http://127.0.0.1:3000/admin/login?token=');

    const second = await startCli(['serve', '--port', String(port)], env, /Sign in at/);
    try {
      expect(second.output()).not.toMatch(/First operator/);
      expect(second.output()).toMatch(/admin login-link/);
    } finally {
      await stop(second.child);
    }
  });
});
