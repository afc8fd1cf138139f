import { Type } from 'typebox';
import type { DeliveryReport } from '../../analytics/delivery.js';
import { deliveryStateText, explainFailure } from '../../analytics/delivery-words.js';
import { serviceName } from '../../providers/services.js';
import { iso, NullableTimestamp, Timestamp } from '../schemas.js';

/**
 * The delivery report on the wire: analytics/delivery.ts's report (the one the dashboard and
 * `dropday status` show) in snake case, times as ISO 8601, failure reasons with their words
 * (analytics/delivery-words.ts). Nothing is counted here: every number is the report's.
 */
const Nat = Type.Integer({ minimum: 0 });
const FailureWords = {
  kind: Type.String({
    description:
      'What kind of failure: authorization, not_found, configuration, decrypt, not_configured, verification, interrupted, other.',
  }),
  what: Type.String({ description: 'What happened, in plain words.' }),
  next: Type.String({ description: 'What the artist can do about it.' }),
  retry_helps: Type.Boolean({ description: 'Whether a re-drive can help.' }),
};

/** The counts the report gives in total and per service. */
const StateCounts = { total: Nat, saved: Nat, failed: Nat, due: Nat, scheduled: Nat, verifying: Nat, cancelled: Nat };

const ServiceDeliverySchema = Type.Object({
  service: Type.String(),
  service_name: Type.String(),
  ...StateCounts,
  failure_reasons: Type.Array(Type.Object({ reason: Type.String(), count: Nat })),
  rate_per_minute: Type.Number({ minimum: 0 }),
  last_saved_at: NullableTimestamp,
});

export const DeliveryReportSchema = Type.Object(
  {
    campaign: Type.String({ description: 'The campaign’s slug.' }),
    at: Timestamp,
    state: Type.Union(['empty', 'scheduled', 'delivering', 'paused', 'finished'].map((s) => Type.Literal(s))),
    outcome: Type.Union([Type.Literal('saved'), Type.Literal('partial'), Type.Literal('failed'), Type.Null()]),
    summary: Type.String({ description: 'Where the delivery stands, in one sentence (as the dashboard and `dropday status` say it).' }),
    ...StateCounts,
    pending: Nat,
    progress: Type.Object({ saved: Nat, of: Nat, fraction: Type.Union([Type.Number(), Type.Null()]) }),
    next_due_at: NullableTimestamp,
    by_service: Type.Array(ServiceDeliverySchema),
    failure_reasons: Type.Array(
      Type.Object({ reason: Type.String({ description: 'The service’s own words.' }), count: Nat, ...FailureWords }),
    ),
    cancel_reasons: Type.Array(Type.Object({ reason: Type.String(), count: Nat })),
    pauses: Type.Array(
      Type.Object({
        service: Type.String(),
        kind: Type.Union([Type.Literal('campaign'), Type.Literal('service_wait'), Type.Literal('breaker')]),
        message: Type.String(),
        detail: Type.Union([Type.String(), Type.Null()]),
        since: NullableTimestamp,
        until: NullableTimestamp,
        follows_only: Type.Boolean(),
        pending: Nat,
        resumable: Type.Boolean({
          description: 'Whether POST …/resume lifts it (campaign pauses); the others lift by themselves or by the operator.',
        }),
      }),
    ),
    follows: Type.Object({
      done: Nat,
      queued: Nat,
      waiting: Nat,
      failed: Nat,
      reasons: Type.Array(
        Type.Object({
          service: Type.String(),
          status: Type.Union([Type.Literal('failed'), Type.Literal('waiting')]),
          reason: Type.String(),
          count: Nat,
        }),
      ),
    }),
    live: Type.Object({
      active: Type.Boolean(),
      rate_per_minute: Type.Number({ minimum: 0 }),
      eta_at: NullableTimestamp,
      stalled: Type.Array(Type.String()),
    }),
  },
  { $id: 'DeliveryReport' },
);

const counted = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([reason, count]) => ({ reason, count }));

export function deliveryReportBody(slug: string, r: DeliveryReport) {
  return {
    campaign: slug,
    at: iso(r.at),
    state: r.state,
    outcome: r.outcome,
    summary: deliveryStateText(r),
    total: r.total,
    saved: r.saved,
    failed: r.failed,
    due: r.due,
    scheduled: r.scheduled,
    verifying: r.verifying,
    cancelled: r.cancelled,
    pending: r.pending,
    progress: r.progress,
    next_due_at: iso(r.nextDueAt),
    by_service: Object.entries(r.byService).map(([service, s]) => ({
      service,
      service_name: serviceName(service),
      total: s.total,
      saved: s.saved,
      failed: s.failed,
      due: s.due,
      scheduled: s.scheduled,
      verifying: s.verifying,
      cancelled: s.cancelled,
      failure_reasons: counted(s.failureReasons),
      rate_per_minute: s.live.ratePerMinute,
      last_saved_at: iso(s.live.lastSavedAt),
    })),
    failure_reasons: counted(r.failureReasons).map((f) => {
      const e = explainFailure(f.reason);
      return { ...f, kind: e.kind, what: e.what, next: e.next, retry_helps: e.retryHelps };
    }),
    cancel_reasons: counted(r.cancelReasons),
    pauses: r.pauses.map((p) => ({
      service: p.service,
      kind: p.kind,
      message: p.message,
      detail: p.detail,
      since: iso(p.since),
      until: iso(p.until),
      follows_only: p.followsOnly,
      pending: p.pending,
      resumable: p.kind === 'campaign',
    })),
    follows: {
      done: r.follows.done,
      queued: r.follows.queued,
      waiting: r.follows.waiting,
      failed: r.follows.failed,
      reasons: r.follows.reasons,
    },
    live: { active: r.live.active, rate_per_minute: r.live.ratePerMinute, eta_at: iso(r.live.etaAt), stalled: r.live.stalled },
  };
}
