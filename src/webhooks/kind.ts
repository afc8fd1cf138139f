import type { AppContext } from '../context.js';
import type { ClaimParams, ClaimRound, Lent, WorkKind } from '../delivery/kind.js';
import type { Lease } from '../delivery/queue-spec.js';
import type { Settler } from '../delivery/settler.js';
import type { Mailer } from '../mail/index.js';
import { chatBody, chatKindOf, chatTarget } from './chat.js';
import {
  claimDueDeliveries,
  deliverySettler,
  nextDueDelivery,
  retryDelayMs,
  type DeliveryOutcome,
  type DeliveryRow,
} from './deliveries/index.js';
import { disableEndpoint, endpointFailed, endpointSucceeded, getEndpointById, type EndpointRow } from './endpoints.js';
import type { WebhookPayload } from './events.js';
import { notifyOwners } from './notify.js';
import { SafePoster, type PostResult } from './safe-fetch.js';
import { signingSecrets } from './secrets.js';
import { signatureHeaders } from './sign.js';
import { SweepMarks, sweepEvents } from './sweep.js';

/** How long a delivery waits in the governor's line before it is deferred instead. */
const GOVERNOR_WAIT_MS = 5_000;
/** One delivery's whole request (connect, send, answer). */
const POST_TIMEOUT_MS = 15_000;
/** How often the sweep looks for state changes to report (sweep.ts). */
const SWEEP_EVERY_MS = 2_000;

export interface WebhookKindOptions {
  /** Owners' notices (failing, disabled): account mail. */
  mailer?: Mailer;
  /** Name resolution for the safe poster (a test points a name at 127.0.0.1). */
  resolve?: (host: string) => Promise<string[]>;
  /**
   * The time in `webhook-timestamp`: receivers compare it with their own clock to refuse replays,
   * so it is the real time even where the app runs a simulated clock (tests). Default Date.now.
   */
  signingNow?: () => number;
}

/**
 * Webhook deliveries as a kind of work item for the delivery loop (docs/delivery.md,
 * docs/webhooks.md): the delivery row is the work item, claimed with a lease, settled fenced,
 * retried on a schedule of about three days, rate-governed per receiving host
 * (`webhook:<host>`). At-least-once: a worker that dies mid-send leaves the lease to expire and
 * another worker sends the same event again under the same `webhook-id` (receivers deduplicate
 * on it). Each round's housekeeping runs the sweep that records events (sweep.ts).
 */
