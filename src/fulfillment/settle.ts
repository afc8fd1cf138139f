import type { Db } from '../db/index.js';
import { Settler as QueueSettler } from '../delivery/settler.js';
import { releaseIdleGrants } from '../grants/repo.js';
import type { Lease } from '../presaves/lifecycle/lease.js';
import { applySettlement, finishesWithGrant, type Settlement } from '../presaves/lifecycle/settlement.js';

export type { Lease } from '../presaves/lifecycle/lease.js';
export type { FollowOutcome } from '../presaves/lifecycle/follow-outcome.js';
export type { Settlement } from '../presaves/lifecycle/settlement.js';

/**
 * The pre-save queue's settler: the generic batched, fenced writer (delivery/settler.ts) with the
 * lifecycle's transitions (presaves/lifecycle/settlement.ts). Once outcomes are durable, the
 * grants of pre-saves that finished with them lose their tokens (when no other pre-save of the
 * fan needs them): Dropday keeps a fan's access only as long as it has something to do with it.
 */
export class Settler extends QueueSettler<Lease, Settlement> {
  constructor(db: Db, now: () => number, opts?: { delayMs: number; maxBatch: number; maxWrites: number }) {
    super(
      {
        write: (leases, s, at) => applySettlement(db, leases, s, at),
        afterWrite: async (applied, at) => {
          const finished = new Set(applied.filter((a) => finishesWithGrant(a.s)).map((a) => a.lease.grantId));
          if (finished.size) await releaseIdleGrants(db, [...finished], at);
        },
      },
      now,
      opts,
    );
  }
}
