import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.js';
import { createCampaign } from '../src/campaigns/service.js';
import { findPreview } from '../src/growth/previews/store.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { axeProblems } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, launchChromium, openPage } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { PNG_BYTES, sineWav } from './helpers/preview-audio.js';
import { seedPresaves } from './helpers/presaves.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { ORDINARY_UA } from './helpers/user-agents.js';

/**
 * Early access in Chromium. The artist's Growth page: a wrong file is refused with its reason and
 * nothing stored, a ready clip is saved with its moment, the moment is changed, a track is cut by
 * ffmpeg (when installed), and without ffmpeg the form says what is needed. The fan: inside the
 * window the receipt's player plays (time advances) and the dashboard counts the play's stages;
 * before the moment the receipt says when and the audio is refused.
 */
const RELEASE = Date.parse('2030-06-10T00:00:00Z');
const INSIDE = RELEASE - 24 * 3_600_000;
const FFMPEG = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => fs.existsSync(p));
if (!FFMPEG) console.warn('growth-preview-browser: ffmpeg is not installed; the cutting test is skipped (apt install ffmpeg)');

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('early access in Chromium (%s)', (dialect) => {
  let server: TestServer;
  let browser: Browser;
  let now = INSIDE;
  let campaignId: number;
  let presave: string;
  let artist: Awaited<ReturnType<typeof openPage>>;
  let growthUrl = '';
  let dashboardUrl = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, { PREVIEW_MAX_FILE_MB: '1', ...(FFMPEG ? { FFMPEG_PATH: FFMPEG } : {}) }, () => now, {
      analytics: { flushIntervalMs: 60_000 },
    });
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
    const [id] = await seedPresaves(ctx.db, { campaignId, count: 1, status: 'pending', dueAt: RELEASE, createdAt: INSIDE - 86_400_000 });
    presave = (await ctx.db.selectFrom('presaves').select('public_id').where('id', '=', id!).executeTakeFirstOrThrow()).public_id;
    browser = await launchChromium();
    artist = await openPage(browser, { viewport: { width: 1280, height: 1000 } });
    await signUp(artist.page, server.url, { email: `preview-${dialect}@example.com`, password: 'midnight synth parade' });
    await createWorkspace(artist.page, { name: 'Sine Wave Club', slug: `sine-${dialect}` });
    const ws = (await findWorkspaceBySlug(ctx.db, `sine-${dialect}`))!;
    await setCampaignWorkspace(ctx.db, campaignId, ws.id);
    dashboardUrl = `${server.url}/w/${ws.slug}/campaigns/early`;
    growthUrl = `${dashboardUrl}/growth`;
  });
  afterAll(async () => {
    await artist?.context.close();
    await browser?.close();
    await server?.close();
  });

  /** Sends the upload form and returns the answer's status. */
  async function submitUpload(page: Page): Promise<number> {
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/growth/preview')),
      page.locator('#preview-upload').getByRole('button', { name: 'Save the preview' }).click(),
    ]);
    await page.waitForLoadState();
    return res.status();
  }

  it('the artist: a wrong type is refused with its reason and nothing stored; a clip and its moment are saved', async () => {
    const { page } = artist;
    await page.goto(growthUrl);
    expect(await page.locator('[data-preview-none]').textContent()).toBe('No preview yet.');
    expect(await page.locator('[data-ffmpeg]').getAttribute('data-ffmpeg')).toBe(FFMPEG ? 'yes' : 'no');

    await page.getByLabel(/A ready clip/).setInputFiles({ name: 'song.mp3', mimeType: 'audio/mpeg', buffer: PNG_BYTES });
    expect(await submitUpload(page)).toBe(415);
    expect(await page.locator('main').textContent()).toContain('clip: the file is a PNG image, not audio. Upload MP3, M4A/AAC');
    expect(await page.locator('main').textContent()).toContain('Nothing was stored.');
    // The whole Growth page again, the reason beside the field (not an error page or a fragment).
    expect(await page.locator('h1').textContent()).toBe('Growth: referrals, contest, vault, early access');
    for (const section of ['#referral-settings', '#contest-settings', '#vault'])
      expect(await page.locator(section).count(), section).toBe(1);
    expect(await page.locator('#preview [role="alert"]').textContent()).toContain('Nothing was saved');
    expect(await page.locator('#clip-error').textContent()).toBe('the file is a PNG image, not audio');
    expect(await page.locator('#preview-clip').getAttribute('aria-describedby')).toBe('clip-error');
    await page.screenshot({ path: `${ARTIFACTS}/preview-refused-${dialect}.png`, fullPage: true });
    expect(await findPreview(server.ctx.db, campaignId)).toBeNull();

    // Other mistakes, each refused with the field it is about: no file, both, too many seconds, too large.
    const refusals: [() => Promise<unknown>, number, string, string][] = [
      [async () => undefined, 400, 'clip: choose a ready clip, or a track to cut', 'choose a ready clip, or a track to cut'],
      [
        async () => {
          await page.getByLabel(/A ready clip/).setInputFiles({ name: 'a.wav', mimeType: 'audio/wav', buffer: sineWav(1) });
          await page
            .getByLabel('Or a track to cut the first seconds from')
            .setInputFiles({ name: 'b.wav', mimeType: 'audio/wav', buffer: sineWav(1) });
        },
        400,
        'clip: choose a ready clip or a track to cut, not both',
        'choose a ready clip or a track to cut, not both',
      ],
      [
        async () => {
          await page
            .getByLabel('Or a track to cut the first seconds from')
            .setInputFiles({ name: 'b.wav', mimeType: 'audio/wav', buffer: sineWav(6) });
          await page.getByLabel('Seconds to keep').fill('301');
        },
        400,
        'seconds: must be a whole number of seconds from 5 to 300',
        'must be a whole number of seconds from 5 to 300',
      ],
      [
        async () => {
          await page.getByLabel(/A ready clip/).setInputFiles({ name: 'long.wav', mimeType: 'audio/wav', buffer: sineWav(80) });
        },
        413,
        'clip: the file is larger than 1 MB (PREVIEW_MAX_FILE_MB); nothing was stored.',
        'is larger than 1 MB (PREVIEW_MAX_FILE_MB)',
      ],
    ];
    for (const [fill, status, words, reason] of refusals) {
      await page.goto(growthUrl);
      await fill();
      expect(await submitUpload(page)).toBe(status);
      expect(await page.locator('main').textContent()).toContain(words);
      expect(await page.locator(`#${words.split(':')[0]}-error`).textContent()).toBe(reason);
      expect(await findPreview(server.ctx.db, campaignId)).toBeNull();
    }

    await page.goto(growthUrl);
    await page.getByLabel(/A ready clip/).setInputFiles({ name: 'preview.wav', mimeType: 'audio/wav', buffer: sineWav(4) });
    await page.locator('#preview-upload-hours').fill('48');
    expect(await submitUpload(page)).toBe(303);
    expect(page.url()).toBe(`${growthUrl}?done=preview-saved#preview`);
    expect(await page.locator('[data-preview-done]').textContent()).toBe('The clip is saved.');
    expect(await page.locator('[data-preview-moment]').textContent()).toBe('Saturday, June 8, 2030 at 12:00 AM (UTC)');
    const saved = (await findPreview(server.ctx.db, campaignId))!;
    expect(saved).toMatchObject({ mime: 'audio/wav', source: 'upload', availableFrom: RELEASE - 48 * 3_600_000 });
    // The form shows the way the moment was given: 48 hours before the release.
    expect(await page.locator('#preview-moment-form').getByLabel('Hours before the release', { exact: true }).isChecked()).toBe(true);
    expect(await page.locator('#preview-moment-hours').inputValue()).toBe('48');

    // The moment as a date and time in the campaign's zone; a moment after the release is refused.
    const moment = page.locator('#preview-moment-form');
    await moment.getByLabel(/At a date and time/).check();
    await moment.getByLabel(/Date and time/).fill('2030-06-11T12:00');
    await moment.getByRole('button', { name: 'Save the moment' }).click();
    await page.waitForLoadState();
    expect(await page.locator('main').textContent()).toContain('available_at: must be before the release');
    // Refused on the whole Growth page, the way and the date the artist typed kept.
    expect(await page.locator('#available_at-error').textContent()).toBe('must be before the release');
    expect(await moment.getByLabel(/At a date and time/).isChecked()).toBe(true);
    expect(await page.locator('#preview-moment-available-at').inputValue()).toBe('2030-06-11T12:00');
    expect((await findPreview(server.ctx.db, campaignId))!.availableFrom).toBe(RELEASE - 48 * 3_600_000);
    await page.goto(growthUrl);
    await moment.getByLabel(/At a date and time/).check();
    await moment.getByLabel(/Date and time/).fill('2030-06-08T12:00');
    await moment.getByRole('button', { name: 'Save the moment' }).click();
    await page.waitForURL(`${growthUrl}?done=preview-moment#preview`);
    expect((await findPreview(server.ctx.db, campaignId))!.availableFrom).toBe(Date.parse('2030-06-08T12:00:00Z'));
    expect(
      await page
        .locator('#preview-moment-form')
        .getByLabel(/At a date and time/)
        .isChecked(),
    ).toBe(true);
    expect(await page.locator('#preview-moment-available-at').inputValue()).toBe('2030-06-08T12:00');
    await page.screenshot({ path: `${ARTIFACTS}/preview-growth-section-${dialect}.png`, fullPage: true });
    expect(await axeProblems(page, 'Growth page, early access')).toBe('');
    // The refusals above are the only failed loads (the console reports their 4xx).
    expect(artist.errors.filter((e) => !/status of (400|413|415) /.test(e))).toEqual([]);
  });

  it.skipIf(!FFMPEG)('the artist: a track is cut to its first seconds by ffmpeg', async () => {
    const { page } = artist;
    await page.goto(growthUrl);
    await page
      .getByLabel('Or a track to cut the first seconds from')
      .setInputFiles({ name: 'track.wav', mimeType: 'audio/wav', buffer: sineWav(9, { rate: 44100 }) });
    await page.getByLabel('Seconds to keep').fill('5');
    expect(await submitUpload(page)).toBe(303);
    expect(await page.locator('[data-preview-done]').textContent()).toBe('The clip was cut from the track and saved.');
    const cut = (await findPreview(server.ctx.db, campaignId))!;
    // The form kept the moment set before (as hours before the release).
    expect(cut).toMatchObject({ mime: 'audio/mpeg', source: 'cut', seconds: 5, availableFrom: Date.parse('2030-06-08T12:00:00Z') });
    // An MP3 of five seconds at 192 kb/s (~120 KB), not the whole nine-second track (~216 KB).
    expect(cut.size).toBeGreaterThan(100_000);
    expect(cut.size).toBeLessThan(160_000);
    expect(await page.locator('[data-preview-current]').textContent()).toContain('the first 5 seconds of a track');
  });

  it('the artist: with FFMPEG_PATH pointing nowhere, cutting says it needs ffmpeg and stores nothing', async () => {
    const before = await findPreview(server.ctx.db, campaignId);
    const preview = server.ctx.config.growth.preview;
    const configured = preview.ffmpeg;
    // The same setting FFMPEG_PATH=/nowhere/ffmpeg gives (config.ts reads it into this field).
    preview.ffmpeg = '/nowhere/ffmpeg';
    try {
      const { page } = artist;
      await page.goto(growthUrl);
      expect(await page.locator('[data-ffmpeg]').textContent()).toContain(
        'Cutting a clip needs ffmpeg (an optional system package: apt install ffmpeg); upload a ready clip instead',
      );
      await page
        .getByLabel('Or a track to cut the first seconds from')
        .setInputFiles({ name: 'track.wav', mimeType: 'audio/wav', buffer: sineWav(6) });
      expect(await submitUpload(page)).toBe(400);
      expect(await page.locator('main').textContent()).toContain(
        'Cutting a clip needs ffmpeg (an optional system package: apt install ffmpeg); upload a ready clip instead',
      );
      expect(await findPreview(server.ctx.db, campaignId)).toEqual(before);
    } finally {
      preview.ffmpeg = configured;
    }
  });

  it('the fan: inside the window the player plays and the dashboard counts its stages; before the moment it is refused', async () => {
    // A ready WAV clip (3 s) for the fan, from the moment set above (2030-06-08 12:00 UTC).
    const { page: a } = artist;
    await a.goto(growthUrl);
    await a.getByLabel(/A ready clip/).setInputFiles({ name: 'short.wav', mimeType: 'audio/wav', buffer: sineWav(3) });
    expect(await submitUpload(a)).toBe(303);

    now = INSIDE;
    const fan = await openPage(browser, { userAgent: ORDINARY_UA.chromeDesktop, viewport: { width: 420, height: 900 } });
    await fan.page.goto(`${server.url}/p/${presave}`);
    expect(await fan.page.locator('[data-preview-private]').textContent()).toBe(
      'This preview is for you; please don’t share or record it — anything played can be recorded.',
    );
    const audio = fan.page.locator('#preview audio');
    await audio.click({ position: { x: 20, y: 20 } });
    await fan.page.evaluate(() => (document.querySelector('#preview audio') as HTMLAudioElement).play().catch(() => undefined));
    await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
    await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.ended), { timeout: 15_000 }).toBe(true);
    await fan.page.screenshot({ path: `${ARTIFACTS}/preview-receipt-player-${dialect}.png`, fullPage: true });
    expect(await axeProblems(fan.page, 'receipt with the preview player')).toBe('');

    const cell = (stage: string) => a.locator(`#early-access [data-stage="${stage}"] td.n`).textContent();
    await expect
      .poll(
        async () => {
          await server.app.analytics!.flush();
          await a.goto(dashboardUrl);
          return [await cell('start'), await cell('30s'), await cell('complete')];
        },
        { timeout: 15_000 },
      )
      .toEqual(['1', '1', '1']);
    await a.locator('#early-access').screenshot({ path: `${ARTIFACTS}/preview-dashboard-panel-${dialect}.png` });

    // Before the moment: the receipt says when; the address the player had is refused.
    const src = await audio.getAttribute('src');
    now = Date.parse('2030-06-08T12:00:00Z') - 60_000;
    await fan.page.reload();
    expect(await fan.page.locator('#preview audio').count()).toBe(0);
    expect(await fan.page.locator('[data-preview-from]').textContent()).toBe(
      'You can listen from Saturday, June 8, 2030 at 12:00 PM (UTC).',
    );
    expect((await fan.page.request.get(server.url + src!)).status()).toBe(403);
    expect(fan.errors).toEqual([]);
    await fan.context.close();
    now = INSIDE;
  });
});
