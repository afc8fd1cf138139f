import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { getCampaignBySlug } from '../src/campaigns/repo.js';
import { normalizeEmail } from '../src/reach/address.js';
import { confirmToken } from '../src/reach/links.js';
import { consentWords } from '../src/reach/contacts/words.js';
import { contactAad } from '../src/reach/contacts/read.js';
import { housekeep } from '../src/web/housekeeping.js';
import { redactUrl } from '../src/log.js';
import { setCampaignLink } from '../src/smartlink/links.js';
import { testDialects } from './helpers/db.js';
import { contactByEmail } from './helpers/reach.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * Contacts with consent over real HTTP (reach/contacts, web/routes/contacts.ts): capture with the
 * recorded words, the address encrypted at rest, double opt-in, expiry, rate limits, withdrawal,
 * one-click unsubscribe from a mail client, erasure (also from a pre-save's receipt).
 */
const START = Date.parse('2027-03-01T12:00:00Z');
const HOUR = 3_600_000;

describe('addresses and links, without a database', () => {
  it('normalizes what fans type: one form to mail, one to look up (case folded, IDNA domain)', () => {
    expect(normalizeEmail('  Ann@Bücher.Example ')).toEqual({
      ok: true,
      address: 'Ann@xn--bcher-kva.example',
      lookup: 'ann@xn--bcher-kva.example',
    });
    expect(normalizeEmail('')).toEqual({ ok: false, reason: 'empty' });
    expect(normalizeEmail('a..b@example.com')).toEqual({ ok: false, reason: 'invalid' });
    expect(normalizeEmail('ann@localhost')).toEqual({ ok: false, reason: 'invalid' });
  });
  it('log lines never carry a confirmation token or a preference-page capability', () => {
    expect(redactUrl('/c/confirm/12.345.abc')).toBe('/c/confirm/[REDACTED]');
    expect(redactUrl('/c/AbCdEfGhIjKlMnOpQrStUv/unsubscribe?lang=de')).toBe('/c/[REDACTED]/unsubscribe?lang=de');
    expect(redactUrl('/connect/sandbox?campaign=c')).toBe('/connect/sandbox?campaign=c');
  });
});

describe.each(testDialects())('contacts with consent (%s)', (dialect) => {
  let server: TestServer;
  let clock = START;
  let fans = 0;
  beforeAll(async () => {
    server = await startTestServer(
      dialect,
      { CONFIRM_MAILS_PER_ADDRESS_PER_DAY: '2', CONFIRM_MAILS_PER_IP_PER_HOUR: '6', CONTACT_CONFIRM_TTL_HOURS: '48' },
      () => clock,
    );
    const { ctx } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const base = { artistName: 'Nova', upc: '036000291452', timing: 'global' as const, services: ['sandbox' as const] };
    await createCampaign(deps, { ...base, slug: 'night-swim', title: 'Night Swim', releaseAt: '2027-06-01' });
    await createCampaign(deps, { ...base, slug: 'old-song', title: 'Old Song', releaseAt: '2027-04-01' });
    await createCampaign(deps, { ...base, slug: 'gone-song', title: 'Gone', releaseAt: '2027-06-01' });
    const swim = await getCampaignBySlug(ctx.db, 'night-swim');
    await setCampaignLink(ctx.db, swim.id, 'youtube-music', 'https://music.youtube.com/playlist?list=OLAK5', START);
    await setCampaignLink(ctx.db, swim.id, 'jiosaavn', 'https://www.jiosaavn.com/album/night-swim/abc', START);
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('slug', '=', 'gone-song').execute();
    // old-song belongs to an artist's workspace, like the next test's second campaign of theirs.
    const ws = await ctx.db
      .insertInto('workspaces')
      .values({ slug: 'nova', name: 'Nova', kind: 'artist', created_at: START, updated_at: START })
      .returning('id')
      .executeTakeFirstOrThrow();
    await createCampaign(deps, { ...base, slug: 'next-song', title: 'Next Song', releaseAt: '2027-05-01' });
    await ctx.db.updateTable('campaigns').set({ workspace_id: ws.id }).where('slug', 'in', ['old-song', 'next-song']).execute();
  });
  afterAll(() => server.close());

  /** The campaign page's form as a browser sends it (same-origin; no token: the page is cached). */
  function remind(slug: string, fields: Record<string, string>, opts: { ip?: string; site?: string } = {}) {
    return server.app.inject({
      method: 'POST',
      url: `/${slug}/remind`,
      // Each fan from their own address unless the test says (the per-IP limit is tested on its own).
      remoteAddress: opts.ip ?? `10.0.${Math.floor(++fans / 250)}.${fans % 250}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': opts.site ?? 'same-origin' },
      payload: new URLSearchParams({ lang: 'en', tz: 'Europe/Berlin', service: '', ...fields }).toString(),
    });
  }
  const contactOf = (email: string) => contactByEmail(server.ctx, email);
  const consentsOf = (contactId: number) =>
    server.ctx.db.selectFrom('consents').selectAll().where('contact_id', '=', contactId).orderBy('id').execute();
  const messagesOf = (contactId: number) =>
    server.ctx.db.selectFrom('messages').selectAll().where('contact_id', '=', contactId).orderBy('id').execute();

  it('the campaign page offers the form next to the service buttons: unticked boxes, "Remind me on" each service without a pre-save', async () => {
    const page = await (await new FanBrowser().get(`${server.url}/night-swim`)).text();
    expect(page).toContain('<section id="remind"');
    expect(page).toContain('<form id="reach-form" method="post" action="/night-swim/remind"');
    expect(page).toMatch(/<input type="checkbox" id="reach-remind" name="remind" value="1" \/>/);
    expect(page).toMatch(/<input type="checkbox" id="reach-news" name="news" value="1" \/>/);
    // Web push's opt-in sits in its slot (views/push-opt-in.ts).
    expect(page).toContain('<div class="reach-push"><div');
    // The pre-save button is still there, before the reminder.
    expect(page.indexOf('/connect/sandbox')).toBeGreaterThan(0);
    expect(page.indexOf('/connect/sandbox')).toBeLessThan(page.indexOf('id="remind"'));
    expect(page).toContain('Remind me on YouTube Music');
    expect(page).toContain('href="/night-swim?remind=jiosaavn&amp;lang=en#remind"');
    expect(page).toContain('Remind me when “Night Swim” is out');
    // Without JavaScript: the link's page has the service chosen.
    const chosen = await (await new FanBrowser().get(`${server.url}/night-swim?remind=jiosaavn&lang=en`)).text();
    expect(chosen).toContain('<option value="jiosaavn" selected>');
    const unknown = await (await new FanBrowser().get(`${server.url}/night-swim?remind=nope`)).text();
    expect(unknown).not.toContain(' selected>');
  });

  it('capture: the address is stored encrypted with a keyed hash, consents keep the exact words shown; a confirmation mail is queued', async () => {
    const res = await remind('night-swim', { email: '  Ann.Fan@Example.COM ', remind: '1', news: '1', service: 'youtube-music' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your inbox');
    expect(res.body).toContain('Ann.Fan@example.com');
    const contact = (await contactOf('ann.fan@example.com'))!;
    expect(contact).toMatchObject({ status: 'unconfirmed', lang: 'en', confirm_expires_at: START + 48 * HOUR });
    const swim = await getCampaignBySlug(server.ctx.db, 'night-swim');
    expect(contact.audience).toBe(`c:${swim.id}`);
    expect(contact.manage_id).toMatch(/^[0-9A-Za-z]{22}$/);
    // Nothing in the row holds the address in clear; the cipher reads it only under this row's name.
    expect(JSON.stringify(contact).toLowerCase()).not.toContain('example.com');
    expect(server.ctx.cipher.decrypt(contact.email_enc, contactAad(contact.email_hash))).toBe('Ann.Fan@example.com');
    expect(() => server.ctx.cipher.decrypt(contact.email_enc, contactAad('someone-else'))).toThrow();
    const consents = await consentsOf(contact.id);
    expect(consents.map((c) => c.purpose)).toEqual(['remind', 'news']);
    const words = consentWords(swim, 'remind', 'en');
    expect(consents[0]).toMatchObject({
      text: words.text,
      text_version: words.version,
      lang: 'en',
      page: 'campaign',
      campaign_id: swim.id,
      presave_id: null,
      timezone: 'Europe/Berlin',
      service: 'youtube-music',
      given_at: START,
      withdrawn_at: null,
    });
    expect(words.version).toMatch(/^contact\.consent_remind#[A-Za-z0-9_-]{10}$/);
    expect(consents[1]).toMatchObject({ text: consentWords(swim, 'news', 'en').text, service: null });
    // Until confirmed the address receives only the confirmation.
    expect((await messagesOf(contact.id)).map((m) => [m.type, m.channel, m.channel_key, m.status])).toEqual([
      ['confirm', 'email', 'mail:smtp', 'pending'],
    ]);
    // The same address typed differently is the same contact.
    const again = await remind('night-swim', { email: 'ann.fan@EXAMPLE.com', remind: '1' });
    expect(again.statusCode).toBe(200);
    expect(await server.ctx.db.selectFrom('contacts').select('id').where('id', '=', contact.id).execute()).toHaveLength(1);
    expect((await consentsOf(contact.id)).length).toBe(2);
  });

  it('bad input: a 4xx page naming the problem in the fan’s language, the form kept filled', async () => {
    const empty = await remind('night-swim', { email: '', news: '1' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your email address.');
    expect(empty.body).toMatch(/id="reach-news" name="news" value="1" checked/);
    const bad = await remind('night-swim', { email: 'not-an-address', remind: '1', lang: 'de' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<html lang="de"');
    expect(bad.body).toContain('value="not-an-address"');
    expect(bad.body).toMatch(/id="reach-remind" name="remind" value="1" checked/);
    const none = await remind('night-swim', { email: 'x@example.org' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Tick at least one box');
    expect(none.body).toContain('value="x@example.org"');
    const service = await remind('night-swim', { email: 'x@example.org', remind: '1', service: 'evil' });
    expect(service.statusCode).toBe(400);
    expect(service.body).toContain('Choose one of the services');
    expect((await remind('no-such-campaign', { email: 'x@example.org', remind: '1' })).statusCode).toBe(404);
    expect((await remind('gone-song', { email: 'x@example.org', remind: '1' })).statusCode).toBe(410);
    const twice = await server.app.inject({
      method: 'POST',
      url: '/night-swim/remind',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      payload: 'email=a@example.org&email=b@example.org&remind=1',
    });
    expect(twice.statusCode).toBe(400);
    expect(await contactOf('x@example.org')).toBeUndefined();
  });

  it('a form posted from another site is refused (Sec-Fetch-Site / Origin: the cached page carries no token)', async () => {
    const res = await remind('night-swim', { email: 'cross@example.org', remind: '1' }, { site: 'cross-site' });
    expect(res.statusCode).toBe(403);
    expect(await contactOf('cross@example.org')).toBeUndefined();
  });

  it('confirm: the signed link confirms and schedules the release-day message; again: "already"; forged or expired: a page with a way back', async () => {
    await remind('night-swim', { email: 'conf@example.org', remind: '1', tz: 'Asia/Kolkata' });
    const contact = (await contactOf('conf@example.org'))!;
    const token = confirmToken(server.ctx, contact.id, contact.confirm_expires_at!);
    const fan = new FanBrowser();
    const page = await fan.get(`${server.url}/c/confirm/${token}`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('conf@example.org is confirmed');
    expect(body).toContain('Remind me when “Night Swim” is out');
    const after = (await contactOf('conf@example.org'))!;
    expect(after).toMatchObject({ status: 'confirmed', confirmed_at: START, confirm_expires_at: null });
    const swim = await getCampaignBySlug(server.ctx.db, 'night-swim');
    const outNow = (await messagesOf(contact.id)).find((m) => m.type === 'out_now')!;
    expect(outNow).toMatchObject({ status: 'pending', next_attempt_at: swim.first_release_at, channel: 'email' });
    const again = await fan.get(`${server.url}/c/confirm/${token}`);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already confirmed');
    expect((await messagesOf(contact.id)).filter((m) => m.type === 'out_now')).toHaveLength(1);
    const forged = await fan.get(`${server.url}/c/confirm/${contact.id}.${contact.confirm_expires_at! + 1}.AAAA`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('This link does not work');
    const old = confirmToken(server.ctx, contact.id, START - 1);
    const expired = await fan.get(`${server.url}/c/confirm/${old}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('href="/night-swim?lang=en#remind"');
  });

  it('expiry: an unconfirmed address past its link is deleted with its consents and messages; a confirmed one stays', async () => {
    await remind('night-swim', { email: 'late@example.org', news: '1' });
    const late = (await contactOf('late@example.org'))!;
    clock = START + 49 * HOUR;
    try {
      const run = await housekeep(server.ctx);
      expect(run.contacts).toBeGreaterThanOrEqual(1);
      expect(await contactOf('late@example.org')).toBeUndefined();
      expect(await consentsOf(late.id)).toEqual([]);
      expect(await messagesOf(late.id)).toEqual([]);
      expect((await contactOf('conf@example.org'))?.status).toBe('confirmed');
      const token = confirmToken(server.ctx, late.id, clock + HOUR);
      const gone = await new FanBrowser().get(`${server.url}/c/confirm/${token}`);
      expect(gone.status).toBe(410);
    } finally {
      clock = START;
    }
  });

  it('rate limits: confirmation mails per address a day (choices kept, no mail) and per IP an hour (refused, nothing stored); the fan is told', async () => {
    const ip = '203.0.113.9';
    expect((await remind('night-swim', { email: 'many@example.org', remind: '1' }, { ip })).statusCode).toBe(200);
    expect((await remind('night-swim', { email: 'many@example.org', remind: '1' }, { ip })).statusCode).toBe(200);
    const third = await remind('night-swim', { email: 'many@example.org', news: '1' }, { ip });
    expect(third.statusCode).toBe(200);
    expect(third.body).toContain('data-status="limited"');
    expect(third.body).toContain('Your choices are saved');
    const many = (await contactOf('many@example.org'))!;
    expect((await consentsOf(many.id)).map((c) => c.purpose)).toEqual(['remind', 'news']);
    expect((await messagesOf(many.id)).filter((m) => m.type === 'confirm')).toHaveLength(2);
    // Per IP: 6 mails an hour (two already spent above, none for the refused third).
    for (let i = 0; i < 4; i++)
      expect((await remind('night-swim', { email: `ip${i}@example.org`, remind: '1' }, { ip })).statusCode).toBe(200);
    const blocked = await remind('night-swim', { email: 'ip9@example.org', remind: '1' }, { ip });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(blocked.body).toContain('Too many addresses were left from your network');
    // A refusal stores nothing; the form comes back filled.
    expect(blocked.body).toContain('value="ip9@example.org"');
    expect(await contactOf('ip9@example.org')).toBeUndefined();
    // Another network is not held back.
    expect((await remind('night-swim', { email: 'ip9@example.org', remind: '1' }, { ip: '198.51.100.7' })).statusCode).toBe(200);
  });

  async function confirmed(email: string, fields: Record<string, string> = { remind: '1', news: '1' }, slug = 'night-swim') {
    await remind(slug, { email, ...fields });
    const c = (await contactOf(email))!;
    await new FanBrowser().get(`${server.url}/c/confirm/${confirmToken(server.ctx, c.id, c.confirm_expires_at!)}`);
    return (await contactOf(email))!;
  }

  it('a confirmed address given a new choice: it waits for the owner’s own link (one mail, nothing planned); a later choice is not confirmed by an earlier link; ignored, it expires; a suppressed one must confirm again', async () => {
    const c = await confirmed('again@example.org', { news: '1' }, 'old-song');
    expect(c.audience).toMatch(/^w:\d+$/);
    // The same, already confirmed choice typed again by anyone: the very page any address gets
    // (no mail goes, and nothing tells the visitor that this address is signed up).
    const fresh = await remind('old-song', { email: 'nobody-yet@example.org', news: '1' });
    const known = await remind('old-song', { email: 'again@example.org', news: '1' });
    const words = (body: string) => /<h1>[\s\S]*?<\/p>/.exec(body)![0].replace(/nobody-yet@example\.org|again@example\.org/, '<address>');
    expect(known.statusCode).toBe(fresh.statusCode);
    expect(known.body).toContain('data-status="sent"');
    expect(words(known.body)).toBe(words(fresh.body));
    expect((await messagesOf(c.id)).filter((m) => m.type === 'confirm')).toHaveLength(1);
    const next = await getCampaignBySlug(server.ctx.db, 'next-song');
    clock = START + HOUR;
    try {
      // Anyone can type the address: the page is the one any address gets, and nothing stands yet.
      const res = await remind('next-song', { email: 'again@example.org', remind: '1' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('data-status="sent"');
      expect(res.body).not.toContain('already confirmed');
      let msgs = await messagesOf(c.id);
      expect(msgs.filter((m) => m.type === 'confirm')).toHaveLength(2);
      expect(msgs.find((m) => m.type === 'out_now')).toBeUndefined();
      const remindNext = (await consentsOf(c.id)).find((k) => k.campaign_id === next.id)!;
      expect(remindNext).toMatchObject({ purpose: 'remind', confirmed_at: null, withdrawn_at: null });
      const linkIssued = clock;
      const expiresAt = (await contactOf('again@example.org'))!.confirm_expires_at!;
      expect(expiresAt).toBe(clock + 48 * HOUR);

      // After the mail went out, someone adds "news" for next-song: that mail's link does not confirm it.
      clock = START + 2 * HOUR;
      await remind('next-song', { email: 'again@example.org', news: '1' });
      const link = confirmToken(server.ctx, c.id, expiresAt, linkIssued);
      const page = await new FanBrowser().get(`${server.url}/c/confirm/${link}`);
      const body = await page.text();
      expect(body).toContain('these choices are confirmed');
      expect(body).toContain('Remind me when “Next Song” is out');
      expect(body).toContain('data-pending');
      const after = await consentsOf(c.id);
      expect(after.find((k) => k.campaign_id === next.id && k.purpose === 'remind')?.confirmed_at).toBe(clock);
      expect(after.find((k) => k.campaign_id === next.id && k.purpose === 'news')?.confirmed_at).toBeNull();
      msgs = await messagesOf(c.id);
      expect(msgs.find((m) => m.type === 'out_now')).toMatchObject({ campaign_id: next.id, status: 'pending' });
      // The preference page shows the waiting one, with its withdraw button.
      const prefs = await (await new FanBrowser().get(`${server.url}/c/${c.manage_id}`)).text();
      expect(prefs).toMatch(/data-purpose="news"\s+data-standing="no"\s+data-confirmed="no"/);
      expect(prefs).toContain('Waiting for you to confirm');

      // Nobody confirms it: once no link can, housekeeping deletes it; the contact and its choices stay.
      clock = START + 2 * HOUR + 49 * HOUR;
      await housekeep(server.ctx);
      const kept = await consentsOf(c.id);
      expect(kept.map((k) => [k.purpose, k.campaign_id])).toEqual([
        ['news', c.campaign_id],
        ['remind', next.id],
      ]);
      expect((await contactOf('again@example.org'))?.status).toBe('confirmed');
    } finally {
      clock = START;
    }

    // A bounce suppressed it: leaving it again asks for a confirmation, which lifts the suppression.
    const { suppressContact } = await import('../src/reach/contacts/suppress.js');
    await suppressContact(server.ctx.db, c.id, 'bounced', START);
    expect((await remind('old-song', { email: 'again@example.org', remind: '1' })).body).toContain('Check your inbox');
    expect((await contactOf('again@example.org'))?.status).toBe('suppressed');
    const s = (await contactOf('again@example.org'))!;
    await new FanBrowser().get(`${server.url}/c/confirm/${confirmToken(server.ctx, s.id, s.confirm_expires_at!)}`);
    expect(await contactOf('again@example.org')).toMatchObject({ status: 'confirmed', suppressed_at: null });
  });

  it('preference page: what was agreed to in the recorded words; withdrawing a reminder cancels its message', async () => {
    const c = await confirmed('prefs@example.org');
    const fan = new FanBrowser();
    const page = await (await fan.get(`${server.url}/c/${c.manage_id}`)).text();
    expect(page).toContain('prefs@example.org');
    expect(page).toContain('Remind me when “Night Swim” is out');
    expect(page).toContain('News from');
    expect(page).toContain('campaign page of');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const swim = await getCampaignBySlug(server.ctx.db, 'night-swim');
    const res = await fan.request(`${server.url}/c/${c.manage_id}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrf, purpose: 'remind', campaign: String(swim.id) }).toString(),
    });
    expect(res.status).toBe(303);
    const consents = await consentsOf(c.id);
    expect(consents.find((x) => x.purpose === 'remind')).toMatchObject({ withdrawn_at: START, withdrawn_via: 'preferences' });
    expect(consents.find((x) => x.purpose === 'news')?.withdrawn_at).toBeNull();
    expect((await messagesOf(c.id)).find((m) => m.type === 'out_now')?.status).toBe('cancelled');
    const shown = await (await fan.get(new URL(res.headers.get('location')!, server.url).toString())).text();
    expect(shown).toContain('data-notice="withdrawn"');
    // Without the token: refused, nothing changes.
    const forged = await fan.request(`${server.url}/c/${c.manage_id}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ purpose: 'news', campaign: String(swim.id) }).toString(),
    });
    expect(forged.status).toBe(403);
    const wrong = await fan.request(`${server.url}/c/${c.manage_id}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrf, purpose: 'everything', campaign: 'x' }).toString(),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('purpose');
    expect((await fan.get(`${server.url}/c/${'z'.repeat(22)}`)).status).toBe(404);
  });

  it('one-click unsubscribe (RFC 8058): a cross-site POST from a mail client, without cookies or token, withdraws everything', async () => {
    const c = await confirmed('unsub@example.org');
    const res = await server.app.inject({
      method: 'POST',
      url: `/c/${c.manage_id}/unsubscribe`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site', origin: 'https://mail.example.net' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You are unsubscribed');
    const consents = await consentsOf(c.id);
    expect(consents.every((x) => x.withdrawn_via === 'unsubscribe' && x.withdrawn_at === START)).toBe(true);
    expect((await messagesOf(c.id)).filter((m) => m.status === 'pending')).toEqual([]);
    // The GET is a page with one button, and changes nothing by itself.
    const c2 = await confirmed('unsub2@example.org');
    const get = await server.app.inject({ method: 'GET', url: `/c/${c2.manage_id}/unsubscribe` });
    expect(get.statusCode).toBe(200);
    expect(get.body).toContain(`action="/c/${c2.manage_id}/unsubscribe?lang=en"`);
    expect((await consentsOf(c2.id)).every((x) => x.withdrawn_at === null)).toBe(true);
    // Another route of the page stays protected.
    const erase = await server.app.inject({
      method: 'POST',
      url: `/c/${c2.manage_id}/erase`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      payload: '',
    });
    expect(erase.statusCode).toBe(403);
    expect(await contactOf('unsub2@example.org')).toBeDefined();
  });

  it('erase: the contact, its consents and messages are deleted', async () => {
    const c = await confirmed('erase@example.org');
    const fan = new FanBrowser();
    const page = await (await fan.get(`${server.url}/c/${c.manage_id}`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const res = await fan.request(`${server.url}/c/${c.manage_id}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-status="erased"');
    expect(await contactOf('erase@example.org')).toBeUndefined();
    expect(await consentsOf(c.id)).toEqual([]);
    expect(await messagesOf(c.id)).toEqual([]);
    expect((await fan.get(`${server.url}/c/${c.manage_id}`)).status).toBe(404);
  });

  it('receipt page: the address left there names the pre-save; erasing the pre-save erases the contact, or keeps it for other choices', async () => {
    const fan = new FanBrowser();
    const thanks = await fan.presave(server.url, 'night-swim', 'receipt-fan', 'America/Chicago');
    const page = await (await fan.get(thanks)).text();
    expect(page).toContain(`action="/p/${thanks.split('/p/')[1]}/remind"`);
    expect(page.indexOf('id="remind"')).toBeGreaterThan(page.indexOf('Keep this page'));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const post = (email: string) =>
      fan.request(`${thanks}/remind`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ _csrf: csrf, email, remind: '1', lang: 'en', tz: '', service: '' }).toString(),
      });
    expect((await post('saver@example.org')).status).toBe(200);
    const presave = await server.ctx.db
      .selectFrom('presaves')
      .selectAll()
      .where('public_id', '=', thanks.split('/p/')[1]!)
      .executeTakeFirstOrThrow();
    const saver = (await contactOf('saver@example.org'))!;
    expect((await consentsOf(saver.id))[0]).toMatchObject({ presave_id: presave.id, page: 'receipt', timezone: 'America/Chicago' });
    // The same address also asked for news on the campaign page: it stays for that.
    expect((await post('kept@example.org')).status).toBe(200);
    await remind('night-swim', { email: 'kept@example.org', news: '1' });
    const kept = (await contactOf('kept@example.org'))!;
    const erase = await fan.request(`${thanks}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(erase.status).toBe(200);
    expect(await erase.text()).toContain('data-contact="erased"');
    expect(await contactOf('saver@example.org')).toBeUndefined();
    const left = await consentsOf(kept.id);
    expect(left.map((c) => c.purpose)).toEqual(['news']);
    expect((await messagesOf(kept.id)).filter((m) => m.status === 'pending' && m.presave_id === presave.id)).toEqual([]);
  });

  it('after release the campaign page is a smart link: no reminder form; a late reminder post is told it is out', async () => {
    clock = Date.parse('2027-04-02T00:00:00Z');
    try {
      const page = await (await new FanBrowser().get(`${server.url}/old-song`)).text();
      expect(page).not.toContain('id="reach-form"');
      const late = await remind('old-song', { email: 'late2@example.org', remind: '1' });
      expect(late.statusCode).toBe(400);
      expect(late.body).toContain('already out');
    } finally {
      clock = START;
    }
  });
});
