import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/repo.js';
import { ensureContactCode } from '../src/growth/referrals/codes.js';
import { listReferrals } from '../src/growth/referrals/list.js';
import { setLeaderboardPublic } from '../src/growth/settings.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { reachCampaign, seedContact } from './helpers/reach.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { appleCampaign, appleMusicEnv, connectApple, startFakeWithKeys } from './fakes/apple-music/dropday.js';
import type { AppleMusicFake } from './fakes/apple-music/index.js';

/** A fan's browser with its own user agent (a device profile of its own). */
class Fan extends FanBrowser {
  constructor(readonly ua: string) {
    super();
  }
  override request(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('user-agent', this.ua);
    headers.set('accept-language', 'en-GB,en;q=0.8');
    return super.request(url, { ...init, headers });
  }
}

const DAY = 86_400_000;

/**
 * Referral links over real HTTP: the attribution cookie (first touch, its window on the injected
 * clock, its flags), the code carried through the OAuth round trip and the MusicKit path, the
 * receipt's section, the leaderboard name, erasure, and bad input (ignored or a 4xx, never a 500).
 */
describe.each(testDialects())('referral links over HTTP (%s)', (dialect) => {
  let server: TestServer;
  let apple: AppleMusicFake;
  let campaign: Campaign;
  let offset = 0;
  const now = () => Date.now() + offset;
  /** The page cache's own clock (it re-checks a campaign's version once its interval has passed on it). */
  let pageClock = 0;

  beforeAll(async () => {
    const f = await startFakeWithKeys();
    apple = f.fake;
    server = await startTestServer(dialect, { REFERRAL_WINDOW_DAYS: '1', ...appleMusicEnv(f.fake, f.privateKeyPem) }, now, {
      pageCache: { clock: () => pageClock },
    });
    campaign = await reachCampaign(server.ctx, 'tidewater', { days: 30 });
  });
  afterAll(async () => {
    await server?.close();
    await apple?.close();
  });

  const db = () => server.ctx.db;
  const codeOf = async (receipt: string) => {
    const publicId = new URL(receipt).pathname.split('/p/')[1]!;
    const row = await db()
      .selectFrom('referral_codes')
      .innerJoin('presaves', 'presaves.id', 'referral_codes.presave_id')
      .select(['referral_codes.code', 'referral_codes.visits', 'presaves.id'])
      .where('presaves.public_id', '=', publicId)
      .executeTakeFirstOrThrow();
    return { code: row.code, visits: Number(row.visits), presaveId: Number(row.id) };
  };
  const visits = async (code: string) =>
    Number((await db().selectFrom('referral_codes').select('visits').where('code', '=', code).executeTakeFirstOrThrow()).visits);
  const cookieName = () => `dropday_ref_${campaign.id}`;

  // First, while the injected clock is the fake Apple's own (its developer tokens are dated by it).
  it('the MusicKit path carries the attribution too', async () => {
    await appleCampaign(server.ctx, { slug: 'orchard', releaseAt: now() + 30 * DAY });
    const orchard = await db().selectFrom('campaigns').select('id').where('slug', '=', 'orchard').executeTakeFirstOrThrow();
    const a = new Fan('UA apple owner');
    const res = await connectApple(a, server.url, 'orchard', apple.tokenOf('apple-ana'));
    const receipt = new URL(res.headers.get('location')!, server.url).toString();
    const { code } = await codeOf(receipt);
    const b = new Fan('UA apple friend');
    await b.get(`${server.url}/orchard?r=${code}`);
    expect(b.cookies.has(`dropday_ref_${orchard.id}`)).toBe(true);
    expect((await connectApple(b, server.url, 'orchard', apple.tokenOf('apple-bo'))).status).toBe(303);
    expect(await listReferrals(db(), Number(orchard.id))).toMatchObject([{ code, decision: 'ok', state: 'pending' }]);
  });

  it('a pre-save gets a code; its link sets a first-touch cookie (HttpOnly, Lax, the window) and counts one visit', async () => {
    const a = new Fan('UA owner');
    const receipt = await a.presave(server.url, 'tidewater', 'owner-a');
    const { code, visits: v0 } = await codeOf(receipt);
    expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
    expect(v0).toBe(0);
    const page = await (await a.get(receipt)).text();
    expect(page).toContain(`value="${server.ctx.config.publicUrl}/tidewater?r=${code}"`);
    expect(page).toContain('0 referrals counted, 0 pending verification');
    expect(a.cookies.get('dropday_fan')).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const b = new Fan('UA visitor');
    const res = await b.get(`${server.url}/tidewater?r=${code}&lang=en`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Northern Lights');
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${cookieName()}=`))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\//);
    expect(set).toMatch(/Max-Age=86400/);
    expect(set).not.toMatch(/Secure/i);
    expect(await visits(code)).toBe(1);

    // A reload is not a new visit; another fan's link does not replace the first touch.
    const other = new Fan('UA other');
    const otherCode = (await codeOf(await other.presave(server.url, 'tidewater', 'owner-other'))).code;
    const again = await b.get(`${server.url}/tidewater?r=${code}`);
    const through = await b.get(`${server.url}/tidewater?r=${otherCode}`);
    expect([...again.headers.getSetCookie(), ...through.headers.getSetCookie()].filter((c) => c.startsWith(cookieName()))).toEqual([]);
    expect(await visits(code)).toBe(1);
    expect(await visits(otherCode)).toBe(0);

    // B pre-saves: the referral goes to A's link (the first touch), across the OAuth round trip.
    const bReceipt = await b.presave(server.url, 'tidewater', 'visitor-b');
    const list = await listReferrals(db(), campaign.id);
    expect(list).toMatchObject([{ code, presaveId: (await codeOf(bReceipt)).presaveId, decision: 'ok', state: 'pending' }]);
    expect(await (await a.get(receipt)).text()).toContain('0 referrals counted, 1 pending verification');
  });

  it('the window ends on the injected clock: then another link is the first touch', async () => {
    const owner1 = (await codeOf(await new Fan('UA w1').presave(server.url, 'tidewater', 'window-1'))).code;
    const owner2 = (await codeOf(await new Fan('UA w2').presave(server.url, 'tidewater', 'window-2'))).code;
    const fan = new Fan('UA window fan');
    await fan.get(`${server.url}/tidewater?r=${owner1}`);
    offset += DAY - 60_000;
    expect((await fan.get(`${server.url}/tidewater?r=${owner2}`)).headers.getSetCookie()).toEqual([]);
    offset += 2 * 60_000;
    const renewed = await fan.get(`${server.url}/tidewater?r=${owner2}`);
    expect(renewed.headers.getSetCookie().some((c) => c.startsWith(cookieName()))).toBe(true);
    await fan.presave(server.url, 'tidewater', 'window-fan');
    const list = await listReferrals(db(), campaign.id);
    expect(list.at(-1)).toMatchObject({ code: owner2, decision: 'ok' });
  });

  it('self-referral through the OAuth round trip: the owner’s own browser with another account', async () => {
    const a = new Fan('UA self');
    const { code } = await codeOf(await a.presave(server.url, 'tidewater', 'self-main'));
    await a.get(`${server.url}/tidewater?r=${code}`);
    await a.presave(server.url, 'tidewater', 'self-second');
    expect((await listReferrals(db(), campaign.id)).at(-1)).toMatchObject({ code, state: 'not_counted', reason: 'self_referral' });
  });

  it('bad codes are ignored: the page shows, no cookie, nothing counted, never a 500', async () => {
    const fan = new Fan('UA bad');
    for (const r of ['ZZZZZZZZZZ', 'abc', "x'--", '%00', 'aaaaaaaaaa', 'aaaaaaaaaa&r=bbbbbbbbbb', 'a'.repeat(300)]) {
      const res = await fan.get(`${server.url}/tidewater?r=${encodeURIComponent(r)}`);
      expect(res.status, r).toBe(200);
      expect(
        res.headers.getSetCookie().filter((c) => c.startsWith('dropday_ref_')),
        r,
      ).toEqual([]);
    }
    // A forged cookie is no attribution either.
    fan.cookies.set(cookieName(), 'aaaaaaaaaa.99999999999999.forged');
    await fan.presave(server.url, 'tidewater', 'forged-cookie');
    const forged = await db().selectFrom('referrals').select('id').where('code', '=', 'aaaaaaaaaa').execute();
    expect(forged).toEqual([]);
  });

  it('the leaderboard: 404 until public; the name form (checked, in the fan’s language); only chosen names', async () => {
    const a = new Fan('UA board');
    const receipt = await a.presave(server.url, 'tidewater', 'board-a');
    const { code } = await codeOf(receipt);
    expect((await a.get(`${server.url}/tidewater/leaderboard`)).status).toBe(404);
    expect(await (await a.get(receipt)).text()).not.toContain('referral-name');

    await setLeaderboardPublic(db(), campaign.id, true, now());
    offset += 10_000; // past the leaderboard's few seconds in memory
    const b = new Fan('UA board friend');
    await b.get(`${server.url}/tidewater?r=${code}`);
    await b.presave(server.url, 'tidewater', 'board-b');

    const page = await (await a.get(receipt)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const post = (name: string, lang = '') =>
      a.request(`${receipt}/referral-name${lang}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ _csrf: csrf, display_name: name }).toString(),
      });
    const long = await post('x'.repeat(41), '?lang=es');
    expect(long.status).toBe(400);
    expect(await long.text()).toContain('como máximo 40 caracteres');
    const control = await post('Ana\u0007');
    expect(control.status).toBe(400);
    expect(await control.text()).toContain('line breaks, tabs or invisible characters');
    expect(
      (await db().selectFrom('referral_codes').select('display_name').where('code', '=', code).executeTakeFirst())?.display_name,
    ).toBeNull();

    const ok = await post('  Ana 🎧 ');
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toContain('done=referral-name');
    const board = await (await a.get(`${server.url}/tidewater/leaderboard?lang=en`)).text();
    expect(board).toContain('Ana 🎧');
    expect(board).not.toContain('board-a');
    const fr = await (await a.get(`${server.url}/tidewater/leaderboard?lang=fr`)).text();
    expect(fr).toContain('Qui a fait venir le plus d’amis');
    // The campaign page links to it now (the settings row bumped the page version).
    pageClock += 60_000;
    expect(await (await a.get(`${server.url}/tidewater?lang=en`)).text()).toContain('/tidewater/leaderboard?lang=en');
    expect((await a.get(`${server.url}/no-such-campaign/leaderboard`)).status).toBe(404);
  });

  it('erasing a pre-save removes its code and the referrals through it, and its own referral (cascade)', async () => {
    const a = new Fan('UA erase');
    const receipt = await a.presave(server.url, 'tidewater', 'erase-a');
    const { code, presaveId } = await codeOf(receipt);
    const b = new Fan('UA erase friend');
    await b.get(`${server.url}/tidewater?r=${code}`);
    const bReceipt = await b.presave(server.url, 'tidewater', 'erase-b');
    const bOwn = await codeOf(bReceipt);
    expect(await db().selectFrom('referrals').select('id').where('code', '=', code).execute()).toHaveLength(1);

    const erase = async (fan: Fan, at: string) => {
      const html = await (await fan.get(at)).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
      const res = await fan.request(`${at}/erase`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      expect(res.status).toBe(200);
    };
    await erase(b, bReceipt);
    expect(await db().selectFrom('referrals').select('id').where('presave_id', '=', bOwn.presaveId).execute()).toEqual([]);
    expect(await db().selectFrom('referral_codes').select('code').where('code', '=', bOwn.code).execute()).toEqual([]);

    const c = new Fan('UA erase friend 2');
    await c.get(`${server.url}/tidewater?r=${code}`);
    await c.presave(server.url, 'tidewater', 'erase-c');
    await erase(a, receipt);
    expect(await db().selectFrom('referral_codes').select('code').where('presave_id', '=', presaveId).execute()).toEqual([]);
    expect(await db().selectFrom('referrals').select('id').where('code', '=', code).execute()).toEqual([]);
  });
});

describe.each(testDialects())('referral cookies behind https (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { PUBLIC_URL: 'https://fans.example' });
  });
  afterAll(async () => server?.close());

  it('the attribution cookie is Secure when PUBLIC_URL is https', async () => {
    const campaign = await reachCampaign(server.ctx, 'secure-link', { days: 30 });
    const { contactId } = await seedContact(server.ctx, { campaignId: campaign.id, email: 'secure@example.org', now: Date.now() });
    const code = await ensureContactCode(server.ctx.db, { campaignId: campaign.id, contactId }, Date.now());
    const res = await server.app.inject({ method: 'GET', url: `/secure-link?r=${code}` });
    const set = [res.headers['set-cookie']].flat().find((c) => c?.startsWith(`dropday_ref_${campaign.id}=`));
    expect(set).toMatch(/; Secure/i);
    expect(set).toMatch(/HttpOnly/i);
  });
});
