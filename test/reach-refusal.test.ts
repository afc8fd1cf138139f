import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * A service that refuses the app itself (not set up there, not approved, not these permissions):
 * the fan can do nothing about it, so the page offers the reminder and the calendar, in the fan's
 * language; a refusal the fan can act on (they said no, the service is busy) does not.
 * (The Spotify Development Mode refusal is driven in Chromium: test/reach-browser.test.ts.)
 */
describe.each(testDialects())('refusals that offer the reminder (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'refused',
        artistName: 'A',
        title: 'T',
        upc: '036000291452',
        releaseAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        timing: 'global',
        services: ['sandbox'],
      },
    );
  });
  afterAll(() => server.close());

  async function refusedWith(error: string, lang = 'en'): Promise<Response> {
    const fan = new FanBrowser();
    const q = new URLSearchParams({ campaign: 'refused', tz: 'Europe/Lisbon', lang });
    const start = await fan.get(`${server.url}/connect/sandbox?${q}`);
    const consentUrl = start.headers.get('location')!;
    const html = await (await fan.get(consentUrl)).text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)![1]!;
    const cb = new URL(await fan.decide(consentUrl, requestId, 'someone', 'deny'));
    cb.searchParams.set('error', error);
    return fan.get(cb.toString());
  }

  it('the app refused by the service: the reminder and the calendar instead of a dead end', async () => {
    for (const error of ['unauthorized_client', 'invalid_client', 'invalid_scope']) {
      const res = await refusedWith(error);
      expect(res.status, error).toBe(400);
      expect(res.headers.get('x-dropday-error'), error).toBe('DROPDAY_ERR_PROVIDER_REFUSED');
      const body = await res.text();
      expect(body, error).toContain('href="/refused?remind=sandbox&amp;lang=en#remind"');
      expect(body, error).toContain('Remind me instead');
      expect(body, error).toContain('href="/refused/reminder.ics?lang=en"');
      expect(body, error).toContain('https://calendar.google.com/calendar/render?');
      expect(body, error).not.toContain(error);
    }
    const de = await (await refusedWith('unauthorized_client', 'de')).text();
    expect(de).toContain('Stattdessen erinnern');
    expect(de).toContain('Zum Kalender hinzufügen (.ics)');
    expect(await server.ctx.db.selectFrom('grants').select('id').execute()).toEqual([]);
  });

  it('refusals the fan can act on keep their page', async () => {
    for (const error of ['access_denied', 'temporarily_unavailable']) {
      const body = await (await refusedWith(error)).text();
      expect(body, error).not.toContain('Remind me instead');
    }
  });
});
