import { sql, type ExpressionBuilder } from 'kysely';
import type { Db } from '../db/index.js';
import type { Database } from '../db/schema.js';

/**
 * Settling claimed pre-saves, in batches. Every write is fenced by the lease token taken at claim
 * time and by `status = 'pending'`: a worker whose lease expired (and whose row another worker
 * took), or a pre-save cancelled meanwhile, changes nothing. Each outcome resolves to whether its
 * write applied.
 *
 * Outcomes queue up and are written together a few milliseconds later, one UPDATE per group of
 * like outcomes (same lease and result), so a thousand saves cost a handful of statements.
 */
/**
 * The follow's own outcome, written with the album save or alone (see process.ts): `queued` comes
 * back at `at`; `waiting` waits for a resume; `done` and `failed` are final.
 */
export interface FollowOutcome {
  status: 'done' | 'queued' | 'waiting' | 'failed';
  error: string | null;
  at?: number;
  /** Counts toward giving the follow up (it reached the service and failed). */
  failed?: boolean;
}

export type Settlement =
  | { kind: 'saved'; uris: string[]; follow?: FollowOutcome }
  /** A saved pre-save's follow, tried from the follow queue: fenced on `follow_status = 'queued'`. */
  | { kind: 'follow'; follow: FollowOutcome }
  | { kind: 'failed'; reason: string }
  | { kind: 'cancelled'; reason: string }
  /**
   * Back for a later attempt; `attempts` set when the wait is not this pre-save's fault;
   * `failed` when this attempt reached the service and failed (it counts toward giving up).
   */
  | { kind: 'retry'; at: number; error: string; attempts?: number; failed?: boolean }
  /** Claimed but never started (the worker is stopping): back as it was, for anyone. */
  | { kind: 'unclaim'; attempts: number };

export interface Lease {
  id: number;
  grantId: number;
  leaseToken: string;
}

interface Queued {
  lease: Lease;
  s: Settlement;
  resolve: (applied: boolean) => void;
  reject: (err: unknown) => void;
}

const RELEASED = { lease_owner: null, lease_token: null, lease_until: null } as const;

/**
 * `waiting` is written only while the pause it waits for still exists: a resume that committed
 * while this follow was in flight has already queued the waiting follows, so this one is queued
 * too instead of waiting for a resume that will not come.
 */
const WAITING_OR_QUEUED = sql`CASE WHEN EXISTS (SELECT 1 FROM campaign_pauses cp
  WHERE cp.campaign_id = presaves.campaign_id AND cp.service = presaves.service) THEN 'waiting' ELSE 'queued' END`;

function followSet(f: FollowOutcome): Record<string, unknown> {
  return {
    follow_status: f.status === 'waiting' ? WAITING_OR_QUEUED : f.status,
    follow_error: f.error,
    ...(f.at !== undefined ? { next_attempt_at: f.at } : {}),
    ...(f.failed ? { follow_attempts: sql`follow_attempts + 1` } : {}),
  };
}

/** A follow that still needs this fan's authorization: keep the grant. */
function keepsGrant(f: FollowOutcome | undefined): boolean {
  return f?.status === 'queued' || f?.status === 'waiting';
}

function setFor(s: Settlement, now: number): Record<string, unknown> {
  switch (s.kind) {
    case 'saved':
      return {
        status: 'saved',
        saved_uris: JSON.stringify(s.uris),
        saved_at: now,
        last_error: null,
        ...(s.follow ? followSet(s.follow) : {}),
      };
    case 'follow':
      return followSet(s.follow);
    case 'failed':
      return { status: 'failed', failure_reason: s.reason, last_error: s.reason };
    case 'cancelled':
      return { status: 'cancelled', failure_reason: s.reason };
    case 'retry':
      return {
        next_attempt_at: s.at,
        last_error: s.error,
        ...(s.attempts !== undefined ? { attempts: Math.max(0, s.attempts) } : {}),
        ...(s.failed ? { failures: sql`failures + 1` } : {}),
      };
    case 'unclaim':
      return { attempts: Math.max(0, s.attempts) };
  }
}

export class Settler {
  private queue: Queued[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly writing = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly opts: { delayMs: number; maxBatch: number; maxWrites: number } = { delayMs: 5, maxBatch: 512, maxWrites: 2 },
  ) {}

  /** Outcomes waiting for a write: the worker stops starting new work when this grows too long. */
  get backlog(): number {
    return this.queue.length;
  }

