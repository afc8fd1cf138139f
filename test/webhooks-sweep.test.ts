import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { cancelPresave, claimDuePresaves, reauthorizePresave, settleFailed } from '../src/presaves/lifecycle/index.js';
import { createEndpoint } from '../src/webhooks/endpoints.js';
import { SweepMarks, sweepEvents } from '../src/webhooks/sweep.js';
import { answerHeldReferral } from '../src/growth/referrals/review.js';
import { apiWorkspace } from './helpers/api.js';
import { testDialects } from './helpers/db.js';
import type { Dialect } from '../src/db/index.js';
import { seedReferrals, seedReferrer } from './helpers/growth-seed.js';
import { seedPresaves } from './helpers/presaves.js';
import { bandCampaign, seedContact } from './helpers/reach-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** A server per describe whose clock the tests move (`h.clock`), from `h.t0`. */
function sweepHarness(dialect: Dialect): { server: TestServer; clock: number; t0: number } {
  const t0 = Date.UTC(2026, 3, 1, 12);
  const h = { server: undefined as unknown as TestServer, clock: t0, t0 };
  beforeAll(async () => {
    h.server = await startTestServer(dialect, {}, () => h.clock);
  });
  afterAll(() => h.server?.close());
  return h;
}

/**
 * The sweep that records state events (webhooks/sweep.ts): a failed and a cancelled pre-save, a
 * confirmed address and a counted referral each become one event with its delivery — nothing from
 * before the endpoint existed, nothing that does not count (a held referral, one still pending),
 * nothing twice however often it runs, and nothing that names the fan.
 */
describe.each(testDialects())('webhooks: the event sweep (%s)', (dialect) => {
  const h = sweepHarness(dialect);
  const t0 = h.t0;

  it('each state once, for the subscribed endpoint only, none from before it existed', async () => {
    const ctx = h.server.ctx;
    const { workspaceId } = await apiWorkspace(ctx, 'sweep');
    const campaign = await bandCampaign(ctx, 'sweep-song', '036000291452', t0);
    await setCampaignWorkspace(ctx.db, campaign.id, workspaceId);
    const dueAt = t0 + 3 * 86_400_000;
    // Before the endpoint: a failure nobody is told about.
    await seedPresaves(ctx.db, { campaignId: campaign.id, count: 1, status: 'failed', dueAt, createdAt: t0 - 60_000, reason: 'x' });
    h.clock = t0 + 1000;
    const { endpoint } = await createEndpoint(
      ctx,
      {
        workspaceId,
        url: 'https://93.184.216.34/in',
        description: '',
        events: ['presave.failed', 'presave.cancelled', 'contact.confirmed', 'referral.counted'],
      },
      h.clock,
    );
    h.clock = t0 + 2000;
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 1,
      status: 'failed',
      dueAt,
      createdAt: h.clock,
      reason: 'grant revoked: invalid_grant',
    });
    await seedPresaves(ctx.db, { campaignId: campaign.id, count: 1, status: 'cancelled', dueAt, createdAt: h.clock });
    await seedContact(ctx, {
      audience: `w:${workspaceId}`,
      email: 'sweep.fan@example.org',
      status: 'confirmed',
      campaignId: campaign.id,
      at: h.clock,
    });
    await seedContact(ctx, {
      audience: `w:${workspaceId}`,
      email: 'waiting@example.org',
      status: 'unconfirmed',
      campaignId: campaign.id,
      at: h.clock,
    });
    const { code } = await seedReferrer(ctx, { campaignId: campaign.id, at: h.clock, dueAt: h.clock, status: 'saved' });
    await seedReferrals(ctx, { campaignId: campaign.id, code, at: h.clock, dueAt: h.clock, status: 'saved', decision: 'ok' });
    await seedReferrals(ctx, {
      campaignId: campaign.id,
      code,
      at: h.clock,
      dueAt: h.clock,
      status: 'saved',
      decision: 'held',
      reason: 'burst',
    });
    await seedReferrals(ctx, { campaignId: campaign.id, code, at: h.clock, dueAt: h.clock, status: 'pending', decision: 'ok' });

    h.clock = t0 + 3000;
    expect(await sweepEvents(ctx, h.clock)).toBe(4);
    expect(await sweepEvents(ctx, h.clock + 1000)).toBe(0);
    const events = await ctx.db
      .selectFrom('webhook_events')
      .select(['type', 'payload'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type).sort()).toEqual(['contact.confirmed', 'presave.cancelled', 'presave.failed', 'referral.counted']);
    const failed = JSON.parse(events.find((e) => e.type === 'presave.failed')!.payload) as {
      data: { presave: Record<string, unknown>; campaign: unknown };
    };
    expect(failed.data.campaign).toEqual({ slug: 'sweep-song', title: 'Song sweep-song', artist: 'The Band' });
    expect(failed.data.presave).toMatchObject({ service: 'sandbox', status: 'failed' });
    expect(typeof failed.data.presave.reason).toBe('string');
    const all = events.map((e) => e.payload).join('\n');
    expect(all).not.toMatch(/seed-fan|sweep\.fan@|acct-/); // no account ids, addresses or keys
    const deliveries = await ctx.db.selectFrom('webhook_deliveries').select('endpoint_id').execute();
    expect(deliveries.map((d) => Number(d.endpoint_id))).toEqual([endpoint.id, endpoint.id, endpoint.id, endpoint.id]);
  });
});

