import type { Db } from '../db/index.js';
import { localPageGeneration } from '../db/page-changes.js';

/**
 * Rendered public pages, kept in memory per process so a page view reads no database.
 *
 * An entry is one campaign's data (keyed by its slug) plus the bytes rendered from it, one per
 * variant (language, release state, the order of the services for the visitor). It is served
 * only while it is known to be current:
 *
 * - **Other processes' changes** move the campaign's row in `page_versions` (triggers, in the same
 *   transaction as the change). An entry remembers the version it was read with. At most once per
 *   check interval, the first request that finds its entry older than the interval runs one query
 *   for the versions of every cached campaign (concurrent requests wait for that same query);
 *   entries whose version moved are dropped, the others are known current as of the moment the
 *   query started. So a change committed at T is never served after T + interval, and an idle
 *   process does no work at all.
 * - **This process's changes** show at once (db/page-changes.ts: a generation every write to those
 *   tables moves).
 * - **The release moment** is not a change: the release state is part of the variant key, taken
 *   from ctx.now() on every request.
 *
 * Bounded: at most `maxCampaigns` campaigns and `maxVariants` renderings each, and `maxBytes` of
 * rendered pages in all; the least recently used campaign goes first. Unknown slugs are not
 * cached (they are answered from the database, as before).
 */
export const PAGE_CHECK_INTERVAL_MS = 1000;

export interface PageCacheOptions {
  /** How long a page may be served before this process asks whether it changed (default 1000 ms). */
  checkIntervalMs?: number;
  /** Monotonic milliseconds for the check interval (tests drive it by hand); default performance.now. */
  clock?: () => number;
  maxCampaigns?: number;
  maxVariants?: number;
  maxBytes?: number;
}

/** A response as sent: body bytes and the headers the route sets. */
export interface CachedResponse {
  body: Buffer;
  headers: Record<string, string>;
}

export interface LoadedCampaign<D> {
  campaignId: number;
  /** The campaign's page_versions value, read in the same statement as (or before) the data. */
  version: number;
  data: D;
}

export class PageEntry<D> {
  readonly variants = new Map<string, CachedResponse>();
  bytes = 0;
  constructor(
    readonly key: string,
    readonly campaignId: number,
    readonly version: number,
    readonly data: D,
    readonly generation: number,
    /** Clock time from which this entry is known current (the load's start, then each check's start). */
    public freshAsOf: number,
  ) {}
}

export interface PageCacheStats {
  hits: number;
  loads: number;
  checks: number;
  dropped: number;
  campaigns: number;
  bytes: number;
}

export class PageCache<D> {
  readonly #db: Db;
  readonly #load: (key: string) => Promise<LoadedCampaign<D> | null>;
  readonly #interval: number;
  readonly #clock: () => number;
  readonly #maxCampaigns: number;
  readonly #maxVariants: number;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, PageEntry<D>>();
  readonly #loading = new Map<string, Promise<PageEntry<D> | null>>();
  #checking: Promise<void> | null = null;
  #bytes = 0;
  readonly #stats = { hits: 0, loads: 0, checks: 0, dropped: 0 };

