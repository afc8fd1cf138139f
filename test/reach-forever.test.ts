import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace, deleteWorkspace, findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { planFromForm } from '../src/editor/form.js';
import { createFromPlan, duplicateCampaign } from '../src/editor/service.js';
import { confirmConsents, recordConsents } from '../src/reach/consents.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * Forever save over HTTP, on both databases: the receipt page's separate consent, a second
 * campaign of the same artist (made in the editor) getting the forever-savers' pre-saves through
 * the pre-save lifecycle — in their zone and language, on their service — and the fan told (the
 * forever_notice message, the receipt, the /f/ page); another artist or workspace gets nothing;
 * stopping and erasing end it; mistakes are clear 4xx answers.
 */
const DAY = 86_400_000;
const inDays = (d: number) => DateTime.fromMillis(Date.now() + d * DAY, { zone: 'UTC' }).toFormat("yyyy-MM-dd'T'HH:mm");

function form(over: Record<string, string | string[]>): Record<string, string | string[]> {
  return {
    artist: 'Nova Lake',
    title: 'First',
    type: 'single',
    upc: '',
    isrcs: 'GB-AAA-26-00001',
    releaseAt: inDays(10),
    timezone: 'UTC',
    timing: 'local',
    services: ['sandbox'],
    slug: 'first',
    themeAccent: '',
    themeBackground: '',
    languages: '',
    ...over,
  };
}

/** The `_csrf` of a page's form whose action is `action`. */
function csrfOf(html: string, action: string): string {
  const at = html.indexOf(`action="${action}`);
  if (at < 0) throw new Error(`no form posting to ${action}`);
  return /name="_csrf" value="([^"]+)"/.exec(html.slice(at))![1]!;
}

