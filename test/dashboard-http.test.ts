import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace, workspaceIdOfCampaign } from '../src/accounts/campaigns.js';
import { addVaultLink } from '../src/growth/vault/items.js';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import type { Analytics } from '../src/analytics/index.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { alpha2FromNumeric, numericFromAlpha2 } from '../src/dashboard/iso.js';
import { HEAT_SCALE, NO_DATA_FILL, heatColor } from '../src/dashboard/world-map.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const PW = 'correct horse battery';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';
// Public addresses the shipped DB-IP Lite file places in London and in Frankfurt am Main.
const LONDON_IP = '81.2.69.160';
const FRANKFURT_IP6 = '2a00:1450:4001:82b::200e';
const DAY = 86_400_000;

/** The text of the element carrying data-stat="key". */
function stat(body: string, key: string): string | null {
  const m = new RegExp(`data-stat="${key.replace(/\./g, '\\.')}"[^>]*>([^<]*)<`).exec(body);
  return m ? m[1]! : null;
}

function countryFill(body: string, code: string): string | null {
  const m = new RegExp(`<path d="[^"]*" fill="(#[0-9a-f]{6})" data-country="${code}"`).exec(body);
  return m ? m[1]! : null;
}

describe('ISO codes and the heat scale', () => {
  it('maps every country of the world atlas both ways', async () => {
    const { default: world } = (await import('world-atlas/countries-110m.json', { with: { type: 'json' } })) as unknown as {
      default: { objects: { countries: { geometries: { id?: string }[] } } };
    };
    const ids = world.objects.countries.geometries.map((g) => g.id).filter((id): id is string => !!id);
    expect(ids.length).toBeGreaterThan(170);
    for (const id of ids) {
      const a2 = alpha2FromNumeric(id);
      expect(a2, id).toMatch(/^[A-Z]{2}$/);
      expect(numericFromAlpha2(a2!)).toBe(id);
    }
    expect(alpha2FromNumeric('826')).toBe('GB');
    expect(alpha2FromNumeric(36)).toBe('AU');
    expect(numericFromAlpha2('us')).toBe('840');
  });

  it('colours nothing for zero, the top colour for the maximum, monotonically in between', () => {
    expect(heatColor(0, 10)).toBe(NO_DATA_FILL);
    expect(heatColor(10, 10)).toBe(HEAT_SCALE[HEAT_SCALE.length - 1]);
    expect(heatColor(1, 1)).toBe(HEAT_SCALE[HEAT_SCALE.length - 1]);
    let last = -1;
    for (let n = 1; n <= 1000; n *= 3) {
      const i = HEAT_SCALE.indexOf(heatColor(n, 1000) as (typeof HEAT_SCALE)[number]);
      expect(i).toBeGreaterThanOrEqual(last);
      last = i;
    }
  });
});

