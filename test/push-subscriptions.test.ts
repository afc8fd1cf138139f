import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { createCampaign } from '../src/campaigns/service.js';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { vapidKeys } from '../src/reach/push/vapid.js';
import { decryptSubscription, findByManageId } from '../src/reach/push/subscriptions.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startPushFake, type PushFake } from './fakes/push/index.js';
import { lumenCampaign } from './helpers/reach-seed.js';

/**
 * "Notify me in this browser" over real HTTP: what POST /<slug>/push stores (encrypted, one row
 * per browser, the consents with their words, the release-day push planned), what it refuses (a
 * clear 4xx naming the field, another site's request, too many from one IP), /sw.js, and the
 * browser's page /n/<id> with its Stop button.
 */
describe.each(testDialects())('web push subscriptions (%s)', (dialect) => {
  let server: TestServer;
  let fake: PushFake;
  const clock = Date.UTC(2026, 6, 14, 9, 0);
  const releaseAt = Date.UTC(2026, 7, 1, 0, 0);
  let key: string;

  const post = (body: unknown, headers: Record<string, string> = {}, slug = 'lumen') =>
    fetch(`${server.url}/${slug}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    fake = await startPushFake();
    server = await startTestServer(dialect, { PUSH_SUBSCRIBES_PER_IP_PER_HOUR: '1000' }, () => clock, { log: captureLog().log });
    key = vapidKeys(server.ctx).publicKey;
    const { ctx } = server;
    await lumenCampaign(ctx, releaseAt, 'local');
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('stores the subscription encrypted, records each purpose with the words shown, and plans the push at the fan’s midnight', async () => {
    const sub = fake.subscribe(key);
    const res = await post({ subscription: sub.json, purposes: ['remind', 'news'], tz: 'Asia/Kolkata', lang: 'de' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { manage: string; purposes: string[] };
    expect(body.purposes).toEqual(['remind', 'news']);
    expect(body.manage).toMatch(new RegExp(`^${server.ctx.config.publicUrl}/n/[0-9A-Za-z]{22}$`));

    const { db } = server.ctx;
    const row = (await findByManageId(db, body.manage.split('/').at(-1)!))!;
    expect(row.endpoint_host).toBe(fake.host);
    expect(row.lang).toBe('de');
    // At rest: neither the endpoint nor the keys are readable.
    expect(row.subscription_enc).not.toContain(sub.id);
    expect(row.subscription_enc).not.toContain(sub.json.keys.p256dh);
    expect(JSON.parse(decryptSubscription(server.ctx, row))).toEqual({ endpoint: sub.json.endpoint, keys: sub.json.keys });

    const consents = await db.selectFrom('consents').selectAll().where('push_id', '=', row.id).orderBy('id').execute();
    expect(consents.map((c) => [c.purpose, c.lang, c.page, c.timezone])).toEqual([
      ['remind', 'de', 'campaign', 'Asia/Kolkata'],
      ['news', 'de', 'campaign', 'Asia/Kolkata'],
    ]);
    expect(consents[0]!.text).toBe('Erinnere mich, wenn „Lumen“ erscheint');
    expect(consents[1]!.text).toContain('Neues von Glass Tides');
    expect(consents[0]!.text_version).toMatch(/^push\.remind@/);

    const messages = await db.selectFrom('messages').selectAll().where('push_id', '=', row.id).execute();
    expect(messages).toHaveLength(1);
    // Local timing: midnight in Kolkata (UTC+5:30) is 18:30 UTC the day before.
    expect(messages[0]).toMatchObject({
      type: 'out_now',
      channel: 'push',
      channel_key: `push:${fake.host}`,
      status: 'pending',
      lang: 'de',
    });
    expect(Number(messages[0]!.next_attempt_at)).toBe(releaseAt - 5.5 * 3_600_000);
  });

  it('the reminder links to the service the fan chose in the reach form', async () => {
    const sub = fake.subscribe(key);
    const res = await post({ subscription: sub.json, purposes: ['remind', 'news'], service: 'sandbox' });
    expect(res.status).toBe(201);
    const row = (await findByManageId(server.ctx.db, ((await res.json()) as { manage: string }).manage.split('/').at(-1)!))!;
    const consents = await server.ctx.db
      .selectFrom('consents')
      .select(['purpose', 'service'])
      .where('push_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(consents).toEqual([
      { purpose: 'remind', service: 'sandbox' },
      { purpose: 'news', service: null },
    ]);
  });

  it('a browser belongs to the artist’s workspace: two campaigns of it share one subscription row', async () => {
    const { ctx } = server;
    const owner = await createUser(ctx.db, { email: 'owner@example.com', password: 'correct horse battery' }, clock);
    const ws = await createWorkspace(ctx.db, { slug: 'tides', name: 'Glass Tides', kind: 'artist' }, owner.id, clock);
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const base = { artistName: 'Glass Tides', upc: '036000291452', timezone: 'UTC', timing: 'global' as const, services: ['sandbox'] };
    const releaseAtWall = new Date(releaseAt).toISOString().slice(0, 16);
    for (const slug of ['tides-one', 'tides-two']) {
      const c = await createCampaign(deps, { ...base, slug, title: slug, releaseAt: releaseAtWall });
      await setCampaignWorkspace(ctx.db, c.id, ws.id);
    }
    const sub = fake.subscribe(key);
    const one = await post({ subscription: sub.json, purposes: ['remind'] }, {}, 'tides-one');
    const two = await post({ subscription: sub.json, purposes: ['remind'] }, {}, 'tides-two');
    expect([one.status, two.status]).toEqual([201, 200]);
    const row = (await findByManageId(ctx.db, ((await one.json()) as { manage: string }).manage.split('/').at(-1)!))!;
    expect(row.audience).toBe(`w:${ws.id}`);
    // One browser, a reminder for each release.
    expect(await ctx.db.selectFrom('messages').select('campaign_id').where('push_id', '=', row.id).execute()).toHaveLength(2);
    // Its page lists both.
    const page = await (await fetch(`${server.url}/n/${row.manage_id}`)).text();
    expect(page).toContain('the release of “tides-one” by Glass Tides');
    expect(page).toContain('the release of “tides-two” by Glass Tides');
  });

  it('the same browser subscribing again is the same row, and nothing is planned twice', async () => {
    const sub = fake.subscribe(key);
    const first = await post({ subscription: sub.json, purposes: ['remind'] });
    expect(first.status).toBe(201);
    const again = await post({ subscription: sub.json, purposes: ['remind', 'news'] });
    expect(again.status).toBe(200);
    const a = (await first.json()) as { manage: string };
    const b = (await again.json()) as { manage: string };
    expect(b.manage).toBe(a.manage);
    const row = (await findByManageId(server.ctx.db, a.manage.split('/').at(-1)!))!;
    const rows = await server.ctx.db.selectFrom('push_subscriptions').select('id').where('endpoint_hash', '=', row.endpoint_hash).execute();
    expect(rows).toHaveLength(1);
    const purposes = await server.ctx.db.selectFrom('consents').select('purpose').where('push_id', '=', row.id).orderBy('id').execute();
    expect(purposes.map((p) => p.purpose)).toEqual(['remind', 'news']);
    const messages = await server.ctx.db.selectFrom('messages').select('id').where('push_id', '=', row.id).execute();
    expect(messages).toHaveLength(1);
  });

  it('bad input is a 400 naming the field, in the fan’s words; never a 500', async () => {
    const sub = fake.subscribe(key);
    const cases: [unknown, string][] = [
      [{ purposes: ['remind'] }, 'subscription'],
      [{ subscription: { ...sub.json, endpoint: 'ftp://push.example/x' }, purposes: ['remind'] }, 'subscription.endpoint'],
      [{ subscription: { ...sub.json, endpoint: 'http://push.example.com/x' }, purposes: ['remind'] }, 'subscription.endpoint'],
      [
        { subscription: { ...sub.json, endpoint: `https://push.example/${'x'.repeat(1100)}` }, purposes: ['remind'] },
        'subscription.endpoint',
      ],
      [{ subscription: { ...sub.json, keys: { ...sub.json.keys, p256dh: 'BBBB' } }, purposes: ['remind'] }, 'subscription.keys.p256dh'],
      [{ subscription: { ...sub.json, keys: { ...sub.json.keys, auth: 'c2hvcnQ' } }, purposes: ['remind'] }, 'subscription.keys.auth'],
      [{ subscription: { endpoint: sub.json.endpoint }, purposes: ['remind'] }, 'subscription.keys'],
      [{ subscription: sub.json, purposes: [] }, 'purposes'],
      [{ subscription: sub.json, purposes: ['spam'] }, 'purposes'],
      [{ subscription: sub.json, purposes: ['remind'], tz: 'Mars/Olympus' }, 'tz'],
      [{ subscription: sub.json, purposes: ['remind'], lang: 'xx' }, 'lang'],
      [{ subscription: sub.json, purposes: ['remind'], presave: 'nosuchpresave1234' }, 'presave'],
      [{ subscription: sub.json, purposes: ['remind'], service: 'youtube-music' }, 'service'],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      const text = await res.text();
      expect(res.status, `${field}: ${text}`).toBe(400);
      const j = JSON.parse(text) as { error: { code: string; message: string; details: Record<string, string> } };
      expect(j.error.code).toBe('DROPDAY_ERR_VALIDATION');
      expect(Object.keys(j.error.details), JSON.stringify(j)).toContain(field);
    }
    // Not JSON at all, or a form: refused with a clear status, not stored.
    expect((await post('{not json')).status).toBe(400);
    const form = await fetch(`${server.url}/lumen/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'subscription=x',
    });
    expect(form.status).toBe(415);
    // The fan's language: a German page's error reads in German.
    const de = await post({ subscription: sub.json, purposes: [], lang: 'de' });
    expect(((await de.json()) as { error: { message: string } }).error.message).toBe(
      'Kreuze mindestens eine Option an, um benachrichtigt zu werden.',
    );
    // An unknown campaign is a 404.
    expect((await post({ subscription: sub.json, purposes: ['remind'] }, {}, 'nosuch')).status).toBe(404);
  });

  it('refuses a request another site made the browser send', async () => {
    const sub = fake.subscribe(key);
    const res = await post({ subscription: sub.json, purposes: ['remind'] }, { 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    const res2 = await post({ subscription: sub.json, purposes: ['remind'] }, { origin: 'https://evil.example' });
    expect(res2.status).toBe(403);
    const ok = await post(
      { subscription: sub.json, purposes: ['remind'] },
      { 'sec-fetch-site': 'same-origin', origin: server.ctx.config.publicUrl },
    );
    expect(ok.status).toBe(201);
  });

  it('serves the service worker for the whole origin, never cached stale', async () => {
    const res = await fetch(`${server.url}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('service-worker-allowed')).toBe('/');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const js = await res.text();
    expect(js).toContain("addEventListener('push'");
    expect(js).toContain("addEventListener('notificationclick'");
  });

  it('the browser’s page says what it is notified of; Stop deletes the subscription, its consents and what was planned', async () => {
    const sub = fake.subscribe(key);
    const res = await post({ subscription: sub.json, purposes: ['remind', 'news'], lang: 'en' });
    const { manage } = (await res.json()) as { manage: string };
    const manageId = manage.split('/').at(-1)!;
    const row = (await findByManageId(server.ctx.db, manageId))!;
    const fan = new FanBrowser();
    const page = await fan.get(`${server.url}/n/${manageId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('the release of “Lumen” by Glass Tides');
    expect(html).toContain('news from Glass Tides');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

    // Without the page's token (another site's form): refused, nothing deleted.
    const forged = await fan.request(`${server.url}/n/${manageId}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(forged.status).toBe(403);
    expect(await findByManageId(server.ctx.db, manageId)).toBeDefined();

    const stop = await fan.request(`${server.url}/n/${manageId}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(stop.status).toBe(200);
    expect(await stop.text()).toContain('This browser will get no more notifications from Dropday.');
    expect(await findByManageId(server.ctx.db, manageId)).toBeUndefined();
    expect(await server.ctx.db.selectFrom('consents').select('id').where('push_id', '=', row.id).execute()).toEqual([]);
    expect(await server.ctx.db.selectFrom('messages').select('id').where('push_id', '=', row.id).execute()).toEqual([]);
    // The page is gone too, in words.
    const after = await fan.get(`${server.url}/n/${manageId}`);
    expect(after.status).toBe(404);
    expect(await after.text()).toContain('These notifications were already stopped, or the link is incomplete.');
  });

  it('erasing the pre-save erases what this browser was asked on its receipt: consents, planned push, the subscription', async () => {
    const fan = new FanBrowser();
    const receipt = await fan.presave(server.url, 'lumen', 'erasefan');
    const publicId = new URL(receipt).pathname.split('/').pop()!;
    const sub = fake.subscribe(key);
    const res = await post({ subscription: sub.json, purposes: ['remind'], presave: publicId });
    expect(res.status).toBe(201);
    const manageId = ((await res.json()) as { manage: string }).manage.split('/').at(-1)!;
    const row = (await findByManageId(server.ctx.db, manageId))!;
    expect(await server.ctx.db.selectFrom('messages').select('id').where('push_id', '=', row.id).execute()).toHaveLength(1);

    const page = await (await fan.get(receipt)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const erased = await fan.request(`${server.url}/p/${publicId}/erase`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(erased.status).toBe(200);
    expect(await findByManageId(server.ctx.db, manageId)).toBeUndefined();
    expect(await server.ctx.db.selectFrom('consents').select('id').where('push_id', '=', row.id).execute()).toEqual([]);
    expect(await server.ctx.db.selectFrom('messages').select('id').where('push_id', '=', row.id).execute()).toEqual([]);
  });
});

describe.each(testDialects())('web push subscriptions: the limit per IP (%s)', (dialect) => {
  let server: TestServer;
  let fake: PushFake;
  beforeAll(async () => {
    fake = await startPushFake();
    server = await startTestServer(dialect, { PUSH_SUBSCRIBES_PER_IP_PER_HOUR: '2' }, () => Date.UTC(2026, 6, 14), {
      log: captureLog().log,
    });
    const { ctx } = server;
    await lumenCampaign(ctx, Date.UTC(2026, 7, 1));
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('a third browser from the same IP within the hour waits, told how long', async () => {
    const key = vapidKeys(server.ctx).publicKey;
    const send = () =>
      fetch(`${server.url}/lumen/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ subscription: fake.subscribe(key).json, purposes: ['news'] }),
      });
    expect((await send()).status).toBe(201);
    expect((await send()).status).toBe(201);
    const third = await send();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBe(3600);
    expect(((await third.json()) as { error: { message: string } }).error.message).toMatch(/Please wait 60 minutes/);
  });
});
