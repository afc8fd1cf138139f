import type { AppContext } from '../context.js';
import type { ClaimParams, ClaimRound, Lent, WorkKind } from '../delivery/kind.js';
import { pausedPairs } from '../campaigns/pauses.js';
import { releaseIdleGrants, type GrantRow } from '../grants/repo.js';
import type { Mailer } from '../mail/index.js';
import { claimDuePresaves, nextDueAt, type ClaimExclusions } from '../presaves/lifecycle/claim.js';
import type { PresaveRow } from '../presaves/repo.js';
import { WorkerLoaders } from './loaders.js';
import { processPresave, type Outcome } from './process.js';
import { Settler } from './settle.js';
import { listenForWork } from './wakeup.js';

const SWEEP_EVERY_MS = 10 * 60_000;

/** This process's pre-save counters, for `/metrics` (`dropday_worker_outcomes_total{outcome=…}`). */
export interface WorkerStats {
  claimed: number;
  saved: number;
  failed: number;
  retried: number;
  cancelled: number;
  fenced: number;
  /** Follows tried alone from the follow queue (their pre-saves were counted as saved already). */
  followed: number;
  /** Saves the service accepted whose verification was left to the verify queue (budget short). */
  verifying: number;
}

/** A claimed pre-save: the row (with its lease) and its grant, loaded with the rest of its claim. */
export interface PresaveItem {
  row: PresaveRow;
  grant: Promise<GrantRow | null>;
}

/** What a claim round leaves out: campaigns paused on a service (campaigns/pauses.ts). */
type PausePlan = Omit<ClaimExclusions, 'excludeServices'>;

/**
 * Pre-saves as a kind of work item for the delivery loop (delivery/loop.ts). A pre-save spends
 * its service's governor key (the bare service name). A claim round reads the campaigns paused
 * on a service and leaves them out (their follows only, for a follow pause); the claim takes due
 * saves, then the verify queue, then the follow queue — saves first while a service's budget is
 * contended (presaves/lifecycle/claim.ts). Each claimed row's grant is loaded with the rest of
 * its claim while the first rows start; process.ts runs it in named steps and settles it through
 * the batched, fenced Settler (settle.ts). Every ten minutes the kind deletes tokens kept for
 * failed pre-saves once their re-drive window has passed; on PostgreSQL a NOTIFY (wakeup.ts)
 * wakes the loop when a pre-save falls due.
 */
export class PresaveKind implements WorkKind<PresaveItem, PausePlan> {
  readonly name = 'presave';
  readonly stats: WorkerStats = { claimed: 0, saved: 0, failed: 0, retried: 0, cancelled: 0, fenced: 0, followed: 0, verifying: 0 };
  readonly rateLimits: Record<string, number>;
  private readonly settler: Settler;
  private readonly loaders: WorkerLoaders;
  /** `campaign:service` pairs paused for follows at the last claim (see campaigns/pauses.ts). */
  private followPauses = new Set<string>();
  private pausedCampaigns = new Set<number>();
  private lastSweep = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly mailer: Mailer,
    private readonly onOutcome?: (o: Outcome) => void,
  ) {
    this.rateLimits = ctx.config.worker.rateLimits;
    this.settler = new Settler(ctx.db, ctx.now);
    this.loaders = new WorkerLoaders(ctx.db, ctx.now);
  }

  keys(): string[] {
    return this.ctx.providers.enabled();
  }

  keyOf(item: PresaveItem): string {
    return item.row.service;
  }

  get backlog(): number {
    return this.settler.backlog;
  }

  async plan(): Promise<PausePlan> {
    const paused = await pausedPairs(this.ctx.db);
    this.notePauses(paused);
    return paused;
  }

  async claim(paused: PausePlan, round: ClaimRound, p: ClaimParams): Promise<PresaveItem[]> {
    const open = this.keys().filter((s) => !round.blocked.has(s));
    const rows = await claimDuePresaves(this.ctx.db, this.ctx.dialect, {
      ...p,
      excludeServices: [...round.blocked.keys()],
      ...paused,
      // A service whose budget is the bottleneck gets saves first: verifications and follows wait their turn.
      savesFirst: open.some((s) => round.governor.contended(s)),
    });
    this.stats.claimed += rows.length;
    return rows.map((row) => {
      // All the claim's grants in one query, while the first rows start.
      const grant = this.loaders.grant.load(row.grant_id);
      grant.catch(() => {}); // a row that never starts must not leave an unhandled rejection
      return { row, grant };
    });
  }

  nextDueAt(paused: PausePlan | null, round: ClaimRound): Promise<number | null> {
    return nextDueAt(this.ctx.db, { excludeServices: [...round.blocked.keys()], ...paused });
  }

  async run({ row, grant }: PresaveItem, lent: Lent): Promise<void> {
    const deps = {
      ctx: this.ctx,
      owner: lent.owner,
      governor: lent.governor,
      settler: this.settler,
      loaders: this.loaders,
      servicesDone: lent.done,
      mailer: this.mailer,
      followPaused: (campaignId: number, service: string) => this.followPauses.has(`${campaignId}:${service}`),
    };
    try {
      const o = await processPresave(deps, row, { grant });
      this.stats[o.result === 'retry' ? 'retried' : o.result]++;
      this.onOutcome?.(o);
    } catch (err) {
      this.ctx.log.error({ err, presave: row.id }, 'settling a pre-save failed; its lease will expire and it will be retried');
    }
  }

  unclaim({ row }: PresaveItem): Promise<boolean> {
    return this.settler.settle({ id: row.id, grantId: row.grant_id, leaseToken: row.lease_token! }, { kind: 'unclaim' });
  }

  flush(): Promise<void> {
    return this.settler.flush();
  }

  /** Every few minutes: delete tokens kept for failed pre-saves once their re-drive window has passed. */
  async maintain(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const n = await releaseIdleGrants(this.ctx.db, { idleSince: now - this.ctx.config.worker.failedGrantRetentionMs }, now);
    if (n) this.ctx.log.info({ released: n }, "deleted fans' tokens no pre-save needs any more");
  }

  listen(wake: () => void): () => Promise<void> {
    return listenForWork(this.ctx.config, wake, this.ctx.log);
  }

  /** Remembers what is paused; a campaign whose pause was lifted is read afresh (the editor fixed it). */
  private notePauses(paused: { excludePairs: { campaignId: number }[]; followPairs: { campaignId: number; service: string }[] }): void {
    const now = new Set([...paused.excludePairs, ...paused.followPairs].map((p) => p.campaignId));
    for (const id of this.pausedCampaigns) if (!now.has(id)) this.loaders.forgetCampaign(id);
    this.pausedCampaigns = now;
    this.followPauses = new Set(paused.followPairs.map((p) => `${p.campaignId}:${p.service}`));
  }
}
