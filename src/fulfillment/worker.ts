import type { AppContext } from '../context.js';
import { DeliveryLoop } from '../delivery/loop.js';
import type { RateGovernor } from '../delivery/governor.js';
import type { WorkerModes } from '../delivery/worker-modes.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { MessageKind, type MessageKindOptions, type MessageStats } from '../reach/messages/kind.js';
import { WebPushSender } from '../reach/push/sender.js';
import { pushGone } from '../reach/push/stop.js';
import { vapidKeys } from '../reach/push/vapid.js';
import { WebhookKind, type WebhookKindOptions } from '../webhooks/kind.js';
import { PresaveKind, type WorkerStats } from './presave-kind.js';
import { ConversionKind } from '../conversions/kind.js';
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
  private readonly webhooks: WebhookKind;
  private readonly conversions: ConversionKind;
  /** The web push sender this worker made (its connection pool closes with the worker). */
  private readonly webPush: WebPushSender | null;

  constructor(
    ctx: AppContext,
    onOutcome?: (o: Outcome) => void,
    opts: { mailer?: Mailer; messages?: MessageKindOptions; webhooks?: WebhookKindOptions } = {},
  ) {
    // Pause notices go to the workspace's editors through the same mail settings as account mail.
    const mailer = opts.mailer ?? createMailer({ ...ctx.config.accounts.mail, log: ctx.log });
    this.presaves = new PresaveKind(ctx, mailer, onOutcome);
    // Web push: signed with this server's VAPID keys (reach/push/vapid.ts); a 404/410 from the push
    // service deletes the subscription. A test may pass its own sender, or null for none.
    this.webPush =
      opts.messages?.pushSender === undefined ? new WebPushSender(vapidKeys(ctx), ctx.config.reach.push.subject, ctx.now) : null;
    this.messages = new MessageKind(ctx, {
      onGone: (pushId) => pushGone(ctx.db, pushId),
      ...opts.messages,
      pushSender: opts.messages?.pushSender === undefined ? this.webPush : opts.messages.pushSender,
    });
    // Signed webhooks (webhooks/kind.ts); failing endpoints are told to the owners by account mail.
    this.webhooks = new WebhookKind(ctx, { mailer, ...opts.webhooks });
    this.conversions = new ConversionKind(ctx);
    this.loop = new DeliveryLoop(ctx, [this.presaves, this.messages, this.conversions, this.webhooks]);
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

  /** This process's webhook delivery counters by outcome (`/metrics`). */
  get webhookStats(): ReadonlyMap<string, number> {
    return this.webhooks.stats;
  }

  /** This process's conversion event counters by `platform|outcome` (`/metrics`). */
  get conversionStats(): ReadonlyMap<string, number> {
    return this.conversions.stats;
  }

  start(): void {
    this.loop.start();
  }

  /** Stops claiming, hands back what never started, lets in-flight work settle. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.messages.close();
    await this.webhooks.close();
    await this.webPush?.close();
  }

  /** Asks an idle loop to look for due work now. */
  nudge(): void {
    this.loop.nudge();
  }
}