export class WebhookKind implements WorkKind<DeliveryRow, null> {
  readonly name = 'webhook';
  readonly stats = new Map<string, number>();
  private readonly settler: Settler<Lease, DeliveryOutcome>;
  private readonly poster: SafePoster;
  private readonly signingNow: () => number;
  private keysSeen: string[] = [];
  private lastSweep = -Infinity;
  private readonly sweepMarks = new SweepMarks();
  private lastKeyRead = -Infinity;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: WebhookKindOptions = {},
  ) {
    this.settler = deliverySettler(ctx.db, ctx.now);
    this.poster = new SafePoster({
      allowPrivate: ctx.config.webhooks.allowPrivateTargets,
      timeoutMs: POST_TIMEOUT_MS,
      resolve: opts.resolve,
    });
    this.signingNow = opts.signingNow ?? Date.now;
  }

  keys(): string[] {
    return this.keysSeen;
  }

  rateFor(key: string): number | undefined {
    return key.startsWith('webhook:') ? this.ctx.config.webhooks.ratePerSecond : undefined;
  }

  keyOf(row: DeliveryRow): string {
    return row.channel_key;
  }

  get backlog(): number {
    return this.settler.backlog;
  }

  plan(): Promise<null> {
    return Promise.resolve(null);
  }

  claim(_plan: null, round: ClaimRound, p: ClaimParams): Promise<DeliveryRow[]> {
    return claimDueDeliveries(this.ctx.db, this.ctx.dialect, { ...p, excludeKeys: [...round.blocked.keys()] });
  }

  nextDueAt(_plan: null, round: ClaimRound): Promise<number | null> {
    return nextDueDelivery(this.ctx.db, [...round.blocked.keys()]);
  }

  /** Records events for what changed (sweep.ts), and reads the hosts with deliveries waiting. */
  async maintain(now: number): Promise<void> {
    if (now - this.lastSweep >= SWEEP_EVERY_MS || now < this.lastSweep) {
      this.lastSweep = now;
      await sweepEvents(this.ctx, now, this.sweepMarks).catch((err: unknown) =>
        this.ctx.log.error({ err }, 'the webhook sweep failed; it runs again next round'),
      );
    }
    if (now - this.lastKeyRead >= 30_000 || now < this.lastKeyRead) {
      this.lastKeyRead = now;
      const rows = await this.ctx.db
        .selectFrom('webhook_deliveries')
        .select('channel_key')
        .distinct()
        .where('status', '=', 'pending')
        .limit(1000)
        .execute();
      this.keysSeen = rows.map((r) => r.channel_key);
    }
  }

  async run(row: DeliveryRow, lent: Lent): Promise<void> {
    const lease = { id: row.id, leaseToken: row.lease_token! };
    let outcome: DeliveryOutcome;
    let endpoint: EndpointRow | undefined;
    try {
      endpoint = await getEndpointById(this.ctx.db, row.endpoint_id);
      outcome = endpoint
        ? await this.attempt(row, endpoint, lent)
        : { kind: 'failed', code: null, error: 'the endpoint was deleted', excerpt: null };
    } catch (err) {
      this.ctx.log.error({ err, delivery: row.public_id }, 'preparing a webhook delivery failed; it will be retried');
      outcome = this.retryOrFail(row, null, 'internal error', null);
    }
    let applied = false;
    try {
      applied = await this.settler.settle(lease, outcome);
    } finally {
      lent.done();
    }
    this.count(applied ? outcome.kind : 'fenced');
    if (applied && endpoint)
      await this.afterOutcome(endpoint, outcome).catch((err: unknown) => this.ctx.log.error({ err }, 'after a webhook delivery'));
  }

  unclaim(row: DeliveryRow): Promise<boolean> {
    return this.settler.settle({ id: row.id, leaseToken: row.lease_token! }, { kind: 'unclaim' });
  }

  flush(): Promise<void> {
    return this.settler.flush();
  }

  close(): Promise<void> {
    return this.poster.close();
  }

  private async attempt(row: DeliveryRow, endpoint: EndpointRow, lent: Lent): Promise<DeliveryOutcome> {
    const { ctx } = this;
    const event = await ctx.db
      .selectFrom('webhook_events')
      .select(['msg_id', 'payload'])
      .where('id', '=', row.event_id)
      .executeTakeFirstOrThrow();
    const permit = await lent.governor.acquire(row.channel_key, 1, { maxWaitMs: GOVERNOR_WAIT_MS });
    if (!permit.ok) return { kind: 'defer', at: permit.reason === 'breaker' ? ctx.now() + 60_000 : permit.until };
    // The send must end inside the lease, or another worker could start the same delivery meanwhile.
    // (A lease shorter than that — WORKER_LEASE_MS under 34 s — gets half of it, as messages do.)
    const room = Math.min(POST_TIMEOUT_MS + 2_000, ctx.config.worker.leaseMs / 2);
    if (row.lease_until !== null && ctx.now() + room > row.lease_until) return { kind: 'defer', at: ctx.now() };

    const chat = chatKindOf(endpoint.url);
    const body = chat ? chatBody(chat, JSON.parse(event.payload) as WebhookPayload) : event.payload;
    const url = chat ? chatTarget(endpoint.url, chat, ctx.config.webhooks) : endpoint.url;
    const headers = signatureHeaders(event.msg_id, new Date(this.signingNow()), body, signingSecrets(ctx, endpoint, ctx.now()));
    const res = await this.poster.post(url, body, headers);
    return this.outcomeOf(row, res);
  }

  private outcomeOf(row: DeliveryRow, res: PostResult): DeliveryOutcome {
    if (res.kind === 'refused') return this.retryOrFail(row, null, `refused: ${res.reason}`, null);
    if (res.kind === 'network') return this.retryOrFail(row, null, res.reason, null);
    const { status, excerpt } = res;
    if (status >= 200 && status < 300) return { kind: 'delivered', code: status, excerpt };
    if (status === 410)
      return { kind: 'failed', code: status, error: 'the receiver answered 410 Gone: the endpoint was turned off', excerpt };
    if (status >= 300 && status < 400) return this.retryOrFail(row, status, `answered ${status}: redirects are not followed`, excerpt);
    return this.retryOrFail(row, status, `answered ${status}`, excerpt);
  }

  private retryOrFail(row: DeliveryRow, code: number | null, error: string, excerpt: string | null): DeliveryOutcome {
    const delay = retryDelayMs(row.failures + 1);
    if (delay === null) return { kind: 'failed', code, error: `${error} (gave up after ${row.failures + 1} attempts)`, excerpt };
    return { kind: 'retry', at: this.ctx.now() + delay, code, error, excerpt };
  }

  /** The endpoint's failure streak: reset on success; mail the owners at the notice threshold; turn it off at the limit or on 410. */
  private async afterOutcome(endpoint: EndpointRow, o: DeliveryOutcome): Promise<void> {
    const { ctx } = this;
    const now = ctx.now();
    if (o.kind === 'delivered') return endpointSucceeded(ctx.db, endpoint.id, now);
    if (o.kind !== 'retry' && o.kind !== 'failed') return;
    if (o.code === 410) {
      if (await disableEndpoint(ctx.db, endpoint.id, 'the receiver answered 410 Gone', now)) {
        ctx.log.warn({ endpoint: endpoint.public_id }, 'webhook endpoint turned off: 410 Gone');
        await notifyOwners(ctx, this.opts.mailer, endpoint, { kind: 'disabled', reason: 'the receiver answered 410 Gone' });
      }
      return;
    }
    const streak = await endpointFailed(ctx.db, endpoint.id, now, ctx.config.webhooks.failureWindowMs);
    if (streak === null) return;
    const { failuresBeforeDisable, failuresBeforeNotice } = ctx.config.webhooks;
    const last = o.error;
    if (streak.failures >= failuresBeforeDisable) {
      const reason = `no delivery got through since ${new Date(streak.since).toISOString()} (${streak.failures} failures counted; the last: ${last})`;
      if (await disableEndpoint(ctx.db, endpoint.id, reason, now)) {
        ctx.log.warn({ endpoint: endpoint.public_id, failures: streak.failures }, 'webhook endpoint turned off after repeated failures');
        await notifyOwners(ctx, this.opts.mailer, endpoint, { kind: 'disabled', reason });
      }
    } else if (streak.failures >= failuresBeforeNotice) {
      await notifyOwners(ctx, this.opts.mailer, endpoint, { kind: 'failing', since: streak.since, last });
    }
  }

  private count(outcome: string): void {
    this.stats.set(outcome, (this.stats.get(outcome) ?? 0) + 1);
  }
}
