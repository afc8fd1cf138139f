import type { Db } from '../../src/db/index.js';
import type { TokenCipher } from '../../src/util/token-cipher.js';
import type { FanoutFake } from '../fakes/fanout/server.js';

/**
 * A campaign for the fan-out fake's release, released a second ago, and `count` fans' grants and
 * pre-saves all due now, written straight to the database in one transaction: the starting line
 * of release night for tests that watch workers compete or a budget run short. Fans' accounts are
 * `<prefix><n>`; the fake accepts any `tok-<account>` bearer.
 */
export async function seedDueRelease(
  db: Db,
  cipher: TokenCipher,
  fake: FanoutFake,
  opts: { slug: string; prefix: string; count: number; follow?: boolean },
): Promise<{ campaignId: number; accounts: string[] }> {
  const now = Date.now();
  const follow = opts.follow ? 1 : 0;
  const width = String(opts.count - 1).length;
  const accounts = Array.from({ length: opts.count }, (_, i) => `${opts.prefix}${String(i).padStart(width, '0')}`);
  const campaignId = await db.transaction().execute(async (trx) => {
    const campaign = await trx
      .insertInto('campaigns')
      .values({
        slug: opts.slug,
        artist_name: fake.release.artistName,
        title: fake.release.title,
        release_type: 'album',
        upc: fake.release.upc,
        isrcs: '[]',
        release_local: new Date(now).toISOString().slice(0, 16),
        release_timezone: 'UTC',
        timing: 'global',
        first_release_at: now - 1000,
        last_release_at: now - 1000,
        services: '["sandbox"]',
        follow_artist: follow,
        status: 'active',
        is_demo: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const a of accounts) {
      const g = await trx
        .insertInto('grants')
        .values({
          service: 'sandbox',
          account_id: a,
          display_name: null,
          access_token_enc: cipher.encrypt(`tok-${a}`, `grant:sandbox:${a}:access`),
          refresh_token_enc: cipher.encrypt(`ref-${a}`, `grant:sandbox:${a}:refresh`),
          access_expires_at: now + 86_400_000,
          scopes: opts.follow ? 'user-library-modify user-library-read user-follow-modify' : 'user-library-modify user-library-read',
          authorized_at: now,
          status: 'active',
          dead_reason: null,
          refresh_lock_owner: null,
          refresh_lock_until: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('presaves')
        .values({
          public_id: `${opts.prefix}_presave_${a}`,
          campaign_id: Number(campaign.id),
          grant_id: Number(g.id),
          service: 'sandbox',
          account_id: a,
          timezone: 'UTC',
          locale: null,
          market: null,
          follow_artist: follow,
          due_at: now - 1000,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now - 1000,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    return Number(campaign.id);
  });
  return { campaignId, accounts };
}
