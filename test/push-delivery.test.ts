import { describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { vapidKeys } from '../src/reach/push/vapid.js';
import { findByManageId } from '../src/reach/push/subscriptions.js';
import { closeAfterEach } from './helpers/close-after-each.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { startPushFake, type PushFake } from './fakes/push/index.js';
import { lumenCampaign } from './helpers/reach-seed.js';

/**
 * End to end, through the message engine: browsers subscribed with "remind me" get the out-now
 * push at the release moment — sent by the worker, VAPID-signed, decrypted by the push service
 * with the browser's keys — once each; a subscription the push service says is gone (410) is
 * deleted; a browser whose fan pressed Stop gets nothing.
 */
describe.each(testDialects())('release-day web push (%s)', (dialect) => {
  let server: TestServer | undefined;
  let fake: PushFake | undefined;
  const closing = closeAfterEach();

  it('each remind subscriber is notified once at release; 410 deletes the subscription; a stopped browser gets nothing', async () => {
    fake = closing(await startPushFake());
    let offset = 0;
    const now = () => Date.now() + offset;
    server = closing(await startTestServer(dialect, {}, now, { log: captureLog().log }));
    const { ctx, url } = server;
    const release = Date.UTC(2030, 0, 10, 12, 0);
    offset = release - 10 * 86_400_000 - Date.now();
    await lumenCampaign(ctx, release);
    const key = vapidKeys(ctx).publicKey;
    const subscribe = async (purposes: string[], lang = 'en') => {
      const sub = fake!.subscribe(key);
      const res = await fetch(`${url}/lumen/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ subscription: sub.json, purposes, lang }),
      });
      expect(res.status).toBe(201);
      const { manage } = (await res.json()) as { manage: string };
      return { sub, manageId: manage.split('/').at(-1)! };
    };
    const fan = await subscribe(['remind']);
    const german = await subscribe(['remind', 'news'], 'de');
    const gone = await subscribe(['remind']);
    fake.answer(gone.sub.id, { status: 410 });
    const newsOnly = await subscribe(['news']);
    const stopped = await subscribe(['remind']);
    const goneRow = (await findByManageId(ctx.db, gone.manageId))!;

    // The fan who stopped: the page's Stop (its form token from the page).
    const page = await fetch(`${url}/n/${stopped.manageId}`);
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const stop = await fetch(`${url}/n/${stopped.manageId}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(stop.status).toBe(200);

    // Before release: nothing is sent.
    server.worker.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.received).toEqual([]);

    offset = release + 1000 - Date.now();
    server.worker.nudge();
    await waitFor(async () => fake!.inbox(fan.sub.id).length > 0 && fake!.inbox(german.sub.id).length > 0, { what: 'the out-now pushes' });
    expect(fake.inbox(fan.sub.id)[0]!.json).toMatchObject({
      title: 'Lumen is out now',
      body: 'By Glass Tides. Tap to listen.',
      url: `${ctx.config.publicUrl}/lumen`,
      tag: 'out_now:lumen',
    });
    expect(fake.inbox(fan.sub.id)[0]!.ttl).toBe(ctx.config.reach.push.ttlSeconds);
    // In the language the fan subscribed in.
    expect((fake.inbox(german.sub.id)[0]!.json as { title: string }).title).not.toBe('Lumen is out now');

    // 410: the subscription is deleted, with what hung on it.
    await waitFor(async () => (await findByManageId(ctx.db, gone.manageId)) === undefined, { what: 'the gone subscription deleted' });
    expect(await ctx.db.selectFrom('consents').select('id').where('push_id', '=', goneRow.id).execute()).toEqual([]);

    // Settled as sent; a later look sends nothing more.
    const fanRow = (await findByManageId(ctx.db, fan.manageId))!;
    await waitFor(
      async () =>
        (await ctx.db.selectFrom('messages').select('status').where('push_id', '=', fanRow.id).executeTakeFirst())?.status === 'sent',
      { what: 'the message settled as sent' },
    );
    offset += 3_600_000;
    server.worker.nudge();
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.inbox(fan.sub.id)).toHaveLength(1);
    expect(fake.inbox(german.sub.id)).toHaveLength(1);
    // "News" alone is not a reminder; a stopped browser is not written to.
    expect(fake.inbox(newsOnly.sub.id)).toEqual([]);
    expect(fake.inbox(stopped.sub.id)).toEqual([]);
    expect(fake.refused).toEqual([]);
  });
});
