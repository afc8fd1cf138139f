import type { FastifyInstance } from 'fastify';
import { sweepThrottles } from '../accounts/throttle.js';
import { deleteExpiredEvents } from '../analytics/retention.js';
import type { AppContext } from '../context.js';
import { sweepStaleUploads } from '../editor/multipart.js';
import { sweepExpiredStates } from '../oauth/states.js';
import { uploadTmpDir } from './routes/editor.js';
import { deleteExpiredContacts } from '../reach/contacts/expire.js';
import { deleteExpiredIdempotency } from '../api/idempotency.js';

/** How often a web process deletes what has expired (both deletes use an index). */
export const HOUSEKEEPING_EVERY_MS = 5 * 60_000;

/** Longest a housekeeping run spends deleting old analytics events; the next run goes on. */
export const ANALYTICS_RETENTION_BUDGET_MS = 60_000;

/**
 * Deletes expired OAuth states, throttle counters and unconfirmed contacts past their link: nothing reads them any more. Done here, on
 * a timer, instead of on every /connect or failed sign-in, so a burst of requests does not also
 * become a burst of deletes. Every web process runs it; the deletes are idempotent.
 *
 * Also deletes raw analytics events older than ANALYTICS_RETENTION_DAYS (analytics/retention.ts),
 * here rather than in the worker's sweep: analytics is written and rotated by the web processes,
 * and the worker's sweep runs inside its claim loop, where minutes of deleting (a first run over
 * a year of events) would hold up pre-saves on release night. The deletes are small chunks paced
 * to a tenth of a busy event loop, and at most ANALYTICS_RETENTION_BUDGET_MS per run.
 * `skipAnalyticsBefore`: a cutoff already fully deleted by this process (the cutoff moves once a
 * day; the other runs of the day need not look).
 */
export async function housekeep(
  ctx: Pick<AppContext, 'db' | 'dialect' | 'now' | 'config'>,
  opts: { skipAnalyticsBefore?: number } = {},
): Promise<{
  states: number;
  throttles: number;
  contacts: number;
  analyticsEvents: number;
  analyticsCutoff: number;
  analyticsDone: boolean;
  idempotency: number;
}> {
  const now = ctx.now();
  const states = await sweepExpiredStates(ctx.db, now);
  const throttles = await sweepThrottles(ctx.db, now);
  // Unconfirmed addresses, and unconfirmed choices, whose confirmation link has expired (reach/contacts/expire.ts).
  const contacts = await deleteExpiredContacts(ctx.db, now, ctx.config.reach.contacts.confirmTtlMs);
  // Idempotency-Key answers past their 24 hours (api/idempotency.ts).
  const idempotency = await deleteExpiredIdempotency(ctx.db, now);
  const retention = await deleteExpiredEvents(ctx.db, ctx.dialect, {
    now,
    retentionDays: ctx.config.analyticsRetentionDays,
    budgetMs: ANALYTICS_RETENTION_BUDGET_MS,
    skipIfDone: opts.skipAnalyticsBefore,
  });
  return {
    states,
    throttles,
    contacts,
    analyticsEvents: retention.deleted,
    analyticsCutoff: retention.cutoff,
    analyticsDone: retention.done,
    idempotency,
  };
}

export function registerHousekeeping(app: FastifyInstance, ctx: AppContext, everyMs = HOUSEKEEPING_EVERY_MS): void {
  let timer: NodeJS.Timeout | null = null;
  // Artwork uploads a crashed process left in DATA_DIR/tmp (a live upload touches its folder).
  const sweepUploads = () =>
    sweepStaleUploads(uploadTmpDir(ctx.config.dataDir), 60 * 60_000, Date.now()).catch((err: unknown) =>
      ctx.log.warn({ err }, 'could not clear old uploads; will try again'),
    );
  // One run at a time: deleting a backlog of analytics events can outlast the interval.
  let running = false;
  let analyticsDoneTo: number | undefined;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await housekeep(ctx, { skipAnalyticsBefore: analyticsDoneTo });
      if (r.analyticsDone) analyticsDoneTo = r.analyticsCutoff;
      if (r.analyticsEvents)
        ctx.log.info({ deleted: r.analyticsEvents, before: new Date(r.analyticsCutoff).toISOString() }, 'deleted old analytics events');
    } catch (err) {
      ctx.log.warn({ err }, 'housekeeping failed; will try again');
    } finally {
      running = false;
    }
  };
  app.addHook('onReady', async () => {
    void sweepUploads();
    timer = setInterval(() => {
      void run();
      void sweepUploads();
    }, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
