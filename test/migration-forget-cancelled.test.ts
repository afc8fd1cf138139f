import { describe, expect, it } from 'vitest';
import { migrate } from '../src/db/index.js';
import { createTestDb, testDialects } from './helpers/db.js';

/**
 * Migration 012: pre-saves cancelled before cancelling forgot the fan are scrubbed once — the
 * cancelled row's account id and the identity and tokens of a grant only cancelled pre-saves used —
 * while a grant that still serves a pending pre-save keeps everything.
 */
describe.each(testDialects())('migration 012 forgets fans who cancelled earlier (%s)', (dialect) => {
  it('scrubs cancelled rows and their idle grants, nothing else', async () => {
    const t = await createTestDb(dialect, {}, { upTo: '011_presave_follows' });
    try {
      const now = Date.now();
      await t.db
        .insertInto('campaigns')
        .values({
          slug: 'old',
          artist_name: 'A',
          title: 'T',
          release_type: 'album',
          artwork_url: null,
          upc: null,
          isrcs: '[]',
          release_local: '2027-01-01T00:00',
          release_timezone: 'UTC',
          timing: 'global',
          first_release_at: now + 86_400_000,
          last_release_at: now + 86_400_000,
          services: '["sandbox"]',
          follow_artist: 0,
          status: 'active',
          is_demo: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const campaign = await t.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow();
      const grant = (account: string, name: string) =>
        t.db
          .insertInto('grants')
          .values({
            service: 'sandbox',
            account_id: account,
            display_name: name,
            access_token_enc: 'v1.test.secret',
            refresh_token_enc: 'v1.test.refresh',
            access_expires_at: now,
            scopes: '[]',
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
      const presave = (grantId: number, account: string, publicId: string, status: string) =>
        t.db
          .insertInto('presaves')
          .values({
            public_id: publicId,
            campaign_id: Number(campaign.id),
            grant_id: grantId,
            service: 'sandbox',
            account_id: account,
            timezone: 'UTC',
            locale: null,
            follow_artist: 0,
            due_at: now,
            status,
            attempts: 0,
            next_attempt_at: now,
            lease_owner: null,
            lease_token: null,
            lease_until: null,
            last_error: null,
            failure_reason: status === 'cancelled' ? 'cancelled by the fan' : null,
            market: null,
            saved_uris: null,
            saved_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
      const gone = await grant('cancelled-fan', 'Cancelled Fan');
      await presave(Number(gone.id), 'cancelled-fan', 'pub-gone', 'cancelled');
      const kept = await grant('waiting-fan', 'Waiting Fan');
      await presave(Number(kept.id), 'waiting-fan', 'pub-kept', 'pending');

      await migrate(t, t.config.database.kind === 'postgres' ? t.config.database.schema : undefined);

      const rows = await t.db.selectFrom('presaves').select(['public_id', 'account_id', 'status']).orderBy('public_id').execute();
      expect(rows).toEqual([
        { public_id: 'pub-gone', account_id: 'forgotten:pub-gone', status: 'cancelled' },
        { public_id: 'pub-kept', account_id: 'waiting-fan', status: 'pending' },
      ]);
      const grants = await t.db
        .selectFrom('grants')
        .select(['id', 'account_id', 'display_name', 'access_token_enc', 'refresh_token_enc', 'status'])
        .orderBy('id')
        .execute();
      expect(grants).toEqual([
        {
          id: gone.id,
          account_id: `forgotten:${gone.id}`,
          display_name: null,
          access_token_enc: '',
          refresh_token_enc: null,
          status: 'released',
        },
        {
          id: kept.id,
          account_id: 'waiting-fan',
          display_name: 'Waiting Fan',
          access_token_enc: 'v1.test.secret',
          refresh_token_enc: 'v1.test.refresh',
          status: 'active',
        },
      ]);
    } finally {
      await t.drop();
    }
  });
});
