import type { AppContext } from '../../context.js';
import { backoffMs } from '../../delivery/backoff.js';
import { GOVERNOR_TUNING } from '../../delivery/governor-tuning.js';
import type { ClaimParams, ClaimRound, Lent, WorkKind } from '../../delivery/kind.js';
import type { Lease } from '../../delivery/queue-spec.js';
import type { Settler } from '../../delivery/settler.js';
import { suppressContact } from '../contacts/suppress.js';
import { createFanMailer, MAX_SMTP_SEND_MS, type FanMailer } from '../mail/transport.js';
import { MAIL_KEY, type PushSender, type SendOutcome } from './channel.js';
import { composeMessage } from './compose/index.js';
import { claimDueMessages, nextDueMessage, type MessageRow } from './lifecycle/claim.js';
import type { MessageOutcome } from './lifecycle/settle.js';
import { CampaignFactsCache, prepareMessage } from './load.js';
import { messageSettler } from './settler.js';

export { MAIL_KEY } from './channel.js';

/** Governor ranks (lower first when a budget is short): a fan waiting at the page for the confirmation goes first. */
const RANK = { confirm: 0, reauth: 1, forever_notice: 2, out_now: 2 } as const;

/** How long a send waits in the governor's line before the message is deferred instead. */
const GOVERNOR_WAIT_MS = 5_000;
/** A push request's timeout. */
const PUSH_TIMEOUT_MS = 10_000;
/** Margin kept between the end of a send and the end of the lease (the settle must land inside it). */
const LEASE_MARGIN_MS = 5_000;
/** Settle writes that failed (the database blipped) are tried again this many times while the lease lasts. */
const SETTLE_TRIES = 5;

export interface MessageKindOptions {
  /** Fan mail (default: SMTP_URL through reach/mail/transport.ts). */
  mailer?: FanMailer;
  /** Web push (helper: reach/push/); none: push messages settle `not_sent`. */
  pushSender?: PushSender | null;
  /** A push service answered 404/410: the subscription is gone (delete it). */
  onGone?: (pushId: number) => Promise<void>;
  /** Retry backoff for transient failures (delivery/backoff.ts). */
  backoff?: { baseMs: number; capMs: number; random?: () => number };
}

/** `/metrics`: messages by type, channel and outcome (sent, retried, failed, not_sent, cancelled, deferred). */
export type MessageStats = Map<string, number>;

/**
 * Messages (confirm, out_now, reauth, forever_notice; mail and web push) as a kind of work item
 * for the delivery loop (docs/delivery.md, docs/reach.md "Messages"): the row is the work item,
 * claimed with a lease, settled fenced, retried with backoff, rate-governed per channel
 * (`mail:smtp`, `push:<host>`).
 *
 * Never twice from an avoidable retry: a message is sent only while its lease has room for the
 * whole send plus the settle (else it is deferred unsent); its outcome is written — and retried
 * if the write fails — before its slot is freed, and every write is fenced, so a worker whose
 * lease was taken changes nothing. The one window left: the relay accepted the message and this
 * process died (or the database stayed unreachable past the lease) before the settle landed —
 * then the lease runs out and the message is sent again. At-least-once, never lost.
 */
export class MessageKind implements WorkKind<MessageRow, null> {
  readonly name = 'message';
  readonly stats: MessageStats = new Map();
  readonly rateLimits: Record<string, number>;
  private readonly settler: Settler<Lease, MessageOutcome>;
  private readonly mailer: FanMailer;
  private readonly pushSender: PushSender | null;
  private readonly onGone: (pushId: number) => Promise<void>;
  private readonly backoff: { baseMs: number; capMs: number; random?: () => number };
  private pushKeys: string[] = [];
  private lastKeyRead = -Infinity;
  private warnedNoMail = false;
  private warnedNoPush = false;
  private readonly campaigns = new CampaignFactsCache();

  constructor(
    private readonly ctx: AppContext,
    opts: MessageKindOptions = {},
  ) {
    this.rateLimits = { [MAIL_KEY]: ctx.config.reach.smtp.ratePerSecond };
    this.settler = messageSettler(ctx.db, ctx.now);
    this.mailer = opts.mailer ?? createFanMailer(ctx);
    this.pushSender = opts.pushSender ?? null;
    this.onGone = opts.onGone ?? (() => Promise.resolve());
    this.backoff = opts.backoff ?? { baseMs: 30_000, capMs: 3_600_000 };
  }

