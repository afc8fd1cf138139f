import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { reserve } from '../../accounts/throttle.js';
import { trackRequest } from '../../analytics/index.js';
import type { AppContext } from '../../context.js';
import type { MultipartBody, UploadedFile } from '../../editor/multipart.js';
import { DropdayError, RetryLaterError, ValidationError } from '../../errors.js';
import { cutClip, cutSecondsFrom, MAX_CUT_SECONDS, MIN_CUT_SECONDS, removeCut, type CutClip } from '../../growth/previews/cut.js';
import { playEvent } from '../../growth/previews/plays.js';
import { ACCEPTED_FORMATS, clipType, fileType } from '../../growth/media-type.js';
import { refusedPreviewForms } from '../growth/preview-artist.js';
import { findPreview, removePreview, setPreviewClip, setPreviewMoment } from '../../growth/previews/store.js';
import { isOpen, momentFrom, type MomentInput } from '../../growth/previews/window.js';
import { checkSignedLink } from '../../growth/signed-links.js';
import { blobStore } from '../../growth/storage/index.js';
import { isolate } from '../../i18n/index.js';
import { findPresaveByPublicId } from '../../presaves/repo.js';
import { reachKeys } from '../../reach/keys.js';
import { requireRole } from '../auth-hooks.js';
import { sendBlob } from '../blob-response.js';
import { sendError } from '../errors.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import { formFields, isMultipartBody } from '../form-fields.js';
import { isPresaver, momentWords } from '../growth/preview-receipt.js';
import type { ArtistInput } from '../growth/types.js';
import { uploadTmpDir } from './editor.js';
import type { GrowthScope } from './growth.js';

/**
 * Early access (docs/early-access.md): the pre-saver's audio and its play reports, and the artist's
 * changes on the Growth page (a ready clip or a track to cut, the moment, removal).
 */

/** Play reports a network may send per hour: three per page view, so room for many fans behind one NAT. */
const EVENTS_PER_NETWORK_PER_HOUR = 600;
/**
 * A play report may come after the player's address expired (a fan paused, then finished the clip):
 * its signature still proves it came from a player made for this receipt, for this much longer.
 */
const REPORT_GRACE_MS = 6 * 3_600_000;
/** Clip requests a network may make per 10 minutes (a play with seeks is a few ranges; many fans may share a NAT). */
const CLIP_LIMIT = { windowMs: 600_000, max: 600 };

type FanParams = { Params: { publicId: string; campaignId: string } };
type ArtistParams = { Params: { workspace: string; slug: string } };

function text(v: string | string[] | undefined): string {
  return typeof v === 'string' ? v : '';
}

