import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { InjectAgent } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import type { AppContext } from '../src/context.js';
import { enqueueConversions } from '../src/conversions/events/index.js';
import { markRefused, saveConversionSettings } from '../src/conversions/settings.js';
import { createEndpoint, disableEndpoint, endpointFailed, endpointSucceeded, updateEndpoint } from '../src/webhooks/endpoints.js';
import { pixelCampaign } from './helpers/conversions.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const PW = 'correct horse battery';

/** The text of each "Needs attention" item of kind `kind`, tags stripped, spaces folded. */
function items(body: string, kind: string): string[] {
  return [...body.matchAll(new RegExp(`<li data-attention="${kind}">([\\s\\S]*?)</li>`, 'g'))].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .trim(),
  );
}

/**
 * The workspace overview's "Needs attention" panel (web/views/dashboard/attention.ts): a webhook
 * endpoint turned off or failing, a refused conversion token and conversion events given up on are
 * shown to the members who can fix them, with where; when they are mended, the panel goes.
 */
describe.each(testDialects())('what needs attention on the workspace overview (%s)', (dialect) => {
  let server: TestServer;
  let ctx: AppContext;
  let app: FastifyInstance;
  let clock = Date.UTC(2026, 5, 1, 12, 0);
  const agents: Record<'owner' | 'editor' | 'viewer', InjectAgent> = {} as never;

  async function signIn(email: string, ip: string): Promise<InjectAgent> {
    const a = new InjectAgent(app, ip);
    await a.get('/login');
    expect((await a.post('/login', { email, password: PW })).statusCode).toBe(303);
    return a;
  }
  const overview = async (who: keyof typeof agents) => {
    const res = await agents[who].get('/w/band');
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  let wsId: number;
  let hook: { id: number; public_id: string };
  let chat: { id: number };
  let campaignId: number;

  beforeAll(async () => {
    server = await startTestServer(dialect, { WEBHOOK_FAILURES_BEFORE_NOTICE: '2' }, () => clock);
    ({ ctx, app } = server);
    const owner = await createUser(ctx.db, { email: 'owner@example.com', password: PW }, clock);
    const editor = await createUser(ctx.db, { email: 'editor@example.com', password: PW }, clock);
    const viewer = await createUser(ctx.db, { email: 'viewer@example.com', password: PW }, clock);
    const ws = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, owner.id, clock);
    wsId = ws.id;
    for (const [user, role] of [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ] as const) {
      await ctx.db
        .insertInto('workspace_members')
        .values({ workspace_id: ws.id, user_id: user.id, role, created_at: clock, updated_at: clock })
        .execute();
    }
    const campaign = await pixelCampaign(ctx, 'night-drive', 'Night <Drive>');
    campaignId = campaign.id;
    await setCampaignWorkspace(ctx.db, campaign.id, ws.id);
    agents.owner = await signIn('owner@example.com', '203.0.113.1');
    agents.editor = await signIn('editor@example.com', '203.0.113.2');
    agents.viewer = await signIn('viewer@example.com', '203.0.113.3');
  });
  afterAll(async () => server?.close());

  it('has no panel while nothing is wrong', async () => {
    hook = (
      await createEndpoint(
        ctx,
        { workspaceId: wsId, url: 'https://hooks.example.com/in', description: 'CRM sync', events: ['presave.created'] },
        clock,
      )
    ).endpoint;
    chat = (
      await createEndpoint(
        ctx,
        { workspaceId: wsId, url: 'https://discord.com/api/webhooks/1/secret-part', description: '', events: ['presave.created'] },
        clock,
      )
    ).endpoint;
    for (const who of ['owner', 'editor', 'viewer'] as const) expect(await overview(who)).not.toContain('Needs attention');
  });

  it('names an endpoint failing since the owners’ notice and one turned off, by description and host only, to owners and admins', async () => {
    expect(await endpointFailed(ctx.db, hook.id, clock, 60_000)).toMatchObject({ failures: 1 });
    // One failure mends itself (it is retried): nothing to do yet.
    expect(await overview('owner')).not.toContain('Needs attention');
    clock += 120_000;
    expect(await endpointFailed(ctx.db, hook.id, clock, 60_000)).toMatchObject({ failures: 2 });
    expect(await disableEndpoint(ctx.db, chat.id, 'it answered 410 Gone', clock)).toBe(true);
    const body = await overview('owner');
    expect(body).toContain('Needs attention');
    expect(items(body, 'webhook')).toEqual([
      'Webhook deliveries to “CRM sync” (hooks.example.com) have failed 2 times in a row; they are being retried. See the delivery log',
      'The webhook endpoint discord.com is off: it answered 410 Gone. Nothing is sent to it until it is turned on again. Webhooks',
    ]);
    expect(body).toContain('href="/w/band/webhooks"');
    // A chat webhook's address is itself a secret: never on the page.
    expect(body).not.toContain('secret-part');
    // Editors and viewers cannot open the Webhooks page: not shown to them.
    expect(items(await overview('editor'), 'webhook')).toEqual([]);
    expect(await overview('viewer')).not.toContain('Needs attention');
  });

  it('names a refused conversion token and events given up on, with the editor panel that fixes them, to editors and up', async () => {
    await markRefused(ctx.db, campaignId, 'meta', 'Error validating access token: Session has expired', clock);
    await enqueueConversions(
      ctx.db,
      {
        campaignId,
        platforms: ['tiktok'],
        event: 'lead',
        eventId: 'ev-1',
        payload: { url: 'https://dropday.example/night-drive' } as never,
      },
      clock,
    );
    // Given up on, as the worker's settler leaves an event after a permanent refusal.
    await ctx.db
      .updateTable('conversion_events')
      .set({ status: 'failed', failures: 1, last_error: 'TikTok answered 40002: invalid pixel', updated_at: clock })
      .where('campaign_id', '=', campaignId)
      .execute();
    // Too old to send again (TikTok's window has passed): history, not a task.
    await enqueueConversions(
      ctx.db,
      {
        campaignId,
        platforms: ['ga4'],
        event: 'lead',
        eventId: 'ev-old',
        payload: { url: 'https://dropday.example/night-drive' } as never,
      },
      clock - 5 * 86_400_000,
    );
    await ctx.db
      .updateTable('conversion_events')
      .set({ status: 'failed', failures: 1, last_error: 'GA4 could not be reached', updated_at: clock - 5 * 86_400_000 })
      .where('event_id', '=', 'ev-old')
      .execute();
    // An archived campaign's failures: its settings cannot be changed, so not listed.
    const archived = await pixelCampaign(ctx, 'old-tour', 'Old Tour');
    await setCampaignWorkspace(ctx.db, archived.id, wsId);
    await markRefused(ctx.db, archived.id, 'tiktok', 'expired', clock);
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('id', '=', archived.id).execute();
    const body = await overview('editor');
    expect(items(body, 'conversions')).toEqual([
      'Meta refused the access token of Night <Drive> on 2026-06-01 12:02 UTC (Error validating access token: Session has expired). Nothing is sent to Meta until a new one is pasted. Conversion tracking of Night <Drive>',
      '1 conversion event of Night <Drive> could not be sent to TikTok (the last on 2026-06-01 12:02 UTC: TikTok answered 40002: invalid pixel). It is recent enough to send again once the cause is fixed: Conversion tracking of Night <Drive>',
    ]);
    // Names are escaped, and the link opens the editor's conversion panel.
    expect(body).toContain('Night &lt;Drive&gt;');
    expect(body).toContain('href="/w/band/campaigns/night-drive/edit#conversions"');
    expect(items(await overview('owner'), 'conversions')).toHaveLength(2);
    expect(await overview('viewer')).not.toContain('Needs attention');
  });

  it('goes when each is mended: the endpoint delivers again or is turned on, a new token is pasted', async () => {
    await endpointSucceeded(ctx.db, hook.id, clock);
    await updateEndpoint(ctx.db, chat.id, { enabled: true }, clock);
    await saveConversionSettings(
      ctx,
      campaignId,
      {
        meta: { id: '123456789012345', secret: 'EAAGNewToken1234567890', remove: false },
        tiktok: { id: 'C4ABCDEFGHIJKLMNOPQR', secret: '', remove: false },
        ga4: { id: 'G-ABC123', secret: '', remove: false },
      },
      clock,
    );
    const body = await overview('owner');
    expect(items(body, 'webhook')).toEqual([]);
    // The given-up event stays listed until it is sent again ("Send them again" in the editor panel)…
    expect(items(body, 'conversions')).toEqual([
      expect.stringContaining('1 conversion event of Night <Drive> could not be sent to TikTok'),
    ]);
    // "Send them again" is the editors': a viewer, or a post without the form's token, changes nothing.
    const retry = '/w/band/campaigns/night-drive/conversions/retry';
    const status = async () =>
      (await ctx.db.selectFrom('conversion_events').select('status').where('event_id', '=', 'ev-1').executeTakeFirstOrThrow()).status;
    await agents.viewer.get('/w/band/campaigns/night-drive/edit');
    expect((await agents.viewer.post(retry, {})).statusCode).toBe(403);
    expect((await agents.editor.post(retry, {}, { csrf: false })).statusCode).toBe(403);
    expect(await status()).toBe('failed');
    await agents.editor.get('/w/band/campaigns/night-drive/edit');
    const sent = await agents.editor.post(retry, {});
    expect([sent.statusCode, sent.headers.location]).toEqual([
      303,
      '/w/band/campaigns/night-drive/edit?done=conversions-resent#conversions',
    ]);
    expect(await status()).toBe('pending');
    // Again: nothing left to send, and it says so.
    expect((await agents.editor.post(retry, {})).headers.location).toBe(
      '/w/band/campaigns/night-drive/edit?done=conversions-none#conversions',
    );
    expect(await overview('owner')).not.toContain('Needs attention');
    // …or until it is too old to send: then it is history.
    await ctx.db.updateTable('conversion_events').set({ status: 'failed' }).where('event_id', '=', 'ev-1').execute();
    expect(items(await overview('owner'), 'conversions')).toHaveLength(1);
    await ctx.db
      .updateTable('conversion_events')
      .set({ created_at: clock - 3 * 86_400_000 })
      .where('event_id', '=', 'ev-1')
      .execute();
    expect(await overview('owner')).not.toContain('Needs attention');
  });
});
