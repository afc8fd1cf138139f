import { sql } from 'kysely';
import type { Db } from '../db/index.js';
import { artistKey, audienceOf } from './audience.js';
import type { MessageChannel, MessageType } from '../db/schema-reach.js';

/**
 * The artist's view of reach (docs/reach.md "For the artist"), per campaign: who can be reached
 * (contacts and push subscribers with a standing consent given on this campaign), the opt-in rate,
 * what the messages did per channel and type, unsubscribes, the receipts pre-savers were sent,
 * and forever saves. Read-only; a handful of grouped counts over indexed columns
 * (consents(campaign_id, purpose), messages(campaign_id, type, status)), never one row per fan.
 */

export const MESSAGE_CHANNELS = ['email', 'push'] as const satisfies readonly MessageChannel[];
export const MESSAGE_TYPES = ['confirm', 'out_now', 'reauth', 'forever_notice'] as const satisfies readonly MessageType[];

export interface ReachCounts {
  /** Email contacts whose consent its owner confirmed (and whose address is not suppressed). */
  confirmed: number;
  /** Email contacts whose consent waits for its owner's click on the confirmation link (which still works). */
  awaiting: number;
  /** Browsers subscribed to web push. */
  push: number;
}

export interface MessageCounts {
  /** Waiting for their moment (the release, the re-authorization date). */
  scheduled: number;
  /** Due now: being sent, or retried after a temporary failure. */
  sending: number;
  sent: number;
  /** Failed, or not sent at all (no mail configured): together, by reason code. */
  notDelivered: number;
  cancelled: number;
  /** `failure_reason` codes of failed and not-sent messages (an empty code: none recorded). */
  reasons: Record<string, number>;
}

export interface ReachReport {
  campaignId: number;
  /** Standing consents given on this campaign, per purpose, and anyone with at least one. */
  contacts: { remind: ReachCounts; news: ReachCounts; any: ReachCounts; expiredUnconfirmed: number };
  optIn: OptInRate;
  /** Per channel and type; every pair present (zeros included) so the table is stable. */
  messages: Record<MessageChannel, Record<MessageType, MessageCounts>>;
  /** Per channel, over all types. */
  channelTotals: Record<MessageChannel, MessageCounts>;
  /** People whose consent on this campaign was withdrawn, by how (distinct holders per channel). */
  withdrawn: Record<'unsubscribe' | 'preferences' | 'erase' | 'bounce', { email: number; push: number }>;
  /** Release-day messages sent to pre-savers: what the receipt said. */
  receipts: { verified: number; failed: number; plain: number };
  /** Forever save for this campaign's artist in this audience (any campaign), and how many were asked here. */
  forever: { standing: number; stopped: number; askedHere: number };
}

/**
 * People who opted in on this campaign ÷ the campaign page's unique visitors. `rate` is null (shown
 * as "—") when analytics saw no visitor: a rate over nothing would be a false number.
 */
export interface OptInRate {
  /** Email contacts and push subscribers who gave any consent on this campaign, confirmed by its owner (even if withdrawn since). */
  optedIn: number;
  /** The denominator: unique visitors (per day) seen by analytics, never fewer than `optedIn` nor the fans who pre-saved. */
  visitors: number;
  rate: number | null;
}

/** The funnel's visitor figures the opt-in rate divides by (analytics' `funnel()`; kept out of this module's imports). */
export interface VisitorFigures {
  /** Distinct visitors per UTC day seen by analytics. */
  uniqueVisitors: number;
  /** Visitors counted: unique visitors, and at least the fans who pre-saved. */
  visitors: number;
}

function zeroCounts(): ReachCounts {
  return { confirmed: 0, awaiting: 0, push: 0 };
}

function zeroMessages(): MessageCounts {
  return { scheduled: 0, sending: 0, sent: 0, notDelivered: 0, cancelled: 0, reasons: {} };
}

const n = (v: unknown): number => Number(v ?? 0);

