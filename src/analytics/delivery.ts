import { listCampaignPauses, pausesFollowsOnly } from '../campaigns/pauses.js';
import type { Db } from '../db/index.js';
import { followOutcomes, type FollowCounts } from '../presaves/follows.js';
import { serviceName } from '../providers/services.js';
import { MINUTE } from './time.js';

/** Saves finished in this window before `now` give the live rate. */
export const LIVE_WINDOW_MS = 5 * MINUTE;
// A rate measured over less than this is too noisy to extrapolate from.
const MIN_RATE_SPAN_MS = 30_000;

export interface ServiceDelivery {
  total: number;
  saved: number;
  failed: number;
  /** Pending whose release time has come (being worked on, or waiting to retry). */
  due: number;
  /** Pending whose release time is still ahead (local timing: later time zones). */
  scheduled: number;
  /**
   * Of `due`: the service accepted the album save, its verification is still to come ("saved,
   * verifying"). Counted saved only once verified.
   */
  verifying: number;
  cancelled: number;
  failureReasons: Record<string, number>;
  cancelReasons: Record<string, number>;
  live: {
    /** Saves and failures settled in the live window, and saves the service accepted that wait for verification. */
    finishedInWindow: number;
    ratePerMinute: number;
    /** Time until `due` is worked off at the current rate; null when nothing is due or nothing moves. */
    etaMs: number | null;
    lastSavedAt: number | null;
  };
}

/**
 * Where the report stands: nothing to deliver (`empty`), waiting for release (`scheduled`), saves
 * going out (`delivering`), held back on a service (`paused`), or everything due settled
 * (`finished`, whose `outcome` says whether anything failed).
 */
export type DeliveryState = 'empty' | 'scheduled' | 'delivering' | 'paused' | 'finished';
export type DeliveryOutcome = 'saved' | 'partial' | 'failed';

/** Why saves to one service are held back. */
export interface DeliveryPause {
  service: string;
  /**
   * `campaign`: the service refused this campaign's settings; an editor fixes them and resumes.
   * `service_wait`: the service asked every client to wait (rate limit); it resumes by itself.
   * `breaker`: the server's quota on the service is used up; the operator resumes it.
   */
  kind: 'campaign' | 'service_wait' | 'breaker';
  message: string;
  detail: string | null;
  since: number | null;
  until: number | null;
  /**
   * Only the follows are held back (a wrong artist id to follow): albums are still being saved.
   * Then `pending` counts the saved pre-saves whose follow waits for the fix or failed.
   */
  followsOnly: boolean;
  /** Pre-saves on this service still to deliver (their follows, when `followsOnly`). */
  pending: number;
}

export interface DeliveryReport {
  campaignId: number;
  state: DeliveryState;
  /** Set when `state` is `finished`. */
  outcome: DeliveryOutcome | null;
  pauses: DeliveryPause[];
  at: number;
  total: number;
  saved: number;
  failed: number;
  due: number;
  scheduled: number;
  /** Of `due`: saved by the service, not verified yet (see ServiceDelivery.verifying). */
  verifying: number;
  cancelled: number;
  /** pending = due + scheduled */
  pending: number;
  failureReasons: Record<string, number>;
  cancelReasons: Record<string, number>;
  byService: Record<string, ServiceDelivery>;
  progress: {
    /** Pre-saves in fans' libraries. Failures are never progress. */
    saved: number;
    /** What is due, whatever became of it: saved + failed + due. */
    of: number;
    /** saved / of; null while nothing is due. */
    fraction: number | null;
  };
  live: {
    windowMs: number;
    /** Fan-out under way: something is due, or something was settled in the window. */
    active: boolean;
    ratePerMinute: number;
    /** The slowest service decides when everything due is done. */
    etaMs: number | null;
    etaAt: number | null;
    /** Services with work due but nothing settled in the window. */
    stalled: string[];
  };
  /** When the next scheduled pre-save becomes due. */
  nextDueAt: number | null;
  /** The follows of saved pre-saves: their own outcome (a failed follow never costs the save). */
  follows: FollowCounts;
}

function serviceEntry(): ServiceDelivery {
  return {
    total: 0,
    saved: 0,
    failed: 0,
    due: 0,
    scheduled: 0,
    verifying: 0,
    cancelled: 0,
    failureReasons: {},
    cancelReasons: {},
    live: { finishedInWindow: 0, ratePerMinute: 0, etaMs: null, lastSavedAt: null },
  };
}

/**
 * After release: what was delivered, per service — saved, failed by reason, still due, cancelled —
 * and during fan-out the live rate and an ETA from the saves of the last minutes. Read from the
 * pre-save rows (the fulfillment engine's own record), not from events.
 */
