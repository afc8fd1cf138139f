import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/repo.js';
import { contestOf } from '../src/growth/contests/read.js';
import { drawContest } from '../src/growth/contests/run.js';
import { setLeaderboardPublic } from '../src/growth/settings.js';
import { testDialects } from './helpers/db.js';
import { growthCampaign } from './helpers/growth-receipt.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;

/**
 * The campaign page with the leaderboard link and the contest line, served from the page cache:
 * when the artist turns the leaderboard off (and on again) or the contest is drawn, every cached
 * variant (each language, right to left too) shows it at the cache's next check, and not a
 * stale mix of the two.
 */
describe.each(testDialects())('the campaign page’s growth lines through the page cache (%s)', (dialect) => {
  let server: TestServer;
  let campaign: Campaign;
  let clock = Date.parse('2030-06-01T12:00:00Z');
  let pageClock = 0;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { pageCache: { clock: () => pageClock } });
    campaign = await growthCampaign(server.ctx, { slug: 'tidal-glow', now: clock, days: 20 });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function lines(lang: string) {
    const res = await fetch(`${server.url}/tidal-glow?lang=${lang}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    return {
      leaderboard: page.includes(`href="/tidal-glow/leaderboard?lang=${lang}"`),
      contest: page.includes('data-contest="line"') && page.includes(`href="/tidal-glow/contest?lang=${lang}"`),
    };
  }
  async function both() {
    return { en: await lines('en'), ar: await lines('ar') };
  }
  const next = () => (pageClock += 60_000);

  it('shows both lines; turning the leaderboard off and on and drawing the contest reach every variant', async () => {
    expect(await both()).toEqual({ en: { leaderboard: true, contest: true }, ar: { leaderboard: true, contest: true } });

    await setLeaderboardPublic(server.ctx.db, campaign.id, false, clock);
    next();
    expect(await both()).toEqual({ en: { leaderboard: false, contest: true }, ar: { leaderboard: false, contest: true } });

    await setLeaderboardPublic(server.ctx.db, campaign.id, true, clock);
    next();
    expect(await both()).toEqual({ en: { leaderboard: true, contest: true }, ar: { leaderboard: true, contest: true } });

    // The contest ends; drawn, the page no longer advertises it (the leaderboard stays).
    clock += 6 * DAY;
    next();
    expect(await both()).toEqual({ en: { leaderboard: true, contest: true }, ar: { leaderboard: true, contest: true } });
    await drawContest(server.ctx.db, (await contestOf(server.ctx.db, campaign.id))!, { now: clock, zone: 'UTC' });
    next();
    expect(await both()).toEqual({ en: { leaderboard: true, contest: false }, ar: { leaderboard: true, contest: false } });
  });
});
