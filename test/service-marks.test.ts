import { siApplemusic, siSpotify, siYoutubemusic } from 'simple-icons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { setCampaignLink } from '../src/smartlink/links.js';
import { serviceMark } from '../src/web/views/service-mark.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const mark = (path: string) =>
  `<svg class="mark" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="${path}" /></svg>`;

/** The button whose text ends with `name`, as served. */
function button(page: string, name: string): string {
  const m = new RegExp(`<(?:a|button) class="btn svc-[^>]*>((?:(?!</(?:a|button)>).)*?${name})</(?:a|button)>`, 's').exec(page);
  if (!m) throw new Error(`no button "${name}"`);
  return m[1]!;
}

describe('service marks on the campaign page', () => {
  let server: TestServer;
  let now = Date.UTC(2026, 6, 14, 9);
  beforeAll(async () => {
    server = await startTestServer('sqlite', {}, () => now);
    const { ctx } = server;
    const c = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'marks',
        artistName: 'A',
        title: 'T',
        upc: '036000291452',
        releaseAt: new Date(now + 86_400_000).toISOString().slice(0, 16),
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    for (const [service, url] of [
      ['spotify', 'https://open.spotify.com/album/1'],
      ['apple-music', 'https://music.apple.com/album/1'],
      ['youtube-music', 'https://music.youtube.com/playlist?list=1'],
      ['amazon-music', 'https://music.amazon.com/albums/1'],
    ] as const)
      await setCampaignLink(ctx.db, c.id, service, url, now);
  });
  afterAll(() => server?.close());

  it('each service’s own mark from simple-icons, hidden from screen readers, with the name in the text; none where simple-icons has none', async () => {
    const before = await (await fetch(`${server.url}/marks`)).text();
    // The Sandbox is Dropday's own: no brand, no mark.
    expect(button(before, 'Pre-save on Sandbox')).toBe('Pre-save on Sandbox');

    now += 2 * 86_400_000;
    await server.app.publicPages.check();
    const after = await (await fetch(`${server.url}/marks`)).text();
    expect(button(after, 'Listen on Spotify')).toBe(`${mark(siSpotify.path)}Listen on Spotify`);
    expect(button(after, 'Listen on Apple Music')).toBe(`${mark(siApplemusic.path)}Listen on Apple Music`);
    expect(button(after, 'Listen on YouTube Music')).toBe(`${mark(siYoutubemusic.path)}Listen on YouTube Music`);
    // simple-icons has no Amazon Music mark: no icon rather than a wrong one.
    expect(button(after, 'Listen on Amazon Music')).toBe('Listen on Amazon Music');
    expect(serviceMark('amazon-music')).toBe('');
    expect(serviceMark('no-such-service')).toBe('');
  });
});