  keys(): string[] {
    return [MAIL_KEY, ...this.pushKeys];
  }

  /** A push service's budget (PUSH_RATE, per host): its keys are only known from the queue. */
  rateFor(key: string): number | undefined {
    return key.startsWith('push:') ? this.ctx.config.reach.push.ratePerSecond : undefined;
  }

  keyOf(row: MessageRow): string {
    return row.channel_key;
  }

  get backlog(): number {
    return this.settler.backlog;
  }

  plan(): Promise<null> {
    return Promise.resolve(null);
  }

  async claim(_plan: null, round: ClaimRound, p: ClaimParams): Promise<MessageRow[]> {
    const rows = await claimDueMessages(this.ctx.db, this.ctx.dialect, { ...p, excludeKeys: [...round.blocked.keys()] });
    this.count('all', 'all', 'claimed', rows.length);
    return rows;
  }

  nextDueAt(_plan: null, round: ClaimRound): Promise<number | null> {
    return nextDueMessage(this.ctx.db, [...round.blocked.keys()]);
  }

  /** The push hosts with messages waiting (their keys join keys(): blocked ones are left out of claims). */
  async maintain(now: number): Promise<void> {
    if (now - this.lastKeyRead < 30_000) return;
    this.lastKeyRead = now;
    const rows = await this.ctx.db
      .selectFrom('messages')
      .select('channel_key')
      .distinct()
      .where('status', '=', 'pending')
      .where('channel', '=', 'push')
      .limit(1000)
      .execute();
    this.pushKeys = rows.map((r) => r.channel_key);
  }