/**
 * A pre-save that fails (or is cancelled), is authorized again by the fan and ends the same way is
 * a second state change: a second event. (The dedupe key once used the attempt count, which
 * re-authorizing resets, so the second ending was never reported.)
 */
describe.each(testDialects())('webhooks: a repeated ending of the same pre-save (%s)', (dialect) => {
  const h = sweepHarness(dialect);
  const t0 = h.t0;

  it('failed → re-authorized → failed again, and cancelled → re-authorized → cancelled again: two events each', async () => {
    const ctx = h.server.ctx;
    const { workspaceId } = await apiWorkspace(ctx, 'again');
    const campaign = await bandCampaign(ctx, 'again-song', '036000291452', t0);
    await setCampaignWorkspace(ctx.db, campaign.id, workspaceId);
    await createEndpoint(
      ctx,
      { workspaceId, url: 'https://93.184.216.34/in', description: '', events: ['presave.failed', 'presave.cancelled'] },
      h.clock,
    );
    h.clock += 1000;
    const [failing] = await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 1,
      status: 'pending',
      dueAt: h.clock,
      createdAt: h.clock,
    });
    const [cancelling] = await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 1,
      status: 'pending',
      dueAt: h.clock + 86_400_000,
      createdAt: h.clock,
    });
    const row = (id: number) => ctx.db.selectFrom('presaves').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // The engine gives up on one (claimed once: attempts 1); the fan cancels the other (attempts 0).
    const failOnce = async (reason: string) => {
      const [claimed] = await claimDuePresaves(ctx.db, dialect, {
        owner: 'w',
        leaseToken: `t${h.clock}`,
        limit: 1,
        leaseMs: 60_000,
        now: h.clock,
      });
      expect(claimed?.id).toBe(failing);
      await settleFailed(ctx.db, [{ id: failing!, leaseToken: `t${h.clock}`, grantId: claimed!.grant_id }], reason, h.clock);
    };
    await failOnce('grant revoked: invalid_grant');
    expect(await cancelPresave(ctx.db, await row(cancelling!), h.clock)).toBe(true);
    h.clock += 1000;
    expect(await sweepEvents(ctx, h.clock)).toBe(2);

    // The fan authorizes both again; the same endings follow, with the same attempt counts.
    h.clock += 60_000;
    for (const id of [failing!, cancelling!]) {
      const r = await row(id);
      const { grant_id, timezone, locale, lang, market, follow_artist } = r;
      await reauthorizePresave(
        ctx.db,
        id,
        { grant_id, timezone, locale, lang, market, follow_artist, due_at: h.clock, next_attempt_at: h.clock },
        h.clock,
      );
    }
    expect(await sweepEvents(ctx, h.clock)).toBe(0);
    h.clock += 1000;
    await failOnce('grant revoked again');
    expect(await cancelPresave(ctx.db, await row(cancelling!), h.clock)).toBe(true);
    h.clock += 1000;
    expect(await sweepEvents(ctx, h.clock)).toBe(2);
    expect(await sweepEvents(ctx, h.clock + 2000)).toBe(0);

    const events = await ctx.db
      .selectFrom('webhook_events')
      .select(['type', 'payload'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type).sort()).toEqual(['presave.cancelled', 'presave.cancelled', 'presave.failed', 'presave.failed']);
    // Each tells its own ending: the second one's time is the second failure's.
    const times = events.filter((e) => e.type === 'presave.failed').map((e) => (JSON.parse(e.payload) as { timestamp: string }).timestamp);
    expect(new Set(times).size).toBe(2);
  });
});

/**
 * The sweep runs every couple of seconds per worker: its look-up of a workspace's newly confirmed
 * addresses must be an index search on the workspace's audience, not a walk over every confirmed
 * contact of every workspace (SQLite's plan; PostgreSQL plans by table statistics).
 */
