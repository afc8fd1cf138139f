import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import type { Analytics } from '../src/analytics/index.js';
import { listCampaignPauses, pauseCampaignService } from '../src/campaigns/pauses.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { createCampaign } from '../src/campaigns/service.js';
import { statusJson, statusSnapshot } from '../src/cli/status.js';
import type { AppContext } from '../src/context.js';
import { chartData } from '../src/web/views/dashboard/campaign.js';
import { envFor, runCli } from './helpers/cli.js';
import { testDialects } from './helpers/db.js';
import { seedPresaves } from './helpers/presaves.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const PW = 'correct horse battery';
const HOUR = 3_600_000;
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36';
/** Far from the test clock and from the real one: rows dated so count the same for the CLI process (real clock). */
const FAR_FUTURE = Date.UTC(2100, 0, 1);
const WRONG_ID_REASON = 'Sandbox answered 400 Bad Request: invalid artist id sandbox:artist:nova-lights (gave up after 8 attempts)';
const DEAD_REASON = 'Sandbox authorization no longer valid: revoked; the fan needs to pre-save again';

function stat(body: string, key: string): string | null {
  const m = new RegExp(`data-stat="${key.replace(/\./g, '\\.')}"[^>]*>([^<]*)<`).exec(body);
  return m ? m[1]! : null;
}

