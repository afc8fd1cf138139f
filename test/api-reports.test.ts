import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { captureLog } from '../src/accounts/testing.js';
import { deliveryReport } from '../src/analytics/delivery.js';
import { deliveryStateText } from '../src/analytics/delivery-words.js';
import type { Analytics } from '../src/analytics/index.js';
import { funnel, geo, timeseries } from '../src/analytics/queries.js';
import { ALL_TIME } from '../src/analytics/dashboard.js';
import { pauseCampaignService } from '../src/campaigns/pauses.js';
import type { Campaign } from '../src/campaigns/repo.js';
import type { AppContext } from '../src/context.js';
import { referralStandings } from '../src/growth/referrals/state.js';
import { newsContactsCsv } from '../src/reach/export.js';
import { seriesWindow } from '../src/analytics/series-window.js';
import { apiClient, apiKeyFor, apiWorkspace, type ApiClient } from './helpers/api.js';
import { parseCsv } from './helpers/csv.js';
import { testDialects } from './helpers/db.js';
import { seedCode, seedReferrals, seedReferrer } from './helpers/growth-seed.js';
import { seedPresaves } from './helpers/presaves.js';
import { bandCampaign, seedConsent, seedContact } from './helpers/reach-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';

describe.each(testDialects())('the API’s reports: delivery, pre-saves, contacts, analytics (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let analytics: Analytics;
  const clock = Date.UTC(2026, 5, 1, 12, 0);
  const logs = captureLog();
  let campaign: Campaign;
  let foreign: Campaign;
  let api: ApiClient;
  let readOnly: ApiClient;

  const failedCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('presaves')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('campaign_id', '=', campaign.id)
          .where('status', '=', 'failed')
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { log: logs.log, analytics: { flushIntervalMs: 60_000 } });
    ctx = server.ctx;
    analytics = server.app.analytics!;
    const { workspaceId } = await apiWorkspace(ctx, 'band');
    const other = await apiWorkspace(ctx, 'others');
    campaign = await bandCampaign(ctx, 'night-drive', '036000291452', clock);
    foreign = await bandCampaign(ctx, 'not-yours', '012345678905', clock);
    const second = await bandCampaign(ctx, 'second-song', '4006381333931', clock);
    await setCampaignWorkspace(ctx.db, campaign.id, workspaceId);
    await setCampaignWorkspace(ctx.db, second.id, workspaceId);
    await setCampaignWorkspace(ctx.db, foreign.id, other.workspaceId);
    api = apiClient(server.url, await apiKeyFor(ctx, workspaceId));
    readOnly = apiClient(server.url, await apiKeyFor(ctx, workspaceId, { scopes: ['delivery:read', 'presaves:read'] }));

    // Pre-saves as the engine leaves them: saved in two countries, failed for two reasons, one pending.
    const at = clock - 2 * DAY;
    await seedPresaves(ctx.db, { campaignId: campaign.id, count: 3, status: 'saved', dueAt: at, savedAt: at + HOUR, createdAt: at - DAY });
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 1,
      status: 'saved',
      dueAt: at,
      savedAt: at + HOUR,
      createdAt: at - DAY,
      market: 'FR',
    });
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 2,
      status: 'failed',
      dueAt: at,
      createdAt: at - 3 * DAY,
      reason: 'release not found',
    });
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 1,
      service: 'spotify',
      status: 'failed',
      dueAt: at,
      createdAt: at - 3 * DAY,
      reason: 'authorization no longer valid',
      grantStatus: 'dead',
    });
    await seedPresaves(ctx.db, { campaignId: campaign.id, count: 1, status: 'pending', dueAt: clock + DAY, createdAt: clock - HOUR });
    await seedPresaves(ctx.db, {
      campaignId: foreign.id,
      count: 2,
      status: 'failed',
      dueAt: at,
      createdAt: at,
      reason: 'release not found',
    });

    // Visits through the analytics pipeline (rollups), from two places.
    for (const [i, ip] of ['81.2.69.160', '81.2.69.161', '2.16.0.1'].entries())
      analytics.capture({
        event: 'page_view',
        campaignId: campaign.id,
        at: clock - 3 * DAY + i * HOUR,
        ip,
        userAgent: UA,
        url: '/night-drive',
        host: '127.0.0.1',
      });
    await analytics.flush();

    // Contacts: standing news consent (this campaign, the second one), withdrawn, unconfirmed, reminder only, another workspace.
    const contacts: [string, number, string, 'news' | 'remind', Partial<Parameters<typeof seedConsent>[1]>][] = [
      ['yes@example.com', campaign.id, `w:${workspaceId}`, 'news', {}],
      ['second@example.com', second.id, `w:${workspaceId}`, 'news', {}],
      ['withdrawn@example.com', campaign.id, `w:${workspaceId}`, 'news', { withdrawn: { at: clock, via: 'unsubscribe' } }],
      ['unclicked@example.com', campaign.id, `w:${workspaceId}`, 'news', { confirmedAt: null }],
      ['remind@example.com', campaign.id, `w:${workspaceId}`, 'remind', {}],
      ['theirs@example.com', foreign.id, `w:${other.workspaceId}`, 'news', {}],
    ];
    for (const [email, campaignId, audience, purpose, extra] of contacts) {
      const contactId = await seedContact(ctx, { audience, email, status: 'confirmed', campaignId, at: clock - DAY });
      await seedConsent(ctx, { holder: { contactId }, campaignId, purpose, at: clock - DAY, ...extra });
    }

    // Referrals: a named referrer with counted and held referrals, an anonymous one with a pending one.
    const named = await seedReferrer(ctx, { campaignId: campaign.id, at: at - DAY, dueAt: at, displayName: 'Mo' });
    await seedReferrals(ctx, { campaignId: campaign.id, code: named.code, at: at - DAY, dueAt: at, count: 2, status: 'saved' });
    await seedReferrals(ctx, {
      campaignId: campaign.id,
      code: named.code,
      at: at - DAY,
      dueAt: at,
      status: 'saved',
      decision: 'held',
      reason: 'hourly_cap',
    });
    const anon = await seedCode(ctx, { campaignId: campaign.id, at: at - DAY });
    await seedReferrals(ctx, { campaignId: campaign.id, code: anon, at: at - DAY, dueAt: clock + DAY, status: 'pending' });
  });
  afterAll(async () => server?.close());

  it('the delivery report has the dashboard’s numbers and words', async () => {
    const res = await api.get('/campaigns/night-drive/delivery');
    expect(res.status).toBe(200);
    const r = await deliveryReport(ctx.db, campaign.id, clock);
    expect(res.body).toMatchObject({
      campaign: 'night-drive',
      state: r.state,
      summary: deliveryStateText(r),
      total: r.total,
      saved: r.saved,
      failed: r.failed,
      pending: r.pending,
      progress: r.progress,
    });
    expect(r.failed).toBeGreaterThan(0);
    const sandbox = res.body.by_service.find((s: { service: string }) => s.service === 'sandbox');
    expect(sandbox).toMatchObject({ saved: r.byService.sandbox!.saved, failed: 2, service_name: 'Sandbox' });
    const notFound = res.body.failure_reasons.find((f: { reason: string }) => f.reason === 'release not found');
    expect(notFound).toMatchObject({ count: 2, kind: 'not_found', retry_helps: true, what: 'The release was not found on the service.' });
  });

  it('a read-only key is refused re-drive and resume (403), and nothing changes', async () => {
    await pauseCampaignService(
      ctx.db,
      { campaignId: campaign.id, service: 'sandbox', code: 'release_override_unknown', message: 'Sandbox refused the release link.' },
      clock,
    );
    const before = await failedCount();
    for (const [path, body] of [
      ['/campaigns/night-drive/redrive', {}],
      ['/campaigns/night-drive/resume', { service: 'sandbox' }],
    ] as const) {
      const res = await readOnly.post(path, body);
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('DROPDAY_ERR_API_SCOPE_MISSING');
    }
    expect(await failedCount()).toBe(before);
    const report = (await readOnly.get('/campaigns/night-drive/delivery')).body;
    expect(report.state).toBe('paused');
    expect(report.pauses).toMatchObject([
      { service: 'sandbox', kind: 'campaign', resumable: true, message: 'Sandbox refused the release link.' },
    ]);
  });

  it('resume: bad input is a 400 naming the field; not paused is 409; a paused service resumes once', async () => {
    for (const body of [{}, { service: 'myspace' }, { service: 'sandbox', extra: 1 }]) {
      const res = await api.post('/campaigns/night-drive/resume', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.errors)[0]).toMatch(/^body\./);
    }
    const notPaused = await api.post('/campaigns/night-drive/resume', { service: 'spotify' });
    expect(notPaused.status).toBe(409);
    expect(notPaused.body).toMatchObject({ code: 'DROPDAY_ERR_CONFLICT', errors: { 'body.service': 'is not paused for this campaign' } });
    const res = await api.post('/campaigns/night-drive/resume', { service: 'sandbox' });
    expect(res.status).toBe(200);
    // The pending pre-save and the referred fan's pending one, both on Sandbox.
    expect(res.body).toEqual({ service: 'sandbox', redriven: 2, follows: 0 });
    expect((await api.post('/campaigns/night-drive/resume', { service: 'sandbox' })).status).toBe(409);
    expect((await api.get('/campaigns/night-drive/delivery')).body.pauses).toEqual([]);
  });

  it('re-drive puts back failed pre-saves whose permission holds, only on the service asked; twice re-drives nothing more', async () => {
    const spotify = await api.post('/campaigns/night-drive/redrive', { service: 'spotify' });
    expect(spotify.body).toEqual({ redriven: 0, still_failed: 1 });
    const res = await api.post('/campaigns/night-drive/redrive', { service: 'sandbox' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ redriven: 2, still_failed: 0 });
    expect((await api.post('/campaigns/night-drive/redrive')).body).toEqual({ redriven: 0, still_failed: 1 });
    expect(await failedCount()).toBe(1);
    // Another workspace's campaign was not touched.
    const theirs = await ctx.db.selectFrom('presaves').select('status').where('campaign_id', '=', foreign.id).execute();
    expect(theirs.map((r) => r.status)).toEqual(['failed', 'failed']);
  });

  it('another workspace’s campaign, or an unknown slug, is 404 on every route', async () => {
    for (const slug of ['not-yours', 'nope']) {
      for (const path of [
        'delivery',
        'presaves',
        'contacts',
        'analytics/funnel',
        'analytics/series',
        'analytics/geo',
        'analytics/referrers',
      ]) {
        const res = await api.get(`/campaigns/${slug}/${path}`);
        expect(res.status, `${slug}/${path}`).toBe(404);
        expect(res.body.code).toBe('DROPDAY_ERR_CAMPAIGN_NOT_FOUND');
      }
      expect((await api.post(`/campaigns/${slug}/redrive`, {})).status).toBe(404);
      expect((await api.post(`/campaigns/${slug}/resume`, { service: 'sandbox' })).status).toBe(404);
    }
  });

  it('pre-saves: pages cover every row once; filters; one by id; never a token, account id, address or receipt id', async () => {
    const seen: { id: string; status: string; service: string; created_at: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { data: typeof seen; next_cursor: string | null }; headers: Headers } = await api.get(
        `/campaigns/night-drive/presaves?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      const raw = JSON.stringify(res.body);
      expect(raw).not.toMatch(/seed-fan-|seed-\d+-x|@|tok-|grant|account|lease|"ip"|public_id|token/);
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    const rows = await ctx.db.selectFrom('presaves').select(['public_id']).where('campaign_id', '=', campaign.id).execute();
    expect(seen.length).toBe(rows.length);
    expect(new Set(seen.map((p) => p.id)).size).toBe(rows.length);
    expect(pages).toBe(Math.ceil(rows.length / 3));
    for (const r of rows) expect(JSON.stringify(seen)).not.toContain(r.public_id);
    const times = seen.map((p) => p.created_at);
    expect([...times].sort().reverse()).toEqual(times);

    const failed = (await api.get('/campaigns/night-drive/presaves?status=failed')).body.data;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ service: 'spotify', status: 'failed', failure: { kind: 'authorization', retry_helps: false } });
    const verified = (await api.get('/campaigns/night-drive/presaves?verified=true&service=sandbox')).body.data;
    expect(verified.length).toBe(seen.filter((p) => p.status === 'saved' && p.service === 'sandbox').length);
    expect(verified.every((p: { status: string; saved_at: string }) => p.status === 'saved' && p.saved_at)).toBe(true);
    const recent = (await api.get(`/campaigns/night-drive/presaves?created_after=${new Date(clock - 2 * HOUR).toISOString()}`)).body.data;
    expect(recent).toHaveLength(1);
    const older = (await api.get(`/campaigns/night-drive/presaves?created_before=${new Date(clock - 2 * HOUR).toISOString()}`)).body.data;
    expect(older.length).toBe(rows.length - 1);

    const one = await api.get(`/campaigns/night-drive/presaves/${failed[0].id}`);
    expect(one.body).toEqual(failed[0]);
    expect((await api.get(`/campaigns/not-yours/presaves/${failed[0].id}`)).status).toBe(404);
    expect((await api.get(`/campaigns/night-drive/presaves/ps_${'A'.repeat(22)}`)).body.code).toBe('DROPDAY_ERR_PRESAVE_NOT_FOUND');
    expect((await api.get(`/campaigns/night-drive/presaves/${rows[0]!.public_id}`)).status).toBe(404);
  });

  it('bad filters are a 400 naming the field', async () => {
    for (const [query, field] of [
      ['status=lost', 'querystring.status'],
      ['service=myspace', 'querystring.service'],
      ['created_after=yesterday', 'querystring.created_after'],
      ['created_before=2026-13-45T00:00:00Z', 'querystring.created_before'],
      ['verified=perhaps', 'querystring.verified'],
      ['limit=0', 'querystring.limit'],
      ['limit=201', 'querystring.limit'],
      ['cursor=not-a-cursor', 'querystring.cursor'],
      ['colour=blue', 'querystring.colour'],
    ] as const) {
      const res = await api.get(`/campaigns/night-drive/presaves?${query}`);
      expect(res.status, query).toBe(400);
      expect(Object.keys(res.body.errors ?? {}), query).toContain(field);
    }
    const res = await api.get('/campaigns/night-drive/analytics/funnel?from=2026-06-02T00:00:00Z&to=2026-06-01T00:00:00Z');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ 'querystring.to': 'must be after from' });
  });

  it('contacts: exactly the CSV export’s lines, only standing confirmed news consents; the export is logged without addresses', async () => {
    let csv = '';
    for await (const chunk of newsContactsCsv(ctx.db, ctx.cipher, `w:${await workspaceOf()}`, { bom: false })) csv += chunk;
    const [, ...lines] = parseCsv(csv);
    const all: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: Record<string, unknown>[]; next_cursor: string | null } } = await api.get(
        `/contacts?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      all.push(...res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(
      all.map((c) => [
        c.email,
        c.language,
        c.consent_time,
        c.confirmation_time,
        c.consent_source,
        c.consent_text,
        c.consent_version,
        (c.tags as string[]).join(','),
      ]),
    ).toEqual(lines);
    expect(all.map((c) => c.email).sort()).toEqual(['second@example.com', 'yes@example.com']);
    const mine = (await api.get('/campaigns/night-drive/contacts')).body;
    expect(mine).toMatchObject({
      data: [{ email: 'yes@example.com', consent_source: 'night-drive (campaign page)', tags: ['dropday', 'news', 'night-drive'] }],
      next_cursor: null,
    });
    const exports = logs.lines.filter((l) => l.includes('"contacts_export"'));
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.join('\n')).not.toContain('@example.com');
    expect(JSON.parse(exports[exports.length - 1]!)).toMatchObject({ via: 'api', rows: 1, campaign: campaign.id });
    expect((await readOnly.get('/contacts')).status).toBe(403);
  });

  async function workspaceOf(): Promise<number> {
    const row = await ctx.db.selectFrom('campaigns').select('workspace_id').where('id', '=', campaign.id).executeTakeFirstOrThrow();
    return Number(row.workspace_id);
  }

  it('funnel, series, geo and referral standings equal the dashboard’s queries', async () => {
    const f = await funnel(ctx.db, campaign.id, ALL_TIME);
    const af = (await api.get('/campaigns/night-drive/analytics/funnel')).body;
    expect(af).toMatchObject({
      views: f.views,
      unique_visitors: f.uniqueVisitors,
      presaves: f.presaves,
      saved: f.saved,
      fans: f.fans,
      visitor_to_presave: f.visitorToPresave,
    });
    expect(f.views).toBe(3);
    expect(af.by_service.map((s: { service: string; presaves: number }) => [s.service, s.presaves])).toEqual(
      Object.entries(f.byService).map(([k, v]) => [k, v.presaves]),
    );

    const win = seriesWindow(campaign, clock);
    const s = await timeseries(ctx.db, campaign.id, win.range, win.bucket);
    const as = (await api.get('/campaigns/night-drive/analytics/series')).body;
    expect(as.interval).toBe(win.bucket);
    expect(
      as.points.map((p: { t: string; views: number; presaves: number; saved: number }) => [p.t, p.views, p.presaves, p.saved]),
    ).toEqual(s.points.map((p) => [new Date(p.t).toISOString(), p.views, p.presaves, p.saved]));
    const from = new Date(clock - 5 * DAY).toISOString();
    const to = new Date(clock).toISOString();
    const utcDays = (await api.get(`/campaigns/night-drive/analytics/series?interval=day&from=${from}&to=${to}`)).body;
    const tokyo = (await api.get(`/campaigns/night-drive/analytics/series?interval=day&from=${from}&to=${to}&tz=Asia/Tokyo`)).body;
    const total = (x: { points: { views: number; presaves: number }[] }) => x.points.reduce((n, p) => n + p.views + p.presaves, 0);
    expect(total(tokyo)).toBe(total(utcDays));
    expect(tokyo.points[0].t).toBe('2026-05-26T15:00:00.000Z'); // midnight in Tokyo
    const kolkata = await api.get(`/campaigns/night-drive/analytics/series?interval=day&tz=Asia/Kolkata`);
    expect(kolkata.status).toBe(400);
    expect(Object.keys(kolkata.body.errors)).toEqual(['querystring.tz']);
    expect((await api.get('/campaigns/night-drive/analytics/series?tz=Mars/Base')).body.errors).toEqual({
      'querystring.tz': 'is not an IANA time zone',
    });

    const g = await geo(ctx.db, campaign.id, ALL_TIME, { topCities: 25, sortBy: 'presaves' });
    const ag = (await api.get('/campaigns/night-drive/analytics/geo')).body;
    expect(ag.countries.map((c: { country: string; counts: { views: number } }) => [c.country, c.counts.views])).toEqual(
      g.countries.map((c) => [c.country, c.counts.views]),
    );
    expect(ag.unknown.views).toBe(g.unknown.views);

    const st = await referralStandings(ctx.db, campaign.id);
    const ar = (await api.get('/campaigns/night-drive/analytics/referrers')).body;
    expect(
      ar.data.map((r: { rank: number; counted: number; pending: number; held: number; display_name: string | null }) => [
        r.rank,
        r.display_name,
        r.counted,
        r.pending,
        r.held,
      ]),
    ).toEqual(st.map((x) => [x.rank, x.displayName, x.counted, x.pending, x.held]));
    expect(ar.data[0]).toMatchObject({ display_name: 'Mo', counted: 2, held: 1 });
    expect(ar.totals).toEqual({ counted: 2, pending: 1, held: 1, not_counted: 0 });
    expect(JSON.stringify(ar)).not.toMatch(/acct-|presave|contact|@/);
  });
});