export async function deliveryReport(db: Db, campaignId: number, now: number): Promise<DeliveryReport> {
  const since = now - LIVE_WINDOW_MS;
  const [statusRows, savedRows, acceptedRows, failedRows, campaignPauses, follows] = await Promise.all([
    db
      .selectFrom('presaves')
      .select(['service', 'status', 'failure_reason'])
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('due_at', '>', now).then(1).else(0).end()).as('later'),
        eb.fn.min<number>(eb.case().when('due_at', '>', now).then(eb.ref('due_at')).end()).as('next_due'),
        eb.fn.sum<number>(eb.case().when('save_accepted_at', 'is not', null).then(1).else(0).end()).as('verifying'),
      ])
      .where('campaign_id', '=', campaignId)
      .groupBy(['service', 'status', 'failure_reason'])
      .execute(),
    db
      .selectFrom('presaves')
      .select('service')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.min<number>('saved_at').as('first'),
        eb.fn.max<number>('saved_at').as('last'),
      ])
      .where('campaign_id', '=', campaignId)
      .where('saved_at', '>=', since)
      .where('saved_at', '<=', now)
      .where('status', '=', 'saved')
      .groupBy('service')
      .execute(),
    // Saves the service accepted whose verification is to come: fans' libraries filling is
    // progress too (under a tight rate limit the verifications come after the saves).
    db
      .selectFrom('presaves')
      .select('service')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('save_accepted_at').as('first')])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'pending')
      .where('save_accepted_at', '>=', since)
      .where('save_accepted_at', '<=', now)
      .groupBy('service')
      .execute(),
    db
      .selectFrom('presaves')
      .select('service')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min<number>('updated_at').as('first')])
      .where('campaign_id', '=', campaignId)
      .where('status', '=', 'failed')
      .where('updated_at', '>=', since)
      .where('updated_at', '<=', now)
      .groupBy('service')
      .execute(),
    listCampaignPauses(db, campaignId),
    followOutcomes(db, campaignId),
  ]);

  const r: DeliveryReport = {
    campaignId,
    state: 'empty',
    outcome: null,
    pauses: [],
    at: now,
    total: 0,
    saved: 0,
    failed: 0,
    due: 0,
    scheduled: 0,
    verifying: 0,
    cancelled: 0,
    pending: 0,
    failureReasons: {},
    cancelReasons: {},
    byService: {},
    progress: { saved: 0, of: 0, fraction: null },
    live: { windowMs: LIVE_WINDOW_MS, active: false, ratePerMinute: 0, etaMs: null, etaAt: null, stalled: [] },
    nextDueAt: null,
    follows: { done: 0, queued: 0, waiting: 0, failed: 0, byService: {}, reasons: [] },
  };
  const svc = (s: string) => (r.byService[s] ??= serviceEntry());
  for (const row of statusRows) {
    const n = Number(row.n);
    const s = svc(row.service);
    s.total += n;
    r.total += n;
    const reason = row.failure_reason ?? 'unknown';
    if (row.status === 'saved') s.saved += n;
    else if (row.status === 'failed') {
      s.failed += n;
      s.failureReasons[reason] = (s.failureReasons[reason] ?? 0) + n;
      r.failureReasons[reason] = (r.failureReasons[reason] ?? 0) + n;
    } else if (row.status === 'cancelled') {
      s.cancelled += n;
      s.cancelReasons[reason] = (s.cancelReasons[reason] ?? 0) + n;
      r.cancelReasons[reason] = (r.cancelReasons[reason] ?? 0) + n;
    } else if (row.status === 'pending') {
      const later = Number(row.later ?? 0);
      s.scheduled += later;
      s.due += n - later;
      s.verifying += Number(row.verifying ?? 0);
      if (row.next_due !== null && row.next_due !== undefined) {
        const next = Number(row.next_due);
        r.nextDueAt = r.nextDueAt === null ? next : Math.min(r.nextDueAt, next);
      }
    }
  }

  // The rate: what settled in the window, over the time it actually spans (a fan-out that began a
  // minute ago is not averaged over five).
  const windowStart = new Map<string, number>();
  for (const row of savedRows) {
    const s = svc(row.service);
    s.live.finishedInWindow += Number(row.n);
    s.live.lastSavedAt = row.last === null ? null : Number(row.last);
    if (row.first !== null) windowStart.set(row.service, Number(row.first));
  }
  for (const row of [...acceptedRows, ...failedRows]) {
    const s = svc(row.service);
    s.live.finishedInWindow += Number(row.n);
    if (row.first !== null) windowStart.set(row.service, Math.min(windowStart.get(row.service) ?? Infinity, Number(row.first)));
  }

  let eta: number | null = 0;
  for (const [service, s] of Object.entries(r.byService)) {
    const span = Math.max(now - (windowStart.get(service) ?? since), MIN_RATE_SPAN_MS);
    s.live.ratePerMinute = s.live.finishedInWindow > 0 ? Math.round((s.live.finishedInWindow / span) * MINUTE * 100) / 100 : 0;
    if (s.due > 0) {
      if (s.live.finishedInWindow > 0) {
        s.live.etaMs = Math.round((s.due / s.live.finishedInWindow) * span);
        if (eta !== null) eta = Math.max(eta, s.live.etaMs);
      } else {
        r.live.stalled.push(service);
        eta = null;
      }
    }
    r.saved += s.saved;
    r.failed += s.failed;
    r.due += s.due;
    r.scheduled += s.scheduled;
    r.verifying += s.verifying;
    r.cancelled += s.cancelled;
    r.live.ratePerMinute += s.live.ratePerMinute;
  }
  r.byService = Object.fromEntries(Object.entries(r.byService).sort(([a], [b]) => (a < b ? -1 : 1)));
  r.live.ratePerMinute = Math.round(r.live.ratePerMinute * 100) / 100;
  r.pending = r.due + r.scheduled;
  r.progress.saved = r.saved;
  r.progress.of = r.saved + r.failed + r.due;
  r.progress.fraction = r.progress.of > 0 ? Math.round((r.saved / r.progress.of) * 10_000) / 10_000 : null;
  r.live.active = r.due > 0 || Object.values(r.byService).some((s) => s.live.finishedInWindow > 0);
  r.live.etaMs = r.due > 0 ? eta : null;
  r.live.etaAt = r.live.etaMs === null ? null : now + r.live.etaMs;
  r.pauses = [
    ...campaignPauses.map((p): DeliveryPause => {
      const followsOnly = pausesFollowsOnly(p.code);
      const s = r.byService[p.service];
      const f = follows.byService[p.service];
      return {
        service: p.service,
        kind: 'campaign',
        message: p.message,
        detail: p.detail,
        since: p.pausedAt,
        until: null,
        followsOnly,
        pending: followsOnly ? (f ? f.waiting + f.failed : 0) : s ? s.due + s.scheduled : 0,
      };
    }),
    ...(await servicePauses(db, r, now)).filter((p) => !campaignPauses.some((c) => c.service === p.service)),
  ];
  r.follows = follows;
  r.state = stateOf(r);
  if (r.state === 'finished') r.outcome = r.failed === 0 ? 'saved' : r.saved === 0 ? 'failed' : 'partial';
  return r;
}

