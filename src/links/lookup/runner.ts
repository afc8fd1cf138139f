import type { AppContext } from '../../context.js';
import { getCampaignById, type Campaign } from '../../campaigns/repo.js';
import { RateGovernor } from '../../delivery/governor.js';
import { ProviderError } from '../../providers/types.js';
import { serviceName } from '../../providers/services.js';
import { dismissedServices, forgetFoundLinks, storeFoundLinks } from '../../smartlink/found-links.js';
import { campaignLinks } from '../../smartlink/links.js';
import { DropdayError } from '../../errors.js';
import { nextLookupAt, retryAfterFailureAt } from './schedule.js';
import { configuredSources } from './sources.js';
import type { LookupSource, LookupTarget } from './source.js';
import { claimDueLookups, seedLookups, settleLookup, wakeLookup, type LookupOutcome, type LookupRow } from './state.js';

/**
 * Store links found automatically, in the worker process (docs/store-links.md): on a timer of its
 * own, apart from the fan-out loop, it seeds a schedule for each campaign with a UPC or ISRCs,
 * claims due look-ups, asks each source within its rate budget (the database-shared governor, so
 * every worker process together stays within it, and a 429's Retry-After holds them all), stores
 * what was found (never over the artist's own links, never a removed one) and says when to look
 * again. Nothing here runs on a request: a page only reads the links stored.
 */
const CLAIM_BATCH = 20;
const MAX_BATCHES_PER_RUN = 25;
/** The governor's rank for a look-up: after any fan's work that shares this process's line. */
const LOOKUP_RANK = 9;

type Outcome = LookupOutcome & { storeUrlFound?: boolean };
/** A source whose breaker is open (quota) is asked again after this long. */
const BREAKER_RETRY_MS = 60 * 60_000;

