import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pauseCampaignService } from '../src/campaigns/pauses.js';
import { envFor, runCli } from './helpers/cli.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * The CLI catches campaign mistakes before release day: a release override or artist the service
 * does not know is refused, a release date years ahead is refused, and a campaign the engine
 * paused is shown by `status` and resumed by `campaign resume`. The Sandbox is served over real
 * HTTP by a test server on the same database, as `dropday serve` would.
 */
describe.each(testDialects())('campaign checks in the CLI (%s)', (dialect) => {
  let server: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    env = envFor(server.testDb, { PORT: new URL(server.url).port });
    const created = await runCli(
      [
        'campaign',
        'create',
        '--slug',
        'checked',
        '--artist',
        'Nova',
        '--title',
        'Lights',
        '--upc',
        '036000291452',
        '--release-at',
        '2027-01-08',
        '--services',
        'sandbox',
        '--follow',
      ],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(() => server.close());

  it('refuses a release date more than two years ahead, naming the field', async () => {
    const far = new Date(server.ctx.now() + 800 * 86_400_000).toISOString().slice(0, 10);
    const r = await runCli(['campaign', 'update', 'checked', '--release-at', far], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--releaseAt: is more than 730 days ahead \(2 years\): check the year/);
    const lenient = await runCli(['campaign', 'update', 'checked', '--release-at', far], { ...env, MAX_RELEASE_LEAD_DAYS: '1000' });
    expect(lenient.code, lenient.stderr).toBe(0);
  });

  it('campaign match refuses a release or artist the Sandbox does not know, and saves a known one', async () => {
    const unknown = await runCli(
      ['campaign', 'match', 'checked', '--service', 'sandbox', '--release', 'sandbox:album:BBBBBBBBBBBBBBBBBBBBBB'],
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--release: Sandbox does not know this release \(sandbox:album:BBBBBBBBBBBBBBBBBBBBBB\)/);
    const { id: campaignId } = await server.ctx.db
      .selectFrom('campaigns')
      .select('id')
      .where('slug', '=', 'checked')
      .executeTakeFirstOrThrow();
    const album = await server.ctx.db
      .selectFrom('sandbox_releases')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    const wrongArtist = await runCli(
      [
        'campaign',
        'match',
        'checked',
        '--service',
        'sandbox',
        '--release',
        `sandbox:album:${album.id}`,
        '--artist-uri',
        'sandbox:artist:novalights',
      ],
      env,
    );
    expect(wrongArtist.code).toBe(2);
    expect(wrongArtist.stderr).toMatch(/--artist-uri: Sandbox does not know this artist \(sandbox:artist:novalights\)/);
    expect(await server.ctx.db.selectFrom('release_matches').select('album_uri').execute()).toEqual([]);
    const ok = await runCli(['campaign', 'match', 'checked', '--service', 'sandbox', '--release', `sandbox:album:${album.id}`], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`Sandbox will save sandbox:album:${album.id} for every fan of checked.`);
    expect(ok.stdout).not.toMatch(/Warning/);
  });

  it('an id that cannot be checked (the Sandbox unreachable) is saved with a printed warning', async () => {
    const { id: campaignId } = await server.ctx.db
      .selectFrom('campaigns')
      .select('id')
      .where('slug', '=', 'checked')
      .executeTakeFirstOrThrow();
    const album = await server.ctx.db
      .selectFrom('sandbox_releases')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    // Pointed at a port nobody listens on: the look-up cannot be made.
    const r = await runCli(['campaign', 'match', 'checked', '--service', 'sandbox', '--release', `sandbox:album:${album.id}`], {
      ...env,
      SANDBOX_BASE_URL: 'http://127.0.0.1:9/sandbox',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /Warning: The Sandbox release \(sandbox:album:\w+\) was saved without being checked: Sandbox could not be reached/,
    );
  });

  it('status shows a pause with what to fix; campaign resume lifts it', async () => {
    const none = await runCli(['campaign', 'resume', 'checked'], env);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('checked is not paused: nothing to resume.');
    const { id } = await server.ctx.db.selectFrom('campaigns').select('id').where('slug', '=', 'checked').executeTakeFirstOrThrow();
    await pauseCampaignService(
      server.ctx.db,
      {
        campaignId: id,
        service: 'sandbox',
        code: 'follow_artist_unknown',
        message: 'Sandbox does not know the artist to follow.',
        detail: '400 Invalid uri',
      },
      Date.now(),
    );
    const status = await runCli(['status', 'checked'], env);
    expect(status.stdout).toContain('PAUSED on Sandbox: Sandbox does not know the artist to follow.');
    expect(status.stdout).toContain('Sandbox said: 400 Invalid uri');
    const resumed = await runCli(['campaign', 'resume', 'checked', '--service', 'sandbox'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Resumed checked on Sandbox: 0 pre-save(s) due now, 0 follow(s) to deliver.');
    expect((await runCli(['status', 'checked'], env)).stdout).not.toContain('PAUSED');
  });
});