export async function reachReport(
  db: Db,
  campaign: { id: number; artist_name: string; workspaceId: number | null },
  now: number,
  visitors: VisitorFigures,
): Promise<ReachReport> {
  const id = campaign.id;
  const audience = audienceOf({ id, workspace_id: campaign.workspaceId });
  const [byPurpose, anyPurpose, optedIn, withdrawnRows, sent, foreverRows, askedHere] = await Promise.all([
    standingHolders(db, id, now, true),
    standingHolders(db, id, now, false),
    sql<{ email: number; push: number }>`
      SELECT COUNT(DISTINCT contact_id) AS email, COUNT(DISTINCT push_id) AS push FROM consents
      WHERE campaign_id = ${id} AND purpose IN ('remind', 'news') AND confirmed_at IS NOT NULL`.execute(db),
    sql<{ via: string; email: number; push: number }>`
      SELECT withdrawn_via AS via, COUNT(DISTINCT contact_id) AS email, COUNT(DISTINCT push_id) AS push FROM consents
      WHERE campaign_id = ${id} AND purpose IN ('remind', 'news') AND withdrawn_at IS NOT NULL
      GROUP BY withdrawn_via`.execute(db),
    messageCounts(db, id, now),
    sql<{ standing: number; n: number }>`
      SELECT CASE WHEN stopped_at IS NULL THEN 1 ELSE 0 END AS standing, COUNT(*) AS n FROM forever_saves
      WHERE audience = ${audience} AND artist_key = ${artistKey(campaign.artist_name)}
      GROUP BY 1`.execute(db),
    sql<{ n: number }>`
      SELECT COUNT(DISTINCT forever_id) AS n FROM consents WHERE campaign_id = ${id} AND purpose = 'forever'`.execute(db),
  ]);

  const contacts: ReachReport['contacts'] = { remind: zeroCounts(), news: zeroCounts(), any: zeroCounts(), expiredUnconfirmed: 0 };
  for (const r of byPurpose) {
    if (r.purpose === 'remind' || r.purpose === 'news') addHolders(contacts[r.purpose], r);
  }
  for (const r of anyPurpose) {
    addHolders(contacts.any, r);
    if (r.state === 'expired') contacts.expiredUnconfirmed += n(r.email);
  }

  const opted = n(optedIn.rows[0]?.email) + n(optedIn.rows[0]?.push);
  const optIn: OptInRate =
    visitors.uniqueVisitors > 0
      ? (() => {
          // Someone who opted in visited: the denominator is never below the numerator (see agreeingFigures).
          const den = Math.max(visitors.visitors, visitors.uniqueVisitors, opted);
          return { optedIn: opted, visitors: den, rate: opted / den };
        })()
      : { optedIn: opted, visitors: 0, rate: null };

  const withdrawn: ReachReport['withdrawn'] = {
    unsubscribe: { email: 0, push: 0 },
    preferences: { email: 0, push: 0 },
    erase: { email: 0, push: 0 },
    bounce: { email: 0, push: 0 },
  };
  for (const r of withdrawnRows.rows) {
    const w = withdrawn[r.via as keyof typeof withdrawn];
    if (!w) continue;
    w.email += n(r.email);
    w.push += n(r.push);
  }

  const forever = { standing: 0, stopped: 0, askedHere: n(askedHere.rows[0]?.n) };
  for (const r of foreverRows.rows) {
    if (n(r.standing) === 1) forever.standing += n(r.n);
    else forever.stopped += n(r.n);
  }

  return { campaignId: id, contacts, optIn, ...sent, withdrawn, forever };
}

export type MessageReport = Pick<ReachReport, 'messages' | 'channelTotals' | 'receipts'>;

/** What the campaign's messages did, per channel and type (also `dropday status`): one grouped query. */
export async function messageCounts(db: Db, campaignId: number, now: number): Promise<MessageReport> {
  // Pending splits into "scheduled" (its moment is ahead) and "sending" (due: in hand or retried).
  // Grouped by position: PostgreSQL would not match two copies of a parameterized CASE.
  const messageRows = await sql<{
    channel: MessageChannel;
    type: MessageType;
    status: string;
    reason: string | null;
    variant: string | null;
    later: number;
    n: number;
  }>`
    SELECT channel, type, status, failure_reason AS reason, variant,
           CASE WHEN next_attempt_at > ${now} THEN 1 ELSE 0 END AS later, COUNT(*) AS n
    FROM messages WHERE campaign_id = ${campaignId}
    GROUP BY 1, 2, 3, 4, 5, 6`.execute(db);
  const messages = {} as ReachReport['messages'];
  const channelTotals = {} as ReachReport['channelTotals'];
  for (const ch of MESSAGE_CHANNELS) {
    channelTotals[ch] = zeroMessages();
    messages[ch] = {} as Record<MessageType, MessageCounts>;
    for (const t of MESSAGE_TYPES) messages[ch][t] = zeroMessages();
  }
  const receipts = { verified: 0, failed: 0, plain: 0 };
  for (const r of messageRows.rows) {
    const count = n(r.n);
    const cell = messages[r.channel]?.[r.type];
    if (!cell) continue;
    for (const m of [cell, channelTotals[r.channel]]) addMessages(m, r.status, n(r.later) === 1, r.reason, count);
    if (r.type === 'out_now' && r.status === 'sent') {
      if (r.variant === 'verified') receipts.verified += count;
      else if (r.variant === 'failed') receipts.failed += count;
      else receipts.plain += count;
    }
  }

  return { messages, channelTotals, receipts };
}

