import type { FastifyInstance } from 'fastify';
import { sweepThrottles } from '../accounts/throttle.js';
import type { AppContext } from '../context.js';
import { sweepStaleUploads } from '../editor/multipart.js';
import { sweepExpiredStates } from '../oauth/states.js';
import { uploadTmpDir } from './routes/editor.js';

/** How often a web process deletes what has expired (both deletes use an index). */
export const HOUSEKEEPING_EVERY_MS = 5 * 60_000;

/**
 * Deletes expired OAuth states and throttle counters: nothing reads them any more. Done here, on
 * a timer, instead of on every /connect or failed sign-in, so a burst of requests does not also
 * become a burst of deletes. Every web process runs it; the deletes are idempotent.
 */
export async function housekeep(ctx: Pick<AppContext, 'db' | 'now'>): Promise<{ states: number; throttles: number }> {
  const now = ctx.now();
  return { states: await sweepExpiredStates(ctx.db, now), throttles: await sweepThrottles(ctx.db, now) };
}

export function registerHousekeeping(app: FastifyInstance, ctx: AppContext, everyMs = HOUSEKEEPING_EVERY_MS): void {
  let timer: NodeJS.Timeout | null = null;
  // Artwork uploads a crashed process left in DATA_DIR/tmp (a live upload touches its folder).
  const sweepUploads = () =>
    sweepStaleUploads(uploadTmpDir(ctx.config.dataDir), 60 * 60_000, Date.now()).catch((err: unknown) =>
      ctx.log.warn({ err }, 'could not clear old uploads; will try again'),
    );
  app.addHook('onReady', async () => {
    void sweepUploads();
    timer = setInterval(() => {
      housekeep(ctx).catch((err: unknown) => ctx.log.warn({ err }, 'housekeeping failed; will try again'));
      void sweepUploads();
    }, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