describe.each(testDialects())('dashboard through HTTP (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let app: FastifyInstance;
  let analytics: Analytics;
  let base: string;
  let clock = Date.UTC(2026, 5, 1, 12, 0);
  let campaign: Campaign;
  let otherCampaign: Campaign;
  const logs = captureLog();
  const agents: Record<'owner' | 'viewer' | 'outsider', InjectAgent> = {} as never;

  async function signIn(email: string, ip: string): Promise<InjectAgent> {
    const a = new InjectAgent(app, ip);
    await a.get('/login');
    expect((await a.post('/login', { email, password: PW })).statusCode).toBe(303);
    return a;
  }

  function visit(ip: string, ua: string, extra: { referer?: string; url?: string; at?: number } = {}) {
    analytics.capture({
      event: 'page_view',
      campaignId: campaign.id,
      at: extra.at ?? clock,
      ip,
      userAgent: ua,
      referer: extra.referer ?? null,
      url: extra.url ?? `/${campaign.slug}`,
      host: '127.0.0.1',
    });
  }

  function act(event: 'service_click' | 'authorization', ip: string, ua: string) {
    analytics.capture({
      event,
      campaignId: campaign.id,
      service: 'sandbox',
      at: clock,
      ip,
      userAgent: ua,
      url: '/connect/sandbox',
      host: '127.0.0.1',
    });
  }

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { log: logs.log, analytics: { flushIntervalMs: 60_000 } });
    ({ ctx, app, url: base } = server);
    analytics = app.analytics!;

    const owner = await createUser(ctx.db, { email: 'owner@example.com', password: PW }, clock);
    const viewer = await createUser(ctx.db, { email: 'viewer@example.com', password: PW }, clock);
    const outsider = await createUser(ctx.db, { email: 'outsider@example.com', password: PW }, clock);
    const ws = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, owner.id, clock);
    await ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: ws.id, user_id: viewer.id, role: 'viewer', created_at: clock, updated_at: clock })
      .execute();
    const other = await createWorkspace(ctx.db, { slug: 'others', name: 'Others', kind: 'label' }, outsider.id, clock);
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const input = (slug: string, upc: string) => ({
      slug,
      artistName: 'The Band',
      title: `Song ${slug}`,
      upc,
      releaseAt: new Date(clock + 3 * DAY).toISOString().slice(0, 16),
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
    });
    campaign = await createCampaign(deps, input('night-drive', '036000291452'));
    otherCampaign = await createCampaign(deps, input('not-yours', '012345678905'));
    await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
    await setCampaignWorkspace(ctx.db, otherCampaign.id, other.id);

    agents.owner = await signIn('owner@example.com', '10.0.0.1');
    agents.viewer = await signIn('viewer@example.com', '10.0.0.2');
    agents.outsider = await signIn('outsider@example.com', '10.0.0.3');
  });

  afterAll(async () => {
    await server?.close();
  });

  const pages = [
    '/w/band',
    '/w/band/campaigns/night-drive',
    '/w/band/campaigns/night-drive/fans.csv',
    '/w/band/campaigns/night-drive/delivery.csv',
  ];

  it('sends a signed-out browser to /login and back; stats.json answers 401', async () => {
    const anon = new InjectAgent(app);
    for (const url of pages) {
      const res = await anon.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    const json = await anon.get('/w/band/campaigns/night-drive/stats.json', { accept: 'application/json' });
    expect(json.statusCode).toBe(401);
  });

  it('a campaign with no bonus content yet points the artist to its Growth page; an item then shows in the Vault panel', async () => {
    const quiet = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'quiet-one',
        artistName: 'The Band',
        title: 'Quiet',
        upc: '4006381333931',
        releaseAt: new Date(clock + 3 * DAY).toISOString().slice(0, 16),
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    await setCampaignWorkspace(ctx.db, quiet.id, (await workspaceIdOfCampaign(ctx.db, campaign.id))!);
    let body = (await agents.viewer.get('/w/band/campaigns/quiet-one')).body;
    expect(body).toContain('No bonus content yet.');
    expect(body).toContain('href="/w/band/campaigns/quiet-one/growth#vault"');
    await addVaultLink(ctx, quiet.id, { title: 'Liner notes', unlock: 'presave', referrals: '', url: 'https://example.com/notes' });
    body = (await agents.viewer.get('/w/band/campaigns/quiet-one')).body;
    expect(body).not.toContain('No bonus content yet.');
    expect(body).toContain('Liner notes');
  });

  it('answers 404 to a non-member, and for a campaign of another workspace', async () => {
    for (const url of [...pages, '/w/band/campaigns/night-drive/stats.json']) {
      expect((await agents.outsider.get(url)).statusCode, url).toBe(404);
    }
    for (const url of ['/w/band/campaigns/not-yours', '/w/band/campaigns/not-yours/fans.csv', '/w/band/campaigns/nope']) {
      expect((await agents.viewer.get(url)).statusCode, url).toBe(404);
    }
    // The outsider sees their own campaign.
    expect((await agents.outsider.get('/w/others/campaigns/not-yours')).statusCode).toBe(200);
  });

  it('shows an empty campaign with clear empty states (viewer)', async () => {
    const page = await agents.viewer.get('/w/band/campaigns/night-drive');
    expect(page.statusCode).toBe(200);
    const body = page.body;
    expect(page.headers['cache-control']).toBe('no-store');
    expect(stat(body, 'funnel.views')).toBe('0');
    expect(stat(body, 'funnel.presaves')).toBe('0');
    expect(stat(body, 'funnel.clickToSave')).toBe('—');
    expect(body).toContain('No activity yet');
    expect(body).not.toContain('id="chart"');
    expect(body).not.toMatch(/uplot-[0-9a-f]+\.js/);
    expect(body).toContain('No visits yet: countries fill in as fans arrive.');
    expect(body).toContain('Saves start at release');
    expect(countryFill(body, 'GB')).toBe(NO_DATA_FILL);
    expect(body).toContain('https://db-ip.com');
    // A viewer gets no edit link; the owner does.
    expect(body).not.toContain('/w/band/campaigns/night-drive/edit');
    expect((await agents.owner.get('/w/band/campaigns/night-drive')).body).toContain('href="/w/band/campaigns/night-drive/edit"');
    // No inline handlers or style attributes (CSP allows neither).
    expect(body).not.toMatch(/\son[a-z]+="/);
    expect(body).not.toMatch(/\sstyle="/);

    const overview = await agents.viewer.get('/w/band');
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('href="/w/band/campaigns/night-drive"');
    expect(overview.body).not.toContain('not-yours');
    expect(overview.body).not.toContain('/w/band/campaigns/new');
    expect((await agents.owner.get('/w/band')).body).toContain('href="/w/band/campaigns/new"');

    const fans = await agents.viewer.get('/w/band/campaigns/night-drive/fans.csv');
    expect(fans.statusCode).toBe(200);
    expect(fans.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(fans.headers['content-disposition']).toBe('attachment; filename="night-drive-fans.csv"');
    expect(fans.body).toBe('\uFEFFcreated_at,service,country,timezone,status,failure_reason,saved_at\r\n');
  });

  it('serves the chart and the dashboard script with a long cache, and only those', async () => {
    const page = (await agents.viewer.get('/w/band/campaigns/night-drive')).body;
    const script = /src="(\/assets\/dash\/dashboard-[0-9a-f]+\.js)"/.exec(page)![1]!;
    expect(page).toMatch(new RegExp(`<script nonce="[^"]+" src="${script}"`));
    const res = await app.inject({ url: script });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/dash/../../package.json' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/dash/nothing.js' })).statusCode).toBe(404);
  });

  it('shows the numbers, chart data and map after visits and pre-saves', async () => {
    // Two visitors from London (one from Instagram, one from a newsletter link), one from Frankfurt.
    visit(LONDON_IP, IPHONE, { referer: 'https://www.instagram.com/p/abc/' });
    visit(LONDON_IP, IPHONE, { at: clock + 1000 });
    visit('81.2.69.161', DESKTOP, { url: '/night-drive?utm_source=Newsletter&utm_medium=email&utm_campaign=june' });
    visit(FRANKFURT_IP6, DESKTOP);
    // A bot is not a visit.
    visit(LONDON_IP, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)');
    act('service_click', LONDON_IP, IPHONE);
    act('service_click', '81.2.69.161', DESKTOP);
    act('service_click', FRANKFURT_IP6, DESKTOP);
    act('authorization', LONDON_IP, IPHONE);
    act('authorization', '81.2.69.161', DESKTOP);
    await analytics.flush();
    // Two real pre-saves through the Sandbox (the rows the delivery report and the fans CSV read).
    for (const user of ['ana', 'ben']) await new FanBrowser().presave(base, 'night-drive', user, 'UTC');

    const body = (await agents.viewer.get('/w/band/campaigns/night-drive')).body;
    expect(stat(body, 'funnel.views')).toBe('4');
    expect(stat(body, 'funnel.serviceClicks')).toBe('3');
    expect(stat(body, 'funnel.presaves')).toBe('2');
    expect(stat(body, 'funnel.clickToSave')).toBe('67 %');
    expect(stat(body, 'funnel.saved')).toBe('0');
    // The chart is there, with its data embedded as JSON for uPlot.
    expect(body).toContain('<div id="chart"');
    expect(body).toMatch(/<script nonce="[^"]+" src="\/assets\/dash\/uplot-[0-9a-f]+\.js"><\/script>/);
    const data = JSON.parse(/<script type="application\/json" id="dash-data">([\s\S]*?)<\/script>/.exec(body)![1]!) as {
      chart: { t: number[]; views: (number | null)[]; presaves: (number | null)[] };
      statsUrl: string;
    };
    expect(data.statsUrl).toBe('/w/band/campaigns/night-drive/stats.json');
    expect(data.chart.views.reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(4);
    expect(data.chart.presaves.reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(2);
    expect(data.chart.t.length).toBe(data.chart.views.length);
    // The map: Britain has every pre-save (the top colour), Germany views only, France nothing.
    expect(countryFill(body, 'GB')).toBe(HEAT_SCALE[HEAT_SCALE.length - 1]);
    expect(countryFill(body, 'DE')).toBe(NO_DATA_FILL);
    expect(countryFill(body, 'FR')).toBe(NO_DATA_FILL);
    expect(body).toMatch(/<circle class="city"[^>]*data-city="London, GB"/);
    expect(body).toMatch(/<tr data-city="London">/);
    // Coloured by page views instead, Germany lights up too.
    const byViews = (await agents.viewer.get('/w/band/campaigns/night-drive?map=views')).body;
    expect(countryFill(byViews, 'GB')).toBe(HEAT_SCALE[HEAT_SCALE.length - 1]);
    expect(countryFill(byViews, 'DE')).not.toBe(NO_DATA_FILL);
    expect(countryFill(byViews, 'FR')).toBe(NO_DATA_FILL);
    // Sources and devices.
    expect(body).toMatch(/<tr data-referrer="instagram.com">/);
    expect(body).toContain('newsletter / email');
    expect(body).toMatch(/<tr data-device="mobile">/);
    expect(body).toMatch(/Bots and link previews, not counted above: 1/);
    expect(body).toMatch(/<tr data-service="sandbox">/);

    const stats = JSON.parse(
      (await agents.viewer.get('/w/band/campaigns/night-drive/stats.json', { accept: 'application/json' })).body,
    ) as {
      values: Record<string, string>;
      live: boolean;
    };
    expect(stats.values['funnel.views']).toBe('4');
    expect(stats.values['delivery.total']).toBe('2');
    expect(stats.live).toBe(false);

    const overview = (await agents.viewer.get('/w/band')).body;
    const row = /<tr data-campaign="night-drive">([\s\S]*?)<\/tr>/.exec(overview)![1]!;
    expect(row).toMatch(/data-col="views">4</);
    expect(row).toMatch(/data-col="presaves">2</);
    expect(row).toMatch(/data-col="saved">0</);
  });

  it('after release: the delivery report, live numbers and both CSV exports (formula-safe)', async () => {
    clock += 4 * DAY;
    // Sessions end after 12 hours: sign in again on the new day.
    agents.viewer = await signIn('viewer@example.com', '10.0.0.2');
    agents.owner = await signIn('owner@example.com', '10.0.0.1');
    const rows = await ctx.db.selectFrom('presaves').select(['id']).where('campaign_id', '=', campaign.id).orderBy('id').execute();
    expect(rows).toHaveLength(2);
    await ctx.db
      .updateTable('presaves')
      .set({ status: 'saved', saved_at: clock - 60_000, updated_at: clock - 60_000 })
      .where('id', '=', rows[0]!.id)
      .execute();
    await ctx.db
      .updateTable('presaves')
      .set({ status: 'failed', failure_reason: '=HYPERLINK("http://evil.example","x"), really', updated_at: clock - 30_000, market: '+GB' })
      .where('id', '=', rows[1]!.id)
      .execute();

    const body = (await agents.viewer.get('/w/band/campaigns/night-drive')).body;
    expect(body).toContain('Delivery report');
    expect(stat(body, 'delivery.saved')).toBe('1');
    expect(stat(body, 'delivery.failed')).toBe('1');
    // A failure is not progress: one of the two reached a library.
    expect(stat(body, 'delivery.progress')).toBe('50 %');
    expect(stat(body, 'delivery.state')).toBe('Finished with failures — 1 saved, 1 failed.');
    expect(stat(body, 'funnel.saved')).toBe('1');
    expect(body).toMatch(/<progress id="delivery-progress" max="1" value="0.5">/);
    // The service's raw text only in a details line, escaped.
    expect(body).toContain('<code>=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;), really</code>');

    const fans = await agents.viewer.get('/w/band/campaigns/night-drive/fans.csv');
    const lines = fans.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('created_at,service,country,timezone,status,failure_reason,saved_at');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,sandbox,,UTC,saved,,\d{4}-/);
    expect(lines[2]).toMatch(/^[^,]+,sandbox,'\+GB,UTC,failed,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\), really",$/);
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);

    const delivery = await agents.viewer.get('/w/band/campaigns/night-drive/delivery.csv');
    expect(delivery.statusCode).toBe(200);
    expect(delivery.headers['content-disposition']).toBe('attachment; filename="night-drive-delivery.csv"');
    const d = delivery.body.replace(/^\uFEFF/, '');
    expect(d.startsWith('service,status,reason,count\r\nsandbox,saved,,1\r\n')).toBe(true);
    expect(d).toContain(`sandbox,failed,"'=HYPERLINK(""http://evil.example"",""x""), really",1\r\n`);
    expect(d).toContain('all,saved,,1\r\n');
  });

  it('shows a fan-out in progress with its rate and ETA, and says live in stats.json', async () => {
    // A third fan pre-saves after release: due now, nothing worked yet.
    await new FanBrowser().presave(base, 'night-drive', 'cat', 'UTC');
    const stats = JSON.parse((await agents.owner.get('/w/band/campaigns/night-drive/stats.json', { accept: 'application/json' })).body) as {
      values: Record<string, string>;
      live: boolean;
      progress: number;
    };
    expect(stats.live).toBe(true);
    expect(stats.values['delivery.due']).toBe('1');
    expect(stats.values['delivery.sandbox.due']).toBe('1');
    // 1 saved of 3 due (1 saved, 1 failed, 1 due): the failure is not progress.
    expect(stats.progress).toBeCloseTo(1 / 3, 3);
    expect(stats.values['delivery.progress']).toBe('33 %');
    expect(stats.values['delivery.eta']).toMatch(/^\d+ (s|min)$/);
    const body = (await agents.owner.get('/w/band/campaigns/night-drive')).body;
    expect(stat(body, 'delivery.state')).toBe('Delivering — 1 to go.');
    expect(body).toContain('"live":true');
  });
});
