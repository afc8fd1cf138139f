import { createHash } from 'node:crypto';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createCampaign, updateCampaign } from '../src/campaigns/service.js';
import type { Config } from '../src/config.js';
import { PAGE_CHECK_INTERVAL_MS } from '../src/web/page-cache.js';
import { SHARE_SCRIPT } from '../src/web/views/share-buttons.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;

/**
 * A connection of "another process": a raw driver connection, outside this process's Kysely
 * instances, so nothing in this process learns of its writes except through the database (exactly
 * like `dropday worker`, the CLI or a second web process).
 */
interface OtherProcess {
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

async function otherProcess(config: Config): Promise<OtherProcess> {
  const db = config.database;
  if (db.kind === 'postgres') {
    const client = new pg.Client({ connectionString: db.url, options: `-c search_path=${db.schema}` });
    await client.connect();
    return {
      async run(text, params = []) {
        let i = 0;
        await client.query(
          text.replace(/\?/g, () => `$${++i}`),
          params,
        );
      },
      close: () => client.end(),
    };
  }
  const conn = new SQLite(db.file);
  conn.pragma('busy_timeout = 10000');
  return {
    async run(text, params = []) {
      conn.prepare(text).run(...params);
    },
    async close() {
      conn.close();
    },
  };
}

describe.each(testDialects())('the public page from memory (%s)', (dialect) => {
  let server: TestServer | undefined;
  let other: OtherProcess | undefined;
  afterEach(async () => {
    await other?.close();
    await server?.close();
    server = other = undefined;
  });

  /** A server whose page-cache clock and app clock the test moves by hand. */
  async function start() {
    const clock = { page: 0, app: Date.now() };
    server = await startTestServer(dialect, {}, () => clock.app, { pageCache: { clock: () => clock.page } });
    other = await otherProcess(server.ctx.config);
    const { ctx } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const campaign = await createCampaign(deps, {
      slug: 'cached',
      artistName: 'Cache Artist',
      title: 'First Title',
      upc: '036000291452',
      releaseAt: new Date(clock.app + 10 * DAY).toISOString(),
      timing: 'global',
      services: ['sandbox'],
    });
    const page = async (path = '/cached') => {
      const res = await fetch(`${server!.url}${path}`, { redirect: 'manual' });
      return { status: res.status, body: await res.text(), headers: res.headers };
    };
    return { clock, campaign, page, deps };
  }

  it('a change made through another connection shows once the check interval has passed, never before and never later', async () => {
    const { clock, campaign, page } = await start();
    expect((await page()).body).toContain('First Title');

    await other!.run('UPDATE campaigns SET title = ? WHERE id = ?', ['Second Title', campaign.id]);
    // Within the interval the page is served from memory: no database read sees the change.
    clock.page += PAGE_CHECK_INTERVAL_MS;
    expect((await page()).body).toContain('First Title');
    // Past it, the next request first asks whether anything changed: the new title, at once.
    clock.page += 1;
    const after = await page();
    expect(after.body).toContain('Second Title');
    expect(after.body).not.toContain('First Title');
    expect(server!.app.publicPages.stats().checks).toBe(1);

    // Nothing changed since: the next interval's check keeps the page, no reload.
    const loads = server!.app.publicPages.stats().loads;
    clock.page += PAGE_CHECK_INTERVAL_MS + 1;
    expect((await page()).body).toContain('Second Title');
    expect(server!.app.publicPages.stats()).toMatchObject({ checks: 2, loads });
  });

  it('every kind of change another process makes shows: link-outs, a match found by the worker, the editor’s settings, archiving', async () => {
    const { clock, campaign, page } = await start();
    await other!.run('UPDATE campaigns SET first_release_at = ?, last_release_at = ? WHERE id = ?', [
      clock.app - DAY,
      clock.app - DAY,
      campaign.id,
    ]);
    clock.page += PAGE_CHECK_INTERVAL_MS + 1;
    expect((await page()).body).toContain('Links to the release are being prepared.');

    const step = async (sql: string, params: unknown[]) => {
      await other!.run(sql, params);
      clock.page += PAGE_CHECK_INTERVAL_MS + 1;
      return page();
    };
    let res = await step('INSERT INTO campaign_links (campaign_id, service, url, created_at) VALUES (?, ?, ?, ?)', [
      campaign.id,
      'youtube-music',
      'https://music.youtube.com/playlist?list=OLAK5uy_x',
      clock.app,
    ]);
    expect(res.body).toContain('Listen on YouTube Music');
    // The listen redirect reads the same cached data.
    expect((await page('/cached/listen/youtube-music')).headers.get('location')).toBe('https://music.youtube.com/playlist?list=OLAK5uy_x');

    res = await step(
      `INSERT INTO release_matches (campaign_id, service, market, album_uri, artist_uris, album_url, title, matched_by, overridden, resolved_at)
       VALUES (?, 'sandbox', '', 'sandbox:album:1', '[]', 'https://sandbox.example/album/1', 'T', 'upc', 0, ?)`,
      [campaign.id, clock.app],
    );
    expect(res.body).toContain('Listen on Sandbox');

    res = await step(
      `INSERT INTO campaign_editor (campaign_id, theme_accent, theme_background, languages, updated_at) VALUES (?, ?, NULL, '[]', ?)`,
      [campaign.id, '#123456', clock.app],
    );
    expect(res.body).toContain('--accent:#123456');

    res = await step('DELETE FROM campaign_links WHERE campaign_id = ?', [campaign.id]);
    expect(res.body).not.toContain('YouTube Music');
    expect((await page('/cached/listen/youtube-music')).status).toBe(404);

    res = await step("UPDATE campaigns SET status = 'archived' WHERE id = ?", [campaign.id]);
    expect(res.status).toBe(410);
  });

  it('a stale page is not served when the check cannot run: the request reads the database instead', async () => {
    const { clock, campaign, page } = await start();
    expect((await page()).body).toContain('First Title');
    await other!.run('UPDATE campaigns SET title = ? WHERE id = ?', ['Second Title', campaign.id]);
    // The versions table is gone (a failing check); the page must still not be the old one.
    await other!.run('ALTER TABLE page_versions RENAME TO page_versions_gone');
    clock.page += PAGE_CHECK_INTERVAL_MS + 1;
    expect((await page()).status).toBe(500);
    await other!.run('ALTER TABLE page_versions_gone RENAME TO page_versions');
    expect((await page()).body).toContain('Second Title');
  });

  it('this process’s own changes show at once; the release moment changes the page without any write', async () => {
    const { clock, page, deps } = await start();
    const before = await page();
    expect(before.body).toContain('Pre-save on Sandbox');
    expect(before.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);

    await updateCampaign(deps, 'cached', {
      artistName: 'Cache Artist',
      title: 'Edited Here',
      upc: '036000291452',
      releaseAt: new Date(clock.app + 10 * DAY).toISOString(),
      timing: 'global',
      services: ['sandbox'],
    });
    expect((await page()).body).toContain('Edited Here');

    // Release time passes (the app clock; the cache's check clock stands still): the smart link.
    const loads = server!.app.publicPages.stats().loads;
    clock.app += 11 * DAY;
    const out = await page();
    expect(out.body).toContain('Out now');
    expect(out.body).not.toContain('Pre-save on Sandbox');
    // No countdown after release: the policy allows the share buttons' script alone.
    const shareHash = createHash('sha256').update(SHARE_SCRIPT).digest('base64');
    expect(out.headers.get('content-security-policy')).toContain(`script-src 'sha256-${shareHash}';`);
    expect(server!.app.publicPages.stats().loads).toBe(loads);
  });

  it('the same bytes for every visitor with the same language, state and order; each variant rendered once', async () => {
    const { page } = await start();
    const a = await page();
    const b = await page();
    expect(b.body).toBe(a.body);
    expect(b.headers.get('content-security-policy')).toBe(a.headers.get('content-security-policy'));
    expect(a.body).not.toContain('nonce=');
    const fr = await fetch(`${server!.url}/cached`, { headers: { 'accept-language': 'fr-FR' } });
    expect(await fr.text()).toContain('<html lang="fr"');
    expect(server!.app.publicPages.stats()).toMatchObject({ campaigns: 1, loads: 1 });
  });
});
