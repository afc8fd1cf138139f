import type { AppContext } from '../context.js';
import type { ConversionPlatform } from '../db/schema-conversions.js';
import { backoffMs } from '../delivery/backoff.js';
import { GOVERNOR_TUNING } from '../delivery/governor-tuning.js';
import type { ClaimParams, ClaimRound, Lent, WorkKind } from '../delivery/kind.js';
import type { Lease } from '../delivery/queue-spec.js';
import type { Settler } from '../delivery/settler.js';
import { claimDueConversions, conversionSettler, nextDueConversion, type ConversionOutcome, type ConversionRow } from './events/index.js';
import type { EventPayload } from './events/payload.js';
import { governorKey, PLATFORMS } from './platforms.js';
import { sendGa4 } from './send/ga4.js';
import { sendMeta } from './send/meta.js';
import type { SendResult } from './send/result.js';
import { sendTiktok } from './send/tiktok.js';
import { markRefused, sendingPlatforms } from './settings.js';

/** How long a send waits in the governor's line before the event is deferred instead. */
const GOVERNOR_WAIT_MS = 5_000;

/** `/metrics`-style counters: `platform|outcome` → count. */
export type ConversionStats = Map<string, number>;

/**
 * Conversion events (Meta CAPI, TikTok Events API, GA4 Measurement Protocol) as a kind of work
 * item for the one delivery loop (docs/delivery.md, docs/conversions.md): the row is the work item,
 * claimed with a lease, settled fenced, retried with backoff, governed per platform (`conv:meta`,
 * `conv:tiktok`, `conv:ga4`). A refused token is recorded on the campaign's settings (the editor
 * says so in words) and stops that platform's events; it is not retried.
 */
export class ConversionKind implements WorkKind<ConversionRow, null> {
  readonly name = 'conversion';
  readonly stats: ConversionStats = new Map();
  readonly rateLimits: Record<string, number>;
  private readonly settler: Settler<Lease, ConversionOutcome>;

  constructor(
    private readonly ctx: AppContext,
    private readonly backoff: { baseMs: number; capMs: number; random?: () => number } = { baseMs: 30_000, capMs: 3_600_000 },
  ) {
    const r = ctx.config.conversions.rates;
    this.rateLimits = { [governorKey('meta')]: r.meta, [governorKey('tiktok')]: r.tiktok, [governorKey('ga4')]: r.ga4 };
    this.settler = conversionSettler(ctx.db, ctx.now);
  }

  keys(): string[] {
    return PLATFORMS.map(governorKey);
  }

  keyOf(row: ConversionRow): string {
    return governorKey(row.platform);
  }

  get backlog(): number {
    return this.settler.backlog;
  }

  plan(): Promise<null> {
    return Promise.resolve(null);
  }

  private blockedPlatforms(round: ClaimRound): string[] {
    return [...round.blocked.keys()].filter((k) => k.startsWith('conv:')).map((k) => k.slice('conv:'.length));
  }

  claim(_plan: null, round: ClaimRound, p: ClaimParams): Promise<ConversionRow[]> {
    return claimDueConversions(this.ctx.db, this.ctx.dialect, { ...p, excludePlatforms: this.blockedPlatforms(round) });
  }

  nextDueAt(_plan: null, round: ClaimRound): Promise<number | null> {
    return nextDueConversion(this.ctx.db, this.blockedPlatforms(round));
  }

  async run(row: ConversionRow, lent: Lent): Promise<void> {
    let outcome: ConversionOutcome;
    try {
      outcome = await this.attempt(row, lent);
    } catch (err) {
      this.ctx.log.error({ err, conversion: row.id }, 'preparing a conversion event failed; it will be retried');
      outcome = this.retryOrFail(row, 'internal error');
    }
    try {
      const applied = await this.settler.settle({ id: row.id, leaseToken: row.lease_token! }, outcome);
      this.count(row.platform, applied ? outcome.kind : 'fenced');
    } finally {
      lent.done();
    }
  }

  unclaim(row: ConversionRow): Promise<boolean> {
    return this.settler.settle({ id: row.id, leaseToken: row.lease_token! }, { kind: 'unclaim' });
  }

  flush(): Promise<void> {
    return this.settler.flush();
  }

  private async attempt(row: ConversionRow, lent: Lent): Promise<ConversionOutcome> {
    const { ctx } = this;
    const creds = (await sendingPlatforms(ctx, row.campaign_id))[row.platform];
    if (!creds) return { kind: 'cancelled', error: 'the platform was removed from the campaign, or its token was refused' };
    const key = governorKey(row.platform);
    const permit = await lent.governor.acquire(key, 0, { maxWaitMs: GOVERNOR_WAIT_MS });
    if (!permit.ok) return { kind: 'defer', at: permit.reason === 'breaker' ? ctx.now() + GOVERNOR_TUNING.breakerParkMs : permit.until };

    const payload = JSON.parse(row.payload) as EventPayload;
    const sent = await this.send(row.platform, creds, row, payload);
    if (sent.ok) return { kind: 'sent' };
    switch (sent.kind) {
      case 'token':
        if (row.platform !== 'ga4') await markRefused(ctx.db, row.campaign_id, row.platform, sent.words, ctx.now());
        ctx.log.warn({ campaign: row.campaign_id, platform: row.platform }, 'a conversion platform refused the campaign’s token');
        return { kind: 'failed', error: sent.words };
      case 'permanent':
        return { kind: 'failed', error: sent.words };
      case 'retry_after': {
        const until = ctx.now() + sent.retryAfterMs;
        await lent.governor.onRetryAfter(key, until);
        return { kind: 'defer', at: until };
      }
      case 'transient':
        return this.retryOrFail(row, sent.words);
    }
  }

  private send(platform: ConversionPlatform, c: { id: string; secret: string }, row: ConversionRow, p: EventPayload): Promise<SendResult> {
    const cfg = this.ctx.config.conversions;
    switch (platform) {
      case 'meta':
        return sendMeta(cfg.metaUrl, c.id, c.secret, row.event, row.event_id, p);
      case 'tiktok':
        return sendTiktok(cfg.tiktokUrl, c.id, c.secret, row.event, row.event_id, p);
      case 'ga4':
        return sendGa4(cfg.ga4Url, c.id, c.secret, row.event, row.event_id, p);
    }
  }

  private retryOrFail(row: ConversionRow, error: string): ConversionOutcome {
    const failures = row.failures + 1;
    if (failures >= this.ctx.config.conversions.maxFailures) return { kind: 'failed', error: `${error} (gave up after ${failures} tries)` };
    const { baseMs, capMs, random } = this.backoff;
    return { kind: 'retry', at: this.ctx.now() + Math.max(1000, backoffMs(failures, baseMs, capMs, random)), error };
  }

  private count(platform: string, outcome: string): void {
    const key = `${platform}|${outcome}`;
    this.stats.set(key, (this.stats.get(key) ?? 0) + 1);
  }
}