describe.each(testDialects().filter((d) => d === 'sqlite'))('webhooks: the sweep uses indexes (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, {});
  });
  afterAll(() => server?.close());

  it('contact.confirmed is found through (audience, status, confirmed_at)', async () => {
    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN
      SELECT k.id FROM contacts k JOIN campaigns c ON c.id = k.campaign_id
       WHERE k.audience = ${'w:1'} AND k.status = 'confirmed' AND k.confirmed_at >= ${0}
         AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.dedupe = 'contact.confirmed:' || CAST(k.id AS text))
       LIMIT 200`.execute(server.ctx.db);
    const details = plan.rows.map((r) => r.detail).join('\n');
    expect(details).toMatch(/SEARCH k USING INDEX contacts_audience_confirmed \(audience=\? AND status=\? AND confirmed_at>\?\)/);
  });
});

/** A worker keeps marks (SweepMarks) so each sweep reads the last hour, not the history since the endpoint. */
describe.each(testDialects())('webhooks: the sweep with a worker’s marks (%s)', (dialect) => {
  const h = sweepHarness(dialect);
  const t0 = h.t0;

  it('with a worker’s marks it reads only the last hour, and still misses nothing: a late write, a late approval, a clock moved back', async () => {
    const ctx = h.server.ctx;
    const { workspaceId } = await apiWorkspace(ctx, 'marks');
    const campaign = await bandCampaign(ctx, 'marks-song', '012345678905', t0);
    await setCampaignWorkspace(ctx.db, campaign.id, workspaceId);
    const dueAt = t0 + 3 * 86_400_000;
    const events = async (type: string) =>
      (await ctx.db.selectFrom('webhook_events').select('id').where('workspace_id', '=', workspaceId).where('type', '=', type).execute())
        .length;
    h.clock = t0 + 10_000;
    await createEndpoint(
      ctx,
      { workspaceId, url: 'https://93.184.216.34/in', description: '', events: ['presave.failed', 'referral.counted'] },
      h.clock,
    );
    const { code } = await seedReferrer(ctx, { campaignId: campaign.id, at: h.clock, dueAt: h.clock, status: 'saved' });
    // Saved soon after the endpoint was made, but held: not counted yet.
    const [held] = await seedReferrals(ctx, {
      campaignId: campaign.id,
      code,
      at: h.clock,
      dueAt: h.clock + 1000,
      status: 'saved',
      decision: 'held',
      reason: 'burst',
    });
    const marks = new SweepMarks();
    // A day later the worker has swept everything: a mark an hour back.
    h.clock = t0 + 86_400_000;
    expect(await sweepEvents(ctx, h.clock, marks)).toBe(0);
    expect(marks.from({ workspaceId, type: 'presave.failed', since: h.t0 + 10_000, endpointIds: [] })).toBe(h.clock - SweepMarks.MARGIN_MS);

    // A failure whose write carried a moment 30 minutes back (a slow commit, another machine's clock)…
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 1,
      status: 'failed',
      dueAt,
      createdAt: h.clock - 30 * 60_000,
      reason: 'late',
    });
    // …and the held referral approved now, a day after its save.
    expect(await answerHeldReferral(ctx.db, campaign.id, held!, 'approved', h.clock)).toBe(true);
    h.clock += 2000;
    expect(await sweepEvents(ctx, h.clock, marks)).toBe(2);
    expect([await events('presave.failed'), await events('referral.counted')]).toEqual([1, 1]);

    // The clock moved back (a test's clock, a corrected system clock): the marks go, the next sweep is whole.
    await seedPresaves(ctx.db, {
      campaignId: campaign.id,
      count: 1,
      status: 'failed',
      dueAt,
      createdAt: t0 + 3 * 3_600_000,
      reason: 'back',
    });
    h.clock = t0 + 4 * 3_600_000;
    expect(await sweepEvents(ctx, h.clock, marks)).toBe(1);
    expect(await events('presave.failed')).toBe(2);
    expect(await sweepEvents(ctx, h.clock + 2000, marks)).toBe(0);
    // An older endpoint turned on again reaches further back than the mark was set under: no mark.
    const at = { workspaceId, type: 'presave.failed' as const, endpointIds: [] };
    expect(marks.from({ ...at, since: h.t0 + 10_000 })).toBe(h.clock + 2000 - SweepMarks.MARGIN_MS);
    expect(marks.from({ ...at, since: h.t0 })).toBeUndefined();
  });
});
