import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, updateCampaign } from '../src/campaigns/service.js';
import { findPreview, removePreview, setPreviewClip, setPreviewMoment } from '../src/growth/previews/store.js';
import { testDialects } from './helpers/db.js';
import { sineWav } from './helpers/preview-audio.js';
import { seedPresaves } from './helpers/presaves.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * The pre-saver's audio over real HTTP: only through the signed address of the fan's own receipt,
 * only for a standing pre-save, only from the moment on; range requests for seeking; play reports
 * from a valid player only; the clip store never leaves bytes without a row or a row without bytes.
 */
const RELEASE = Date.parse('2030-06-10T00:00:00Z');
const MOMENT = RELEASE - 48 * 3_600_000;
const INSIDE = RELEASE - 24 * 3_600_000;
const WAV = sineWav(3);

describe.each(testDialects())('early access over HTTP (%s)', (dialect) => {
  let server: TestServer;
  let now = INSIDE;
  let campaignId: number;
  let pending: string;
  let saved: string;
  let cancelled: string;
  let wavFile: string;
  const blobDir = () => server.ctx.config.growth.storage.dir;
  const blobFiles = (): string[] => {
    const dir = path.join(blobDir(), 'preview', String(campaignId));
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  beforeAll(async () => {
    server = await startTestServer(dialect, { PREVIEW_MAX_FILE_MB: '1' }, () => now);
    const { ctx } = server;
    const campaign = await createCampaign(
      { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() },
      {
        slug: 'early',
        artistName: 'Sine Wave Club',
        title: 'Four Forty',
        upc: '036000291452',
        releaseAt: '2030-06-10T00:00',
        timezone: 'UTC',
        timing: 'global',
        services: ['sandbox'],
      },
    );
    campaignId = campaign.id;
    const ids = async (status: 'pending' | 'saved' | 'cancelled') => {
      const [id] = await seedPresaves(ctx.db, { campaignId, count: 1, status, dueAt: RELEASE, createdAt: INSIDE - 86_400_000 });
      const row = await ctx.db.selectFrom('presaves').select('public_id').where('id', '=', id!).executeTakeFirstOrThrow();
      return row.public_id;
    };
    pending = await ids('pending');
    saved = await ids('saved');
    cancelled = await ids('cancelled');
    wavFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'preview-http-')), 'clip.wav');
    fs.writeFileSync(wavFile, WAV);
    await setPreviewClip(ctx, campaignId, {
      file: wavFile,
      size: WAV.length,
      mime: 'audio/wav',
      source: 'upload',
      seconds: null,
      availableFrom: MOMENT,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The receipt page, the player's address on it, and what a report from it needs. */
  async function receipt(publicId: string, lang = 'en') {
    const res = await fetch(`${server.url}/p/${publicId}?lang=${lang}`);
    const page = await res.text();
    const src = /<audio[^>]*src="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? null;
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(page)?.[1] ?? '';
    const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    return { page, src, csrf: attr('data-csrf'), exp: attr('data-exp'), sig: attr('data-sig'), cookie };
  }

  it('a pre-saver inside the window gets the clip inline, whole or by range (206, 416 past the end)', async () => {
    now = INSIDE;
    const r = await receipt(pending);
    expect(r.page).toContain('please don’t share or record it — anything played can be recorded.');
    expect(r.src).toMatch(new RegExp(`^/p/${pending}/preview/${campaignId}\\?exp=\\d+&sig=[A-Za-z0-9_-]+$`));
    const whole = await fetch(server.url + r.src);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('content-disposition')).toBe('inline');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(WAV)).toBe(true);

    const part = await fetch(server.url + r.src, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${WAV.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(WAV.subarray(100, 200))).toBe(true);
    const tail = await fetch(server.url + r.src, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(WAV.subarray(WAV.length - 10))).toBe(true);
    const past = await fetch(server.url + r.src, { headers: { range: `bytes=${WAV.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${WAV.length}`);

    const savedReceipt = await receipt(saved);
    expect((await fetch(server.url + savedReceipt.src)).status).toBe(200);
  });

  it('another receipt’s link, a forged one, a cancelled pre-save and an expired link are refused (403) in words', async () => {
    now = INSIDE;
    const a = await receipt(pending);
    const borrowed = a.src!.replace(`/p/${pending}/`, `/p/${saved}/`);
    const refused = await fetch(server.url + borrowed, { headers: { 'accept-language': 'es' } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Solo quienes hicieron el pre-save pueden escuchar este adelanto.');
    const forged = await fetch(`${server.url}/p/${pending}/preview/${campaignId}?exp=${a.exp}&sig=${'A'.repeat(43)}`);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Only pre-savers can listen to this preview.');
    expect((await fetch(`${server.url}/p/${pending}/preview/${campaignId}`)).status).toBe(403);

    const gone = await receipt(cancelled);
    expect(gone.src).toBeNull();
    expect(gone.page).not.toContain('data-preview');
    // Even with an address signed for it (made while it stood), a cancelled pre-save hears nothing.
    const { signedPath } = await import('../src/growth/signed-links.js');
    const signed = signedPath(server.ctx, 'preview', cancelled, String(campaignId), 60_000);
    expect((await fetch(server.url + signed)).status).toBe(403);

    now = INSIDE + server.ctx.config.growth.preview.linkTtlMs + 1;
    const expired = await fetch(server.url + a.src!);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('This link expired: reload your receipt to listen again.');
    now = INSIDE;
  });

  it('before the moment: the receipt says when, in the fan’s language and zone, and the audio is refused', async () => {
    now = INSIDE;
    const early = await receipt(pending);
    now = MOMENT - 1;
    const r = await receipt(pending, 'fr');
    expect(r.src).toBeNull();
    expect(r.page).toContain('Vous pourrez l’écouter à partir du');
    expect(r.page).toContain('8 juin 2030');
    const refused = await fetch(server.url + early.src!, { headers: { 'accept-language': 'fr' } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Pas encore — cet extrait sera disponible à partir du samedi 8 juin 2030 à 00:00 (UTC).');
    now = MOMENT;
    expect((await fetch(server.url + (await receipt(pending)).src!)).status).toBe(200);
    now = INSIDE;
  });

  it('play reports need a valid player of this receipt and the page’s CSRF token', async () => {
    now = INSIDE;
    const r = await receipt(pending);
    const post = (fields: Record<string, string>, cookie = r.cookie) =>
      fetch(`${server.url}/p/${pending}/preview/event`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams(fields).toString(),
      });
    expect((await post({ _csrf: r.csrf, stage: 'start', exp: r.exp, sig: r.sig })).status).toBe(204);
    expect((await post({ stage: 'start', exp: r.exp, sig: r.sig })).status).toBe(403);
    expect((await post({ _csrf: r.csrf, stage: 'start', exp: r.exp, sig: r.sig }, '')).status).toBe(403);
    const bad = await post({ _csrf: r.csrf, stage: 'finished', exp: r.exp, sig: r.sig });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('stage');
    const other = await receipt(saved);
    expect((await post({ _csrf: r.csrf, stage: 'start', exp: other.exp, sig: other.sig })).status).toBe(403);
  });

  it('the store: too large or empty stores nothing; a replaced clip’s bytes go; a failed row takes its bytes with it', async () => {
    const { ctx } = server;
    const before = (await findPreview(ctx.db, campaignId))!;
    expect(blobFiles()).toEqual([path.basename(before.storageKey)]);
    await expect(
      setPreviewClip(ctx, campaignId, {
        file: wavFile,
        size: 2 * 1048576,
        mime: 'audio/wav',
        source: 'upload',
        seconds: null,
        availableFrom: MOMENT,
      }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(
      setPreviewClip(ctx, campaignId, {
        file: wavFile,
        size: 0,
        mime: 'audio/wav',
        source: 'upload',
        seconds: null,
        availableFrom: MOMENT,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await findPreview(ctx.db, campaignId)).toEqual(before);

    const after = await setPreviewClip(ctx, campaignId, {
      file: wavFile,
      size: WAV.length,
      mime: 'audio/wav',
      source: 'upload',
      seconds: null,
      availableFrom: MOMENT,
    });
    expect(after.storageKey).not.toBe(before.storageKey);
    expect(blobFiles()).toEqual([path.basename(after.storageKey)]);

    // A campaign that does not exist: the row cannot be written, so its bytes are deleted.
    await expect(
      setPreviewClip(ctx, 987654, {
        file: wavFile,
        size: WAV.length,
        mime: 'audio/wav',
        source: 'upload',
        seconds: null,
        availableFrom: MOMENT,
      }),
    ).rejects.toThrow();
    const orphanDir = path.join(blobDir(), 'preview', '987654');
    expect(fs.existsSync(orphanDir) ? fs.readdirSync(orphanDir).filter((f) => !f.includes('.partial')) : []).toEqual([]);

    expect(await setPreviewMoment(ctx, 987654, MOMENT)).toBe(false);
    expect(await setPreviewMoment(ctx, campaignId, MOMENT - 3_600_000)).toBe(true);
    expect((await findPreview(ctx.db, campaignId))!.availableFrom).toBe(MOMENT - 3_600_000);
    await setPreviewMoment(ctx, campaignId, MOMENT);
  });

  it('“48 hours before the release” follows a rescheduled release; a date and time stays where it was', async () => {
    const { ctx } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    now = INSIDE;
    expect(await setPreviewMoment(ctx, campaignId, MOMENT, 48)).toBe(true);
    expect(await findPreview(ctx.db, campaignId)).toMatchObject({ availableFrom: MOMENT, hoursBefore: 48 });
    const early = await receipt(pending);
    expect((await fetch(server.url + early.src!)).status).toBe(200);

    // The editor moves the release two days later: the clip now opens 48 hours before the new release.
    const later = RELEASE + 2 * 86_400_000;
    await updateCampaign(deps, 'early', { releaseAt: '2030-06-12T00:00' });
    try {
      expect(await findPreview(ctx.db, campaignId)).toMatchObject({ availableFrom: later - 48 * 3_600_000, hoursBefore: 48 });
      const r = await receipt(pending);
      expect(r.src).toBeNull();
      expect(r.page).toContain('June 10, 2030');
      const refused = await fetch(server.url + early.src!);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Not yet');
      now = later - 48 * 3_600_000;
      expect((await fetch(server.url + (await receipt(pending)).src!)).status).toBe(200);

      // An absolute moment is the artist's own date: it does not move with the release.
      now = INSIDE;
      expect(await setPreviewMoment(ctx, campaignId, MOMENT)).toBe(true);
      await updateCampaign(deps, 'early', { releaseAt: '2030-06-13T00:00' });
      expect(await findPreview(ctx.db, campaignId)).toMatchObject({ availableFrom: MOMENT, hoursBefore: null });
    } finally {
      now = INSIDE;
      await updateCampaign(deps, 'early', { releaseAt: '2030-06-10T00:00' });
      await setPreviewMoment(ctx, campaignId, MOMENT);
    }
  });

  it('a removed preview is gone: no row, no bytes, no player, the old address answers 404', async () => {
    now = INSIDE;
    const r = await receipt(pending);
    expect(await removePreview(server.ctx, campaignId)).toBe(true);
    expect(await findPreview(server.ctx.db, campaignId)).toBeNull();
    expect(blobFiles()).toEqual([]);
    expect((await receipt(pending)).src).toBeNull();
    expect((await fetch(server.url + r.src!)).status).toBe(404);
    expect(await removePreview(server.ctx, campaignId)).toBe(false);
  });
});
