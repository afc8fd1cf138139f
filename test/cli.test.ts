import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';
import { envFor, runCli, startCli, stop } from './helpers/cli.js';
import { FanBrowser } from './helpers/fan.js';
import { freePort } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

describe('dropday --help', () => {
  it('lists every command, and each command has --help', async () => {
    const env = { PATH: process.env.PATH ?? '', DEMO: 'false' };
    const top = await runCli(['--help'], env);
    expect(top.code).toBe(0);
    for (const c of ['serve', 'worker', 'migrate', 'campaign', 'status', 'sandbox', 'admin']) expect(top.stdout).toContain(c);
    const create = await runCli(['campaign', 'create', '--help'], env);
    expect(create.stdout).toContain('--release-at');
    expect(create.stdout).toContain('--timing');
  });
  it('`npx dropday` runs the CLI inside the project folder', async () => {
    const { execFile } = await import('node:child_process');
    const out = await new Promise<string>((resolve, reject) =>
      execFile('npx', ['dropday', '--help'], { env: { ...process.env, DEMO: 'false' } }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    expect(out).toContain('Usage: dropday');
  });
  it('reports a bad configuration plainly', async () => {
    const r = await runCli(['campaign', 'list'], { PATH: process.env.PATH ?? '', PORT: 'x', DATABASE_URL: 'mysql://u:pw@h/d' });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/PORT must be/);
    expect(r.stderr).not.toContain('pw@');
  });
});

describe.each(testDialects())('the CLI drives the whole loop (%s)', (dialect) => {
  let t: TestDb;
  let port: number;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.close();
    port = await freePort();
    env = envFor(t, { PORT: String(port), WORKER_POLL_MS: '200' });
  });
  afterAll(() => t.drop());

  it('malformed input gets a clear message and a non-zero exit, and stores nothing', async () => {
    const bad = await runCli(
      [
        'campaign',
        'create',
        '--slug',
        'Bad Slug',
        '--artist',
        'A',
        '--title',
        'T',
        '--upc',
        '123',
        '--release-at',
        'soon',
        '--services',
        'sandbox',
      ],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--slug: use 1–64 lower-case/);
    expect(bad.stderr).toMatch(/--upc: must be 12 or 13 digits/);
    expect(bad.stderr).toMatch(/--releaseAt: must be a date/);
    const badTiming = await runCli(['campaign', 'create', '--slug', 'x', '--timing', 'whenever'], env);
    expect(badTiming.code).toBe(2);
    expect(badTiming.stderr).toMatch(/Allowed choices are local, global/);
    const list = await runCli(['campaign', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const missing = await runCli(['status', 'nope'], env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/There is no campaign "nope"/);
  });

  it('create --release-at now+10s --timing global, three Sandbox fans, status shows saved: 3', async () => {
    const releaseAt = new Date(Date.now() + 10_000).toISOString();
    const created = await runCli(
      [
        'campaign',
        'create',
        '--slug',
        'cli-drop',
        '--artist',
        'CLI Artist',
        '--title',
        'Terminal',
        '--upc',
        '036000291452',
        '--release-at',
        releaseAt,
        '--timing',
        'global',
        '--services',
        'sandbox',
        '--json',
      ],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ slug: 'cli-drop', timing: 'global', services: ['sandbox'] });

    const dup = await runCli(
      ['campaign', 'create', '--slug', 'cli-drop', '--artist', 'A', '--title', 'T', '--upc', '036000291452', '--release-at', releaseAt],
      env,
    );
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already used/);

    const { child } = await startCli(['serve'], env, /Dropday is running/);
    try {
      const url = `http://127.0.0.1:${port}`;
      for (const user of ['uno', 'dos', 'tres']) await new FanBrowser().presave(url, 'cli-drop', user, 'Europe/Madrid');
      const pending = JSON.parse((await runCli(['status', 'cli-drop', '--json'], env)).stdout);
      expect(pending.total).toBe(3);
      if (!pending.released) expect(pending).toMatchObject({ pending: 3, saved: 0 });
      const done = await waitFor(
        async () => {
          const s = JSON.parse((await runCli(['status', 'cli-drop', '--json'], env)).stdout);
          return s.saved === 3 ? s : null;
        },
        { timeoutMs: 60_000, intervalMs: 1000, what: 'saved: 3' },
      );
      expect(done.failed).toBe(0);
      const text = await runCli(['status', 'cli-drop'], env);
      expect(text.stdout).toMatch(/saved: 3/);
      const watch = await runCli(['status', 'cli-drop', '--watch', '--interval', '200'], env);
      expect(watch.code).toBe(0);
      expect(watch.stdout).toMatch(/100\.0%/);
      const lib = await runCli(['sandbox', 'library', 'dos'], env);
      expect(lib.stdout).toMatch(/album\s+Terminal — CLI Artist/);
    } finally {
      await stop(child);
    }
  });
});
