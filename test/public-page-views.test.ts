import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';
const PREVIEW_BOTS = [
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Twitterbot/1.0',
  'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  'TelegramBot (like TwitterBot)',
];

describe.each(testDialects())('who is a view on the campaign page (%s)', (dialect) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a browser’s GET is a page view; a HEAD request and link-preview bots are not', async () => {
    // Events are written only when the test flushes.
    server = await startTestServer(dialect, {}, undefined, { analytics: { flushIntervalMs: 3_600_000 } });
    const { ctx, app, url } = server;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'viewed',
        artistName: 'A',
        title: 'T',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 86_400_000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const views = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('analytics_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('campaign_id', '=', campaign.id)
            .where('event', '=', 'page_view')
            .executeTakeFirstOrThrow()
        ).n,
      );

    const head = await fetch(`${url}/viewed`, { method: 'HEAD', headers: { 'user-agent': BROWSER } });
    expect(head.status).toBe(200);
    for (const ua of PREVIEW_BOTS) expect((await fetch(`${url}/viewed`, { headers: { 'user-agent': ua } })).status).toBe(200);
    await app.analytics!.flush();
    expect(await views()).toBe(0);
    // The bots were seen (counted apart for the dashboard), the HEAD request not at all.
    expect(app.analytics!.stats()).toMatchObject({ bots: PREVIEW_BOTS.length, written: 0 });

    expect((await fetch(`${url}/viewed`, { headers: { 'user-agent': BROWSER } })).status).toBe(200);
    await app.analytics!.flush();
    expect(await views()).toBe(1);
  });
});
