import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe.each(testDialects())('a fan cancels or erases their pre-save (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'controls',
        artistName: 'A',
        title: 'T',
        upc: '036000291452',
        releaseAt: '2028-06-01',
        timing: 'global',
        services: ['sandbox'],
      },
    );
  });
  afterAll(() => server.close());
  const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: '' } };
  /** The form's CSRF token, as a browser would submit it. */
  async function csrfBody(fan: FanBrowser, thanks: string): Promise<string> {
    const page = await (await fan.get(thanks)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(token).toBeTruthy();
    return new URLSearchParams({ _csrf: token! }).toString();
  }

  it('cancel: the pre-save is kept as cancelled, its tokens are deleted', async () => {
    const fan = new FanBrowser();
    const thanks = await fan.presave(server.url, 'controls', 'canceller', 'UTC');
    const body = await csrfBody(fan, thanks);
    const res = await fan.request(`${thanks}/cancel`, { ...form, body, headers: { ...form.headers, origin: server.url } });
    expect(res.status).toBe(303);
    const page = await (await fan.get(thanks)).text();
    expect(page).toContain('data-status="cancelled"');
    const p = await server.ctx.db
      .selectFrom('presaves')
      .selectAll()
      .where('public_id', '=', thanks.split('/p/')[1]!)
      .executeTakeFirstOrThrow();
    expect(p.account_id).toBe(`forgotten:${p.public_id}`);
    const g = await server.ctx.db.selectFrom('grants').selectAll().where('id', '=', p.grant_id).executeTakeFirstOrThrow();
    expect(g).toMatchObject({ status: 'released', access_token_enc: '', refresh_token_enc: null, display_name: null });
    expect(g.account_id).toBe(`forgotten:${g.id}`);
  });

  it('a cancel keeps the authorization, and who it is, while another pending pre-save needs it', async () => {
    const { ctx } = server;
    await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'controls-two',
        artistName: 'A',
        title: 'T2',
        upc: '036000291452',
        releaseAt: '2028-06-01',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    const fan = new FanBrowser();
    const first = await fan.presave(server.url, 'controls', 'twice', 'UTC');
    await fan.presave(server.url, 'controls-two', 'twice', 'UTC');
    const res = await fan.request(`${first}/cancel`, {
      ...form,
      body: await csrfBody(fan, first),
      headers: { ...form.headers, origin: server.url },
    });
    expect(res.status).toBe(303);
    const g = await ctx.db.selectFrom('grants').selectAll().where('account_id', '=', 'twice').executeTakeFirstOrThrow();
    expect(g.status).toBe('active');
    expect(g.access_token_enc).not.toBe('');
    expect((await ctx.db.selectFrom('presaves').select('status').where('account_id', '=', 'twice').execute()).map((r) => r.status)).toEqual(
      ['pending'],
    );
  });

  it('erase: the pre-save and the authorization are gone', async () => {
    const fan = new FanBrowser();
    const thanks = await fan.presave(server.url, 'controls', 'eraser', 'UTC');
    const body = await csrfBody(fan, thanks);
    const noToken = await fan.request(`${thanks}/erase`, { ...form, headers: { ...form.headers, origin: server.url } });
    expect(noToken.status).toBe(403);
    const res = await fan.request(`${thanks}/erase`, { ...form, body, headers: { ...form.headers, origin: server.url } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Erased');
    expect(await server.ctx.db.selectFrom('grants').select('id').where('account_id', '=', 'eraser').execute()).toEqual([]);
    expect(await server.ctx.db.selectFrom('presaves').select('id').where('account_id', '=', 'eraser').execute()).toEqual([]);
    expect((await fan.get(thanks)).status).toBe(404);
  });

  it('the thank-you page sends its address to no other site, yet its own forms keep their origin', async () => {
    const fan = new FanBrowser();
    const thanks = await fan.presave(server.url, 'controls', 'private', 'UTC');
    expect((await fan.get(thanks)).headers.get('referrer-policy')).toBe('same-origin');
    // What a browser sends from a page that hides even its origin: Sec-Fetch-Site decides.
    const res = await fan.request(`${thanks}/cancel`, {
      ...form,
      body: await csrfBody(fan, thanks),
      headers: { ...form.headers, origin: 'null', 'sec-fetch-site': 'same-origin' },
    });
    expect(res.status).toBe(303);
  });

  it('a cross-site form post is refused and changes nothing', async () => {
    const fan = new FanBrowser();
    const thanks = await fan.presave(server.url, 'controls', 'target', 'UTC');
    const body = await csrfBody(fan, thanks);
    const res = await fan.request(`${thanks}/erase`, { ...form, body, headers: { ...form.headers, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(
      await server.ctx.db.selectFrom('presaves').select('status').where('account_id', '=', 'target').executeTakeFirstOrThrow(),
    ).toEqual({ status: 'pending' });
  });
});