interface HolderRow {
  purpose: string | null;
  /** confirmed | awaiting | expired | suppressed | push */
  state: string;
  email: number;
  push: number;
}

/**
 * Distinct email contacts and push subscriptions with a remind/news consent given on the campaign
 * and not withdrawn, by where they stand (per purpose, or across both): `confirmed` — the consent
 * confirmed by the address's owner (reach/consents.ts) and the address deliverable; `awaiting` — the
 * consent waiting for its owner's click while a confirmation link still works; `expired` — nobody
 * confirmed it in time (deleted by the housekeeping soon); `suppressed`. Someone with several
 * consents counts once, where they stand best (a confirmed choice over one still awaiting).
 */
async function standingHolders(db: Db, campaignId: number, now: number, perPurpose: boolean): Promise<HolderRow[]> {
  // 0 push, 1 confirmed, 2 awaiting, 3 suppressed, 4 expired: the smallest wins per holder.
  const rank = sql`CASE WHEN k.push_id IS NOT NULL THEN 0
    WHEN c.status = 'suppressed' THEN 3
    WHEN k.confirmed_at IS NOT NULL AND c.status = 'confirmed' THEN 1
    WHEN c.confirm_expires_at IS NOT NULL AND c.confirm_expires_at >= ${now} THEN 2
    ELSE 4 END`;
  const purpose = perPurpose ? sql`k.purpose` : sql`'any'`;
  const byPurpose = perPurpose ? sql`k.purpose, ` : sql``;
  const res = await sql<{ purpose: string; r: number; email: number; push: number }>`
    SELECT h.purpose AS purpose, h.r AS r, COUNT(DISTINCT h.contact_id) AS email, COUNT(DISTINCT h.push_id) AS push
    FROM (
      SELECT ${purpose} AS purpose, k.contact_id AS contact_id, k.push_id AS push_id, MIN(${rank}) AS r
      FROM consents k LEFT JOIN contacts c ON c.id = k.contact_id
      WHERE k.campaign_id = ${campaignId} AND k.purpose IN ('remind', 'news') AND k.withdrawn_at IS NULL
        AND (k.contact_id IS NOT NULL OR k.push_id IS NOT NULL)
      GROUP BY ${byPurpose}k.contact_id, k.push_id
    ) h
    GROUP BY h.purpose, h.r`.execute(db);
  const states = ['push', 'confirmed', 'awaiting', 'suppressed', 'expired'] as const;
  return res.rows.map((row) => ({
    purpose: perPurpose ? row.purpose : null,
    state: states[n(row.r)] ?? 'expired',
    email: row.email,
    push: row.push,
  }));
}

function addHolders(c: ReachCounts, r: HolderRow): void {
  if (r.state === 'push') c.push += n(r.push);
  else if (r.state === 'confirmed') c.confirmed += n(r.email);
  else if (r.state === 'awaiting') c.awaiting += n(r.email);
  // suppressed (consents withdrawn by the bounce, so rarely here) and expired: reachable by nobody.
}

function addMessages(m: MessageCounts, status: string, later: boolean, reason: string | null, count: number): void {
  if (status === 'pending') {
    if (later) m.scheduled += count;
    else m.sending += count;
  } else if (status === 'sent') m.sent += count;
  else if (status === 'cancelled') m.cancelled += count;
  else if (status === 'failed' || status === 'not_sent') {
    m.notDelivered += count;
    const key = reason ?? (status === 'not_sent' ? 'not_sent' : '');
    m.reasons[key] = (m.reasons[key] ?? 0) + count;
  }
}
