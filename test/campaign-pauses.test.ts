import { afterEach, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { createUser } from '../src/accounts/users.js';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { listCampaignPauses, resumeCampaign } from '../src/campaigns/pauses.js';
import { createCampaign } from '../src/campaigns/service.js';
import { editorDb } from '../src/editor/db.js';
import { redriveFailed } from '../src/fulfillment/admin.js';
import { FulfillmentWorker } from '../src/fulfillment/worker.js';
import { followOutcomes } from '../src/presaves/follows.js';
import { createMailer } from '../src/mail/index.js';
import { addFault, clearFaults, libraryOf } from '../src/providers/sandbox/admin.js';
import { overrideMatch } from '../src/releases/matches.js';
import { testDialects } from './helpers/db.js';
import { FanBrowser } from './helpers/fan.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { readable, startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { waitFor } from './helpers/wait.js';

/**
 * A campaign mistake that reaches release day (a wrong artist id to follow, a wrong release
 * override): every fan's album is still saved where it can be, the campaign is paused on the
 * service with what to fix, other campaigns go on, the editors get one mail, and a resume after
 * the fix delivers what was held back. Real HTTP to the Sandbox, real SMTP to a sink.
 */
describe.each(testDialects())('campaign mistakes at release (%s)', (dialect) => {
  let server: TestServer | undefined;
  let worker: FulfillmentWorker | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await worker?.stop();
    await server?.close();
    await sink?.close();
    server = worker = sink = undefined;
  });

  async function setup(fans: Record<string, string[]>, opts: { follow?: boolean } = {}) {
    server = await startTestServer(dialect, { WORKER_RETRY_BASE_MS: '100' });
    sink = await startSmtpSink();
    const { ctx, url } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const releaseAt = new Date(Date.now() + 1500).toISOString();
    const campaigns: Record<string, Awaited<ReturnType<typeof createCampaign>>> = {};
    for (const [i, slug] of Object.keys(fans).entries()) {
      campaigns[slug] = await createCampaign(deps, {
        slug,
        artistName: `Artist ${slug}`,
        title: `Title ${slug}`,
        upc: ['036000291452', '042100005264'][i]!,
        releaseAt,
        timing: 'global',
        services: ['sandbox'],
        followArtist: opts.follow ?? true,
      });
    }
    const editor = await createUser(ctx.db, { email: 'editor@example.com', password: null }, Date.now());
    const ws = await createWorkspace(ctx.db, { slug: 'nova', name: 'Nova', kind: 'artist' }, editor.id, Date.now());
    for (const c of Object.values(campaigns)) await setCampaignWorkspace(ctx.db, c.id, ws.id);
    for (const [slug, names] of Object.entries(fans)) for (const f of names) await new FanBrowser().presave(url, slug, f, 'UTC');
    const mailer = createMailer({ smtpUrl: sink.url, from: 'Dropday <no-reply@example.com>', log: ctx.log });
    worker = new FulfillmentWorker(ctx, undefined, { mailer });
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(releaseAt) - Date.now() + 50)));
    return { ctx, campaigns };
  }

  const rowsOf = (s: TestServer, campaignId: number) =>
    s.ctx.db.selectFrom('presaves').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute();
  const artistIdOf = async (s: TestServer, name: string) =>
    (await s.ctx.db.selectFrom('sandbox_artists').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const setArtist = (s: TestServer, campaignId: number, uri: string) =>
    editorDb(s.ctx.db)
      .insertInto('campaign_artist_ids')
      .values({ campaign_id: campaignId, service: 'sandbox', artist_uri: uri, artist_url: null, created_at: Date.now() })
      .onConflict((oc) => oc.columns(['campaign_id', 'service']).doUpdateSet({ artist_uri: uri }))
      .execute();

  it('a wrong artist id: every album saved, follows held with the reason, campaign paused for follows, one mail; fix + resume follows', async () => {
    const { ctx, campaigns } = await setup({ wrong: ['w1', 'w2', 'w3'], fine: ['f1'] });
    const wrong = campaigns.wrong!;
    await setArtist(server!, wrong.id, 'sandbox:artist:nova-lights');
    worker!.start();
    await waitFor(async () => (await rowsOf(server!, wrong.id)).every((r) => r.status === 'saved'), { what: 'albums saved' });
    await waitFor(async () => (await rowsOf(server!, campaigns.fine!.id)).every((r) => r.follow_status === 'done'), {
      what: 'other campaign followed',
    });

    const rows = await rowsOf(server!, wrong.id);
    expect(rows.map((r) => [r.status, r.follow_status])).toEqual([
      ['saved', 'waiting'],
      ['saved', 'waiting'],
      ['saved', 'waiting'],
    ]);
    expect(rows.every((r) => r.failure_reason === null)).toBe(true);
    // What `dropday status` and the dashboard report: 3 follows waiting, with the service's reason.
    const follows = await followOutcomes(ctx.db, wrong.id);
    expect([follows.done, follows.waiting, follows.failed]).toEqual([0, 3, 0]);
    expect(follows.reasons).toEqual([
      { service: 'sandbox', status: 'waiting', reason: expect.stringMatching(/Invalid uri: sandbox:artist:nova-lights/), count: 3 },
    ]);
    for (const fan of ['w1', 'w2', 'w3']) expect((await libraryOf(ctx.db, fan)).map((i) => i.kind)).toEqual(['album']);
    const [pause] = await listCampaignPauses(ctx.db, wrong.id);
    expect(pause).toMatchObject({ service: 'sandbox', code: 'follow_artist_unknown' });
    expect(pause!.message).toMatch(/does not know the artist to follow \(sandbox:artist:nova-lights\).*campaign editor/);
    expect(pause!.detail).toMatch(/400/);
    // The other campaign was not held up: album and follow for its fan.
    expect((await libraryOf(ctx.db, 'f1')).map((i) => i.kind).sort()).toEqual(['album', 'artist']);
    expect(await listCampaignPauses(ctx.db, campaigns.fine!.id)).toEqual([]);

    // One mail to the workspace's editors, saying what to fix and where.
    await waitFor(async () => (await listCampaignPauses(ctx.db, wrong.id))[0]?.notifiedAt !== null, { what: 'notice mailed' });
    expect(sink!.messages).toHaveLength(1);
    expect(sink!.messages[0]!.to).toEqual(['editor@example.com']);
    const mail = readable(sink!.messages[0]!);
    expect(mail).toContain('/w/nova/campaigns/wrong');
    expect(mail).toMatch(
      /paused on Sandbox\.[\s\S]*What to fix: Sandbox does not know the artist to follow \(sandbox:artist:nova-lights\)/,
    );

    // Nothing more is tried while paused: the follows wait for the fix.
    await new Promise((r) => setTimeout(r, 400));
    expect((await rowsOf(server!, wrong.id)).every((r) => r.follow_status === 'waiting')).toBe(true);

    await setArtist(server!, wrong.id, `sandbox:artist:${await artistIdOf(server!, 'Artist wrong')}`);
    const resumed = await resumeCampaign(ctx.db, wrong.id, Date.now());
    expect(resumed).toMatchObject({ services: ['sandbox'], redriven: 0, follows: 3 });
    worker!.nudge();
    await waitFor(async () => (await rowsOf(server!, wrong.id)).every((r) => r.follow_status === 'done'), { what: 'follows done' });
    for (const fan of ['w1', 'w2', 'w3']) expect((await libraryOf(ctx.db, fan)).map((i) => i.kind).sort()).toEqual(['album', 'artist']);
    // Saved all along: no fan's receipt ever said otherwise.
    expect((await rowsOf(server!, wrong.id)).every((r) => r.status === 'saved' && r.follow_error === null)).toBe(true);
    expect(sink!.messages).toHaveLength(1);
  });

  it('Retry (redriveFailed) delivers follows that were given up, and leaves the pre-saves saved', async () => {
    const { ctx, campaigns } = await setup({ given: ['r1', 'r2'] });
    const c = campaigns.given!;
    await setArtist(server!, c.id, 'sandbox:artist:novalights');
    worker!.start();
    await waitFor(async () => (await rowsOf(server!, c.id)).every((r) => r.follow_status === 'waiting'), { what: 'follows held' });
    // As if the follows had been given up: failed, with a reason, and no pause left to resume.
    await ctx.db.deleteFrom('campaign_pauses').execute();
    await ctx.db
      .updateTable('presaves')
      .set({ follow_status: 'failed', follow_error: 'gave up' })
      .where('campaign_id', '=', c.id)
      .execute();
    await setArtist(server!, c.id, `sandbox:artist:${await artistIdOf(server!, 'Artist given')}`);
    expect(await redriveFailed(ctx.db, c.id, {}, Date.now())).toBe(2);
    expect(await redriveFailed(ctx.db, c.id, {}, Date.now())).toBe(0);
    worker!.nudge();
    await waitFor(async () => (await rowsOf(server!, c.id)).every((r) => r.follow_status === 'done'), { what: 'follows done' });
    expect((await rowsOf(server!, c.id)).map((r) => r.status)).toEqual(['saved', 'saved']);
    expect((await libraryOf(ctx.db, 'r1')).map((i) => i.kind).sort()).toEqual(['album', 'artist']);
  });

  it('a wrong release override: paused with pre-saves pending and unclaimed, nothing counted; fix + resume saves them', async () => {
    const { ctx, campaigns } = await setup({ wrong: ['o1', 'o2'], fine: ['g1'] }, { follow: false });
    const wrong = campaigns.wrong!;
    await overrideMatch(
      ctx.db,
      wrong.id,
      'sandbox',
      { albumUri: 'sandbox:album:AAAAAAAAAAAAAAAAAAAAAA', albumUrl: null, artistUris: [] },
      Date.now(),
    );
    worker!.start();
    await waitFor(async () => (await listCampaignPauses(ctx.db, wrong.id)).length === 1, { what: 'paused' });
    await waitFor(async () => (await rowsOf(server!, campaigns.fine!.id)).every((r) => r.status === 'saved'), { what: 'other saved' });
    await new Promise((r) => setTimeout(r, 400));

    const [pause] = await listCampaignPauses(ctx.db, wrong.id);
    expect(pause).toMatchObject({ code: 'release_override_unknown' });
    expect(pause!.message).toMatch(/does not know the release you set/);
    const rows = await rowsOf(server!, wrong.id);
    expect(rows.map((r) => [r.status, r.failures, r.lease_token])).toEqual([
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
    expect(await libraryOf(ctx.db, 'o1')).toEqual([]);

    const real = await ctx.db.selectFrom('sandbox_releases').select('id').where('campaign_id', '=', wrong.id).executeTakeFirstOrThrow();
    await overrideMatch(ctx.db, wrong.id, 'sandbox', { albumUri: `sandbox:album:${real.id}`, albumUrl: null, artistUris: [] }, Date.now());
    expect((await resumeCampaign(ctx.db, wrong.id, Date.now())).services).toEqual(['sandbox']);
    worker!.nudge();
    await waitFor(async () => (await rowsOf(server!, wrong.id)).every((r) => r.status === 'saved'), { what: 'saved after resume' });
    expect((await libraryOf(ctx.db, 'o1')).map((i) => i.uri)).toEqual([`sandbox:album:${real.id}`]);
  });

  it('the service refuses the release found for the campaign before any save landed: paused, nothing counted; resume saves', async () => {
    const { ctx, campaigns } = await setup({ refused: ['x1', 'x2'] }, { follow: false });
    const c = campaigns.refused!;
    // Every library request is refused with a 400, as a service refuses what it does not accept.
    await addFault(ctx.db, { kind: 'bad_request', target: 'library' }, Date.now());
    worker!.start();
    await waitFor(async () => (await listCampaignPauses(ctx.db, c.id)).length === 1, { what: 'paused' });
    await new Promise((r) => setTimeout(r, 400));
    const [pause] = await listCampaignPauses(ctx.db, c.id);
    expect(pause).toMatchObject({ service: 'sandbox', code: 'release_refused' });
    expect(pause!.message).toMatch(/refused to save the release found for this campaign/);
    expect(pause!.detail).toMatch(/400/);
    const rows = await rowsOf(server!, c.id);
    expect(rows.map((r) => [r.status, r.failures])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    expect(await libraryOf(ctx.db, 'x1')).toEqual([]);

    // The artist fixes what the service refused (here: the refusal stops), then resumes.
    await clearFaults(ctx.db);
    expect((await resumeCampaign(ctx.db, c.id, Date.now())).services).toEqual(['sandbox']);
    worker!.nudge();
    await waitFor(async () => (await rowsOf(server!, c.id)).every((r) => r.status === 'saved'), { what: 'saved after resume' });
    expect((await libraryOf(ctx.db, 'x2')).map((i) => i.kind)).toEqual(['album']);
  });
});
