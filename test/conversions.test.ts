import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStatus, statusSnapshot } from '../src/cli/status.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { conversionsOnConfirm } from '../src/conversions/on-confirm.js';
import { hashedEmail } from '../src/conversions/identifiers.js';
import { saveConversionSettings } from '../src/conversions/settings.js';
import { ValidationError } from '../src/errors.js';
import { META, pixelCampaign, TIKTOK } from './helpers/conversions.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { startMetaFake, type MetaFake } from './fakes/meta-capi/index.js';
import { startTiktokFake, type TiktokFake } from './fakes/tiktok-events/index.js';

describe.each(testDialects())('conversion events (%s)', (dialect) => {
  let s: TestServer;
  let meta: MetaFake;
  let tiktok: TiktokFake;
  let campaign: Campaign;

  beforeAll(async () => {
    [meta, tiktok] = await Promise.all([startMetaFake(), startTiktokFake()]);
    meta.addPixel(META.id, META.token);
    tiktok.addPixel(TIKTOK.id, TIKTOK.token);
    // GA4 points at a port nobody listens on: its events are transient failures, retried.
    s = await startTestServer(dialect, {
      ...meta.env(),
      ...tiktok.env(),
      GA4_URL: 'http://127.0.0.1:9',
      METRICS_TOKEN: 'conv-metrics-token',
    });
    const { ctx } = s;
    campaign = await pixelCampaign(ctx, 'measured', 'Counted');
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([meta?.close(), tiktok?.close()]);
  });

  const post = (body: unknown, cookie?: string) =>
    fetch(`${s.url}/measured/tracking`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });

  it('refuses bad settings field by field and stores nothing of them', async () => {
    const { ctx } = s;
    const err = await saveConversionSettings(
      ctx,
      campaign.id,
      {
        meta: { id: 'abc', secret: 'has a space', remove: false },
        tiktok: { id: '', secret: TIKTOK.token, remove: false },
        ga4: { id: 'UA-1234', secret: 'ga4secret123', remove: false },
      },
      ctx.now(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(Object.keys((err as ValidationError).details ?? {}).sort()).toEqual([
      'ga4_measurement_id',
      'meta_pixel_id',
      'meta_token',
      'tiktok_pixel_code',
    ]);
    const row = await ctx.db.selectFrom('conversion_settings').selectAll().executeTakeFirstOrThrow();
    expect(row.meta_pixel_id).toBe(META.id);
    expect(row.ga4_measurement_id).toBe('G-ABC123');
  });

  it('answers a bad tracking request with 400 naming the field, and queues nothing without consent', async () => {
    const bad = await post({ choice: 'maybe', event_id: 'short' });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('choice');
    expect(text).toContain('event_id');
    const fromElsewhere = await fetch(`${s.url}/measured/tracking`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify({ choice: 'allow', event_id: 'abcdefghijklmnop1234' }),
    });
    expect(fromElsewhere.status).toBe(403);
    // No answer yet: a page view is not queued.
    const silent = await post({ event_id: 'abcdefghijklmnop1234' });
    expect(silent.status).toBe(200);
    expect(await silent.json()).toEqual({ ok: true, queued: 0 });
    expect(await s.ctx.db.selectFrom('conversion_consents').selectAll().execute()).toEqual([]);
    expect(await s.ctx.db.selectFrom('conversion_events').selectAll().execute()).toEqual([]);
  });

  it('sends a confirmed address only hashed; retries what could not be reached, with its reason in words', async () => {
    const { ctx } = s;
    const allow = await post({ choice: 'allow', event_id: 'pageview-0000000000001' });
    expect(await allow.json()).toEqual({ ok: true, queued: 3 });
    const browser = /dropday_fan=([^;]+)/.exec(allow.headers.getSetCookie().join('\n'))![1]!;
    const queued = await conversionsOnConfirm(ctx, {
      campaignId: campaign.id,
      contactId: 42,
      email: '  Fan.Person@Example.COM ',
      fan: { browser, ip: '203.0.113.9', userAgent: 'Mozilla/5.0 test' },
    });
    expect(queued).toBe(3);
    // Another browser (the mail opened elsewhere) sends nothing.
    expect(
      await conversionsOnConfirm(ctx, {
        campaignId: campaign.id,
        contactId: 42,
        email: 'x@example.com',
        fan: { browser: 'another-browser-0123456789', ip: '203.0.113.9' },
      }),
    ).toBe(0);

    s.worker.start();
    const reg = await waitFor(async () => meta.events.get(META.id)?.find((e) => e.event_name === 'CompleteRegistration'), {
      what: 'Meta registration',
    });
    if (!reg) throw new Error('waitFor returned nothing');
    expect(reg.user_data.em).toEqual([hashedEmail('fan.person@example.com')]);
    const tt = await waitFor(async () => tiktok.events.get(TIKTOK.id)?.find((e) => e.event === 'CompleteRegistration'), {
      what: 'TikTok registration',
    });
    if (!tt) throw new Error('waitFor returned nothing');
    expect(tt.user.email).toBe(hashedEmail('fan.person@example.com'));
    for (const body of [...meta.bodies, ...tiktok.bodies]) expect(body.toLowerCase()).not.toContain('fan.person@example.com');
    // The page view arrived once, under the page's id.
    expect(meta.events.get(META.id)!.filter((e) => e.event_id === 'pageview-0000000000001')).toHaveLength(1);

    // GA4 unreachable: kept for a retry after a backoff, with what went wrong in words.
    const ga4 = await waitFor(async () => {
      const r = await ctx.db
        .selectFrom('conversion_events')
        .select(['status', 'failures', 'last_error'])
        .where('platform', '=', 'ga4')
        .where('event', '=', 'page_view')
        .executeTakeFirst();
      return r?.last_error ? r : null;
    });
    if (!ga4) throw new Error('waitFor returned nothing');
    expect(ga4.status).toBe('pending');
    expect(ga4.last_error).toBe('could not be reached');
    expect(Number(ga4.failures)).toBeGreaterThanOrEqual(1);

    // An operator sees both on /metrics: events by platform and status, and this worker's outcomes.
    const metrics = await (await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer conv-metrics-token' } })).text();
    expect(metrics).toContain('dropday_conversion_events{platform="ga4",status="pending"}');
    expect(metrics).toMatch(/^dropday_conversion_outcomes_total\{platform="meta",outcome="sent"\} [1-9]/m);
    expect(metrics).toMatch(/^dropday_conversion_outcomes_total\{platform="ga4",outcome="retry"\} [1-9]/m);

    // `dropday status` shows them per platform, with what went wrong in words.
    const snap = await statusSnapshot(ctx, 'measured');
    expect(snap.conversions.ga4).toMatchObject({ counts: { sent: 0, failed: 0 }, lastError: 'could not be reached', refused: null });
    expect(snap.conversions.ga4!.retrying).toBeGreaterThanOrEqual(1);
    expect(snap.conversions.meta!.counts.sent).toBeGreaterThanOrEqual(2);
    const text = renderStatus(snap, null).join('\n');
    expect(text).toMatch(/conversions Google Analytics 4: sent 0, pending \d+ \(\d+ retrying\), failed 0/);
    expect(text).toContain('    last error: could not be reached');
  });
});
