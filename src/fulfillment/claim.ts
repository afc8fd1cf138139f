import { sql } from 'kysely';
import type { Db, Dialect } from '../db/index.js';
import type { PresaveRow } from '../presaves/repo.js';

/**
 * Claims up to `limit` due pre-saves for one worker, with a lease. A row is due when it is
 * pending, its next attempt time has come, and nobody holds an unexpired lease on it — so a row
 * whose worker died becomes claimable again when its lease runs out (that is the reaper).
 *
 * PostgreSQL: `FOR UPDATE SKIP LOCKED` lets many workers claim disjoint rows without waiting.
 * SQLite: one writer at a time, so the same UPDATE is atomic without it.
 *
 * Every claim gets a fresh `lease_token`; settling a row requires it (see settle.ts), which
 * fences out a worker whose lease expired and whose row was claimed by another.
 */
export async function claimDuePresaves(
  db: Db,
  dialect: Dialect,
  p: { owner: string; leaseToken: string; limit: number; leaseMs: number; now: number; excludeServices?: string[] },
): Promise<PresaveRow[]> {
  const lock = dialect === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
  // Services that are paused or whose breaker is open are left alone, so their rows stay unclaimed.
  const skip = p.excludeServices?.length ? sql`AND service NOT IN (${sql.join(p.excludeServices)})` : sql``;
  const result = await sql<PresaveRow>`
    UPDATE presaves
       SET lease_owner = ${p.owner},
           lease_token = ${p.leaseToken},
           lease_until = ${p.now + p.leaseMs},
           attempts = attempts + 1,
           updated_at = ${p.now}
     WHERE id IN (
       SELECT id FROM presaves
        WHERE status = 'pending'
          AND next_attempt_at <= ${p.now}
          AND (lease_until IS NULL OR lease_until < ${p.now})
          ${skip}
        ORDER BY next_attempt_at
        LIMIT ${p.limit}
        ${lock}
     )
    RETURNING *`.execute(db);
  return result.rows.map((r) => ({ ...r, id: Number(r.id), campaign_id: Number(r.campaign_id), grant_id: Number(r.grant_id) }));
}

/** When the next pending pre-save falls due (or null), leaving out services that are paused. */
export async function nextDueAt(db: Db, excludeServices: string[] = []): Promise<number | null> {
  let q = db
    .selectFrom('presaves')
    .select((eb) => eb.fn.min<number>('next_attempt_at').as('next'))
    .where('status', '=', 'pending');
  if (excludeServices.length) q = q.where('service', 'not in', excludeServices);
  const r = await q.executeTakeFirst();
  return r?.next == null ? null : Number(r.next);
}
