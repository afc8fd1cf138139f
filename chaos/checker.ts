/**
 * The chaos checker: compares what the database says about every pre-save of a campaign with the
 * fake service's own record of what it saved, per account. Reusable by the chaos harness, the CI
 * test and anyone with a database and a fake.
 *
 * Definitions (one pre-save per account in a campaign; its expected URIs are the release's album,
 * plus the artist when the pre-save follows the artist):
 *
 * - lost: a pre-save the fan does not have although Dropday says it is done, or that never ended:
 *     · `saved` in the database but the fake lacks one of the URIs recorded as saved for that account;
 *     · still `pending` when the run ended (everything was due at the start, so "pending forever").
 * - unexpected: a save the fake holds that Dropday had no business making:
 *     · a URI saved for an account with no pre-save in the campaign;
 *     · a URI saved for an account that is not among that pre-save's expected URIs.
 * - mismatch: the database's account of a pre-save disagrees with the fake:
 *     · `failed` or `cancelled` in the database, yet the fake has (some of) its URIs in the library —
 *       the fan got the album while the artist's dashboard says it failed. Never tolerated: the
 *       engine verifies every save with `contains` before settling, so the only way to get here is
 *       a final attempt whose save landed and whose verification was lost, and that must be rare
 *       enough not to show (it needs every one of WORKER_MAX_ATTEMPTS attempts to fail);
 *     · `saved` in the database with `saved_uris` different from the expected URIs.
 *   A `failed` pre-save with nothing in the fake's library is not a mismatch: it is an honest
 *   failure (counted under `failed`, with its reasons).
 * - duplicate_calls_pct: library writes beyond one per pre-save (two when it follows: the album and
 *   the follow are separate writes), as a percentage of pre-saves:
 *   100 · Σ max(0, PUTs that reached the library for the account − writes) / pre-saves. PUTs the fake
 *   rejected before any effect (injected 5xx/429/reset/hang) are not counted (a retry after them
 *   is the first real write); `put_requests` reports every PUT received, for comparison.
 */
import type { LibraryEntry } from '../test/fakes/fanout/server.js';

