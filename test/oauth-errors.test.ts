import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { addFault, clearFaults } from '../src/providers/sandbox/admin.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe.each(testDialects())('authorization failures are clear 4xx pages that store nothing (%s)', (dialect) => {
  let server: TestServer;
  let clock = Date.now();
  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    const { ctx } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const release = new Date(clock + 86_400_000).toISOString();
    await createCampaign(deps, {
      slug: 'fails',
      artistName: 'A',
      title: 'T',
      upc: '036000291452',
      releaseAt: release,
      timing: 'global',
      services: ['sandbox'],
    });
  });
  afterAll(() => server.close());
  beforeEach(async () => {
    clock = Date.now();
    await clearFaults(server.ctx.db);
  });

  async function nothingStored() {
    const g = await server.ctx.db.selectFrom('grants').select('id').execute();
    const p = await server.ctx.db.selectFrom('presaves').select('id').execute();
    expect(g.length + p.length).toBe(0);
  }

  async function callbackUrl(fan: FanBrowser, decision: 'allow' | 'deny' = 'allow') {
    const { consentUrl, requestId } = await fan.startPresave(server.url, 'fails', 'UTC');
    return fan.decide(consentUrl, requestId, 'fan1', decision);
  }

  it('a tampered state', async () => {
    const fan = new FanBrowser();
    const cb = new URL(await callbackUrl(fan));
    cb.searchParams.set('state', cb.searchParams.get('state')!.slice(0, -2) + 'xx');
    const res = await fan.get(cb.toString());
    expect(res.status).toBe(400);
    expect(res.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_STATE_INVALID');
    await nothingStored();
  });

  it('a missing state', async () => {
    const fan = new FanBrowser();
    const cb = new URL(await callbackUrl(fan));
    cb.searchParams.delete('state');
    const res = await fan.get(cb.toString());
    expect(res.status).toBe(400);
    expect(res.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_STATE_MISSING');
    await nothingStored();
  });

  it('a replayed callback is refused the second time', async () => {
    const fan = new FanBrowser();
    const cb = await callbackUrl(fan);
    expect((await fan.get(cb)).status).toBe(303);
    const again = await fan.get(cb);
    expect(again.status).toBe(400);
    expect(again.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_STATE_INVALID');
    await server.ctx.db.deleteFrom('presaves').execute();
    await server.ctx.db.deleteFrom('grants').execute();
  });

  it('an expired state (older than 10 minutes)', async () => {
    const fan = new FanBrowser();
    const cb = await callbackUrl(fan);
    clock += 11 * 60_000;
    const res = await fan.get(cb);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
    await nothingStored();
  });

  it('a state started in another browser', async () => {
    const cb = await callbackUrl(new FanBrowser());
    const res = await new FanBrowser().get(cb);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_STATE_BROWSER_MISMATCH');
    await nothingStored();
  });

  it('a code presented on another service’s callback', async () => {
    const fan = new FanBrowser();
    const cb = (await callbackUrl(fan)).replace('/callback/sandbox', '/callback/spotify');
    const res = await fan.get(cb);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_STATE_SERVICE_MISMATCH');
    await nothingStored();
  });

  it('the fan denies access', async () => {
    const fan = new FanBrowser();
    const cb = await callbackUrl(fan, 'deny');
    expect(cb).toContain('error=access_denied');
    const res = await fan.get(cb);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('did not allow access');
    expect(body).toContain('href="/fails"');
    await nothingStored();
  });

  it('the service refuses for another reason: a 4xx page in words, no referrer, the service’s code only in the log', async () => {
    const cases: [string, string][] = [
      ['invalid_scope', 'refused the permissions this pre-save asks for'],
      ['unauthorized_client', 'does not let this Dropday server sign fans in'],
      ['temporarily_unavailable', 'try again in a few minutes'],
      ['something_new', 'refused this sign-in without saying why'],
    ];
    for (const [error, words] of cases) {
      const fan = new FanBrowser();
      const cb = new URL(await callbackUrl(fan, 'deny'));
      cb.searchParams.set('error', error);
      cb.searchParams.set('error_description', 'scope user-follow-modify is not allowed for client 42');
      const res = await fan.get(cb.toString());
      expect(res.status, error).toBe(400);
      expect(res.headers.get('referrer-policy'), error).toBe('no-referrer');
      const body = await res.text();
      expect(body, error).toContain(words);
      expect(body, error).toContain('nothing was saved');
      expect(body, error).not.toContain(error);
      expect(body, error).not.toContain('client 42');
      expect(body, error).toContain('href="/fails"');
    }
    await nothingStored();
  });

  it('every answer of the callback, errors included, carries Referrer-Policy: no-referrer', async () => {
    const denier = new FanBrowser();
    const denied = await denier.get(await callbackUrl(denier, 'deny'));
    expect(denied.status).toBe(403);
    expect(denied.headers.get('referrer-policy')).toBe('no-referrer');
    const fan = new FanBrowser();
    const cb = new URL(await callbackUrl(fan));
    cb.searchParams.set('state', 'x'.repeat(43));
    const invalid = await fan.get(cb.toString());
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('referrer-policy')).toBe('no-referrer');
    const apple = await fetch(`${server.url}/callback/apple-music`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'musicUserToken=x',
    });
    expect(apple.status).toBe(400);
    expect(apple.headers.get('referrer-policy')).toBe('no-referrer');
    await nothingStored();
  });

  it('the service fails while exchanging the code', async () => {
    const fan = new FanBrowser();
    const cb = await callbackUrl(fan);
    await addFault(server.ctx.db, { kind: 'server_error', target: 'token', statusCode: 503, count: 1 }, clock);
    const res = await fan.get(cb);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('Nothing was saved');
    await nothingStored();
  });

  it('an unknown campaign, a service it does not offer, an unknown service, a bad time zone', async () => {
    const fan = new FanBrowser();
    const unknown = await fan.get(`${server.url}/connect/sandbox?campaign=nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_CAMPAIGN_NOT_FOUND');
    expect((await fan.get(`${server.url}/connect/spotify?campaign=fails`)).status).toBe(404);
    expect((await fan.get(`${server.url}/connect/myspace?campaign=fails`)).status).toBe(404);
    const tz = await fan.get(`${server.url}/connect/sandbox?campaign=fails&tz=${encodeURIComponent('Mars/Olympus')}`);
    expect(tz.status).toBe(400);
    expect(await tz.text()).toContain('Mars/Olympus');
    const xss = await fan.get(`${server.url}/connect/sandbox?campaign=fails&tz=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(xss.status).toBe(400);
    expect(await xss.text()).not.toContain('<script>alert(1)');
    await nothingStored();
  });

  it('an unknown slug is a real 404 page', async () => {
    const res = await fetch(`${server.url}/no-such-campaign`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('There is no campaign at this address');
  });

  it('the public page states exactly what will be saved and when, and has security headers', async () => {
    const res = await fetch(`${server.url}/fails`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('save “T” by A to your Sandbox library');
    expect(body).toContain('Nothing else');
    expect(body).toContain('action="/connect/sandbox"');
    // The same bytes for every fan: inline code allowed by hash, not by a per-response nonce.
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('without JavaScript (no tz sent) the campaign time zone is used', async () => {
    const fan = new FanBrowser();
    const thanks = await fan.presave(server.url, 'fails', 'nojs');
    expect(await (await fetch(thanks)).text()).toContain('(UTC)');
    const p = await server.ctx.db.selectFrom('presaves').select('timezone').executeTakeFirstOrThrow();
    expect(p.timezone).toBe('UTC');
    await server.ctx.db.deleteFrom('presaves').execute();
    await server.ctx.db.deleteFrom('grants').execute();
  });
});
