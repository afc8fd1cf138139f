import { toCampaign, type Campaign } from '../campaigns/repo.js';
import type { Db } from '../db/index.js';
import { editorDb } from '../editor/db.js';
import type { GrantRow } from '../grants/repo.js';
import type { ResolvedRelease } from '../providers/types.js';
import { findMatch } from '../releases/matches.js';
import { Batcher, TtlCache } from './batcher.js';

/**
 * What the worker reads per pre-save, loaded in batches: grants (one query per tick), campaigns
 * and release matches (cached for seconds: they rarely change, and a million fans share them),
 * and the "still wanted?" check made just before each save.
 */
export class WorkerLoaders {
  readonly grant: Batcher<number, GrantRow | null>;
  readonly stillPending: Batcher<number, boolean>;
  private readonly campaigns: TtlCache<number, Campaign | null>;
  private readonly artistIds: TtlCache<number, Map<string, string>>;
  private readonly matches: TtlCache<string, ResolvedRelease | null>;
  private readonly searches = new Map<string, Promise<ResolvedRelease | null>>();

  constructor(
    private readonly db: Db,
    now: () => number,
  ) {
    this.grant = new Batcher(async (ids) => {
      const rows = await db.selectFrom('grants').selectAll().where('id', 'in', ids).execute();
      return new Map(rows.map((r) => [Number(r.id), { ...r, id: Number(r.id) }]));
    }, null);
    this.stillPending = new Batcher(
      async (ids) => {
        const rows = await db.selectFrom('presaves').select('id').where('id', 'in', ids).where('status', '=', 'pending').execute();
        const pending = new Set(rows.map((r) => Number(r.id)));
        return new Map(ids.map((id) => [id, pending.has(id)]));
      },
      false,
      // Pre-saves reach their last look at slightly different times; a few milliseconds of
      // waiting turns one query per pre-save into one per dozens.
      3,
    );
    this.campaigns = new TtlCache(
      5_000,
      async (id) => {
        const row = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toCampaign(row) : null;
      },
      now,
    );
    this.artistIds = new TtlCache(
      5_000,
      async (id) => {
        const rows = await editorDb(db)
          .selectFrom('campaign_artist_ids')
          .select(['service', 'artist_uri'])
          .where('campaign_id', '=', id)
          .execute();
        return new Map(rows.map((r) => [r.service, r.artist_uri]));
      },
      now,
    );
    // A found release is stable; not-found is cached only briefly so a release that appears is seen soon.
    this.matches = new TtlCache(
      30_000,
      (key) => {
        const [campaignId, service, market] = JSON.parse(key) as [number, string, string | null];
        return findMatch(this.db, campaignId, service, market);
      },
      now,
    );
  }

  campaign(id: number): Promise<Campaign | null> {
    return this.campaigns.get(id);
  }

  /** The artist profile the campaign's editor named for a service, if any (who "follow the artist" follows). */
  async artistFor(campaignId: number, service: string): Promise<string | null> {
    return (await this.artistIds.get(campaignId)).get(service) ?? null;
  }

  match(campaignId: number, service: string, market: string | null): Promise<ResolvedRelease | null> {
    return this.matches.get(JSON.stringify([campaignId, service, market]));
  }

  /**
   * Forgets what is cached about a campaign (its artist ids, matches): called when it is paused
   * or resumed, so the first pre-save after an editor's fix reads the corrected ids.
   */
  forgetCampaign(campaignId: number): void {
    this.campaigns.delete(campaignId);
    this.artistIds.delete(campaignId);
    this.matches.deleteWhere((key) => (JSON.parse(key) as [number])[0] === campaignId);
  }

  forgetMatch(campaignId: number, service: string, market: string | null): void {
    this.matches.delete(JSON.stringify([campaignId, service, market]));
  }

  /**
   * One release search per campaign, service and market at a time: when a release falls due,
   * every fan's first pre-save finds no match yet, and they must not all search the service.
   * Waiters share the leader's answer (found or not yet out); if the leader's search failed
   * (its fan's token, a 5xx) they search with their own.
   */
  async searchOnce(
    campaignId: number,
    service: string,
    market: string | null,
    search: () => Promise<ResolvedRelease | null>,
  ): Promise<ResolvedRelease | null> {
    const key = JSON.stringify([campaignId, service, market]);
    const running = this.searches.get(key);
    if (running) {
      try {
        return await running;
      } catch {
        // fall through: search with this pre-save's own authorization
      }
    }
    const p = search();
    this.searches.set(key, p);
    try {
      return await p;
    } finally {
      if (this.searches.get(key) === p) this.searches.delete(key);
    }
  }
}
