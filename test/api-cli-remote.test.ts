import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { apiKeyFor, apiWorkspace } from './helpers/api.js';
import { envFor, runCli } from './helpers/cli.js';
import { releaseIn } from './helpers/api-target.js';

/**
 * `dropday campaign …` with --api-url/--api-key (or DROPDAY_API_URL/DROPDAY_API_KEY): the CLI works
 * on a started server through its API, with no database settings at all, and prints what the
 * local command prints.
 */
describe.each(testDialects())('the CLI on the API (%s)', (dialect) => {
  let server: TestServer;
  let remote: Record<string, string>;
  let flags: string[];
  let readOnlyKey: string;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { workspaceId } = await apiWorkspace(server.ctx, 'cli-remote');
    const key = await apiKeyFor(server.ctx, workspaceId, { scopes: ['campaigns:write'] });
    readOnlyKey = await apiKeyFor(server.ctx, workspaceId, { scopes: ['campaigns:read'] });
    // No DATABASE_URL, no ENCRYPTION_KEYS: a remote command must not need them.
    remote = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DROPDAY_API_URL: server.url, DROPDAY_API_KEY: key };
    flags = ['--api-url', server.url, '--api-key', key];
  });
  afterAll(async () => server?.close());

  const bare = () => ({ PATH: process.env.PATH ?? '', NODE_ENV: 'test' });

  it('create, show, list, update, archive, restore and duplicate run remotely; show prints what the local command prints', async () => {
    const create = await runCli(
      [
        'campaign',
        'create',
        '--slug',
        'far-away',
        '--artist',
        'Remote Band',
        '--title',
        'Far Away',
        '--upc',
        '036000291452',
        '--release-at',
        releaseIn(20),
        '--services',
        'sandbox',
      ],
      remote,
    );
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout).toMatch(/^Created:\nfar-away {2}Remote Band — Far Away \(single\)/);
    expect(create.stdout).toContain(`page:      ${server.ctx.config.publicUrl}/far-away`);

    const shownRemote = await runCli([...flags, 'campaign', 'show', 'far-away'], bare());
    expect(shownRemote.code, shownRemote.stderr).toBe(0);
    const shownLocal = await runCli(['campaign', 'show', 'far-away'], envFor(server.testDb, { PUBLIC_URL: server.ctx.config.publicUrl }));
    expect(shownLocal.code, shownLocal.stderr).toBe(0);
    expect(shownRemote.stdout).toBe(shownLocal.stdout);
    const jsonRemote = await runCli([...flags, 'campaign', 'show', 'far-away', '--json'], bare());
    const jsonLocal = await runCli(
      ['campaign', 'show', 'far-away', '--json'],
      envFor(server.testDb, { PUBLIC_URL: server.ctx.config.publicUrl }),
    );
    expect(JSON.parse(jsonRemote.stdout)).toEqual(JSON.parse(jsonLocal.stdout));

    const update = await runCli(['campaign', 'update', 'far-away', '--title', 'Far Away (Live)', '--json'], remote);
    expect(update.code, update.stderr).toBe(0);
    expect(JSON.parse(update.stdout)).toMatchObject({ slug: 'far-away', title: 'Far Away (Live)' });

    const archive = await runCli(['campaign', 'archive', 'far-away'], remote);
    expect(archive.stdout).toMatch(/^Archived:\n[\s\S]*status: {4}archived/);
    const restore = await runCli(['campaign', 'restore', 'far-away', '--json'], remote);
    expect(JSON.parse(restore.stdout).status).toBe('active');

    const dup = await runCli(
      ['campaign', 'duplicate', 'far-away', '--slug', 'far-away-again', '--release-at', releaseIn(50), '--title', 'Far Away II'],
      remote,
    );
    expect(dup.code, dup.stderr).toBe(0);
    expect(dup.stdout).toMatch(/^Duplicated:\nfar-away-again {2}Remote Band — Far Away II/);

    const list = await runCli(['campaign', 'list'], remote);
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['far-away-again', 'far-away']);
  });

  it('links and matches: set, list, clear remotely, checked by the service as locally', async () => {
    const link = await runCli(
      ['campaign', 'link', 'far-away', '--service', 'youtube-music', '--url', 'https://music.youtube.com/playlist?list=OLAK5uy_remote'],
      remote,
    );
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout.trim()).toBe('YouTube Music: https://music.youtube.com/playlist?list=OLAK5uy_remote');
    const links = await runCli(['campaign', 'links', 'far-away'], remote);
    expect(links.stdout).toMatch(/^YouTube Music +https:\/\/music\.youtube\.com\/playlist\?list=OLAK5uy_remote\n$/);

    const campaignId = (await server.ctx.db.selectFrom('campaigns').select('id').where('slug', '=', 'far-away').executeTakeFirstOrThrow())
      .id;
    const album = await server.ctx.db
      .selectFrom('sandbox_releases')
      .select('id')
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow();
    const unknown = await runCli(
      ['campaign', 'match', 'far-away', '--service', 'sandbox', '--release', 'sandbox:album:BBBBBBBBBBBBBBBBBBBBBB'],
      remote,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^DROPDAY_ERR_VALIDATION: .*\n {2}body\.release: Sandbox does not know this release/);
    const match = await runCli(['campaign', 'match', 'far-away', '--service', 'sandbox', '--release', `sandbox:album:${album.id}`], remote);
    expect(match.code, match.stderr).toBe(0);
    expect(match.stdout).toContain(`Sandbox will save sandbox:album:${album.id} for every fan of far-away.`);
    const matches = await runCli(['campaign', 'matches', 'far-away'], remote);
    expect(matches.stdout).toMatch(new RegExp(`^Sandbox +all markets +sandbox:album:${album.id} +set by hand`));
    expect((await runCli(['campaign', 'match', 'far-away', '--service', 'sandbox', '--clear'], remote)).code).toBe(0);
    expect((await runCli(['campaign', 'matches', 'far-away'], remote)).stdout).toMatch(/^Nothing matched yet/);

    const removed = await runCli(['campaign', 'link', 'far-away', '--service', 'youtube-music', '--remove'], remote);
    expect(removed.stdout.trim()).toBe('Removed the YouTube Music link.');
    expect((await runCli(['campaign', 'links', 'far-away'], remote)).stdout).toMatch(/^No link-out services yet/);
  });

  it('API errors print DROPDAY_ERR_…: detail and each field, with a non-zero exit; nothing is made', async () => {
    const create = (...fields: string[]) =>
      runCli(
        ['campaign', 'create', ...fields, '--artist', 'X', '--release-at', releaseIn(5), '--services', 'sandbox', '--upc', '036000291452'],
        remote,
      );
    const bad = await create('--slug', 'Bad Slug');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^DROPDAY_ERR_VALIDATION: /);
    expect(bad.stderr).toMatch(/\n {2}body\.title: is required/);
    const slug = await create('--slug', 'Bad Slug', '--title', 'T');
    expect(slug.stderr).toMatch(/^DROPDAY_ERR_VALIDATION: .*\n {2}body\.slug: use 1–64 lower-case letters/);
    expect(JSON.parse((await runCli(['campaign', 'list', '--json'], remote)).stdout)).toHaveLength(2);
    expect(bad.stderr).not.toContain(remote.DROPDAY_API_KEY!);

    const missing = await runCli(['campaign', 'show', 'nowhere'], remote);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^DROPDAY_ERR_CAMPAIGN_NOT_FOUND: /);

    const reader = await runCli(['campaign', 'update', 'far-away', '--title', 'Nope'], { ...remote, DROPDAY_API_KEY: readOnlyKey });
    expect(reader.code).toBe(2);
    expect(reader.stderr).toMatch(/^DROPDAY_ERR_API_SCOPE_MISSING: .*campaigns:write/);
    expect((await runCli(['campaign', 'show', 'far-away', '--json'], remote)).stdout).toContain('"title": "Far Away (Live)"');

    const half = await runCli(['--api-url', server.url, 'campaign', 'list'], bare());
    expect(half.code).not.toBe(0);
    expect(half.stderr).toMatch(/give both --api-url and --api-key/);

    const down = await runCli(['campaign', 'list'], { ...remote, DROPDAY_API_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/could not reach the API at http:\/\/127\.0\.0\.1:9/);
  });

  it('dropday --help says which commands run remotely', async () => {
    const help = await runCli(['--help'], bare());
    expect(help.stdout).toContain('--api-url <url>');
    expect(help.stdout).toContain('--api-key <key>');
    expect(help.stdout).toMatch(
      /campaign list, show, create,\s+update, archive, restore, duplicate, matches, match, links and link run against/,
    );
  });
});
