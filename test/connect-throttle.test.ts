import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { createState } from '../src/oauth/states.js';
import { housekeep } from '../src/web/housekeeping.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * Starting a pre-save (/connect/…) is limited per client IP and per campaign, with a page a fan
 * understands and Retry-After; expired OAuth states are swept on a timer, not on each request.
 */
describe.each(testDialects())('connect rate limits and state clean-up (%s)', (dialect) => {
  let server: TestServer;
  let clock = Date.UTC(2030, 0, 1, 12);
  beforeAll(async () => {
    server = await startTestServer(dialect, { TRUST_PROXY: 'true', CONNECT_RATE_PER_IP: '3', CONNECT_RATE_PER_CAMPAIGN: '5' }, () => clock);
    const { ctx } = server;
    for (const slug of ['by-ip', 'by-campaign', 'sweep']) {
      await createCampaign(
        { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
        {
          slug,
          artistName: 'A',
          title: 'T',
          upc: '036000291452',
          releaseAt: new Date(clock + 30 * 86_400_000).toISOString(),
          timing: 'global',
          services: ['sandbox'],
        },
      );
    }
  });
  afterAll(() => server.close());

  const connect = (slug: string, ip: string) =>
    fetch(`${server.url}/connect/sandbox?campaign=${slug}&tz=UTC`, { redirect: 'manual', headers: { 'x-forwarded-for': ip } });
  const states = async () =>
    Number(
      (
        await server.ctx.db
          .selectFrom('oauth_states')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('per IP: the 4th start within a minute gets a 429 page in words with Retry-After and stores nothing; other fans go on', async () => {
    for (let i = 0; i < 3; i++) expect((await connect('by-ip', '203.0.113.7')).status).toBe(302);
    const before = await states();
    const refused = await connect('by-ip', '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const page = await refused.text();
    expect(page).toContain('You have started a lot of pre-saves in a short time');
    expect(page).toMatch(/Please wait \d+ seconds and try again/);
    expect(await states()).toBe(before);
    expect((await connect('by-ip', '203.0.113.8')).status).toBe(302);
    clock += 60_000;
    expect((await connect('by-ip', '203.0.113.7')).status).toBe(302);
  });

  it('per campaign: beyond its limit in a minute every fan waits, other campaigns go on', async () => {
    for (let i = 0; i < 5; i++) expect((await connect('by-campaign', `198.51.100.${i}`)).status).toBe(302);
    const refused = await connect('by-campaign', '198.51.100.99');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.text()).toContain('Lots of fans are pre-saving this release right now');
    expect((await connect('sweep', '198.51.100.99')).status).toBe(302);
    clock += 60_000;
    expect((await connect('by-campaign', '198.51.100.99')).status).toBe(302);
  });

  it('expired states stay until the periodic sweep, which deletes only what expired, by index', async () => {
    const { ctx } = server;
    const campaign = await ctx.db.selectFrom('campaigns').select('id').where('slug', '=', 'sweep').executeTakeFirstOrThrow();
    await createState(
      ctx,
      { service: 'sandbox', campaignId: Number(campaign.id), browserBinding: 'b'.repeat(43), timezone: 'UTC', locale: null },
      clock - 60 * 60_000,
    );
    const total = await states();
    expect((await connect('sweep', '192.0.2.1')).status).toBe(302);
    expect(await states()).toBe(total + 1); // a request deletes nothing
    clock += 11 * 60_000; // every state made so far has expired but the newest few
    const fresh = await connect('sweep', '192.0.2.1');
    expect(fresh.status).toBe(302);
    const swept = await housekeep(ctx);
    expect(swept.states).toBe(total + 1);
    expect(await states()).toBe(1);
    expect(swept.throttles).toBeGreaterThan(0);
    const plan =
      dialect === 'sqlite'
        ? JSON.stringify((await sql`explain query plan delete from oauth_states where expires_at < 0`.execute(ctx.db)).rows)
        : JSON.stringify((await sql`select indexdef from pg_indexes where tablename = 'oauth_states'`.execute(ctx.db)).rows);
    expect(plan).toContain('oauth_states_expires_at');
  });
});
