import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import { campaignStatusCounts } from '../src/presaves/repo.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

/**
 * A refresh rotates the fan's refresh token at the service: from then on only the new one works.
 * If writing it to the database fails (a failover, a cut connection), the engine must retry the
 * write rather than drop the only valid token. PostgreSQL lets the test make exactly the first two
 * writes of a new refresh token fail (a trigger counting with a sequence, which no rollback undoes).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('a refreshed token survives failed writes (postgres)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('the write of a rotated refresh token is retried until it lands; the pre-save is saved and the grant lives', async () => {
    let clock = Date.now();
    server = await startTestServer('postgres', { SANDBOX_ACCESS_TOKEN_TTL: '60' }, () => clock);
    const { ctx, url } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const base = { artistName: 'Durable', upc: '036000291452', timezone: 'UTC', timing: 'global' as const, services: ['sandbox' as const] };
    await createCampaign(deps, { ...base, slug: 'durable', title: 'Durable', releaseAt: new Date(clock + 10 * 60_000).toISOString() });
    await createCampaign(deps, { ...base, slug: 'durable-later', title: 'Later', releaseAt: new Date(clock + 86_400_000).toISOString() });
    const fan = new FanBrowser();
    await fan.presave(url, 'durable', 'gil', 'UTC');
    await fan.presave(url, 'durable-later', 'gil', 'UTC'); // keeps the grant in use after the first save
    const before = await ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();

    await sql`CREATE SEQUENCE refresh_write_failures`.execute(ctx.db);
    await sql
      .raw(
        `CREATE FUNCTION fail_refresh_writes() RETURNS trigger AS $$
         BEGIN
           IF NEW.refresh_token_enc IS DISTINCT FROM OLD.refresh_token_enc AND nextval('refresh_write_failures') <= 2 THEN
             RAISE EXCEPTION 'injected: the database is failing over';
           END IF;
           RETURN NEW;
         END $$ LANGUAGE plpgsql`,
      )
      .execute(ctx.db);
    await sql`CREATE TRIGGER fail_refresh_writes BEFORE UPDATE ON grants FOR EACH ROW EXECUTE FUNCTION fail_refresh_writes()`.execute(
      ctx.db,
    );

    clock += 11 * 60_000; // the release time passes; the 60 s access token has long expired
    server.worker.start();
    const c = await getCampaignBySlug(ctx.db, 'durable');
    await waitFor(async () => (await campaignStatusCounts(ctx.db, c.id, ctx.now())).saved === 1, {
      what: 'saved after refresh',
      timeoutMs: 20_000,
    });

    const after = await ctx.db.selectFrom('grants').selectAll().executeTakeFirstOrThrow();
    expect(after.status).toBe('active');
    expect(after.refresh_token_enc).not.toBe(before.refresh_token_enc);
    expect(after.refresh_lock_owner).toBeNull();
    // Two injected failures, then the write that landed.
    const { rows } = await sql<{ n: string }>`SELECT last_value AS n FROM refresh_write_failures`.execute(ctx.db);
    expect(Number(rows[0]!.n)).toBe(3);
  }, 60_000);
});
