import type { Db } from '../../src/db/index.js';

let seq = 0;

/**
 * Pre-save rows as the engine leaves them, each with its own fan grant, written straight to the
 * database: for tests of what the dashboard and `dropday status` report about them.
 */
export async function seedPresaves(
  db: Db,
  p: {
    campaignId: number;
    count: number;
    service?: string;
    status: 'pending' | 'saved' | 'failed' | 'cancelled';
    dueAt: number;
    /** Defaults to dueAt (pending: due now); later means waiting to retry. */
    nextAttemptAt?: number;
    reason?: string | null;
    savedAt?: number | null;
    createdAt: number;
    grantStatus?: 'active' | 'dead';
    /** The fan's country (ISO alpha-2; null: unknown); GB unless given. */
    market?: string | null;
  },
): Promise<number[]> {
  const ids: number[] = [];
  const service = p.service ?? 'sandbox';
  for (let i = 0; i < p.count; i++) {
    seq++;
    const grant = await db
      .insertInto('grants')
      .values({
        service,
        account_id: `seed-fan-${seq}`,
        display_name: null,
        access_token_enc: 'x',
        refresh_token_enc: null,
        access_expires_at: null,
        scopes: '',
        authorized_at: p.createdAt,
        status: p.grantStatus ?? 'active',
        dead_reason: p.grantStatus === 'dead' ? 'revoked' : null,
        refresh_lock_owner: null,
        refresh_lock_until: null,
        created_at: p.createdAt,
        updated_at: p.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await db
      .insertInto('presaves')
      .values({
        public_id: `seed-${seq}-xxxxxxxxxxxxxxxx`,
        campaign_id: p.campaignId,
        grant_id: Number(grant.id),
        service,
        account_id: `seed-fan-${seq}`,
        timezone: 'UTC',
        locale: 'en-GB',
        follow_artist: 0,
        due_at: p.dueAt,
        next_attempt_at: p.nextAttemptAt ?? p.dueAt,
        status: p.status,
        attempts: p.status === 'pending' && p.nextAttemptAt !== undefined ? 1 : 0,
        failure_reason: p.reason ?? null,
        market: p.market === undefined ? 'GB' : p.market,
        saved_at: p.savedAt ?? null,
        created_at: p.createdAt,
        updated_at: p.savedAt ?? p.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(Number(row.id));
  }
  return ids;
}
