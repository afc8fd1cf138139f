import type { AppContext } from '../context.js';
import { DeliveryLoop } from '../delivery/loop.js';
import type { RateGovernor } from '../delivery/governor.js';
import type { WorkerModes } from '../delivery/worker-modes.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { MessageKind, type MessageKindOptions, type MessageStats } from '../reach/messages/kind.js';
import { PresaveKind, type WorkerStats } from './presave-kind.js';
import type { Outcome } from './process.js';

export type { WorkerStats } from './presave-kind.js';

/**
 * The fulfillment worker that `serve` and `worker` run: the delivery loop (delivery/loop.ts) over
 * the kinds of work item Dropday delivers — pre-saves (presave-kind.ts) and messages to fans (mail
 * and web push: reach/messages/kind.ts). A new kind (webhooks) joins the list here; it shares the
 * loop's slots, claim sizing and governor.
 */
export class FulfillmentWorker {
  private readonly loop: DeliveryLoop;
  private readonly presaves: PresaveKind;
  private readonly messages: MessageKind;

  constructor(ctx: AppContext, onOutcome?: (o: Outcome) => void, opts: { mailer?: Mailer; messages?: MessageKindOptions } = {}) {
    // Pause notices go to the workspace's editors through the same mail settings as account mail.
    const mailer = opts.mailer ?? createMailer({ ...ctx.config.accounts.mail, log: ctx.log });
    this.presaves = new PresaveKind(ctx, mailer, onOutcome);
    this.messages = new MessageKind(ctx, opts.messages);
    this.loop = new DeliveryLoop(ctx, [this.presaves, this.messages]);
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

  /** This process's message counters by type, channel and outcome (`/metrics`). */
  get messageStats(): MessageStats {
    return this.messages.stats;
  }

  start(): void {
    this.loop.start();
  }

  /** Stops claiming, hands back what never started, lets in-flight work settle. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.messages.close();
  }

  /** Asks an idle loop to look for due work now. */
  nudge(): void {
    this.loop.nudge();
  }
}
