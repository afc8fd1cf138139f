import { describe, expect, it } from 'vitest';
import { apiTargetNames, newCampaign, useApiTarget } from '../helpers/api-target.js';

const YT = 'https://music.youtube.com/playlist?list=OLAK5uy_blackbox';

describe.each(apiTargetNames())('link-outs and release matches over the API, black box (%s)', (name) => {
  const target = useApiTarget(name);

  async function campaign(slug: string): Promise<string> {
    const t = target();
    const body = newCampaign(t, slug);
    expect((await t.api.post('/campaigns', body)).status).toBe(201);
    return body.slug as string;
  }

  it('a link-out is set, read, replaced and removed; a bad URL is a 400 naming url and stores nothing', async () => {
    const t = target();
    const slug = await campaign('links');
    expect((await t.api.get(`/campaigns/${slug}/links`)).body).toEqual({ data: [], next_cursor: null });

    const set = await t.api.put(`/campaigns/${slug}/links/youtube-music`, { url: YT });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ service: 'youtube-music', url: YT, source: null });
    expect((await t.api.get(`/campaigns/${slug}/links/youtube-music`)).body.url).toBe(YT);

    const other = 'https://music.youtube.com/playlist?list=OLAK5uy_other';
    expect((await t.api.put(`/campaigns/${slug}/links/youtube-music`, { url: other })).body.url).toBe(other);
    expect((await t.api.get(`/campaigns/${slug}/links`)).body.data).toEqual([
      expect.objectContaining({ service: 'youtube-music', url: other }),
    ]);

    for (const [service, url] of [
      ['youtube-music', 'https://evil.example.com/watch'],
      ['youtube-music', 'http://music.youtube.com/playlist?list=x'],
      ['not-a-service', 'https://music.youtube.com/playlist?list=x'],
    ]) {
      const bad = await t.api.put(`/campaigns/${slug}/links/${service}`, { url });
      expect(bad.status, url).toBe(400);
      expect(Object.keys(bad.body.errors)).toEqual(['body.url']);
    }
    const missing = await t.api.put(`/campaigns/${slug}/links/soundcloud`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toHaveProperty(['body.url']);
    expect((await t.api.get(`/campaigns/${slug}/links`)).body.data).toHaveLength(1);

    expect((await t.api.delete(`/campaigns/${slug}/links/youtube-music`)).status).toBe(204);
    expect((await t.api.get(`/campaigns/${slug}/links`)).body.data).toEqual([]);
    expect((await t.api.get(`/campaigns/${slug}/links/youtube-music`)).status).toBe(404);
    expect((await t.api.delete(`/campaigns/${slug}/links/youtube-music`)).status).toBe(404);
  });

  it('a release match the service does not know, or not in its URL shapes, is a 400 naming the field; clear answers 204', async () => {
    const t = target();
    const slug = await campaign('matches');
    expect((await t.api.get(`/campaigns/${slug}/matches`)).body).toEqual({ data: [], next_cursor: null });

    const shape = await t.api.put(`/campaigns/${slug}/matches/${t.service}`, { release: 'https://example.com/album/1' });
    expect(shape.status).toBe(400);
    expect(Object.keys(shape.body.errors)).toEqual(['body.release']);

    const unknown = await t.api.put(`/campaigns/${slug}/matches/sandbox`, { release: 'sandbox:album:BBBBBBBBBBBBBBBBBBBBBB' });
    if (t.service === 'sandbox') {
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors['body.release']).toMatch(/does not know this release/);
    }
    const badArtist = await t.api.put(`/campaigns/${slug}/matches/sandbox`, {
      release: 'sandbox:album:BBBBBBBBBBBBBBBBBBBBBB',
      artist_uris: ['spotify:artist:x'],
    });
    expect(badArtist.status).toBe(400);

    const notOffered = await t.api.put(`/campaigns/${slug}/matches/deezer`, { release: 'deezer:album:302127' });
    expect(notOffered.status).toBe(400);
    expect(notOffered.body.errors).toHaveProperty(['params.service']);
    expect((await t.api.get(`/campaigns/${slug}/matches`)).body.data).toEqual([]);

    expect((await t.api.delete(`/campaigns/${slug}/matches/${t.service}`)).status).toBe(204);
    expect((await t.api.delete(`/campaigns/${slug}/matches/deezer`)).status).toBe(400);
  });

  it('an archived campaign’s links and matches are read but not changed (410)', async () => {
    const t = target();
    const slug = await campaign('frozen');
    expect((await t.api.put(`/campaigns/${slug}/links/youtube-music`, { url: YT })).status).toBe(200);
    expect((await t.api.post(`/campaigns/${slug}/archive`)).status).toBe(200);
    expect((await t.api.put(`/campaigns/${slug}/links/soundcloud`, { url: 'https://soundcloud.com/a/b' })).status).toBe(410);
    expect((await t.api.delete(`/campaigns/${slug}/links/youtube-music`)).status).toBe(410);
    expect((await t.api.delete(`/campaigns/${slug}/matches/${t.service}`)).status).toBe(410);
    expect((await t.api.get(`/campaigns/${slug}/links`)).body.data).toEqual([expect.objectContaining({ url: YT })]);
  });
});
