import type { AppContext } from '../../context.js';
import type { Db } from '../../db/index.js';
import { DropdayError } from '../../errors.js';
import { blobStore, newBlobKey } from '../storage/index.js';

/**
 * The only writer of `previews` (test/growth-preview-owner.test.ts): one clip per campaign, its
 * bytes in the blob store (growth/storage) under a key made here, its row saying what it is and
 * from when pre-savers may hear it.
 *
 * Setting a clip stores the new bytes first, then the row, then deletes the old bytes: a reader
 * always finds the bytes of the row it read (the old until the row changes, the new after), and a
 * failure part-way leaves the previous clip playing. A failure after the new bytes were stored
 * deletes them, so nothing is stored half-written.
 */
export interface Preview {
  campaignId: number;
  storageKey: string;
  mime: string;
  size: number;
  source: 'upload' | 'cut';
  /** For a cut clip: how many seconds of the track. */
  seconds: number | null;
  /** From when pre-savers may hear it: `hoursBefore` the campaign's current first release instant, or an absolute moment. */
  availableFrom: number;
  /** Set when the artist chose "hours before the release" (the form shows that choice again). */
  hoursBefore: number | null;
  updatedAt: number;
}

export async function findPreview(db: Db, campaignId: number): Promise<Preview | null> {
  const r = await db
    .selectFrom('previews')
    .innerJoin('campaigns', 'campaigns.id', 'previews.campaign_id')
    .selectAll('previews')
    .select('campaigns.first_release_at')
    .where('previews.campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!r) return null;
  const hoursBefore = r.hours_before === null ? null : Number(r.hours_before);
  return {
    campaignId: Number(r.campaign_id),
    storageKey: r.storage_key,
    mime: r.mime,
    size: Number(r.size),
    source: r.source === 'cut' ? 'cut' : 'upload',
    seconds: r.seconds === null ? null : Number(r.seconds),
    // Read from the release as it is now: a rescheduled release moves an "hours before" moment with it.
    availableFrom: hoursBefore === null ? Number(r.available_from) : Number(r.first_release_at) - hoursBefore * 3_600_000,
    hoursBefore,
    updatedAt: Number(r.updated_at),
  };
}

export interface NewClip {
  /** A local file with the clip's bytes (an upload's temporary file, or ffmpeg's output). */
  file: string;
  size: number;
  /** Sniffed from the bytes (media-type.ts), never the browser's claim. */
  mime: string;
  source: 'upload' | 'cut';
  seconds: number | null;
  availableFrom: number;
  /** The artist's "hours before the release", when that is how they gave the moment. */
  hoursBefore?: number | null;
}

/** Stores `clip` as the campaign's preview, replacing any. */
export async function setPreviewClip(ctx: AppContext, campaignId: number, clip: NewClip): Promise<Preview> {
  const max = ctx.config.growth.preview.maxFileBytes;
  if (clip.size > max)
    throw new DropdayError(
      'PAYLOAD_TOO_LARGE',
      `The clip is larger than ${Math.round(max / 1048576)} MB (PREVIEW_MAX_FILE_MB); nothing was stored.`,
    );
  if (clip.size === 0) throw new DropdayError('VALIDATION', 'clip: the file is empty; nothing was stored.', { clip: 'is empty' });
  const store = blobStore(ctx);
  const previous = await findPreview(ctx.db, campaignId);
  const key = newBlobKey('preview', campaignId);
  await store.put(key, clip.file, { contentType: clip.mime, size: clip.size });
  const now = ctx.now();
  try {
    // The same row whether it is the campaign's first clip or replaces one.
    const row = {
      storage_key: key,
      mime: clip.mime,
      size: clip.size,
      source: clip.source,
      seconds: clip.seconds,
      available_from: clip.availableFrom,
      hours_before: clip.hoursBefore ?? null,
      updated_at: now,
    };
    await ctx.db
      .insertInto('previews')
      .values({ campaign_id: campaignId, ...row, created_at: now })
      .onConflict((oc) => oc.column('campaign_id').doUpdateSet(row))
      .execute();
  } catch (err) {
    await store.delete(key).catch(() => undefined);
    throw err;
  }
  if (previous && previous.storageKey !== key) await deleteBlobQuietly(ctx, previous.storageKey);
  return (await findPreview(ctx.db, campaignId))!;
}

/** Moves the moment of the campaign's preview; false when there is no preview to move. */
export async function setPreviewMoment(
  ctx: AppContext,
  campaignId: number,
  availableFrom: number,
  hoursBefore: number | null = null,
): Promise<boolean> {
  const r = await ctx.db
    .updateTable('previews')
    .set({ available_from: availableFrom, hours_before: hoursBefore, updated_at: ctx.now() })
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Removes the preview: the row first (no link plays it from then on), then its bytes. */
export async function removePreview(ctx: AppContext, campaignId: number): Promise<boolean> {
  const previous = await findPreview(ctx.db, campaignId);
  if (!previous) return false;
  await ctx.db.deleteFrom('previews').where('campaign_id', '=', campaignId).where('storage_key', '=', previous.storageKey).execute();
  await deleteBlobQuietly(ctx, previous.storageKey);
  return true;
}

/** An old blob that cannot be deleted now is an orphan on disk, not a failure of the artist's change. */
async function deleteBlobQuietly(ctx: AppContext, key: string): Promise<void> {
  try {
    await blobStore(ctx).delete(key);
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, key }, 'preview: the replaced clip could not be deleted');
  }
}
