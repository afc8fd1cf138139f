import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueConversions } from '../src/conversions/events/index.js';
import { failedEvents } from '../src/conversions/report.js';
import { resendFailedConversions } from '../src/conversions/resend.js';
import { markRefused } from '../src/conversions/settings.js';
import type { ConversionPlatform } from '../src/db/schema-conversions.js';
import { pixelCampaign } from './helpers/conversions.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * "Send them again" (conversions/resend.ts, events/redrive.ts): failed events go back to the queue
 * only for platforms the campaign can send to now, and only while the platform still takes them
 * (Meta and TikTok 47 hours, within their de-duplication; GA4 71 hours); the editor's counts say which.
 */
describe.each(testDialects())('sending failed conversion events again (%s)', (dialect) => {
  let s: TestServer;
  let clock = Date.UTC(2026, 8, 20, 12);

  beforeAll(async () => {
    s = await startTestServer(dialect, {}, () => clock);
  });
  afterAll(async () => s?.close());

  it('re-queues the recent failures of sending platforms; too old, refused or never failed stay as they are', async () => {
    const { ctx } = s;
    const campaign = await pixelCampaign(ctx, 'resend', 'Again');
    const now = clock;
    let n = 0;
    /** An event of `platform` made `age` ago, given up on (as the worker's settler leaves it). */
    const failedEvent = async (platform: ConversionPlatform, age: number, status: 'failed' | 'sent' = 'failed') => {
      const eventId = `ev-${platform}-${++n}-${dialect}`;
      await enqueueConversions(
        ctx.db,
        {
          campaignId: campaign.id,
          platforms: [platform],
          event: 'page_view',
          eventId,
          payload: { time: Math.floor((now - age) / 1000) } as never,
        },
        now - age,
      );
      await ctx.db
        .updateTable('conversion_events')
        .set({ status, failures: 3, attempts: 3, last_error: status === 'failed' ? `${platform} was unreachable` : null })
        .where('event_id', '=', eventId)
        .execute();
      return eventId;
    };
    const recentMeta = await failedEvent('meta', DAY);
    const oldMeta = await failedEvent('meta', 2 * DAY);
    const recentGa4 = await failedEvent('ga4', 2 * DAY);
    const oldGa4 = await failedEvent('ga4', 4 * DAY);
    const refusedTiktok = await failedEvent('tiktok', HOUR);
    const sent = await failedEvent('meta', HOUR, 'sent');
    await markRefused(ctx.db, campaign.id, 'tiktok', 'TikTok refused the access token', now);

    expect(await failedEvents(ctx.db, campaign.id, now)).toEqual({
      meta: { count: 2, resendable: 1, lastError: 'meta was unreachable' },
      ga4: { count: 2, resendable: 1, lastError: 'ga4 was unreachable' },
      tiktok: { count: 1, resendable: 1, lastError: 'tiktok was unreachable' },
    });

    clock = now + 1000;
    expect(await resendFailedConversions(ctx.db, campaign.id, clock)).toEqual({ requeued: 2, platforms: ['meta', 'ga4'] });
    const rows = await ctx.db
      .selectFrom('conversion_events')
      .select(['event_id', 'status', 'attempts', 'failures', 'next_attempt_at', 'last_error'])
      .execute();
    const of = (id: string) => rows.find((r) => r.event_id === id)!;
    for (const id of [recentMeta, recentGa4])
      expect(of(id)).toMatchObject({ status: 'pending', attempts: 0, failures: 0, next_attempt_at: clock, last_error: null });
    for (const id of [oldMeta, oldGa4, refusedTiktok]) expect(of(id).status).toBe('failed');
    expect(of(sent).status).toBe('sent');
    // Again: nothing more (idempotent); the counts now say nothing is left to send.
    expect((await resendFailedConversions(ctx.db, campaign.id, clock)).requeued).toBe(0);
    expect(await failedEvents(ctx.db, campaign.id, clock)).toMatchObject({
      meta: { count: 1, resendable: 0 },
      ga4: { count: 1, resendable: 0 },
      tiktok: { count: 1, resendable: 1 },
    });
  });
});