export interface CheckerDb {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface CheckOptions {
  db: CheckerDb;
  campaignId: number;
  /** The fake's record, one entry per account (streamed or in memory). */
  library: AsyncIterable<LibraryEntry> | Iterable<LibraryEntry>;
  albumUri: string;
  artistUri: string;
  /** Rows read per query. */
  pageSize?: number;
  /** How many example account ids to keep per category. */
  examples?: number;
}

export interface CheckResult {
  presaves: number;
  saved: number;
  failed: number;
  cancelled: number;
  pending: number;
  lost: number;
  unexpected: number;
  mismatch: number;
  duplicate_calls_pct: number;
  breakdown: {
    lost_saved_not_in_library: number;
    lost_pending: number;
    unexpected_no_presave: number;
    unexpected_uri: number;
    mismatch_failed_but_saved: number;
    mismatch_cancelled_but_saved: number;
    mismatch_saved_uris: number;
  };
  puts: { effective: number; requests: number; repeat: number; accounts_with_repeats: number; accounts_put_by_several_callers: number };
  failure_reasons: Record<string, number>;
  examples: Record<string, string[]>;
}

interface Rec {
  uris: string[];
  puts: number;
  putRequests: number;
  tags: number;
}

type Row = {
  id: number | string;
  account_id: string;
  status: string;
  follow_artist: number | string;
  follow_status: string | null;
  saved_uris: string | null;
  failure_reason: string | null;
};

export async function checkCampaign(o: CheckOptions): Promise<CheckResult> {
  const keep = o.examples ?? 5;
  const fake = new Map<string, Rec>();
  for await (const e of o.library as AsyncIterable<LibraryEntry>) {
    fake.set(e.account, { uris: e.uris, puts: e.puts, putRequests: e.putRequests, tags: e.tags.length });
  }
  const r: CheckResult = {
    presaves: 0,
    saved: 0,
    failed: 0,
    cancelled: 0,
    pending: 0,
    lost: 0,
    unexpected: 0,
    mismatch: 0,
    duplicate_calls_pct: 0,
    breakdown: {
      lost_saved_not_in_library: 0,
      lost_pending: 0,
      unexpected_no_presave: 0,
      unexpected_uri: 0,
      mismatch_failed_but_saved: 0,
      mismatch_cancelled_but_saved: 0,
      mismatch_saved_uris: 0,
    },
    puts: { effective: 0, requests: 0, repeat: 0, accounts_with_repeats: 0, accounts_put_by_several_callers: 0 },
    failure_reasons: {},
    examples: {},
  };
  const note = (category: keyof CheckResult['breakdown'], account: string) => {
    r.breakdown[category]++;
    const list = (r.examples[category] ??= []);
    if (list.length < keep) list.push(account);
  };

  const pageSize = o.pageSize ?? 10_000;
  let after = 0;
  for (;;) {
    const rows = await o.db.all<Row>(
      `SELECT id, account_id, status, follow_artist, follow_status, saved_uris, failure_reason FROM presaves
        WHERE campaign_id = ? AND id > ? ORDER BY id LIMIT ?`,
      [o.campaignId, after, pageSize],
    );
    if (!rows.length) break;
    after = Number(rows[rows.length - 1]!.id);
    for (const row of rows) {
      r.presaves++;
      const follows = Number(row.follow_artist) === 1;
      const expected = new Set([o.albumUri, ...(follows ? [o.artistUri] : [])]);
      // The album and the follow are separate writes: one PUT each is no duplicate. A saved
      // pre-save records the artist only once its follow is done.
      const writes = follows ? 2 : 1;
      const recorded = new Set([o.albumUri, ...(follows && row.follow_status === 'done' ? [o.artistUri] : [])]);
      const rec = fake.get(row.account_id);
      fake.delete(row.account_id);
      const has = new Set(rec?.uris ?? []);
      if (rec) {
        r.puts.effective += rec.puts;
        r.puts.requests += rec.putRequests;
        if (rec.puts > writes) {
          r.puts.repeat += rec.puts - writes;
          r.puts.accounts_with_repeats++;
        }
        if (rec.tags > 1) r.puts.accounts_put_by_several_callers++;
        for (const u of has) if (!expected.has(u)) note('unexpected_uri', row.account_id);
      }
      switch (row.status) {
        case 'saved': {
          r.saved++;
          const savedUris = row.saved_uris ? (JSON.parse(row.saved_uris) as string[]) : [];
          if (savedUris.length === 0 || savedUris.some((u) => !has.has(u))) note('lost_saved_not_in_library', row.account_id);
          if (savedUris.length !== recorded.size || savedUris.some((u) => !recorded.has(u))) note('mismatch_saved_uris', row.account_id);
          break;
        }
        case 'pending':
          r.pending++;
          note('lost_pending', row.account_id);
          break;
        case 'failed':
          r.failed++;
          r.failure_reasons[row.failure_reason ?? 'unknown'] = (r.failure_reasons[row.failure_reason ?? 'unknown'] ?? 0) + 1;
          if (has.size) note('mismatch_failed_but_saved', row.account_id);
          break;
        case 'cancelled':
          r.cancelled++;
          if (has.size) note('mismatch_cancelled_but_saved', row.account_id);
          break;
      }
    }
  }
  for (const [account, rec] of fake) {
    if (rec.uris.length) note('unexpected_no_presave', account);
  }
  const b = r.breakdown;
  r.lost = b.lost_saved_not_in_library + b.lost_pending;
  r.unexpected = b.unexpected_no_presave + b.unexpected_uri;
  r.mismatch = b.mismatch_failed_but_saved + b.mismatch_cancelled_but_saved + b.mismatch_saved_uris;
  r.duplicate_calls_pct = r.presaves ? Math.round((10_000 * r.puts.repeat) / r.presaves) / 100 : 0;
  return r;
}

/** The targets of the chaos harness: 0, 0, 0 and ≤ 1 %. */
export function meetsTargets(
  r: Pick<CheckResult, 'lost' | 'unexpected' | 'mismatch' | 'duplicate_calls_pct'>,
  maxDuplicatePct = 1,
): boolean {
  return r.lost === 0 && r.unexpected === 0 && r.mismatch === 0 && r.duplicate_calls_pct <= maxDuplicatePct;
}
