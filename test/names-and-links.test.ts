import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace, renameWorkspace } from '../src/accounts/workspaces.js';
import { validateCampaign, type CampaignInput } from '../src/campaigns/validate.js';
import { createContext } from '../src/bootstrap.js';
import type { AppContext } from '../src/context.js';
import { createFromPlan } from '../src/editor/service.js';
import { planFromForm } from '../src/editor/form.js';
import { ValidationError } from '../src/errors.js';
import { upsertGrant } from '../src/grants/repo.js';
import { linkUrlProblem } from '../src/providers/services.js';
import { campaignLinks, setCampaignLink } from '../src/smartlink/links.js';
import { cleanExternalText } from '../src/util/text.js';
import { envFor, runCli } from './helpers/cli.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const base: CampaignInput = {
  slug: 'my-single',
  artistName: 'Artist',
  title: 'Song',
  upc: '036000291452',
  releaseAt: '2026-12-05',
  timezone: 'Europe/Paris',
  timing: 'local',
  services: ['sandbox'],
};

function problems(input: CampaignInput): Record<string, string> {
  try {
    validateCampaign(input, { now: NOW, enabledServices: ['sandbox'] });
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).details!;
  }
  return {};
}

describe('names', () => {
  it('are stored in NFC, so "é" typed two ways is one name', () => {
    const fields = validateCampaign(
      { ...base, artistName: 'Cafe\u0301 Noir', title: '  Re\u0301sume\u0301 ' },
      { now: NOW, enabledServices: ['sandbox'] },
    );
    expect(fields.artist_name).toBe('Café Noir');
    expect(fields.artist_name).toBe('Café Noir'.normalize('NFC'));
    expect(fields.title).toBe('Résumé');
  });

  it('may not hide characters: a zero-width space would make a second, identical-looking artist', () => {
    expect(problems({ ...base, artistName: 'Sand\u200bbox Artist' }).artist).toMatch(
      /invisible characters \(U\+200B, e\.g\. a zero-width space\)/,
    );
    expect(problems({ ...base, title: 'Song\u202e' }).title).toMatch(/U\+202E/);
    expect(problems({ ...base, title: 'Two\nlines' }).title).toMatch(/control characters/);
    expect(problems({ ...base, title: 'Tab\there' }).title).toMatch(/control characters/);
    expect(problems({ ...base, title: 'Nul\u0000' }).title).toMatch(/NUL/);
  });

  it('from a service (a fan’s display name) are cleaned, not refused', () => {
    expect(cleanExternalText('Ann\u0000a\u200b Smith\ud800')).toBe('Anna Smith\ufffd');
    expect(cleanExternalText('\u200b')).toBeNull();
  });
});

describe('link-out URLs', () => {
  it('refuse line breaks, tabs and NUL that the URL parser would silently drop', () => {
    expect(linkUrlProblem('youtube-music', 'https://music.youtube.com/play\r\nlist')).toMatch(/control characters/);
    expect(linkUrlProblem('youtube-music', 'https://music.youtube.com/a\tb')).toMatch(/control characters/);
    expect(linkUrlProblem('youtube-music', 'https://music.youtube.com/a\u0000b')).toMatch(/control characters/);
    expect(linkUrlProblem('youtube-music', 'https://music.youtube.com/playlist?list=x')).toBeNull();
  });
  it('on another host, name the service in plain English (an Amazon Music address, a YouTube Music address)', () => {
    expect(linkUrlProblem('amazon-music', 'https://evil.example/x')).toBe(
      'must be an Amazon Music address (music.amazon.com, amazon.com, www.amazon.com)',
    );
    expect(linkUrlProblem('audiomack', 'https://evil.example/x')).toMatch(/^must be an Audiomack address/);
    expect(linkUrlProblem('youtube-music', 'https://evil.example/x')).toMatch(/^must be a YouTube Music address/);
  });
});