describe.each(testDialects())('forever save (%s)', (dialect) => {
  let server: TestServer;
  let band = 0;
  let other = 0;
  let first: Campaign;

  async function create(workspaceId: number, over: Record<string, string | string[]>): Promise<Campaign> {
    const { ctx } = server;
    const plan = await planFromForm(form(over), null, { now: ctx.now(), enabledServices: ctx.providers.enabled() });
    return createFromPlan(ctx, workspaceId, plan);
  }

  /** A fan pre-saves `slug` and opens the receipt: [receipt URL, its HTML]. */
  async function presave(fan: FanBrowser, slug: string, user: string, tz: string): Promise<[string, string]> {
    const receipt = await fan.presave(server.url, slug, user, tz);
    const res = await fan.get(receipt);
    expect(res.status).toBe(200);
    return [receipt, await res.text()];
  }

  async function turnOn(fan: FanBrowser, receipt: string, html: string, tick = true): Promise<Response> {
    const path = new URL(receipt).pathname;
    return fan.request(`${receipt.split('?')[0]}/forever`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrfOf(html, `${path}/forever`), ...(tick ? { forever: 'yes' } : {}) }).toString(),
    });
  }

  const presavesOf = (campaignId: number) =>
    server.ctx.db
      .selectFrom('presaves')
      .innerJoin('grants', 'grants.id', 'presaves.grant_id')
      .select([
        'presaves.id',
        'presaves.public_id',
        'presaves.timezone',
        'presaves.lang',
        'presaves.status',
        'presaves.due_at',
        'grants.account_id',
      ])
      .where('presaves.campaign_id', '=', campaignId)
      .orderBy('presaves.id')
      .execute();

  /** The forever save of a fan's grant (by their Sandbox account). */
  const foreverOf = (account: string) =>
    server.ctx.db
      .selectFrom('forever_saves')
      .innerJoin('grants', 'grants.id', 'forever_saves.grant_id')
      .selectAll('forever_saves')
      .where('grants.account_id', '=', account)
      .executeTakeFirstOrThrow();

  const fans = { ana: new FanBrowser(), ben: new FanBrowser(), cai: new FanBrowser(), dee: new FanBrowser() };
  const receipts = {} as Record<keyof typeof fans, [string, string]>;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { ctx } = server;
    const owner = await createUser(ctx.db, { email: 'owner@example.com', password: 'correct horse battery' }, ctx.now());
    band = (await createWorkspace(ctx.db, { slug: 'band', name: 'Band', kind: 'artist' }, owner.id, ctx.now())).id;
    other = (await createWorkspace(ctx.db, { slug: 'other', name: 'Other', kind: 'artist' }, owner.id, ctx.now())).id;
    first = await create(band, {});
    receipts.ana = await presave(fans.ana, 'first', 'ana', 'Asia/Kolkata');
    receipts.ben = await presave(fans.ben, 'first', 'ben', 'Europe/Berlin');
    receipts.cai = await presave(fans.cai, 'first', 'cai', 'America/Chicago');
    receipts.dee = await presave(fans.dee, 'first', 'dee', 'Europe/Paris');
  });
  afterAll(() => server.close());

  it('the receipt offers it as a separate, unticked consent; an unticked submit is a 400 naming it', async () => {
    const [, html] = receipts.ana;
    expect(html).toContain('data-forever="offer"');
    // The calendar, in the fan's own zone (local timing).
    expect(html).toContain('href="/first/reminder.ics?lang=en&amp;tz=Asia%2FKolkata"');
    expect(html).toMatch(/<input type="checkbox" name="forever" value="yes" \/>/);
    expect(html).not.toMatch(/name="forever"[^>]*checked/);
    // Before the cancel form.
    expect(html.indexOf('data-forever=')).toBeLessThan(html.indexOf('/cancel'));
    const res = await turnOn(fans.ana, ...receipts.ana, false);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Tick “Also pre-save Nova Lake’s future releases to my Sandbox library, until I stop it.”');
    expect(await server.ctx.db.selectFrom('forever_saves').select('id').execute()).toEqual([]);
  });

  it('ticked: on, with the exact words recorded as a consent of purpose forever', async () => {
    for (const who of ['ana', 'cai', 'dee'] as const) {
      const res = await turnOn(fans[who], ...receipts[who]);
      expect(res.status, who).toBe(303);
      expect(res.headers.get('location'), who).toMatch(/#forever$/);
    }
    const page = await (await fans.ana.get(receipts.ana[0])).text();
    expect(page).toContain('data-forever="on"');
    expect(page).toContain('Forever save is on since');
    const rows = await server.ctx.db.selectFrom('forever_saves').selectAll().orderBy('id').execute();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      audience: `w:${band}`,
      artist_key: 'nova lake',
      service: 'sandbox',
      timezone: 'Asia/Kolkata',
      stopped_at: null,
    });
    const consents = await server.ctx.db.selectFrom('consents').selectAll().where('forever_id', '=', rows[0]!.id).execute();
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      purpose: 'forever',
      page: 'receipt',
      text: 'Also pre-save Nova Lake’s future releases to my Sandbox library, until I stop it.',
      campaign_id: first.id,
      withdrawn_at: null,
    });
    expect(consents[0]!.text_version).toMatch(/^forever\.consent#/);
  });

  it('a fan who stops from the /f/ page gets nothing more; the consent is withdrawn', async () => {
    const row = await foreverOf('cai');
    const page = await fans.cai.get(`${server.url}/f/${row.manage_id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Forever save — Nova Lake');
    const stop = await fans.cai.request(`${server.url}/f/${row.manage_id}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrfOf(html, `/f/${row.manage_id}/stop`) }).toString(),
    });
    expect(stop.status).toBe(303);
    const after = await (await fans.cai.get(`${server.url}${stop.headers.get('location')!}`)).text();
    expect(after).toContain('Forever save is stopped: nothing more will be saved.');
    const consent = await server.ctx.db.selectFrom('consents').selectAll().where('forever_id', '=', row.id).executeTakeFirstOrThrow();
    expect(consent.withdrawn_via).toBe('preferences');
    expect(consent.withdrawn_at).not.toBeNull();
  });

  it('a second campaign of the same artist gets the standing forever-savers’ pre-saves, and they are told', async () => {
    // Dee left a confirmed address on her receipt (helper A's form writes these rows; here by hand).
    const { ctx } = server;
    const deePresave = (await presavesOf(first.id)).find((p) => p.account_id === 'dee')!;
    const contact = await ctx.db
      .insertInto('contacts')
      .values({
        audience: `w:${band}`,
        email_hash: 'h-dee',
        email_enc: 'x',
        manage_id: 'dee-contact-manage-0001',
        status: 'confirmed',
        lang: 'en',
        campaign_id: first.id,
        confirm_expires_at: null,
        confirmed_at: ctx.now(),
        suppressed_at: null,
        suppressed_reason: null,
        created_at: ctx.now(),
        updated_at: ctx.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordConsents(
      ctx.db,
      { contactId: contact.id },
      [
        {
          purpose: 'remind',
          text: 'Remind me',
          textVersion: 'v',
          lang: 'en',
          page: 'receipt',
          campaignId: first.id,
          presaveId: deePresave.id,
          timezone: 'Europe/Paris',
        },
      ],
      ctx.now(),
    );
    // Confirmed by its owner: the address a forever-saver is told through.
    await confirmConsents(ctx.db, contact.id, ctx.now(), ctx.now());

    // Same artist, spelt differently; another artist; the same artist in another workspace.
    const second = await create(band, {
      artist: '  nova   LAKE ',
      title: 'Second',
      slug: 'second',
      releaseAt: inDays(40),
      isrcs: 'GB-AAA-26-00002',
    });
    const elsewhere = await create(other, { title: 'Elsewhere', slug: 'elsewhere', isrcs: 'GB-AAA-26-00003' });
    const stranger = await create(band, { artist: 'Someone Else', title: 'Else', slug: 'else', isrcs: 'GB-AAA-26-00004' });

    const made = await presavesOf(second.id);
    expect(made.map((p) => p.account_id).sort()).toEqual(['ana', 'dee']);
    const ana = made.find((p) => p.account_id === 'ana')!;
    expect(ana).toMatchObject({ timezone: 'Asia/Kolkata', status: 'pending' });
    // Local timing: the fan's own midnight, in their zone.
    expect(new Date(ana.due_at).toISOString()).toBe(DateTime.fromISO(second.release_local, { zone: 'Asia/Kolkata' }).toUTC().toISO());
    expect(await presavesOf(elsewhere.id)).toEqual([]);
    expect(await presavesOf(stranger.id)).toEqual([]);

    // Dee is told: a forever_notice about the new pre-save, at once; and the release-day receipt.
    const dee = made.find((p) => p.account_id === 'dee')!;
    const messages = await ctx.db.selectFrom('messages').selectAll().where('contact_id', '=', contact.id).orderBy('id').execute();
    const notice = messages.find((m) => m.type === 'forever_notice')!;
    expect(notice).toMatchObject({
      campaign_id: second.id,
      channel: 'email',
      channel_key: 'mail:smtp',
      presave_id: dee.id,
      status: 'pending',
    });
    expect(notice.dedupe).toMatch(new RegExp(`^forever:\\d+:${second.id}$`));
    expect(messages.some((m) => m.type === 'out_now' && m.campaign_id === second.id && m.presave_id === dee.id)).toBe(true);
    // Ana has no address: her receipt for the new release says it, and /f/ lists both receipts.
    const receipt = await (await fans.ana.get(`${server.url}/p/${ana.public_id}`)).text();
    expect(receipt).toContain('data-forever="on"');
    const row = await foreverOf('ana');
    const fpage = await (await fans.ana.get(`${server.url}/f/${row.manage_id}`)).text();
    expect(fpage).toContain(`href="/p/${ana.public_id}"`);
    expect(fpage).toContain('Second');

    // A copy made in the editor is a new campaign too; making the same campaign's pre-saves twice is impossible.
    const copy = await duplicateCampaign(ctx, band, second, { releaseAt: inDays(60), slug: 'third' });
    expect((await presavesOf(copy.id)).map((p) => p.account_id).sort()).toEqual(['ana', 'dee']);
  });

  it('stopping cancels notices not yet sent; the pre-saves made stay', async () => {
    const { ctx } = server;
    const row = await foreverOf('dee');
    const fan = fans.dee;
    const html = await (await fan.get(`${server.url}/f/${row.manage_id}`)).text();
    const stop = await fan.request(`${server.url}/f/${row.manage_id}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrfOf(html, `/f/${row.manage_id}/stop`) }).toString(),
    });
    expect(stop.status).toBe(303);
    const notices = await ctx.db
      .selectFrom('messages')
      .select(['status', 'type'])
      .where('type', '=', 'forever_notice')
      .where('contact_id', '=', row.contact_id!)
      .execute();
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((m) => m.status === 'cancelled')).toBe(true);
    // Other messages of the contact (the release-day receipt) are not forever save's to cancel.
    const outNow = await ctx.db
      .selectFrom('messages')
      .select('status')
      .where('type', '=', 'out_now')
      .where('contact_id', '=', row.contact_id!)
      .execute();
    expect(outNow.every((m) => m.status === 'pending')).toBe(true);
    const fourth = await create(band, { title: 'Fourth', slug: 'fourth', isrcs: 'GB-AAA-26-00005' });
    expect((await presavesOf(fourth.id)).map((p) => p.account_id)).toEqual(['ana']);
  });

  it('a standing forever save keeps its grant after the pre-saves are done; stopping lets it go', async () => {
    const { ctx } = server;
    const fan = new FanBrowser();
    const [receipt, html] = await presave(fan, 'fourth', 'eve', 'UTC');
    expect((await turnOn(fan, receipt, html)).status).toBe(303);
    const page = await (await fan.get(receipt)).text();
    const cancel = await fan.request(`${receipt}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrfOf(page, `${new URL(receipt).pathname}/cancel`) }).toString(),
    });
    expect(cancel.status).toBe(303);
    const grant = () => ctx.db.selectFrom('grants').select(['status', 'account_id']).where('account_id', 'in', ['eve']).executeTakeFirst();
    expect((await grant())?.status).toBe('active');
    const row = await foreverOf('eve');
    const fpage = await (await fan.get(`${server.url}/f/${row.manage_id}`)).text();
    await fan.request(`${server.url}/f/${row.manage_id}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrfOf(fpage, `/f/${row.manage_id}/stop`) }).toString(),
    });
    // Nothing needs it now: its tokens are deleted and the account forgotten.
    const after = await ctx.db
      .selectFrom('grants')
      .select(['status', 'access_token_enc'])
      .where('account_id', 'like', 'forgotten:%')
      .execute();
    expect(after.some((g) => g.status === 'released' && g.access_token_enc === '')).toBe(true);
  });

  it('erasing the pre-save erases the forever save made from it; its page is gone', async () => {
    const { ctx } = server;
    const row = await foreverOf('ana');
    const [receipt] = receipts.ana;
    const html = await (await fans.ana.get(receipt)).text();
    const res = await fans.ana.request(`${receipt}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrfOf(html, `${new URL(receipt).pathname}/erase`) }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await ctx.db.selectFrom('forever_saves').select('id').where('id', '=', row.id).execute()).toEqual([]);
    expect(await ctx.db.selectFrom('consents').select('id').where('forever_id', '=', row.id).execute()).toEqual([]);
    const gone = await fans.ana.get(`${server.url}/f/${row.manage_id}`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('This forever save no longer exists.');
    expect((await fans.ana.get(`${server.url}/f/not-a-real-id-at-all`)).status).toBe(404);
    // The next release of the artist: nothing for Ana.
    const fifth = await create(band, { title: 'Fifth', slug: 'fifth', isrcs: 'GB-AAA-26-00006' });
    expect(await presavesOf(fifth.id)).toEqual([]);
  });

  it('a deleted workspace launches nothing more: its forever saves stop', async () => {
    const { ctx } = server;
    const fan = new FanBrowser();
    const [receipt, html] = await presave(fan, 'fifth', 'finn', 'UTC');
    expect((await turnOn(fan, receipt, html)).status).toBe(303);
    const ws = (await findWorkspaceBySlug(ctx.db, 'band'))!;
    await deleteWorkspace(ctx.db, ws, ctx.now());
    const standing = await ctx.db
      .selectFrom('forever_saves')
      .select('id')
      .where('audience', '=', `w:${band}`)
      .where('stopped_at', 'is', null)
      .execute();
    expect(standing).toEqual([]);
  });
});
