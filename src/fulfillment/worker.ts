import type { AppContext } from '../context.js';
import { DeliveryLoop } from '../delivery/loop.js';
import type { RateGovernor } from '../delivery/governor.js';
import type { WorkerModes } from '../delivery/worker-modes.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { PresaveKind, type WorkerStats } from './presave-kind.js';
import type { Outcome } from './process.js';

export type { WorkerStats } from './presave-kind.js';

/**
 * The fulfillment worker that `serve` and `worker` run: the delivery loop (delivery/loop.ts) over
 * the kinds of work item Dropday delivers — today pre-saves (presave-kind.ts). A new kind (mail,
 * push, webhooks) joins the list here; it shares the loop's slots, claim sizing and governor.
 */
export class FulfillmentWorker {
  private readonly loop: DeliveryLoop;
  private readonly presaves: PresaveKind;

  constructor(ctx: AppContext, onOutcome?: (o: Outcome) => void, opts: { mailer?: Mailer } = {}) {
    // Pause notices go to the workspace's editors through the same mail settings as account mail.
    const mailer = opts.mailer ?? createMailer({ ...ctx.config.accounts.mail, log: ctx.log });
    this.presaves = new PresaveKind(ctx, mailer, onOutcome);
    this.loop = new DeliveryLoop(ctx, [this.presaves]);
  }

  get owner(): string {
    return this.loop.owner;
  }

  get governor(): RateGovernor {
    return this.loop.governor;
  }

  get modes(): WorkerModes {
    return this.loop.modes;
  }

  /** This process's pre-save counters (`/metrics`). */
  get stats(): WorkerStats {
    return this.presaves.stats;
  }

  start(): void {
    this.loop.start();
  }

  /** Stops claiming, hands back what never started, lets in-flight work settle. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Asks an idle loop to look for due work now. */
  nudge(): void {
    this.loop.nudge();
  }
}
