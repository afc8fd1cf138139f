import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { addFault, clearFaults } from '../src/providers/sandbox/admin.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** What a person reads on a page: no markup, styles or scripts. */
function visibleText(page: string): string {
  return page
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A fan's error page: says what happened in words, with no internal code or HTTP status; the code is in a header for scripts. */
async function expectFanPage(res: Response, status: number, code: string, heading: string, words: RegExp): Promise<string> {
  const text = visibleText(await res.text());
  expect({ status: res.status, code: res.headers.get('x-dropday-error') }).toEqual({ status, code: `DROPDAY_ERR_${code}` });
  expect(text).toContain(heading);
  expect(text).toMatch(words);
  expect(text).not.toMatch(/DROPDAY_ERR|\bHTTP\b|\b[1-5]\d\d\b|error code/i);
  return text;
}

describe.each(testDialects())('fans read what went wrong in words (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => Date.parse('2030-06-01T12:00:00Z'));
    const { ctx } = server;
    for (const slug of ['open', 'closed']) {
      await createCampaign(
        { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
        { slug, artistName: 'A', title: 'T', upc: '036000291452', releaseAt: '2030-06-10T00:00', timing: 'global', services: ['sandbox'] },
      );
    }
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('slug', '=', 'closed').execute();
  });
  afterAll(() => server.close());

  it('an archived campaign says it has ended, on its page and when a fan tries to pre-save', async () => {
    const fan = new FanBrowser();
    const ended = /has ended, so it no longer takes pre-saves/;
    await expectFanPage(await fan.get(`${server.url}/closed`), 410, 'CAMPAIGN_ARCHIVED', 'This campaign has ended', ended);
    await expectFanPage(
      await fan.get(`${server.url}/connect/sandbox?campaign=closed`),
      410,
      'CAMPAIGN_ARCHIVED',
      'This campaign has ended',
      ended,
    );
  });

  it('a mistyped campaign, an erased or unknown pre-save, an unknown address', async () => {
    const fan = new FanBrowser();
    await expectFanPage(await fan.get(`${server.url}/no-such-campaign`), 404, 'CAMPAIGN_NOT_FOUND', 'Campaign not found', /Check the link/);
    await expectFanPage(
      await fan.get(`${server.url}/p/AAAAAAAAAAAAAAAAAAAAAA`),
      404,
      'PRESAVE_NOT_FOUND',
      'Pre-save not found',
      /pre-save again from the campaign page/,
    );
    await expectFanPage(await fan.get(`${server.url}/a/b/c`), 404, 'NOT_FOUND', 'Not found', /nothing at this address/);
  });

  it('a sign-in return that is missing, forged or expired says to start again', async () => {
    const fan = new FanBrowser();
    await expectFanPage(await fan.get(`${server.url}/callback/sandbox?code=x`), 400, 'STATE_MISSING', 'Please start again', /start again/);
    await expectFanPage(
      await fan.get(`${server.url}/callback/sandbox?code=x&state=forged-state-value`),
      400,
      'STATE_INVALID',
      'Please start again',
      /start again/,
    );
  });

  it('a service that fails during sign-in: the fan reads that nothing was saved and what to do, not its status code', async () => {
    const { ctx } = server;
    await addFault(ctx.db, { kind: 'server_error', target: 'token', statusCode: 503 }, ctx.now());
    try {
      const fan = new FanBrowser();
      const { consentUrl, requestId } = await fan.startPresave(server.url, 'open', 'UTC');
      const callback = await fan.decide(consentUrl, requestId, 'unlucky', 'allow');
      const text = await expectFanPage(
        await fan.get(callback),
        502,
        'PROVIDER_ERROR',
        'The streaming service did not answer',
        /Nothing was saved; please try again/,
      );
      expect(text).toContain('Back to the campaign');
      expect(await ctx.db.selectFrom('presaves').select('id').execute()).toEqual([]);
    } finally {
      await clearFaults(ctx.db);
    }
  });

  it('the people running the app still see the code on their own pages', async () => {
    const res = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b.io&password=x',
    });
    expect(res.status).toBe(403);
    expect(visibleText(await res.text())).toContain('Error code: DROPDAY_ERR_CSRF (HTTP 403)');
  });
});
