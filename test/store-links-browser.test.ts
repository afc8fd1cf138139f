import fs from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { findCampaignBySlug } from '../src/campaigns/repo.js';
import { LinkLookupRunner } from '../src/links/lookup/runner.js';
import { campaignLinksWithSource } from '../src/smartlink/links.js';
import { startDeezerFake, type DeezerFake } from './fakes/deezer/index.js';
import { startItunesFake, type ItunesFake } from './fakes/itunes/index.js';
import { startOdesliFake, type OdesliFake } from './fakes/odesli/index.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { axeViolations, describeViolations, FAILING_IMPACTS } from './helpers/axe.js';
import { ARTIFACTS, CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * In Chromium: an artist creates a campaign with a UPC and one link of their own; look-ups (the
 * worker's, run here on an injected clock) fill Apple Music, Deezer and the link-out services
 * from the fakes; the editor shows each found link with its source; the artist accepts one,
 * replaces one (a wrong URL first: refused next to its field), removes one, and the public page
 * after release shows exactly that.
 */
const UPC = '036000291452';
const DAY = 86_400_000;

describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())(
  'store links found for the artist, in the editor (Chromium, %s)',
  (dialect) => {
    let offset = 0;
    const now = () => Date.now() + offset;
    const suite = withServerAndBrowser(async () => {
      const itunes: ItunesFake = await startItunesFake({ now });
      const deezer: DeezerFake = await startDeezerFake({ now });
      const odesli: OdesliFake = await startOdesliFake({ now });
      const server: TestServer = await startTestServer(
        dialect,
        {
          ...itunes.env(),
          DEEZER_PUBLIC_API_URL: deezer.apiUrl,
          ...odesli.env(),
          ITUNES_LOOKUPS_PER_MINUTE: '600',
          ODESLI_LOOKUPS_PER_MINUTE: '600',
        },
        now,
        { log: captureLog().log },
      );
      const runner = new LinkLookupRunner(server.ctx);
      return {
        server,
        itunes,
        deezer,
        odesli,
        runner,
        async close() {
          await runner.stop();
          await server.close();
          await Promise.all([itunes.close(), deezer.close(), odesli.close()]);
        },
      };
    });

    it('found links show with their source; the artist accepts, replaces and removes them by clicking; the page follows', async () => {
      const { server, itunes, deezer, odesli, runner } = suite.server;
      const { browser } = suite;
      const base = server.url;
      const album = itunes.addAlbum({ upc: UPC, artistName: 'Nova Lights', collectionName: 'Afterglow' });
      const dz = deezer.state.addAlbum({ title: 'Afterglow', artist: 'Nova Lights', upc: UPC });
      const appleUrl = `https://music.apple.com/us/album/afterglow/${album.collectionId}`;
      odesli.addRelease({
        appleMusic: appleUrl,
        deezer: `https://www.deezer.com/album/${dz.id}`,
        youtubeMusic: 'https://music.youtube.com/playlist?list=OLAK5uy_found',
        amazonMusic: 'https://music.amazon.com/albums/B0FOUND',
        soundcloud: 'https://soundcloud.com/novalights/sets/afterglow',
        audiomack: 'https://audiomack.com/novalights/album/afterglow',
        anghami: 'https://play.anghami.com/album/1047000001',
      });

      const { page, errors } = await openPage(browser, { viewport: { width: 1200, height: 1000 } });
      await signUp(page, base);
      await createWorkspace(page, { name: 'Nova Lights', slug: 'nova' });
      await page.goto(`${base}/w/nova/campaigns/new`);
      await page.getByLabel('Main artist').fill('Nova Lights');
      await page.getByLabel('Title', { exact: true }).fill('Afterglow');
      await page.getByLabel('UPC / EAN').fill(UPC);
      await page
        .getByLabel('Date and time')
        .fill(DateTime.fromMillis(now()).toUTC().plus({ days: 10 }).startOf('day').toFormat("yyyy-MM-dd'T'HH:mm"));
      await page.getByLabel('Address', { exact: true }).fill('afterglow');
      // The artist's own YouTube Music link, typed before any look-up.
      await page.getByText('More services on the smart link (link-outs)').click();
      await page.getByLabel('YouTube Music URL').fill('https://music.youtube.com/playlist?list=OLAK5uy_mine');
      await page.getByRole('button', { name: 'Create campaign' }).click();
      await page.waitForURL(`${base}/w/nova/campaigns/afterglow/edit?done=created`);
      const campaign = (await findCampaignBySlug(server.ctx.db, 'afterglow'))!;

      // The worker's look-ups (iTunes and Deezer, then Odesli from the Apple Music link).
      for (let i = 0; i < 4; i++) {
        await runner.runOnce();
        offset += 10_000;
      }
      await page.reload();
      const panel = page.locator('#found-links');
      await expect.poll(() => panel.locator('[data-found]').count()).toBeGreaterThanOrEqual(6);
      const row = (service: string) => panel.locator(`[data-found="${service}"]`);
      expect(await row('apple-music').locator('[data-provenance]').textContent()).toMatch(
        /^Found by iTunes Search on \d{4}-\d\d-\d\d \d\d:\d\d UTC · not reviewed yet$/,
      );
      expect(await row('deezer').locator('[data-provenance]').textContent()).toMatch(/^Found by Deezer catalog/);
      expect(await row('amazon-music').locator('[data-provenance]').textContent()).toMatch(/^Found by Odesli \(song\.link\)/);
      expect(await row('youtube-music').count()).toBe(0);
      expect(await page.getByLabel('YouTube Music URL').inputValue()).toBe('https://music.youtube.com/playlist?list=OLAK5uy_mine');
      expect((await panel.textContent())!.replace(/\s+/g, ' ')).toContain(
        'Found links are used on your public page at once, without waiting for you',
      );
      await page.screenshot({ path: `${ARTIFACTS}/store-links-found.png`, fullPage: true });

      // Accept Apple Music.
      await page.getByRole('button', { name: 'Accept the Apple Music link' }).click();
      await page.waitForURL(/done=link-accepted/);
      expect(await row('apple-music').locator('[data-provenance]').textContent()).toMatch(/· accepted$/);

      // Replace Amazon Music: a wrong address first, refused next to its field, what was typed kept.
      await page.getByLabel('Your own Amazon Music URL').fill('https://evil.example/afterglow');
      await page.getByRole('button', { name: 'Replace the Amazon Music link' }).click();
      await page.waitForLoadState();
      const err = page.locator('#found_amazon-music-error');
      expect(await err.textContent()).toMatch(/^Your own Amazon Music URL must be an Amazon Music address \(music\.amazon\.com/);
      expect(await page.getByLabel('Your own Amazon Music URL').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Your own Amazon Music URL').inputValue()).toBe('https://evil.example/afterglow');
      expect(await page.getByRole('alert').first().textContent()).toMatch(/The Amazon Music link was not replaced/);
      await page.screenshot({ path: `${ARTIFACTS}/store-links-bad-replacement.png`, fullPage: true });
      // The panel, its refusal included, has no serious or critical axe finding.
      const panelFindings = (await axeViolations(page)).filter(
        (v) => FAILING_IMPACTS.has(v.impact) && v.targets.some((t) => /found/.test(t)),
      );
      expect(describeViolations('found links panel', panelFindings)).toBe('');
      expect((await campaignLinksWithSource(server.ctx.db, campaign.id)).find((l) => l.service === 'amazon-music')).toMatchObject({
        url: 'https://music.amazon.com/albums/B0FOUND',
        source: 'odesli',
      });

      await page.getByLabel('Your own Amazon Music URL').fill('https://music.amazon.com/albums/B0MINE');
      await page.getByRole('button', { name: 'Replace the Amazon Music link' }).click();
      await page.waitForURL(/done=link-replaced/);
      expect(await row('amazon-music').count()).toBe(0);
      expect(await page.getByLabel('Amazon Music URL', { exact: true }).inputValue()).toBe('https://music.amazon.com/albums/B0MINE');

      // Remove SoundCloud; then again from the editor left open in another tab: done, not an error.
      const stale = await page.context().newPage();
      await stale.goto(page.url());
      await page.getByRole('button', { name: 'Remove the SoundCloud link' }).click();
      await page.waitForURL(/done=link-removed/);
      expect(await row('soundcloud').count()).toBe(0);
      await stale.getByRole('button', { name: 'Remove the SoundCloud link' }).click();
      await stale.waitForURL(/done=link-removed/);
      expect(await stale.locator('#found-links [data-found="soundcloud"]').count()).toBe(0);
      await stale.close();

      // Saving the main form keeps the found links it does not show. The artist clears their own
      // YouTube Music link in it: look-ups may fill that one now.
      await page.getByLabel('YouTube Music URL').fill('');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(/done=saved/);
      expect(await row('audiomack').count()).toBe(1);
      await runner.runOnce();
      await page.reload();
      expect(await row('youtube-music').locator('[data-provenance]').textContent()).toMatch(/^Found by Odesli/);

      // Later look-ups: what the artist decided stays.
      offset += 7 * 3_600_000;
      for (let i = 0; i < 3; i++) {
        await runner.runOnce();
        offset += 7 * 3_600_000;
      }
      const links = new Map((await campaignLinksWithSource(server.ctx.db, campaign.id)).map((l) => [l.service, l]));
      expect(links.has('soundcloud')).toBe(false);
      expect(links.get('amazon-music')).toMatchObject({ url: 'https://music.amazon.com/albums/B0MINE', source: null });
      expect(links.get('youtube-music')).toMatchObject({ url: 'https://music.youtube.com/playlist?list=OLAK5uy_found', source: 'odesli' });

      // After release, the public page lists what the artist left.
      offset = campaign.last_release_at - Date.now() + DAY;
      const fan = await openPage(browser);
      await fan.page.goto(`${base}/afterglow`);
      const listen = await fan.page
        .locator('a[href*="/afterglow/listen/"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')!.split('/').pop()));
      expect(listen).toEqual(expect.arrayContaining(['apple-music', 'deezer', 'youtube-music', 'amazon-music', 'audiomack', 'anghami']));
      expect(listen).not.toContain('soundcloud');
      await fan.page.screenshot({ path: `${ARTIFACTS}/store-links-public-page.png`, fullPage: true });
      const go = await fetch(`${base}/afterglow/listen/amazon-music`, { redirect: 'manual' });
      expect(go.headers.get('location')).toBe('https://music.amazon.com/albums/B0MINE');
      await fan.context.close();
      // The refused replacement answered 400 (Chromium logs that); nothing else went wrong.
      expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    });
  },
);