export function previewRoutes(app: FastifyInstance, ctx: AppContext, scope: GrowthScope): void {
  /** The pre-saver's clip: only through a valid signed address of this receipt, from the moment on. */
  app.get<FanParams & { Querystring: { exp?: string; sig?: string } }>('/p/:publicId/preview/:campaignId', async (req, reply) => {
    const { publicId, campaignId } = req.params;
    settleLang(req, fanLang(req, ALL_LANGUAGES));
    const slot = await reserve(ctx.db, 'preview-clip-ip', reachKeys(ctx).hash('network', req.ip), ctx.now(), CLIP_LIMIT);
    if (!slot.ok) throw new RetryLaterError('RATE_LIMITED', slot.waitMs);
    const link = checkSignedLink(ctx, 'preview', publicId, campaignId, req.query.exp, req.query.sig);
    if (link === 'invalid') throw new DropdayError('FORBIDDEN').say('preview.only_presavers');
    if (link === 'expired') throw new DropdayError('FORBIDDEN').say('preview.expired');
    const presave = await findPresaveByPublicId(ctx.db, publicId);
    if (!presave || String(presave.campaign_id) !== campaignId) throw new DropdayError('FORBIDDEN').say('preview.only_presavers');
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, presave.lang));
    if (!isPresaver(presave)) throw new DropdayError('FORBIDDEN').say('preview.only_presavers');
    const preview = await findPreview(ctx.db, presave.campaign_id);
    if (!preview) throw new DropdayError('NOT_FOUND');
    if (!isOpen(preview.availableFrom, ctx.now())) {
      const campaign = await ctx.db
        .selectFrom('campaigns')
        .select('release_timezone')
        .where('id', '=', presave.campaign_id)
        .executeTakeFirst();
      const date = momentWords(preview.availableFrom, presave.timezone, campaign?.release_timezone ?? 'UTC', lang);
      throw new DropdayError('FORBIDDEN').say('preview.not_yet', { date: isolate(lang, date) });
    }
    await sendBlob(req, reply, blobStore(ctx), { key: preview.storageKey, contentType: preview.mime, disposition: 'inline' });
    return reply;
  });

  /**
   * A play stage from the receipt's player (sendBeacon). An ordinary form post: same-origin and the
   * page's CSRF token, checked by the global hook (csrf.ts) — sendBeacon sends both from the page.
   */
  app.post<{ Params: { publicId: string } }>('/p/:publicId/preview/event', async (req, reply) => {
    const slot = await reserve(ctx.db, 'preview-ip', reachKeys(ctx).hash('network', req.ip), ctx.now(), {
      windowMs: 3_600_000,
      max: EVENTS_PER_NETWORK_PER_HOUR,
    });
    if (!slot.ok) throw new RetryLaterError('RATE_LIMITED', slot.waitMs);
    const f = formFields(req.body);
    const event = playEvent(f.stage);
    if (!event) throw new ValidationError({ stage: 'must be start, 30s or complete' });
    const presave = await findPresaveByPublicId(ctx.db, req.params.publicId);
    if (!presave || !isPresaver(presave)) throw new DropdayError('FORBIDDEN').say('preview.only_presavers');
    const exp = text(f.exp);
    const link = checkSignedLink(ctx, 'preview', presave.public_id, String(presave.campaign_id), exp, f.sig);
    if (link === 'invalid' || (link === 'expired' && Number(exp) + REPORT_GRACE_MS < ctx.now()))
      throw new DropdayError('FORBIDDEN').say('preview.only_presavers');
    trackRequest(req, { event, campaignId: presave.campaign_id });
    return reply.code(204).send();
  });

  const growthPage = (i: ArtistInput, done?: string) => `${i.base}/growth${done ? `?done=${done}` : ''}#preview`;

  /**
   * An artist's form: done, back to the Growth page; refused for what was sent (400, 413, 415), the
   * whole Growth page again with the reasons by their fields and what was typed kept, nothing stored;
   * refused for who sent it, the reason in words with a way back.
   */
  async function artistAction(
    req: FastifyRequest,
    reply: FastifyReply,
    form: 'upload' | 'moment' | 'remove',
    act: (i: ArtistInput) => Promise<string>,
  ) {
    const i = await scope.artistInput(req);
    try {
      if (!i.mayEdit) throw new DropdayError('FORBIDDEN', 'Only editors can change early access, and not on an archived campaign.');
      return reply.redirect(growthPage(i, await act(i)), 303);
    } catch (err) {
      if (!(err instanceof DropdayError)) throw err;
      if (form === 'remove' || ![400, 413, 415].includes(err.status)) return sendError(req, reply, err, growthPage(i));
      refusedPreviewForms.show(req, { form, message: err.message, errors: err.details ?? {}, typed: formFields(req.body) });
      return scope.page(req, reply, i, err.status);
    }
  }

  function momentOf(f: Record<string, string | string[] | undefined>): MomentInput {
    return text(f.moment) === 'at' ? { mode: 'at', at: text(f.available_at) } : { mode: 'before', hours: text(f.hours_before) };
  }

  function momentAt(i: ArtistInput, f: Record<string, string | string[] | undefined>): { at: number; hoursBefore: number | null } {
    const m = momentFrom(momentOf(f), i.campaign);
    if (!m.ok) throw new ValidationError({ [m.field]: m.problem });
    return m;
  }

  /** A ready clip, or a track and how many seconds of it to cut; with the moment. */
  app.post<ArtistParams>(
    '/w/:workspace/campaigns/:slug/growth/preview',
    scope.upload(ctx.config.growth.preview.maxFileBytes),
    (req, reply) =>
      artistAction(req, reply, 'upload', async (i) => {
        const f = formFields(req.body);
        const files = isMultipartBody(req.body) ? (req.body as MultipartBody).files : new Map<string, UploadedFile>();
        const clip = files.get('clip');
        const track = files.get('track');
        const maxMb = Math.round(ctx.config.growth.preview.maxFileBytes / 1048576);
        for (const file of [clip, track])
          if (file?.tooLarge)
            throw new DropdayError(
              'PAYLOAD_TOO_LARGE',
              `${file.field}: the file is larger than ${maxMb} MB (PREVIEW_MAX_FILE_MB); nothing was stored.`,
              { [file.field]: `is larger than ${maxMb} MB (PREVIEW_MAX_FILE_MB)` },
            );
        const chosen = [clip, track].filter((x): x is UploadedFile & { path: string } => !!x?.path);
        if (chosen.length === 0) throw new ValidationError({ clip: 'choose a ready clip, or a track to cut' });
        if (chosen.length === 2) throw new ValidationError({ clip: 'choose a ready clip or a track to cut, not both' });
        const file = chosen[0]!;
        const at = momentAt(i, f);
        let seconds: number | null = null;
        if (file.field === 'track') {
          seconds = cutSecondsFrom(text(f.seconds));
          if (seconds === null)
            throw new ValidationError({ seconds: `must be a whole number of seconds from ${MIN_CUT_SECONDS} to ${MAX_CUT_SECONDS}` });
        }
        const sniff = await fileType(file.path, clipType);
        if (!sniff.ok)
          throw new DropdayError(
            'UNSUPPORTED_MEDIA_TYPE',
            `${file.field}: ${sniff.reason}. Upload ${ACCEPTED_FORMATS}. Nothing was stored.`,
            {
              [file.field]: sniff.reason,
            },
          );
        if (seconds === null) {
          await setPreviewClip(ctx, i.campaign.id, {
            file: file.path,
            size: file.size,
            mime: sniff.type.mime,
            source: 'upload',
            seconds: null,
            availableFrom: at.at,
            hoursBefore: at.hoursBefore,
          });
          return 'preview-saved';
        }
        let cut: CutClip | null = null;
        try {
          cut = await cutClip(ctx, file.path, seconds, uploadTmpDir(ctx.config.dataDir));
          await setPreviewClip(ctx, i.campaign.id, {
            file: cut.file,
            size: cut.size,
            mime: cut.mime,
            source: 'cut',
            seconds,
            availableFrom: at.at,
            hoursBefore: at.hoursBefore,
          });
        } finally {
          await removeCut(cut);
        }
        return 'preview-cut';
      }),
  );

  app.post<ArtistParams>('/w/:workspace/campaigns/:slug/growth/preview/moment', { preHandler: requireRole('editor') }, (req, reply) =>
    artistAction(req, reply, 'moment', async (i) => {
      const at = momentAt(i, formFields(req.body));
      if (!(await setPreviewMoment(ctx, i.campaign.id, at.at, at.hoursBefore)))
        throw new DropdayError('NOT_FOUND', 'There is no preview yet: upload a clip first.');
      return 'preview-moment';
    }),
  );

  app.post<ArtistParams>('/w/:workspace/campaigns/:slug/growth/preview/remove', { preHandler: requireRole('editor') }, (req, reply) =>
    artistAction(req, reply, 'remove', async (i) => {
      await removePreview(ctx, i.campaign.id);
      return 'preview-removed';
    }),
  );

  /** The artist's own player on the Growth page (any role that may see the campaign). */
  app.get<ArtistParams>('/w/:workspace/campaigns/:slug/growth/preview/clip', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const i = await scope.artistInput(req);
    const preview = await findPreview(ctx.db, i.campaign.id);
    if (!preview) throw new DropdayError('NOT_FOUND', 'This campaign has no preview.');
    await sendBlob(req, reply, blobStore(ctx), { key: preview.storageKey, contentType: preview.mime, disposition: 'inline' });
    return reply;
  });
}
