import { describe, expect, it } from 'vitest';
import { FOLLOW_ARTIST_UNKNOWN, listCampaignPauses, pauseCampaignService, RELEASE_OVERRIDE_UNKNOWN } from '../src/campaigns/pauses.js';
import { createCampaign } from '../src/campaigns/service.js';
import { createTestDb, testDialects } from './helpers/db.js';

/**
 * A campaign paused for follows only (albums still saved) whose albums are then refused too: the
 * pause widens to the whole pair, so the refused saves wait instead of being retried for ever,
 * and the artist is told again. A second follow problem does not narrow it back.
 */
describe.each(testDialects())('widening a follow-only pause (%s)', (dialect) => {
  it('a whole-pair pause replaces a follow-only one; nothing narrows it back', async () => {
    const t = await createTestDb(dialect);
    try {
      const now = Date.now();
      const c = await createCampaign(
        { db: t.db, now: () => now, enabledServices: ['sandbox'] },
        { slug: 'widen', artistName: 'A', title: 'T', upc: '036000291452', releaseAt: '2027-06-01', services: ['sandbox'] },
      );
      const pause = (code: string, message: string) =>
        pauseCampaignService(t.db, { campaignId: c.id, service: 'sandbox', code, message }, now);
      expect(await pause(FOLLOW_ARTIST_UNKNOWN, 'fix the artist')).toBe(true);
      expect(await pause(FOLLOW_ARTIST_UNKNOWN, 'fix the artist again')).toBe(false);
      expect(await pause(RELEASE_OVERRIDE_UNKNOWN, 'fix the release')).toBe(true);
      expect(await pause(FOLLOW_ARTIST_UNKNOWN, 'fix the artist')).toBe(false);
      expect(await pause(RELEASE_OVERRIDE_UNKNOWN, 'fix the release')).toBe(false);
      const [p] = await listCampaignPauses(t.db, c.id);
      expect(p).toMatchObject({ code: RELEASE_OVERRIDE_UNKNOWN, message: 'fix the release', notifiedAt: null });
    } finally {
      await t.drop();
    }
  });
});