  settle(lease: Lease, s: Settlement): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lease, s, resolve, reject });
      this.flushSoon(this.queue.length >= this.opts.maxBatch ? 0 : this.opts.delayMs);
    });
  }

  /** Writes everything queued; resolves when all of it is durable. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.queue.length || this.writing.size) {
      if (this.queue.length) this.startWrite();
      await Promise.race(this.writing);
    }
  }

  /**
   * Up to `maxWrites` batches are written at once; while they are, outcomes keep queueing and
   * the next write takes all of them — the busier the database, the bigger the batches.
   */
  private flushSoon(delayMs: number): void {
    if (this.writing.size >= this.opts.maxWrites) return; // a finishing write starts the next
    if (delayMs === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.startWrite();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flushSoon(0); // still at most maxWrites at once
    }, delayMs);
  }

  private startWrite(): void {
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return;
    const w = this.write(batch).finally(() => {
      this.writing.delete(w);
      if (this.queue.length) this.flushSoon(0);
    });
    this.writing.add(w);
  }

  private async write(batch: Queued[]): Promise<void> {
    // One UPDATE per distinct outcome (all the saves of a batch share one), fenced row by row
    // on (id, lease_token).
    const groups = new Map<string, Queued[]>();
    for (const q of batch) {
      const key = JSON.stringify(q.s);
      const g = groups.get(key);
      if (g) g.push(q);
      else groups.set(key, [q]);
    }
    const now = this.now();
    const finishedGrants = new Set<number>();
    for (const group of groups.values()) {
      try {
        const leases = sql.join(group.map((q) => sql`(CAST(${q.lease.id} AS bigint), CAST(${q.lease.leaseToken} AS text))`));
        const rows = await this.db
          .updateTable('presaves')
          .set({ ...RELEASED, ...setFor(group[0]!.s, now), updated_at: now })
          .where(sql<boolean>`(id, lease_token) IN (VALUES ${leases})`)
          .where((eb) => fence(eb, group[0]!.s))
          .returning('id')
          .execute();
        const applied = new Set(rows.map((r) => Number(r.id)));
        for (const q of group) {
          const ok = applied.has(q.lease.id);
          // A failed pre-save keeps its grant for a while so an operator can re-drive it;
          // the worker's sweep releases those later.
          if (ok && (q.s.kind === 'saved' || q.s.kind === 'follow' || q.s.kind === 'cancelled') && !keepsGrant(followOf(q.s)))
            finishedGrants.add(q.lease.grantId);
          q.resolve(ok);
        }
      } catch (err) {
        for (const q of group) q.reject(err);
      }
    }
    if (finishedGrants.size) await releaseIdleGrants(this.db, [...finishedGrants], now).catch(() => {});
  }
}

function followOf(s: Settlement): FollowOutcome | undefined {
  return s.kind === 'saved' || s.kind === 'follow' ? s.follow : undefined;
}

/**
 * Which rows an outcome may touch: pending pre-saves, or for a follow tried alone, a saved
 * pre-save whose follow is still queued. A stopping worker hands back either kind.
 */
function fence(eb: ExpressionBuilder<Database, 'presaves'>, s: Settlement) {
  if (s.kind === 'follow') return eb.and([eb('status', '=', 'saved'), eb('follow_status', '=', 'queued')]);
  if (s.kind === 'unclaim') return eb.or([eb('status', '=', 'pending'), eb('follow_status', '=', 'queued')]);
  return eb('status', '=', 'pending');
}

/**
 * Deletes the tokens of grants no pending pre-save needs any more: Dropday keeps a fan's access
 * only as long as it has something to do with it (a pending pre-save, a follow queued or waiting
 * for the artist's fix). A fan who pre-saves again re-authorizes. A follow waiting longer than
 * FAILED_GRANT_RETENTION_DAYS loses its grant in the sweep; a later resume records it as failed.
 * With `idleSince`, every grant whose pre-saves all finished before that time (the sweep that
 * catches grants kept for re-driving failures); otherwise just the grants named.
 */
export async function releaseIdleGrants(db: Db, which: number[] | { idleSince: number }, now: number): Promise<number> {
  let q = db
    .updateTable('grants')
    .set({ access_token_enc: '', refresh_token_enc: null, access_expires_at: null, status: 'released', updated_at: now })
    .where('status', '=', 'active');
  if (Array.isArray(which)) q = q.where('id', 'in', which);
  const res = await q
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('presaves')
            .select('presaves.id')
            .whereRef('presaves.grant_id', '=', 'grants.id')
            .where((p) =>
              Array.isArray(which)
                ? p.or([p('presaves.status', '=', 'pending'), p('presaves.follow_status', 'in', ['queued', 'waiting'])])
                : p.or([
                    p('presaves.status', '=', 'pending'),
                    p('presaves.follow_status', '=', 'queued'),
                    p('presaves.updated_at', '>=', which.idleSince),
                  ]),
            ),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