  constructor(db: Db, load: (key: string) => Promise<LoadedCampaign<D> | null>, opts: PageCacheOptions = {}) {
    this.#db = db;
    this.#load = load;
    this.#interval = opts.checkIntervalMs ?? PAGE_CHECK_INTERVAL_MS;
    this.#clock = opts.clock ?? (() => performance.now());
    this.#maxCampaigns = opts.maxCampaigns ?? 2000;
    this.#maxVariants = opts.maxVariants ?? 64;
    this.#maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  /** The campaign's current entry (from memory when known current), or null when there is none. */
  async get(key: string): Promise<PageEntry<D> | null> {
    let entry = this.#entries.get(key);
    if (entry && entry.generation !== localPageGeneration()) {
      this.#drop(entry);
      entry = undefined;
    }
    if (entry && this.#clock() - entry.freshAsOf > this.#interval) {
      // A failed check leaves the entry unconfirmed: it is then read again like a miss.
      await this.check().catch(() => {});
      if (this.#entries.get(key) !== entry || this.#clock() - entry.freshAsOf > this.#interval) {
        if (this.#entries.get(key) === entry) this.#drop(entry);
        entry = undefined;
      }
    }
    if (entry) return this.#touch(entry);
    return this.#loadOnce(key);
  }

  /**
   * The campaign's entry only when it is known current right now, without waiting for anything:
   * the front (web/page-front.ts) answers from it; a miss there goes the whole way, through get().
   */
  peek(key: string): PageEntry<D> | null {
    const entry = this.#entries.get(key);
    if (!entry || entry.generation !== localPageGeneration() || this.#clock() - entry.freshAsOf > this.#interval) return null;
    return this.#touch(entry);
  }

  #touch(entry: PageEntry<D>): PageEntry<D> {
    this.#stats.hits++;
    // Most recently used last: Map keeps insertion order.
    this.#entries.delete(entry.key);
    this.#entries.set(entry.key, entry);
    return entry;
  }

  /** The rendering for `variant`, made (once) by `render` when missing. */
  variant(entry: PageEntry<D>, variant: string, render: () => CachedResponse): CachedResponse {
    const hit = entry.variants.get(variant);
    if (hit) return hit;
    const made = render();
    if (this.#entries.get(entry.key) !== entry) return made; // dropped meanwhile: serve, do not keep
    if (entry.variants.size >= this.#maxVariants) {
      const [oldestKey, oldest] = entry.variants.entries().next().value!;
      entry.variants.delete(oldestKey);
      entry.bytes -= oldest.body.length;
      this.#bytes -= oldest.body.length;
    }
    entry.variants.set(variant, made);
    entry.bytes += made.body.length;
    this.#bytes += made.body.length;
    this.#evictOverBudget(entry);
    return made;
  }

  /**
   * Asks the database whether any cached campaign changed; one query at a time (callers share it).
   * Exposed so tests (and a process that wants to) can run it now.
   */
  check(): Promise<void> {
    this.#checking ??= this.#runCheck().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  /** Forgets everything (tests; never needed for correctness). */
  clear(): void {
    for (const e of [...this.#entries.values()]) this.#drop(e);
  }

  stats(): PageCacheStats {
    return { ...this.#stats, campaigns: this.#entries.size, bytes: this.#bytes };
  }

  async #runCheck(): Promise<void> {
    const startedAt = this.#clock();
    const held = [...this.#entries.values()];
    if (held.length === 0) return;
    this.#stats.checks++;
    const ids = [...new Set(held.map((e) => e.campaignId))];
    const versions = new Map<number, number>();
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.#db
        .selectFrom('page_versions')
        .select(['campaign_id', 'version'])
        .where('campaign_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) versions.set(Number(r.campaign_id), Number(r.version));
    }
    for (const e of held) {
      if (this.#entries.get(e.key) !== e) continue;
      if ((versions.get(e.campaignId) ?? 0) !== e.version) this.#drop(e);
      else e.freshAsOf = Math.max(e.freshAsOf, startedAt);
    }
  }

  #loadOnce(key: string): Promise<PageEntry<D> | null> {
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#loadEntry(key).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  async #loadEntry(key: string): Promise<PageEntry<D> | null> {
    // Taken before reading: a change made while the read runs makes the entry stale, never hidden.
    const generation = localPageGeneration();
    const startedAt = this.#clock();
    const loaded = await this.#load(key);
    this.#stats.loads++;
    if (!loaded) return null;
    const entry = new PageEntry(key, loaded.campaignId, loaded.version, loaded.data, generation, startedAt);
    const old = this.#entries.get(key);
    if (old) this.#drop(old);
    this.#entries.set(key, entry);
    this.#evictOverBudget(entry);
    return entry;
  }

  #evictOverBudget(keep: PageEntry<D>): void {
    for (const e of this.#entries.values()) {
      if (this.#entries.size <= this.#maxCampaigns && this.#bytes <= this.#maxBytes) return;
      if (e !== keep) this.#drop(e);
    }
  }

  #drop(entry: PageEntry<D>): void {
    if (this.#entries.get(entry.key) !== entry) return;
    this.#entries.delete(entry.key);
    this.#bytes -= entry.bytes;
    this.#stats.dropped++;
  }
}
