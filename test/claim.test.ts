import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDuePresaves } from '../src/presaves/lifecycle/claim.js';
import { Settler } from '../src/fulfillment/settle.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

describe.each(testDialects())('claiming and fencing pre-saves (%s)', (dialect) => {
  let t: TestDb;
  const NOW = 1_800_000_000_000;
  beforeAll(async () => {
    t = await createTestDb(dialect);
    await t.db
      .insertInto('campaigns')
      .values({
        slug: 'cc',
        artist_name: 'A',
        title: 'T',
        release_type: 'single',
        artwork_url: null,
        upc: '036000291452',
        isrcs: '[]',
        release_local: '2027-01-15T00:00:00',
        release_timezone: 'UTC',
        timing: 'global',
        first_release_at: NOW,
        last_release_at: NOW,
        services: '["sandbox"]',
        follow_artist: 0,
        status: 'active',
        is_demo: 0,
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    await t.db
      .insertInto('grants')
      .values({
        service: 'sandbox',
        account_id: 'x',
        display_name: null,
        access_token_enc: 'v1.x',
        refresh_token_enc: null,
        access_expires_at: null,
        scopes: '',
        authorized_at: NOW,
        status: 'active',
        dead_reason: null,
        refresh_lock_owner: null,
        refresh_lock_until: null,
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
  });
  afterAll(() => t.drop());
  beforeEach(async () => {
    await t.db.deleteFrom('presaves').execute();
    const campaign = await t.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow();
    const grant = await t.db.selectFrom('grants').select('id').executeTakeFirstOrThrow();
    for (let i = 0; i < 10; i++) {
      await t.db
        .insertInto('presaves')
        .values({
          public_id: `pub-${i}-xxxxxxxxxx`,
          campaign_id: campaign.id,
          grant_id: grant.id,
          service: 'sandbox',
          account_id: `fan${i}`,
          timezone: 'UTC',
          locale: null,
          follow_artist: 0,
          due_at: NOW + (i < 8 ? 0 : 60_000),
          next_attempt_at: NOW + (i < 8 ? 0 : 60_000),
          status: 'pending',
          attempts: 0,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
    }
  });

  const settleSaved = (lease: { id: number; leaseToken: string }, now: number) =>
    new Settler(t.db, () => now).settle({ ...lease, grantId: 0 }, { kind: 'saved', uris: ['u'] });
  const settleRetry = (lease: { id: number; leaseToken: string }, at: number, now: number) =>
    new Settler(t.db, () => now).settle({ ...lease, grantId: 0 }, { kind: 'failedAttempt', at, error: 'x' });

  const claim = (owner: string, limit: number, now = NOW) =>
    claimDuePresaves(t.db, dialect, { owner, leaseToken: `${owner}-${now}`, limit, leaseMs: 30_000, now });

  it('claims only due rows, and each row once', async () => {
    const a = await claim('A', 5);
    const b = await claim('B', 5);
    expect(a).toHaveLength(5);
    expect(b).toHaveLength(3); // the other 2 are not due yet
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(8);
    expect(await claim('C', 5)).toHaveLength(0);
  });

  it('concurrent claimers never get the same row', async () => {
    const results = await Promise.all(['A', 'B', 'C', 'D'].map((o) => claim(o, 3)));
    const ids = results.flat().map((r) => r.id);
    expect(ids).toHaveLength(8);
    expect(new Set(ids).size).toBe(8);
  });

  it('an expired lease is reclaimed, and the old holder can no longer settle (fencing)', async () => {
    const [row] = await claim('A', 1);
    expect(await claim('B', 10, NOW + 10_000)).toHaveLength(7); // A's lease still holds
    const [again] = await claim('C', 10, NOW + 31_000);
    expect(again!.id).toBe(row!.id);
    expect(again!.attempts).toBe(2);
    expect(await settleSaved({ id: row!.id, leaseToken: row!.lease_token! }, NOW + 32_000)).toBe(false);
    expect(await settleSaved({ id: again!.id, leaseToken: again!.lease_token! }, NOW + 32_000)).toBe(true);
    const stored = await t.db.selectFrom('presaves').selectAll().where('id', '=', row!.id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('saved');
    expect(stored.lease_token).toBeNull();
  });

  it('a retried row comes back only at its next attempt time', async () => {
    const [row] = await claim('A', 1);
    await settleRetry({ id: row!.id, leaseToken: row!.lease_token! }, NOW + 50_000, NOW);
    const later = await claim('B', 10, NOW + 1000);
    expect(later.map((r) => r.id)).not.toContain(row!.id);
    const due = await claim('C', 10, NOW + 50_000);
    expect(due.map((r) => r.id)).toContain(row!.id);
  });

  it('a cancelled pre-save cannot be settled as saved', async () => {
    const [row] = await claim('A', 1);
    await t.db.updateTable('presaves').set({ status: 'cancelled' }).where('id', '=', row!.id).execute();
    expect(await settleSaved({ id: row!.id, leaseToken: row!.lease_token! }, NOW)).toBe(false);
  });
});