function stateOf(r: DeliveryReport): DeliveryState {
  if (r.total - r.cancelled === 0) return 'empty';
  if (r.pauses.length) return 'paused';
  if (r.due > 0) return 'delivering';
  if (r.scheduled > 0) return r.saved + r.failed > 0 ? 'delivering' : 'scheduled';
  return 'finished';
}

/**
 * Services whose governor holds every campaign back (a Retry-After wait or an open quota breaker),
 * for the services this campaign has saves due on: those are why its saves are not moving.
 */
async function servicePauses(db: Db, r: DeliveryReport, now: number): Promise<DeliveryPause[]> {
  const waiting = Object.entries(r.byService).filter(([, s]) => s.due > 0);
  if (!waiting.length) return [];
  const rows = await db
    .selectFrom('service_governors')
    .select(['service', 'paused_until', 'breaker_open', 'breaker_reason'])
    .where(
      'service',
      'in',
      waiting.map(([s]) => s),
    )
    .execute();
  const out: DeliveryPause[] = [];
  for (const g of rows) {
    const pending = r.byService[g.service]!.due;
    const name = serviceName(g.service);
    if (Number(g.breaker_open) === 1) {
      out.push({
        service: g.service,
        kind: 'breaker',
        message: `${name} says this server has used up its quota. Saves to ${name} wait until the operator of this Dropday server resumes them (dropday fulfillment resume).`,
        detail: g.breaker_reason,
        since: null,
        until: null,
        followsOnly: false,
        pending,
      });
    } else if (Number(g.paused_until) > now) {
      out.push({
        service: g.service,
        kind: 'service_wait',
        message: `${name} asked every app to slow down. Saves to ${name} continue by themselves at ${new Date(Number(g.paused_until)).toISOString().slice(11, 16)} UTC.`,
        detail: null,
        since: null,
        until: Number(g.paused_until),
        followsOnly: false,
        pending,
      });
    }
  }
  return out.sort((a, b) => (a.service < b.service ? -1 : 1));
}
