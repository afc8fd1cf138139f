import { sql } from 'kysely';

/**
 * The follow's own outcome, written with the album save (settle-saved.ts) or alone
 * (settle-follow.ts): `queued` comes back at `at`; `waiting` waits for a resume; `done` and
 * `failed` are final.
 */
export interface FollowOutcome {
  status: 'done' | 'queued' | 'waiting' | 'failed';
  error: string | null;
  at?: number;
  /** Counts toward giving the follow up (it reached the service and failed). */
  failed?: boolean;
}

/**
 * `waiting` is written only while the pause it waits for still exists: a resume that committed
 * while this follow was in flight has already queued the waiting follows, so this one is queued
 * too instead of waiting for a resume that will not come.
 */
const WAITING_OR_QUEUED = sql`CASE WHEN EXISTS (SELECT 1 FROM campaign_pauses cp
  WHERE cp.campaign_id = presaves.campaign_id AND cp.service = presaves.service) THEN 'waiting' ELSE 'queued' END`;

/** The columns a follow outcome sets; its failure count goes up inside the same statement. */
export function followColumns(f: FollowOutcome): Record<string, unknown> {
  return {
    follow_status: f.status === 'waiting' ? WAITING_OR_QUEUED : f.status,
    follow_error: f.error,
    ...(f.at !== undefined ? { next_attempt_at: f.at } : {}),
    ...(f.failed ? { follow_attempts: sql`follow_attempts + 1` } : {}),
  };
}

/** A follow that still needs this fan's authorization: keep the grant. */
export function followKeepsGrant(f: FollowOutcome | undefined): boolean {
  return f?.status === 'queued' || f?.status === 'waiting';
}
