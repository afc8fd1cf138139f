import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { WebPushSender } from '../src/reach/push/sender.js';
import { decryptSubscription, findByManageId } from '../src/reach/push/subscriptions.js';
import { vapidKeys } from '../src/reach/push/vapid.js';
import { CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { startPushFake, type PushFake } from './fakes/push/index.js';
import { lumenCampaign } from './helpers/reach-seed.js';

/** How long a page may take to show its answer on a busy machine (a bound on a wait, not a timing assertion). */
const POLL_MS = 15_000;

/**
 * In Chromium: "Notify me in this browser" on the campaign page. Headless Chromium has no push
 * service, so the test (only the test) stands in for the browser's PushManager.subscribe: it
 * returns a subscription of the local fake push service, made as a browser makes one, and
 * records the application server key the page asked with. Everything else is real: the page's
 * script under its hashed CSP, the permission, the service worker registration, the POST, the
 * stored row, a push sent to it that the fake service decrypts, and the service worker showing
 * a push Chromium hands it (DevTools protocol `ServiceWorker.deliverPushMessage`).
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('web push opt-in (Chromium, %s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let fake: PushFake;
  const clock = Date.UTC(2026, 6, 14, 9, 0);

  beforeAll(async () => {
    fake = await startPushFake();
    server = await startTestServer(dialect, {}, () => clock, { log: captureLog().log });
    browser = await launchChromium();
    const { ctx } = server;
    await lumenCampaign(ctx, clock + 20 * 86_400_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await fake?.close();
  });

  /** The test double for the browser's push service: PushManager.subscribe answers with `sub`. */
  function stubSubscribe(sub: unknown): [string, unknown] {
    return [
      `window.__fakeSub = ${JSON.stringify(sub)};
       PushManager.prototype.subscribe = function (opts) {
         var k = new Uint8Array(opts.applicationServerKey);
         window.__askedKey = btoa(String.fromCharCode.apply(null, Array.from(k))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
         window.__userVisibleOnly = opts.userVisibleOnly;
         var json = window.__fakeSub;
         return Promise.resolve({ endpoint: json.endpoint, toJSON: function () { return json; } });
       };`,
      undefined,
    ];
  }

  it('permission granted → subscribed with the server’s key → stored, and a push reaches the browser decrypted', async () => {
    const key = vapidKeys(server.ctx).publicKey;
    const sub = fake.subscribe(key);
    const { context, page, errors } = await openPage(browser, { locale: 'en-US', timezoneId: 'Europe/Berlin' });
    await context.grantPermissions(['notifications'], { origin: server.url });
    await page.addInitScript(stubSubscribe(sub.json)[0]);
    await page.goto(`${server.url}/lumen`);

    const block = page.locator('[data-push]');
    const button = block.getByRole('button', { name: 'Notify me in this browser' });
    await expect.poll(() => button.isVisible(), { timeout: POLL_MS }).toBe(true);
    // Nothing ticked: the fan is told to choose first, nothing is asked of the browser.
    await button.click();
    await expect
      .poll(() => block.getByRole('status').textContent(), { timeout: POLL_MS })
      .toBe('First tick what you want to be notified of.');

    await block.getByLabel('Remind me when “Lumen” is out').check();
    await button.click();
    await expect.poll(() => block.getByRole('status').textContent(), { timeout: POLL_MS }).toBe('Done: this browser will be notified.');
    expect(await page.evaluate(() => (window as unknown as { __askedKey: string }).__askedKey)).toBe(key);
    expect(await page.evaluate(() => (window as unknown as { __userVisibleOnly: boolean }).__userVisibleOnly)).toBe(true);
    // The service worker is registered for the whole site.
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${server.url}/`);

    // Stored for this campaign's audience, with the fan's zone and a "remind" consent.
    const manageLink = block.getByRole('link', { name: 'See or stop these notifications' });
    const href = (await manageLink.getAttribute('href'))!;
    const row = (await findByManageId(server.ctx.db, href.split('/').at(-1)!))!;
    expect(row.endpoint_host).toBe(fake.host);
    const consents = await server.ctx.db.selectFrom('consents').selectAll().where('push_id', '=', row.id).execute();
    expect(consents.map((c) => [c.purpose, c.timezone, c.page])).toEqual([['remind', 'Europe/Berlin', 'campaign']]);
    const [planned] = await server.ctx.db.selectFrom('messages').selectAll().where('push_id', '=', row.id).execute();
    expect(planned).toMatchObject({ type: 'out_now', channel: 'push', status: 'pending' });

    // What the engine will send reaches the push service, which decrypts it with the browser's keys.
    const sender = new WebPushSender(vapidKeys(server.ctx), server.ctx.config.reach.push.subject);
    const payload = { title: 'Lumen is out', body: 'Glass Tides', url: `${server.ctx.config.publicUrl}/lumen` };
    expect(await sender.send(decryptSubscription(server.ctx, row), payload, { ttlSeconds: 60, timeoutMs: 5000 })).toEqual({ ok: true });
    await sender.close();
    expect(fake.inbox(sub.id).map((m) => m.json)).toEqual([payload]);

    // The service worker shows what a push carries: delivered through Chromium's DevTools
    // protocol (as its push service would hand it over), read back from the registration.
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string }[] }) => {
        const r = e.registrations.find((x) => x.scopeURL === `${server.url}/`);
        if (r) resolve(r.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const id = await registrationId;
    const shown = () =>
      page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          data: n.data as unknown,
        })),
      );
    // A loaded machine can drop a DevTools delivery while Chromium starts the worker: like a push
    // service, deliver again until it is shown. The tag makes a repeat replace, never add.
    let notifications: Awaited<ReturnType<typeof shown>> = [];
    for (let attempt = 0; attempt < 10 && notifications.length === 0; attempt++) {
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: server.url,
        registrationId: id,
        data: JSON.stringify({ ...payload, tag: 'out_now:lumen' }),
      });
      for (let i = 0; i < 30 && notifications.length === 0; i++) {
        notifications = await shown();
        if (notifications.length === 0) await page.waitForTimeout(100);
      }
    }
    expect(notifications).toEqual([
      { title: 'Lumen is out', body: 'Glass Tides', tag: 'out_now:lumen', data: { url: `${server.ctx.config.publicUrl}/lumen` } },
    ]);

    // The manage page lists it.
    await manageLink.click();
    await expect
      .poll(() => page.locator('[data-purpose="remind"]').textContent(), { timeout: POLL_MS })
      .toBe('the release of “Lumen” by Glass Tides');

    // Stopping from that page, by its button: the subscription and what was scheduled for it go.
    const subscriptions = async () =>
      Number(
        (
          await server.ctx.db
            .selectFrom('push_subscriptions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await subscriptions();
    await page.getByRole('button', { name: 'Stop notifications to this browser' }).click();
    await page.getByRole('heading', { name: 'Notifications stopped' }).waitFor();
    expect(await subscriptions()).toBe(before - 1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('on the receipt page: the consent is for the pre-save, so its release-day push is the receipt', async () => {
    const receipt = await new FanBrowser().presave(server.url, 'lumen', 'pushfan');
    const publicId = receipt.split('/').at(-1)!.split('?')[0]!;
    const sub = fake.subscribe(vapidKeys(server.ctx).publicKey);
    const { context, page, errors } = await openPage(browser, { locale: 'en-US' });
    await context.grantPermissions(['notifications'], { origin: server.url });
    await page.addInitScript(stubSubscribe(sub.json)[0]);
    await page.goto(receipt);
    const block = page.locator('[data-push]');
    await block.getByLabel('Remind me when “Lumen” is out').check();
    await block.getByRole('button', { name: 'Notify me in this browser' }).click();
    await expect.poll(() => block.getByRole('status').textContent(), { timeout: POLL_MS }).toBe('Done: this browser will be notified.');
    const presave = await server.ctx.db.selectFrom('presaves').select('id').where('public_id', '=', publicId).executeTakeFirstOrThrow();
    const consent = await server.ctx.db.selectFrom('consents').selectAll().where('presave_id', '=', presave.id).executeTakeFirstOrThrow();
    expect(consent).toMatchObject({ purpose: 'remind', page: 'receipt' });
    const message = await server.ctx.db.selectFrom('messages').selectAll().where('push_id', '=', consent.push_id).executeTakeFirstOrThrow();
    expect(message).toMatchObject({ type: 'out_now', presave_id: presave.id });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('permission refused: the fan reads why, and nothing is stored', async () => {
    const before = await server.ctx.db.selectFrom('push_subscriptions').select('id').execute();
    const { context, page, errors } = await openPage(browser, { locale: 'de-DE' });
    await page.addInitScript(`Notification.requestPermission = function () { return Promise.resolve('denied'); };`);
    await page.goto(`${server.url}/lumen?lang=de`);
    const block = page.locator('[data-push]');
    await block.getByLabel('Neues von Glass Tides', { exact: false }).check();
    await block.getByRole('button', { name: 'In diesem Browser benachrichtigen' }).click();
    await expect
      .poll(() => block.getByRole('status').textContent(), { timeout: POLL_MS })
      .toBe(
        'Benachrichtigungen dieser Website sind in deinem Browser blockiert. Erlaube sie in den Website-Einstellungen und versuche es noch einmal.',
      );
    expect(await server.ctx.db.selectFrom('push_subscriptions').select('id').execute()).toEqual(before);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('where the browser has no push, there is no button', async () => {
    const { context, page } = await openPage(browser);
    await page.addInitScript('delete window.PushManager;');
    await page.goto(`${server.url}/lumen`);
    await page.waitForLoadState('load');
    expect(await page.locator('[data-push]').isHidden()).toBe(true);
    await context.close();
  });
});