export class LinkLookupRunner {
  private readonly sources: Map<string, LookupSource>;
  private readonly governor: RateGovernor;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly ctx: AppContext) {
    const { sources, rates } = configuredSources(ctx);
    this.sources = new Map(sources.map((s) => [s.id, s]));
    this.governor = new RateGovernor(ctx.db, ctx.now, { ...ctx.config.worker.rateLimits, ...rates });
  }

  /** Looks every LINK_LOOKUP_POLL_MS; a run still going when the next is due is not doubled. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.ctx.config.linkLookup.pollMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await Promise.allSettled([...this.sources.values()].map((s) => s.close()));
  }

  private tick(): Promise<unknown> {
    this.running ??= this.runOnce()
      .catch((err: unknown) => this.ctx.log.warn({ err }, 'store link look-up run failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  /** One pass: seed, then look up what is due. Returns how many look-ups were settled. */
  async runOnce(): Promise<number> {
    const now = this.ctx.now();
    const sources = [...this.sources.keys()];
    // A new UPC is another release: what was found for the old one (and not accepted) goes.
    for (const id of await seedLookups(this.ctx.db, sources, now)) await forgetFoundLinks(this.ctx.db, id);
    let settled = 0;
    // Batch after batch while look-ups are due: every outcome moves its row's next_at past now, so
    // this ends; the cap keeps one run from holding the worker's database connection too long.
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const rows = await claimDueLookups(this.ctx.db, sources, this.ctx.now(), CLAIM_BATCH);
      if (rows.length === 0) break;
      await this.lookUp(rows);
      settled += rows.length;
    }
    return settled;
  }

  private async lookUp(rows: LookupRow[]): Promise<void> {
    const wake = new Set<number>();
    const askedOdesli = new Set<number>();
    for (const row of rows) {
      const outcome = await this.lookOne(row).catch((err: unknown): Outcome => ({
        state: 'waiting',
        nextAt: this.ctx.now() + 10 * 60_000,
        asked: false,
        found: false,
        result: `could not look: ${err instanceof Error ? err.message : String(err)}`,
      }));
      await settleLookup(this.ctx.db, row, outcome, this.ctx.now());
      if (outcome.storeUrlFound) wake.add(row.campaignId);
      if (row.source === 'odesli' && outcome.asked) askedOdesli.add(row.campaignId);
    }
    // After the settles, so an Odesli look-up that found no URL to start from earlier in this batch
    // is woken too (one that already asked, with the links found so far, is not asked twice).
    if (this.sources.has('odesli')) {
      for (const id of wake) if (!askedOdesli.has(id)) await wakeLookup(this.ctx.db, id, 'odesli', this.ctx.now());
    }
  }

  private async lookOne(row: LookupRow): Promise<Outcome> {
    const now = this.ctx.now();
    const source = this.sources.get(row.source);
    const campaign = await getCampaignById(this.ctx.db, row.campaignId).catch((err: unknown) => {
      if (err instanceof DropdayError && err.code === 'CAMPAIGN_NOT_FOUND') return null;
      throw err;
    });
    const stop = (result: string): Outcome => ({ state: 'stopped', nextAt: now, asked: false, found: false, result });
    if (!source) return stop('this source is no longer configured');
    if (!campaign || campaign.status !== 'active') return stop('the campaign is archived');
    const regular = nextLookupAt(now, campaign.first_release_at);
    if (regular === null) return stop('stopped two weeks after release');

    const target = await this.targetOf(campaign);
    const dismissed = new Set(await dismissedServices(this.ctx.db, campaign.id));
    const missing = () => source.fills.filter((s) => !target.links.has(s) && !dismissed.has(s));
    if (missing().length === 0)
      return { state: 'done', nextAt: now, asked: false, found: false, result: 'every link it can give is there' };
    const notYet = source.notYet(target);
    if (notYet) return { state: 'waiting', nextAt: regular, asked: false, found: false, result: notYet };

    const permit = await this.governor.acquire(source.governorKey, LOOKUP_RANK);
    if (!permit.ok) {
      const until = Number.isFinite(permit.until) ? permit.until : now + BREAKER_RETRY_MS;
      return { state: 'waiting', nextAt: Math.max(until, now + 1000), asked: false, found: false };
    }
    try {
      const found = await source.find(target);
      const written = await storeFoundLinks(this.ctx.db, campaign.id, found, this.ctx.now());
      // Only what was stored counts as there (a URL off the service's hosts was not).
      for (const f of found) if (written.includes(f.service)) target.links.set(f.service, f.url);
      if (written.length) this.ctx.log.info({ campaignId: campaign.id, source: source.id, services: written }, 'store links found');
      const result = written.length
        ? `found ${written.map(serviceName).join(', ')}`
        : found.length
          ? 'nothing new'
          : 'not in the catalog yet';
      const done = missing().length === 0;
      const storeUrlFound = written.length > 0 && source.id !== 'odesli';
      return {
        state: done ? 'done' : 'waiting',
        nextAt: done ? now : regular,
        asked: true,
        found: found.length > 0,
        result,
        storeUrlFound,
      };
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      if (err.kind === 'retry_after' || err.kind === 'quota') {
        const until = err.details.retryAt ?? now + 60_000;
        await this.governor.onRetryAfter(source.governorKey, until);
        return {
          state: 'waiting',
          nextAt: Math.max(until, now + 1000),
          asked: true,
          found: false,
          result: `${err.message}; asking again later`,
        };
      }
      const later = err.kind === 'transient' ? retryAfterFailureAt(now, campaign.first_release_at) : regular;
      return { state: 'waiting', nextAt: later ?? now, asked: true, found: false, result: err.message };
    }
  }

  private async targetOf(c: Campaign): Promise<LookupTarget> {
    const links = new Map((await campaignLinks(this.ctx.db, c.id)).map((l) => [l.service, l.url]));
    return { campaignId: c.id, upc: c.upc, isrcs: c.isrcs, artistName: c.artist_name, title: c.title, links };
  }
}