function flash(body: string): string | null {
  const m = /<p class="notice flash" role="status">([^<]*)<\/p>/.exec(body);
  return m ? m[1]!.replace(/&#39;/g, "'") : null;
}

describe.each(testDialects())('what the artist sees is true (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let app: FastifyInstance;
  let analytics: Analytics;
  let clock = Date.UTC(2026, 5, 1, 12, 0);
  const logs = captureLog();
  const campaigns: Record<string, Campaign> = {};
  let owner: InjectAgent;
  let viewer: InjectAgent;

  async function signIn(email: string, ip: string): Promise<InjectAgent> {
    const a = new InjectAgent(app, ip);
    await a.get('/login');
    expect((await a.post('/login', { email, password: PW })).statusCode).toBe(303);
    return a;
  }

  const page = (slug: string) => `/w/band/campaigns/${slug}`;
  const failedCount = async (id: number) =>
    Number(
      (
        await ctx.db
          .selectFrom('presaves')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('campaign_id', '=', id)
          .where('status', '=', 'failed')
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { log: logs.log, analytics: { flushIntervalMs: 60_000 } });
    ({ ctx, app } = server);
    analytics = app.analytics!;
    const o = await createUser(ctx.db, { email: 'owner@example.com', password: PW }, clock);
    const v = await createUser(ctx.db, { email: 'viewer@example.com', password: PW }, clock);
    const ws = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, o.id, clock);
    await ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: ws.id, user_id: v.id, role: 'viewer', created_at: clock, updated_at: clock })
      .execute();
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const upcs = ['036000291452', '012345678905', '042100005264', '614141000036', '884034030010'];
    for (const [i, slug] of ['wrong-id', 'agree', 'numbers', 'local-drop'].entries()) {
      campaigns[slug] = await createCampaign(deps, {
        slug,
        artistName: 'The Band',
        title: `Song ${slug}`,
        upc: upcs[i]!,
        releaseAt: slug === 'local-drop' ? '2026-12-08T00:00' : new Date(clock + HOUR).toISOString().slice(0, 16),
        timezone: 'UTC',
        timing: slug === 'local-drop' ? 'local' : 'global',
        services: ['sandbox'],
      });
      await setCampaignWorkspace(ctx.db, campaigns[slug].id, ws.id);
    }
    clock += 2 * HOUR; // released (all but local-drop)
    owner = await signIn('owner@example.com', '10.0.0.1');
    viewer = await signIn('viewer@example.com', '10.0.0.2');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('shows a campaign that ended 0 saved / 9 failed as failed, with the reason in words and the service text in details', async () => {
    const c = campaigns['wrong-id']!;
    await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 9,
      status: 'failed',
      reason: WRONG_ID_REASON,
      dueAt: clock - HOUR,
      createdAt: clock - 3 * HOUR,
    });
    await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 2,
      status: 'failed',
      reason: DEAD_REASON,
      dueAt: clock - HOUR,
      createdAt: clock - 3 * HOUR,
      grantStatus: 'dead',
    });

    const body = (await owner.get(page('wrong-id'))).body;
    expect(stat(body, 'delivery.state')).toBe('Failed — none of the 11 pre-saves could be saved. See why below.');
    expect(stat(body, 'delivery.progress')).toBe('0 %');
    expect(body).toMatch(/<progress id="delivery-progress" max="1" value="0">/);
    expect(body).toContain('data-state="finished" data-outcome="failed"');
    const delivery = /<section class="panel" id="delivery"[\s\S]*?<\/section>/.exec(body)![0];
    expect(delivery).not.toContain('100 %');
    expect(delivery).not.toMatch(/finished\./i);
    // Plain words and what to do, then the service's own text in a details line.
    expect(body).toMatch(/<li data-failure="configuration">\s*<strong>9 × The service refused the campaign’s settings/);
    expect(body).toContain('Check the artist to follow and the release links for this service in the editor, fix them, then retry.');
    expect(body).toContain(`<code>${WRONG_ID_REASON}</code>`);
    expect(body).toMatch(/<li data-failure="authorization">\s*<strong>2 × /);
    expect(body).toContain(`action="${page('wrong-id')}/retry"`);

    const stats = JSON.parse((await viewer.get(`${page('wrong-id')}/stats.json`, { accept: 'application/json' })).body) as {
      progress: number;
      delivery: { state: string; outcome: string };
    };
    expect(stats.progress).toBe(0);
    expect(stats.delivery).toMatchObject({ state: 'finished', outcome: 'failed' });

    // A viewer sees the same report, without the button.
    const seen = (await viewer.get(page('wrong-id'))).body;
    expect(stat(seen, 'delivery.state')).toBe(stat(body, 'delivery.state'));
    expect(seen).not.toContain(`action="${page('wrong-id')}/retry"`);
    expect(seen).toContain('Editors of this workspace can retry failed pre-saves.');
  });

  it('retries failed pre-saves for editors only, CSRF-protected, and says what happened', async () => {
    const c = campaigns['wrong-id']!;
    // A viewer's POST (with a valid token of their own) is refused and changes nothing.
    await viewer.get(page('wrong-id'));
    expect((await viewer.post(`${page('wrong-id')}/retry`)).statusCode).toBe(403);
    // Without the token, or with another session's, refused too.
    expect((await owner.post(`${page('wrong-id')}/retry`, {}, { csrf: false })).statusCode).toBe(403);
    expect((await owner.post(`${page('wrong-id')}/retry`, {}, { csrf: viewer.csrf! })).statusCode).toBe(403);
    expect(await failedCount(c.id)).toBe(11);

    await owner.get(page('wrong-id'));
    const res = await owner.post(`${page('wrong-id')}/retry`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page('wrong-id')}#delivery`);
    const after = await owner.get(page('wrong-id'));
    expect(flash(after.body)).toBe(
      "9 failed pre-saves are back in the queue and will be delivered in the next minutes. 2 left as failed: those fans' permission ended, so they have to pre-save again.",
    );
    // Shown once.
    expect(flash((await owner.get(page('wrong-id'))).body)).toBeNull();
    expect(await failedCount(c.id)).toBe(2);
    const pending = await ctx.db
      .selectFrom('presaves')
      .select(['next_attempt_at'])
      .where('campaign_id', '=', c.id)
      .where('status', '=', 'pending')
      .execute();
    expect(pending.map((p) => Number(p.next_attempt_at))).toEqual(Array(9).fill(clock));
    expect(stat(after.body, 'delivery.state')).toMatch(/^Delivering/);
    expect(stat(after.body, 'delivery.due')).toBe('9');
  });

  it('shows the pause banner to everyone, Resume to editors only, and resumes the parked pre-saves', async () => {
    const c = campaigns['wrong-id']!;
    await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 4,
      status: 'pending',
      dueAt: clock - HOUR,
      nextAttemptAt: FAR_FUTURE,
      createdAt: clock - 3 * HOUR,
    });
    await pauseCampaignService(
      ctx.db,
      {
        campaignId: c.id,
        service: 'sandbox',
        code: 'bad_config',
        message: 'Sandbox does not know the artist to follow (sandbox:artist:nova-lights). Correct it in the editor, then resume.',
        detail: '400 Bad Request: invalid id',
      },
      clock,
    );

    const body = (await owner.get(page('wrong-id'))).body;
    const banner = /<section class="panel banner alert" role="alert" data-pause="sandbox"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';
    expect(banner).toContain('Saves to Sandbox are paused: fix the campaign, then resume');
    expect(banner).toContain('Sandbox does not know the artist to follow (sandbox:artist:nova-lights).');
    expect(banner).toContain('<code>400 Bad Request: invalid id</code>');
    expect(banner).toContain(`href="${page('wrong-id')}/edit"`);
    expect(banner).toContain(`action="${page('wrong-id')}/resume"`);
    // It comes first, above the campaign's header.
    expect(body.indexOf('data-pause="sandbox"')).toBeLessThan(body.indexOf('<h1>'));
    expect(stat(body, 'delivery.state')).toMatch(/^Paused on Sandbox — 13 pre-saves kept, not lost\./);

    const seen = (await viewer.get(page('wrong-id'))).body;
    expect(seen).toContain('data-pause="sandbox"');
    expect(seen).not.toContain(`action="${page('wrong-id')}/resume"`);
    expect(seen).toContain('An editor of this workspace can fix the campaign and resume the saves.');
    expect((await viewer.post(`${page('wrong-id')}/resume`, { service: 'sandbox' })).statusCode).toBe(403);
    expect(await listCampaignPauses(ctx.db, c.id)).toHaveLength(1);

    await owner.get(page('wrong-id'));
    const bad = await owner.post(`${page('wrong-id')}/resume`, { service: 'myspace' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The service to resume is not one Dropday knows.');
    expect(await listCampaignPauses(ctx.db, c.id)).toHaveLength(1);

    const res = await owner.post(`${page('wrong-id')}/resume`, { service: 'sandbox' });
    expect(res.statusCode).toBe(303);
    const after = (await owner.get(page('wrong-id'))).body;
    expect(flash(after)).toBe('Saves to Sandbox resumed: 4 pre-saves are being delivered now.');
    expect(after).not.toContain('data-pause=');
    expect(await listCampaignPauses(ctx.db, c.id)).toEqual([]);
    const parked = await ctx.db
      .selectFrom('presaves')
      .select('id')
      .where('campaign_id', '=', c.id)
      .where('next_attempt_at', '>', clock)
      .execute();
    expect(parked).toEqual([]);
    // Resuming what is not paused says so.
    await owner.post(`${page('wrong-id')}/resume`);
    expect(flash((await owner.get(page('wrong-id'))).body)).toBe('This campaign was not paused; nothing to resume.');
  });

  it('`dropday status` and the dashboard give the same counts at the same moment', async () => {
    const c = campaigns.agree!;
    // Due since release but waiting to retry: the old `status` said "due now: 0", the dashboard "Due 9".
    await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 9,
      status: 'pending',
      dueAt: clock - HOUR,
      nextAttemptAt: FAR_FUTURE,
      createdAt: clock - 3 * HOUR,
    });
    await seedPresaves(ctx.db, { campaignId: c.id, count: 2, status: 'pending', dueAt: FAR_FUTURE, createdAt: clock - 3 * HOUR });
    await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 3,
      status: 'saved',
      dueAt: clock - HOUR,
      savedAt: clock - 30 * 60_000,
      createdAt: clock - 3 * HOUR,
    });
    await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 1,
      status: 'failed',
      reason: 'release not found on Sandbox',
      dueAt: clock - HOUR,
      createdAt: clock - 3 * HOUR,
    });

    const stats = JSON.parse((await viewer.get(`${page('agree')}/stats.json`, { accept: 'application/json' })).body) as {
      values: Record<string, string>;
    };
    const v = stats.values;
    const cli = statusJson(await statusSnapshot(ctx, 'agree'));
    const expected = { total: 15, due: 9, scheduled: 2, pending: 11, saved: 3, failed: 1, cancelled: 0 };
    expect(cli).toMatchObject(expected);
    for (const k of ['total', 'due', 'scheduled', 'pending', 'saved', 'failed', 'cancelled'] as const) {
      expect(v[`delivery.${k}`], k).toBe(String(cli[k]));
    }
    expect(cli.summary).toBe(v['delivery.state']);

    // The `dropday` process itself (its own clock; the rows are dated so that no clock changes them).
    const out = await runCli(['status', 'agree', '--json'], envFor(server.testDb));
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toMatchObject(expected);
    const text = await runCli(['status', 'agree'], envFor(server.testDb));
    expect(text.stdout).toContain('pending: 11 (due: 9, scheduled: 2)');
    expect(text.stdout).toContain('The release was not found on the service.');
    expect(text.stdout).toContain('details: release not found on Sandbox');
  });

  it('says when saves wait on the service itself (quota breaker, Retry-After), without a Resume button for the artist', async () => {
    await ctx.db
      .insertInto('service_governors')
      .values({
        service: 'sandbox',
        rate_per_s: 10,
        max_rate_per_s: 10,
        breaker_open: 1,
        breaker_reason: 'quota exceeded for app',
        updated_at: clock,
      })
      .onConflict((oc) => oc.column('service').doUpdateSet({ breaker_open: 1, breaker_reason: 'quota exceeded for app' }))
      .execute();
    const body = (await owner.get(page('agree'))).body;
    expect(body).toMatch(/data-pause="sandbox" data-kind="breaker"/);
    expect(body).toContain('Sandbox says this server has used up its quota.');
    expect(body).toContain('<code>quota exceeded for app</code>');
    expect(body).not.toContain(`action="${page('agree')}/resume"`);
    expect(stat(body, 'delivery.state')).toMatch(/^Paused on Sandbox — 11 pre-saves kept/);
    expect(statusJson(await statusSnapshot(ctx, 'agree')).pauses).toMatchObject([{ service: 'sandbox', kind: 'breaker' }]);

    await ctx.db
      .updateTable('service_governors')
      .set({ breaker_open: 0, paused_until: clock + 90_000 })
      .where('service', '=', 'sandbox')
      .execute();
    const waiting = (await owner.get(page('agree'))).body;
    expect(waiting).toMatch(/data-pause="sandbox" data-kind="service_wait"/);
    expect(waiting).toContain(`continue by themselves at ${new Date(clock + 90_000).toISOString().slice(11, 16)} UTC`);

    await ctx.db.updateTable('service_governors').set({ paused_until: 0 }).where('service', '=', 'sandbox').execute();
    expect((await owner.get(page('agree'))).body).not.toContain('data-pause=');
  });

  it('never shows a conversion above 100 %, whatever analytics missed', async () => {
    const c = campaigns.numbers!;
    // Analytics saw one visitor, two clicks and one authorization; the records hold 3 pre-saves, all saved.
    const ev = (event: 'page_view' | 'service_click' | 'authorization') =>
      analytics.capture({
        event,
        campaignId: c.id,
        ...(event === 'page_view' ? {} : { service: 'sandbox' }),
        at: clock - HOUR,
        ip: '81.2.69.160',
        userAgent: DESKTOP,
        url: `/${c.slug}?utm_source=newsletter`,
        host: '127.0.0.1',
      });
    ev('page_view');
    ev('service_click');
    ev('service_click');
    ev('authorization');
    await analytics.flush();
    await seedPresaves(ctx.db, {
      campaignId: c.id,
      count: 3,
      status: 'saved',
      dueAt: clock - HOUR,
      savedAt: clock - 30 * 60_000,
      createdAt: clock - HOUR,
    });

    const body = (await viewer.get(page('numbers'))).body;
    expect(stat(body, 'funnel.presaves')).toBe('3');
    expect(stat(body, 'funnel.saved')).toBe('3');
    expect(stat(body, 'funnel.savedRate')).toBe('100 %');
    expect(stat(body, 'funnel.serviceClicks')).toBe('3');
    expect(stat(body, 'funnel.clickToSave')).toBe('100 %');
    expect(stat(body, 'funnel.visitors')).toBe('3');
    expect(stat(body, 'funnel.visitorToPresave')).toBe('100 %');
    expect(body).toContain('1 of the pre-save clicks were not seen by analytics; each pre-save implies one.');
    expect(body).toContain('How these numbers are counted');
    for (const m of body.matchAll(/(\d+(?:\.\d+)?) %/g)) expect(Number(m[1]), m[0]).toBeLessThanOrEqual(100);

    const overview = (await viewer.get('/w/band')).body;
    const row = /<tr data-campaign="numbers">([\s\S]*?)<\/tr>/.exec(overview)![1]!;
    expect(row).toMatch(/data-col="presaves">3</);
    expect(row).toMatch(/data-col="conversion">100 %</);
    expect(row).toMatch(/data-col="clickToSave">100 %</);
    for (const m of overview.matchAll(/(\d+(?:\.\d+)?) %/g)) expect(Number(m[1]), m[0]).toBeLessThanOrEqual(100);

    // Analytics that saw more than the records: the rate is the records' share.
    for (const ip of ['81.2.69.161', '81.2.69.162', '81.2.69.163']) {
      analytics.capture({
        event: 'page_view',
        campaignId: c.id,
        at: clock - HOUR,
        ip,
        userAgent: DESKTOP,
        url: `/${c.slug}`,
        host: '127.0.0.1',
      });
      analytics.capture({
        event: 'service_click',
        campaignId: c.id,
        service: 'sandbox',
        at: clock - HOUR,
        ip,
        userAgent: DESKTOP,
        url: '/connect/sandbox',
        host: '127.0.0.1',
      });
    }
    await analytics.flush();
    const more = (await viewer.get(page('numbers'))).body;
    expect(stat(more, 'funnel.visitors')).toBe('4');
    expect(stat(more, 'funnel.visitorToPresave')).toBe('75 %');
    expect(stat(more, 'funnel.serviceClicks')).toBe('5');
    expect(stat(more, 'funnel.clickToSave')).toBe('60 %');

    // A UTM source: three visitors land from a flyer; one authorizes twice but only one of its page views reached analytics.
    for (const [i, ip] of ['81.2.69.170', '81.2.69.171', '81.2.69.172'].entries()) {
      const base = { campaignId: c.id, at: clock - HOUR + i, ip, userAgent: DESKTOP, host: '127.0.0.1' };
      analytics.capture({ ...base, event: 'page_view', url: `/${c.slug}?utm_source=flyer&utm_medium=print` });
      analytics.capture({ ...base, event: 'authorization', service: 'sandbox', url: '/callback/sandbox' });
      if (i === 0)
        analytics.capture({ ...base, at: base.at + 60_000, event: 'authorization', service: 'sandbox', url: '/callback/sandbox' });
    }
    await analytics.flush();
    const utm = (await viewer.get(page('numbers'))).body;
    const flyer = /<td>flyer \/ print<\/td>\s*<td>—<\/td>\s*<td class="n">(\d+)<\/td>\s*<td class="n">(\d+)<\/td>/.exec(utm);
    expect(flyer?.slice(1)).toEqual(['4', '4']);
  });

  it('shows a local-timing release as the wall time the artist entered, everywhere', async () => {
    const phrase = 'Dec 8, 2026, 00:00 at each fan&#39;s local time';
    expect((await viewer.get('/w/band')).body).toContain(phrase);
    expect((await viewer.get('/w/band/campaigns')).body).toContain(phrase);
    const dash = (await viewer.get(page('local-drop'))).body;
    expect(dash).toContain(`Releases ${phrase}`);
    expect(dash).toContain(`Saves start at release (${phrase})`);
    expect(dash).not.toContain('2026-12-07');

    const env = envFor(server.testDb);
    const plain = "Dec 8, 2026, 00:00 at each fan's local time";
    for (const args of [
      ['campaign', 'show', 'local-drop'],
      ['campaign', 'list'],
      ['status', 'local-drop'],
    ]) {
      const out = await runCli(args, env);
      expect(out.stderr, args.join(' ')).toBe('');
      expect(out.stdout, args.join(' ')).toContain(plain);
    }
    expect(JSON.parse((await runCli(['status', 'local-drop', '--json'], env)).stdout).release).toBe(plain);
  });

  it('refuses to retry or resume an archived campaign, and says so instead of offering the button', async () => {
    const c = campaigns.agree!;
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('id', '=', c.id).execute();
    const body = (await owner.get(page('agree'))).body;
    expect(body).not.toContain(`action="${page('agree')}/retry"`);
    expect(body).toContain('This campaign is archived: restore it to retry failed pre-saves.');
    const res = await owner.post(`${page('agree')}/retry`);
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('restore it in the editor before retrying or resuming');
    expect(await failedCount(c.id)).toBe(1);
    expect((await owner.post(`${page('agree')}/resume`)).statusCode).toBe(410);
  });

  it('draws each chart bucket at its end, so nothing of the release hour lands before the release line', () => {
    const releaseAt = Date.UTC(2026, 5, 1, 9, 30);
    const hour = Date.UTC(2026, 5, 1, 9, 0);
    const data = chartData(
      {
        campaignId: 1,
        range: { from: hour, to: hour + HOUR },
        bucket: 'hour',
        points: [
          { t: hour, views: 1, visits: 1, uniqueVisitors: 1, serviceClicks: 0, listenClicks: 0, presaves: 0, cancellations: 0, saved: 2 },
        ],
      },
      hour + 2 * HOUR,
      releaseAt,
    );
    expect(data.zone).toBe('UTC');
    expect(data.t[0]! * 1000).toBe(hour + HOUR);
    expect(data.t[0]!).toBeGreaterThan(data.release);
    expect(data.unit).toBe(3600);
  });
});
