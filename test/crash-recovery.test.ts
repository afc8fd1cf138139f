import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFault, clearFaults, libraryOf } from '../src/providers/sandbox/admin.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';
import { envFor, runCli, startCli, stop } from './helpers/cli.js';
import { FanBrowser } from './helpers/fan.js';
import { freePort } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

describe.each(testDialects())('SIGKILL during fulfillment (%s)', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(dialect);
  });
  afterAll(() => t.drop());

  it('a restarted process finishes every pre-save, each saved once, as if nothing happened', async () => {
    const port = await freePort();
    // Short leases so the restarted worker reclaims the killed one's rows quickly.
    const env = envFor(t, { PORT: String(port), WORKER_POLL_MS: '100', WORKER_LEASE_MS: '3000', WORKER_CONCURRENCY: '4' });
    const releaseAt = new Date(Date.now() + 4000).toISOString();
    const made = await runCli(
      [
        'campaign',
        'create',
        '--slug',
        'crash',
        '--artist',
        'Crash Artist',
        '--title',
        'Kill -9',
        '--upc',
        '036000291452',
        '--release-at',
        releaseAt,
        '--timing',
        'global',
        '--services',
        'sandbox',
        '--follow',
      ],
      env,
    );
    expect(made.code).toBe(0);
    const fans = Array.from({ length: 8 }, (_, i) => `fan${i}`);

    let server = await startCli(['serve'], env, /Dropday is running/);
    const url = `http://127.0.0.1:${port}`;
    // Every library write takes 1.5 s, so the kill lands while saves are in flight. Set before the
    // fans pre-save: on a slow machine the release time may pass while they do.
    await addFault(t.db, { kind: 'slow', target: 'library', delayMs: 1500 }, Date.now());
    for (const f of fans) await new FanBrowser().presave(url, 'crash', f, 'UTC');

    await waitFor(
      async () => {
        const leased = await t.db.selectFrom('presaves').select('id').where('lease_owner', 'is not', null).execute();
        return leased.length > 0;
      },
      { timeoutMs: 20_000, what: 'saves in flight' },
    );
    await stop(server.child, 'SIGKILL');
    const mid = await t.db.selectFrom('presaves').select(['status']).execute();
    expect(mid.filter((p) => p.status === 'saved').length).toBeLessThan(fans.length);

    await clearFaults(t.db);
    server = await startCli(['serve'], env, /Dropday is running/);
    try {
      await waitFor(
        async () => {
          const rows = await t.db.selectFrom('presaves').select('status').execute();
          return rows.every((r) => r.status === 'saved');
        },
        { timeoutMs: 40_000, what: 'all saved after restart' },
      );
    } finally {
      await stop(server.child);
    }
    for (const f of fans) {
      const lib = await libraryOf(t.db, f);
      expect(lib.filter((i) => i.kind === 'album')).toHaveLength(1);
      expect(lib.filter((i) => i.kind === 'artist')).toHaveLength(1);
    }
    const rows = await t.db.selectFrom('presaves').selectAll().execute();
    expect(rows.every((r) => r.failure_reason === null && r.lease_owner === null)).toBe(true);
  });
});