  async run(row: MessageRow, lent: Lent): Promise<void> {
    const lease = { id: row.id, leaseToken: row.lease_token! };
    let outcome: MessageOutcome;
    let after: (() => Promise<void>) | null = null;
    try {
      const r = await this.attempt(row, lent);
      outcome = r.outcome;
      after = r.after ?? null;
    } catch (err) {
      // Nothing was sent (a send never throws: it answers a SendOutcome): try again later.
      this.ctx.log.error({ err, message: row.id }, 'preparing a message failed; it will be retried');
      outcome = this.retryOrFail(row, `internal: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300));
    }
    let applied = false;
    try {
      applied = await this.settleDurably(row, lease, outcome);
    } finally {
      lent.done();
    }
    if (!applied) {
      this.count(row.type, row.channel, 'fenced');
      return;
    }
    this.count(row.type, row.channel, outcome.kind === 'unclaim' ? 'deferred' : outcome.kind === 'defer' ? 'deferred' : outcome.kind);
    if (after) await after().catch((err: unknown) => this.ctx.log.error({ err, message: row.id }, 'after a message settled'));
  }

  unclaim(row: MessageRow): Promise<boolean> {
    return this.settler.settle({ id: row.id, leaseToken: row.lease_token! }, { kind: 'unclaim' });
  }

  flush(): Promise<void> {
    return this.settler.flush();
  }

  /** Closes the SMTP pool (the worker is stopping). */
  close(): void {
    this.mailer.close();
  }

  /** One attempt: what to write, and what to do once it is written (suppress the address, forget the subscription). */
  private async attempt(row: MessageRow, lent: Lent): Promise<{ outcome: MessageOutcome; after?: () => Promise<void> }> {
    const { ctx } = this;
    const prepared = await prepareMessage(ctx, row, ctx.now(), this.campaigns);
    if (prepared.kind === 'skip') return { outcome: prepared.outcome };
    if (prepared.kind === 'mail' && !this.mailer.configured) {
      if (!this.warnedNoMail) {
        this.warnedNoMail = true;
        ctx.log.warn('SMTP_URL is not set: messages to fans are recorded as not sent (no_mail_configured)');
      }
      return { outcome: { kind: 'not_sent', reason: 'no_mail_configured' } };
    }
    if (prepared.kind === 'push' && !this.pushSender) {
      if (!this.warnedNoPush) {
        this.warnedNoPush = true;
        ctx.log.warn('web push is not set up in this worker: push messages are recorded as not sent (no_push_configured)');
      }
      return { outcome: { kind: 'not_sent', reason: 'no_push_configured' } };
    }
    const composed = composeMessage(ctx, prepared.compose);

    const permit = await lent.governor.acquire(row.channel_key, RANK[row.type], { maxWaitMs: GOVERNOR_WAIT_MS });
    if (!permit.ok) {
      const at = permit.reason === 'breaker' ? ctx.now() + GOVERNOR_TUNING.breakerParkMs : permit.until;
      return { outcome: { kind: 'defer', at } };
    }
    // The whole send and its settle must fit in the lease: else another worker could take the row
    // and send it again while this send is still under way.
    // (A lease shorter than that — WORKER_LEASE_MS under 45 s — gets half of it: mail still goes, with a wider window.)
    const sendMs = prepared.kind === 'mail' ? MAX_SMTP_SEND_MS : PUSH_TIMEOUT_MS;
    const room = Math.min(sendMs + LEASE_MARGIN_MS, ctx.config.worker.leaseMs / 2);
    if (row.lease_until !== null && ctx.now() + room > row.lease_until) {
      return { outcome: { kind: 'defer', at: ctx.now() } };
    }

    let sent: SendOutcome;
    if (prepared.kind === 'mail') {
      sent = await this.mailer.send({
        to: prepared.to,
        subject: composed.subject,
        text: composed.text,
        html: composed.html,
        unsubscribe: composed.unsubscribe,
      });
    } else {
      sent = await this.pushSender!.send(prepared.subscription, composed.push, {
        ttlSeconds: ctx.config.reach.push.ttlSeconds,
        timeoutMs: PUSH_TIMEOUT_MS,
      });
    }
    if (sent.ok) return { outcome: { kind: 'sent', variant: composed.variant } };
    switch (sent.kind) {
      case 'permanent':
        if (prepared.kind === 'mail') {
          const contactId = prepared.contactId;
          return {
            outcome: { kind: 'failed', reason: 'bounced', error: sent.reason },
            after: () => suppressContact(ctx.db, contactId, sent.reason, ctx.now()),
          };
        }
        return { outcome: { kind: 'failed', reason: 'rejected', error: sent.reason } };
      case 'gone': {
        const pushId = prepared.kind === 'push' ? prepared.pushId : null;
        return {
          outcome: { kind: 'failed', reason: 'gone', error: sent.reason },
          after: pushId === null ? undefined : () => this.onGone(pushId),
        };
      }
      case 'retry_after': {
        const until = ctx.now() + sent.retryAfterMs;
        await lent.governor.onRetryAfter(row.channel_key, until);
        return { outcome: { kind: 'defer', at: until } };
      }
      case 'transient':
        return { outcome: this.retryOrFail(row, sent.reason) };
    }
  }

  private retryOrFail(row: MessageRow, error: string): MessageOutcome {
    const failures = row.failures + 1;
    if (failures >= this.ctx.config.reach.messages.maxFailures) return { kind: 'failed', reason: 'retries_exhausted', error };
    const { baseMs, capMs, random } = this.backoff;
    // Never sooner than a second: a backoff of 0 (full jitter) would hammer a relay that is down.
    return { kind: 'retry', at: this.ctx.now() + Math.max(1000, backoffMs(failures, baseMs, capMs, random)), error };
  }

  /**
   * The settle, written before the slot is freed; a failed write (the database blipped) is tried
   * again while the lease lasts, so a sent message is not sent again for want of a retry here.
   */
  private async settleDurably(row: MessageRow, lease: Lease, outcome: MessageOutcome): Promise<boolean> {
    for (let i = 1; ; i++) {
      try {
        return await this.settler.settle(lease, outcome);
      } catch (err) {
        const leaseLeft = (row.lease_until ?? 0) - this.ctx.now();
        if (i >= SETTLE_TRIES || leaseLeft < 1000) {
          this.ctx.log.error({ err, message: row.id }, 'settling a message failed; its lease will expire and it will be tried again');
          throw err;
        }
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** i, leaseLeft / 2)));
      }
    }
  }

  private count(type: string, channel: string, outcome: string, n = 1): void {
    const key = `${type}|${channel}|${outcome}`;
    this.stats.set(key, (this.stats.get(key) ?? 0) + n);
  }
}
