import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { parseEvents } from './endpoints.js';
import type { WebhookEventType } from './events.js';
import { campaignData, iso, presaveData, type PresaveFacts } from './payloads.js';
import { recordEvent } from './deliveries/index.js';

/** Events recorded per type and workspace in one sweep (the next sweep takes the rest). */
const BATCH = 200;

interface Subscription {
  workspaceId: number;
  type: WebhookEventType;
  /** The earliest endpoint subscribed: nothing from before it is reported (no flood of history). */
  since: number;
  endpointIds: number[];
}

/**
 * Records the events that are states rather than requests — a pre-save saved, failed or
 * cancelled, a campaign released or delivered, an address confirmed, a referral counted — by
 * looking for states that have no event yet (`webhook_events.dedupe`). It cannot miss one: a
 * state stays until reported, whichever process wrote it and whether or not that process lived
 * to say so; and recording twice records nothing. It runs in the worker's loop
 * (kind.ts `maintain`), only for workspaces with an endpoint subscribed, and only for what
 * happened since that endpoint was made. `presave.created` is recorded with the pre-save itself,
 * in its transaction (web/routes/connect.ts).
 */
export async function sweepEvents(ctx: AppContext, now: number, marks?: SweepMarks): Promise<number> {
  let recorded = 0;
  marks?.clockAt(now);
  for (const s of await subscriptions(ctx)) {
    const from = Math.max(s.since, marks?.from(s) ?? -Infinity);
    const found = await candidates(ctx, s, now, from);
    for (const e of found) {
      if (await recordEvent(ctx.db, { workspaceId: s.workspaceId, type: s.type, ...e, endpointIds: s.endpointIds }, now)) recorded++;
    }
    // Everything of this kind up to here is reported (a full batch may have left some for next time).
    if (found.length < BATCH) marks?.reported(s, now);
  }
  return recorded;
}

/**
 * How far back each workspace's events of each kind are known to be reported, in one worker's
 * memory, so a sweep every two seconds reads the last hour of states instead of the whole history
 * since the endpoint was made. The sweep still cannot miss a state: a mark is set only after a
 * sweep recorded every state it found, it trails that sweep by MARGIN_MS (longer than any write's
 * way from its timestamp to its commit, and than the clock skew between machines), a new process
 * starts with no marks (a full sweep), a clock that moved backwards drops them all, and an older
 * endpoint turned on again (the subscription reaching further back) sweeps past the mark. Only the
 * kinds whose state carries the moment it was entered are marked; `campaign.*` (a handful of rows
 * per workspace, and "delivered" has no such moment) are always swept in full.
 */
export class SweepMarks {
  static readonly MARGIN_MS = 60 * 60_000;
  /** Per workspace and kind: the mark, and the subscription's `since` it was set under. */
  readonly #marks = new Map<string, { at: number; since: number }>();
  #lastNow = -Infinity;