describe.each(testDialects())('names, links and atomic saves in the database (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let ownerId: number;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config);
    ownerId = (await createUser(ctx.db, { email: 'o@example.com', password: 'correct horse battery' }, ctx.now())).id;
  });
  afterAll(async () => {
    await ctx?.close();
    await t?.drop();
  });

  it('workspace names: NFC, and no hidden characters on create or rename', async () => {
    const ws = await createWorkspace(ctx.db, { slug: 'cafe', name: 'Cafe\u0301', kind: 'artist' }, ownerId, ctx.now());
    expect(ws.name).toBe('Café');
    await expect(createWorkspace(ctx.db, { slug: 'cafe2', name: 'Caf\u200bé', kind: 'artist' }, ownerId, ctx.now())).rejects.toThrow(
      /name: must not contain invisible characters/,
    );
    await expect(renameWorkspace(ctx.db, ws, 'Bad\u0000Name', ctx.now())).rejects.toThrow(/name: contains a NUL/);
  });

  it('stores a link-out in its normal form and says what it stored', async () => {
    const plan = await planFromForm(
      { artist: 'A', title: 'T', isrcs: 'GB-AAA-26-00001', releaseAt: '2028-06-01T00:00', services: 'sandbox', slug: 'norm' },
      null,
      { now: ctx.now(), enabledServices: ctx.providers.enabled() },
    );
    const c = await createFromPlan(ctx, (await createWorkspace(ctx.db, { slug: 'n', name: 'N' }, ownerId, ctx.now())).id, plan);
    const stored = await setCampaignLink(ctx.db, c.id, 'youtube-music', ' https://MUSIC.youtube.com/playlist?list=a b ', ctx.now());
    expect(stored).toBe('https://music.youtube.com/playlist?list=a%20b');
    expect(await campaignLinks(ctx.db, c.id)).toEqual([{ service: 'youtube-music', url: stored }]);
  });

  it('`dropday campaign link` refuses a URL with a line break, and prints the URL as stored', async () => {
    const env = envFor(t);
    const bad = await runCli(['campaign', 'link', 'norm', '--service', 'bandcamp', '--url', 'https://x.bandcamp.com/album/a\r\nb'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('must not contain control characters (line breaks, tabs, NUL)');
    const ok = await runCli(['campaign', 'link', 'norm', '--service', 'bandcamp', '--url', 'https://X.bandcamp.com/album/a b'], env);
    expect(ok.stdout).toContain('Bandcamp: https://x.bandcamp.com/album/a%20b');
  });

  it('stores a fan’s display name from a service cleaned: PostgreSQL cannot hold its NUL, and hidden characters go', async () => {
    const account = { accountId: 'fan-1', displayName: 'Ann\u0000a\u200b Smith' };
    const id = await upsertGrant(ctx, 'sandbox', account, { accessToken: 'a', refreshToken: 'r', expiresAt: null, scopes: [] }, ctx.now());
    const row = await ctx.db.selectFrom('grants').select('display_name').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.display_name).toBe('Anna Smith');
  });

  it('saves a campaign from the editor whole or not at all: a link-out that fails leaves no half-stored campaign', async () => {
    const ws = await createWorkspace(ctx.db, { slug: 'atomic', name: 'Atomic' }, ownerId, ctx.now());
    const plan = await planFromForm(
      { artist: 'Atomic Artist', title: 'T', isrcs: 'GB-AAA-26-00001', releaseAt: '2028-06-01T00:00', services: 'sandbox', slug: 'half' },
      null,
      { now: ctx.now(), enabledServices: ctx.providers.enabled() },
    );
    plan.extras.themeAccent = '#112233';
    // What reached the database before input was checked: a link-out with a NUL.
    plan.extras.links.set('youtube-music', 'https://music.youtube.com/a\u0000b');
    await expect(createFromPlan(ctx, ws.id, plan)).rejects.toThrow(/control characters/);
    expect(await ctx.db.selectFrom('campaigns').select('id').where('slug', '=', 'half').execute()).toEqual([]);
    expect(await ctx.db.selectFrom('sandbox_artists').select('id').where('name', '=', 'Atomic Artist').execute()).toEqual([]);
  });
});
