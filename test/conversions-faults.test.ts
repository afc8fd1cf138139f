import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { META, pixelCampaign, TIKTOK } from './helpers/conversions.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { found } from './fakes/webhook-receiver/server.js';
import type { ConversionPlatform } from '../src/db/schema-conversions.js';
import { startMetaFake, type MetaFake } from './fakes/meta-capi/index.js';
import { startTiktokFake, type TiktokFake } from './fakes/tiktok-events/index.js';

/**
 * What each platform's refusals do to an event (docs/conversions.md "Delivery and errors"), with the
 * fakes' fault switches: Meta's 429 with Retry-After defers the event (no failure counted) until
 * then and it is sent after; TikTok's 40002 and Meta's 400 code 100 fail that event with the
 * platform's words; an unreachable GA4 is given up after CONVERSIONS_MAX_FAILURES tries.
 */
describe.each(testDialects())('conversion events: refusals and giving up (%s)', (dialect) => {
  let s: TestServer;
  let meta: MetaFake;
  let tiktok: TiktokFake;
  let offset = 0;
  const now = () => Date.now() + offset;

  beforeAll(async () => {
    [meta, tiktok] = await Promise.all([startMetaFake({ now }), startTiktokFake()]);
    meta.addPixel(META.id, META.token);
    tiktok.addPixel(TIKTOK.id, TIKTOK.token);
    s = await startTestServer(
      dialect,
      { ...meta.env(), ...tiktok.env(), GA4_URL: 'http://127.0.0.1:9', CONVERSIONS_MAX_FAILURES: '2' },
      now,
    );
    const { ctx } = s;
    await pixelCampaign(ctx, 'faulty', 'Refused');
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([meta?.close(), tiktok?.close()]);
  });

  const allow = async (eventId: string) => {
    const r = await fetch(`${s.url}/faulty/tracking`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ choice: 'allow', event_id: eventId }),
    });
    expect(await r.json()).toEqual({ ok: true, queued: 3 });
  };
  const eventOf = (platform: ConversionPlatform, eventId: string) =>
    s.ctx.db
      .selectFrom('conversion_events')
      .select(['status', 'failures', 'last_error', 'next_attempt_at', 'lease_token'])
      .where('platform', '=', platform)
      .where('event_id', '=', eventId)
      .executeTakeFirstOrThrow();

  it('429 waits for Retry-After and is sent; 40002 and code 100 fail the event in words; GA4 gives up after the limit', async () => {
    meta.faults.push({ status: 429, retryAfter: '120', message: 'User request limit reached' });
    tiktok.faults.push({ code: 40002, message: 'Invalid value for event_time' });
    await allow('pageview-fault-00000001');
    const sentAt = now();
    s.worker.start();

    const tt = await found(async () => {
      const r = await eventOf('tiktok', 'pageview-fault-00000001');
      return r.status === 'failed' ? r : null;
    });
    expect(tt.last_error).toBe('TikTok refused the event (40002: Invalid value for event_time)');
    const waiting = await found(async () => {
      const r = await eventOf('meta', 'pageview-fault-00000001');
      return r.lease_token === null && Number(r.next_attempt_at) > sentAt ? r : null;
    });
    expect(waiting.status).toBe('pending');
    expect(Number(waiting.failures)).toBe(0); // a slow-down is not a failure
    expect(Number(waiting.next_attempt_at)).toBeGreaterThanOrEqual(sentAt + 120_000);
    const ga4First = await found(async () => {
      const r = await eventOf('ga4', 'pageview-fault-00000001');
      return Number(r.failures) === 1 && r.lease_token === null ? r : null;
    });
    expect(ga4First).toMatchObject({ status: 'pending', last_error: 'could not be reached' });
    expect(meta.events.get(META.id) ?? []).toHaveLength(0);

    // After Retry-After (and GA4's backoff, at most an hour): Meta takes it; GA4 is given up.
    offset += 2 * 3_600_000;
    s.worker.nudge();
    await waitFor(async () => (meta.events.get(META.id) ?? []).some((e) => e.event_id === 'pageview-fault-00000001'), {
      what: 'the Meta page view after Retry-After',
    });
    const ga4 = await found(async () => {
      const r = await eventOf('ga4', 'pageview-fault-00000001');
      return r.status === 'failed' ? r : null;
    });
    expect(ga4.last_error).toBe('could not be reached (gave up after 2 tries)');
    expect(Number(ga4.failures)).toBe(2);
    expect((await eventOf('meta', 'pageview-fault-00000001')).status).toBe('sent');

    // Meta's 400 with code 100 (a payload it refuses): that event fails, with Meta's words.
    meta.faults.push({ status: 400, code: 100, message: 'Invalid parameter' });
    await allow('pageview-fault-00000002');
    s.worker.nudge();
    const bad = await found(async () => {
      const r = await eventOf('meta', 'pageview-fault-00000002');
      return r.status === 'failed' ? r : null;
    });
    expect(bad.last_error).toBe('Meta refused the event (400): Invalid parameter');
    // …and the platform is not marked refused: the next event goes through.
    await allow('pageview-fault-00000003');
    s.worker.nudge();
    await waitFor(async () => (meta.events.get(META.id) ?? []).some((e) => e.event_id === 'pageview-fault-00000003'), {
      what: 'the next Meta event',
    });
  });
});