  clockAt(now: number): void {
    if (now < this.#lastNow) this.#marks.clear();
    this.#lastNow = now;
  }

  /**
   * The mark, unless the subscription now reaches further back than when it was set (an older
   * endpoint turned on again): then what it missed while off is swept for in full.
   */
  from(s: Subscription): number | undefined {
    const m = this.#marks.get(`${s.workspaceId}|${s.type}`);
    return m && s.since >= m.since ? m.at : undefined;
  }

  reported(s: Subscription, now: number): void {
    if (MARKED.has(s.type)) this.#marks.set(`${s.workspaceId}|${s.type}`, { at: now - SweepMarks.MARGIN_MS, since: s.since });
  }
}

/** The kinds a mark applies to: their state's own timestamp says when it was entered. */
const MARKED = new Set<WebhookEventType>(['presave.saved', 'presave.failed', 'presave.cancelled', 'contact.confirmed', 'referral.counted']);

async function subscriptions(ctx: AppContext): Promise<Subscription[]> {
  const rows = await ctx.db
    .selectFrom('webhook_endpoints')
    .select(['id', 'workspace_id', 'events', 'created_at'])
    .where('enabled', '=', 1)
    .execute();
  const by = new Map<string, Subscription>();
  for (const r of rows) {
    for (const type of parseEvents(r)) {
      if (type === 'presave.created') continue;
      const key = `${String(r.workspace_id)}|${type}`;
      const s = by.get(key) ?? { workspaceId: Number(r.workspace_id), type, since: Number(r.created_at), endpointIds: [] };
      s.since = Math.min(s.since, Number(r.created_at));
      s.endpointIds.push(Number(r.id));
      by.set(key, s);
    }
  }
  return [...by.values()];
}

type Candidate = { dedupe: string; occurredAt: number; data: Record<string, unknown> };

/** `NOT EXISTS` an event with this dedupe (built the same way in SQL as in the event). */
function unreported(dedupe: ReturnType<typeof sql>) {
  return sql<boolean>`NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.dedupe = ${dedupe})`;
}

/** States not reported yet; `from`: the earliest state moment to look at (the endpoint's creation, or a mark). */
async function candidates(ctx: AppContext, s: Subscription, now: number, from: number): Promise<Candidate[]> {
  const { db } = ctx;
  const campaignCols = ['c.slug', 'c.title', 'c.artist_name'] as const;
  const presaveCols = [
    'p.id',
    'p.public_id',
    'p.service',
    'p.status',
    'p.market',
    'p.failure_reason',
    'p.created_at',
    'p.saved_at',
    'p.updated_at',
  ] as const;
  switch (s.type) {
    case 'presave.saved':
    case 'presave.failed':
    case 'presave.cancelled': {
      const status = s.type.slice('presave.'.length);
      // A saved pre-save never changes state again; a failed or cancelled one may be authorized
      // again and end the same way. Its `updated_at` is the moment it entered this state (no
      // write touches a failed or cancelled row without moving it out: presaves/lifecycle), so
      // it tells the two endings apart — `attempts` does not (re-authorizing resets it to 0).
      const dedupe =
        status === 'saved'
          ? sql`${`${s.type}:`} || CAST(p.id AS text)`
          : sql`${`${s.type}:`} || CAST(p.id AS text) || ':' || CAST(p.updated_at AS text)`;
      const rows = await db
        .selectFrom('presaves as p')
        .innerJoin('campaigns as c', 'c.id', 'p.campaign_id')
        .select([...campaignCols, ...presaveCols])
        .where('c.workspace_id', '=', s.workspaceId)
        .where('p.status', '=', status)
        .where(status === 'saved' ? 'p.saved_at' : 'p.updated_at', '>=', from)
        .where(unreported(dedupe))
        .orderBy('p.id')
        .limit(BATCH)
        .execute();
      return rows.map((r) => ({
        dedupe: status === 'saved' ? `${s.type}:${r.id}` : `${s.type}:${r.id}:${r.updated_at}`,
        occurredAt: Number(status === 'saved' ? r.saved_at : r.updated_at),
        data: presaveData(r, r as PresaveFacts),
      }));
    }
    case 'campaign.released': {
      const rows = await db
        .selectFrom('campaigns as c')
        .select([...campaignCols, 'c.id', 'c.first_release_at', 'c.timing'])
        .where('c.workspace_id', '=', s.workspaceId)
        .where('c.first_release_at', '<=', now)
        .where('c.first_release_at', '>=', s.since)
        .where(unreported(sql`${'campaign.released:'} || CAST(c.id AS text) || ':' || CAST(c.first_release_at AS text)`))
        .limit(BATCH)
        .execute();
      return rows.map((r) => ({
        dedupe: `campaign.released:${r.id}:${r.first_release_at}`,
        occurredAt: Number(r.first_release_at),
        data: { campaign: campaignData(r), timing: r.timing, released_at: iso(r.first_release_at) },
      }));
    }
    case 'campaign.delivered': {
      // Released everywhere, at least one pre-save, and none of them pending any more.
      const rows = await db
        .selectFrom('campaigns as c')
        .select([...campaignCols, 'c.id', 'c.last_release_at'])
        .where('c.workspace_id', '=', s.workspaceId)
        .where('c.last_release_at', '<=', now)
        .where('c.last_release_at', '>=', s.since)
        .where(sql<boolean>`EXISTS (SELECT 1 FROM presaves p WHERE p.campaign_id = c.id)`)
        .where(sql<boolean>`NOT EXISTS (SELECT 1 FROM presaves p WHERE p.campaign_id = c.id AND p.status = 'pending')`)
        .where(unreported(sql`${'campaign.delivered:'} || CAST(c.id AS text) || ':' || CAST(c.last_release_at AS text)`))
        .limit(BATCH)
        .execute();
      const out: Candidate[] = [];
      for (const r of rows) {
        const counts = await db
          .selectFrom('presaves')
          .select(['status', sql<number>`COUNT(*)`.as('n')])
          .where('campaign_id', '=', Number(r.id))
          .groupBy('status')
          .execute();
        const n = (st: string) => Number(counts.find((c) => c.status === st)?.n ?? 0);
        out.push({
          dedupe: `campaign.delivered:${r.id}:${r.last_release_at}`,
          occurredAt: now,
          data: {
            campaign: campaignData(r),
            counts: { saved: n('saved'), failed: n('failed'), cancelled: n('cancelled') },
            finished_at: iso(now),
          },
        });
      }
      return out;
    }
    case 'contact.confirmed': {
      const rows = await db
        .selectFrom('contacts as k')
        .innerJoin('campaigns as c', 'c.id', 'k.campaign_id')
        .select([...campaignCols, 'k.id', 'k.confirmed_at', 'k.lang'])
        .where('k.audience', '=', `w:${s.workspaceId}`)
        .where('k.status', '=', 'confirmed')
        .where('k.confirmed_at', '>=', from)
        .where(unreported(sql`${'contact.confirmed:'} || CAST(k.id AS text) || ':' || CAST(k.confirmed_at AS text)`))
        .limit(BATCH)
        .execute();
      return rows.map((r) => ({
        dedupe: `contact.confirmed:${r.id}:${r.confirmed_at}`,
        occurredAt: Number(r.confirmed_at),
        data: { campaign: campaignData(r), lang: r.lang, confirmed_at: iso(r.confirmed_at) },
      }));
    }
    case 'referral.counted': {
      // Counted: the decision let it count and the referred pre-save is verified saved (growth/referrals/state.ts).
      const rows = await db
        .selectFrom('referrals as f')
        .innerJoin('presaves as p', 'p.id', 'f.presave_id')
        .innerJoin('campaigns as c', 'c.id', 'f.campaign_id')
        .select([...campaignCols, 'f.id as referral_id', 'f.code', 'p.public_id', 'p.service', 'p.saved_at'])
        .where('c.workspace_id', '=', s.workspaceId)
        .where('f.decision', 'in', ['ok', 'approved'])
        .where('p.status', '=', 'saved')
        .where('p.saved_at', '>=', s.since)
        // Counted when both hold: saved, and let count (an approval may come long after the save).
        .where((eb) => eb.or([eb('p.saved_at', '>=', from), eb('f.decided_at', '>=', from)]))
        .where(unreported(sql`${'referral.counted:'} || CAST(f.id AS text)`))
        .limit(BATCH)
        .execute();
      return rows.map((r) => ({
        dedupe: `referral.counted:${r.referral_id}`,
        occurredAt: Number(r.saved_at),
        data: {
          campaign: campaignData(r),
          referral: { code: r.code, presave_id: r.public_id, service: r.service },
          counted_at: iso(r.saved_at),
        },
      }));
    }
    case 'presave.created':
      return [];
  }
}
