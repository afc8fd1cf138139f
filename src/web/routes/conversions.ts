import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeableCampaignInWorkspace } from '../../accounts/campaigns.js';
import { reserve, throttleKey } from '../../accounts/throttle.js';
import { findCampaignBySlug } from '../../campaigns/repo.js';
import { isValidSlug } from '../../campaigns/validate.js';
import type { AppContext } from '../../context.js';
import { recordTrackingChoice } from '../../conversions/consent.js';
import { browserKey, EVENT_ID_SHAPE } from '../../conversions/identifiers.js';
import { PLATFORMS } from '../../conversions/platforms.js';
import { recordConversion } from '../../conversions/record.js';
import { failedEvents } from '../../conversions/report.js';
import { resendFailedConversions } from '../../conversions/resend.js';
import { conversionSettings, saveConversionSettings } from '../../conversions/settings.js';
import { notifyWorkers } from '../../fulfillment/wakeup.js';
import { ID_FIELD, SECRET_FIELD, type PlatformInput } from '../../conversions/validate.js';
import type { ConversionPlatform } from '../../db/schema-conversions.js';
import { one } from '../../editor/form.js';
import { DropdayError, RetryLaterError, ValidationError } from '../../errors.js';
import { matchLang, t, type Lang } from '../../i18n/index.js';
import { randomToken } from '../../util/random.js';
import { requireRole, workspaceOf } from '../auth-hooks.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import { formFields } from '../form-fields.js';
import type { EditorPageData, EditorRender } from '../views/editor/pages.js';
import { FAN_COOKIE } from './connect.js';

/** The browser's answer, readable by the page's script (views/tracking-prompt.ts); the record is server-side. */
export const trackingCookie = (campaignId: number): string => `dropday_tracking_${campaignId}`;
const FAN_COOKIE_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;
const YEAR_S = 365 * 86_400;

/** The words the fan answered, exactly, and which version of them (recorded with the answer). */
export function promptWords(lang: Lang, artist: string): { text: string; version: string } {
  const text = t(lang, 'conversions.prompt', { artist });
  return { text, version: `conversions.prompt:${createHash('sha256').update(text).digest('hex').slice(0, 12)}` };
}

/** The browser's `dropday_fan` id (the one referrals use), made now when it has none. */
export function fanBrowserId(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): string {
  const have = req.cookies[FAN_COOKIE];
  if (have && FAN_COOKIE_SHAPE.test(have)) return have;
  const made = randomToken(24);
  reply.setCookie(FAN_COOKIE, made, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    maxAge: YEAR_S,
  });
  return made;
}

interface TrackingBody {
  choice?: unknown;
  event_id?: unknown;
  lang?: unknown;
}

/**
 * `POST /<slug>/tracking` (the campaign page's script): `{choice?: 'allow'|'deny', event_id, lang}`.
 * A choice is recorded (conversions/consent.ts) and remembered in the browser's cookie; then, when
 * this browser's standing answer is "allow", the page view is queued for the campaign's platforms
 * under the page's event id. Like `/<slug>/push`: the page is cached (no per-visitor token), so the
 * CSRF defence is Sec-Fetch-Site / Origin (`csrf: 'manual'`), a JSON body, and a limit per IP.
 */
export function trackingRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { slug: string }; Body: TrackingBody }>(
    '/:slug/tracking',
    { config: { csrf: 'manual', bodyTypes: ['application/json'] } },
    async (req, reply) => {
      const now = ctx.now();
      const body: TrackingBody = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};
      const asked = typeof body.lang === 'string' ? matchLang(body.lang) : undefined;
      const lang = settleLang(req, asked ?? fanLang(req, ALL_LANGUAGES));
      const slot = await reserve(ctx.db, 'tracking-ip', throttleKey('tracking-ip', req.ip), now, { windowMs: 3_600_000, max: 600 });
      if (!slot.ok) throw new RetryLaterError('RATE_LIMITED', slot.waitMs);
      const slug = req.params.slug.toLowerCase();
      const campaign = isValidSlug(slug) ? await findCampaignBySlug(ctx.db, slug) : null;
      if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
      if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');

      const problems: Record<string, string> = {};
      const choice = body.choice === undefined || body.choice === null ? null : body.choice;
      if (choice !== null && choice !== 'allow' && choice !== 'deny') problems.choice = 'must be allow or deny';
      if (typeof body.event_id !== 'string' || !EVENT_ID_SHAPE.test(body.event_id))
        problems.event_id = 'must be 16 to 64 letters, digits, - or _';
      if (body.lang !== undefined && !asked) problems.lang = 'must be one of en, es, pt-BR, fr, de, hi, bn, ar';
      if (Object.keys(problems).length) throw new ValidationError(problems);

      const key = browserKey(ctx, fanBrowserId(ctx, req, reply));
      if (choice === 'allow' || choice === 'deny') {
        const words = promptWords(lang, campaign.artist_name);
        await recordTrackingChoice(
          ctx.db,
          { campaignId: campaign.id, browserKey: key, choice, text: words.text, textVersion: words.version, lang },
          now,
        );
        reply.setCookie(trackingCookie(campaign.id), choice, {
          path: '/',
          sameSite: 'lax',
          httpOnly: false,
          secure: ctx.config.publicUrl.startsWith('https:'),
          maxAge: YEAR_S,
        });
      }
      // The page's own address, never the Referer: a referral link's `?r=` is nobody else's business.
      const queued = await recordConversion(ctx, {
        campaignId: campaign.id,
        event: 'page_view',
        eventId: body.event_id as string,
        fan: { browserKey: key, ip: req.ip, userAgent: req.headers['user-agent'] ?? '', url: `${ctx.config.publicUrl}/${campaign.slug}` },
      });
      return reply.header('cache-control', 'no-store').send({ ok: true, queued });
    },
  );
}

type CampaignParams = { Params: { workspace: string; slug: string } };

/** The editor panel's data: what is set, never a token. */
export async function conversionsData(ctx: AppContext, campaignId: number): Promise<NonNullable<EditorPageData['conversions']>> {
  return { settings: await conversionSettings(ctx.db, campaignId), failed: await failedEvents(ctx.db, campaignId, ctx.now()) };
}

/**
 * The editor's "Conversion tracking" form (`POST /w/<ws>/campaigns/<slug>/conversions`): editors
 * only, CSRF-checked like every form; refused values come back next to their fields with what was
 * typed (tokens are never typed back into a page).
 */
export function conversionSettingsRoutes(app: FastifyInstance, ctx: AppContext, render: EditorRender): void {
  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/conversions', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const campaign = await changeableCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
    const v = formFields(req.body, []);
    const input = {} as Record<ConversionPlatform, PlatformInput>;
    for (const p of PLATFORMS)
      input[p] = { id: one(v[ID_FIELD[p]]), secret: one(v[SECRET_FIELD[p]]), remove: one(v[`${p}_remove`]) === 'on' };
    try {
      await saveConversionSettings(ctx, campaign.id, input, ctx.now());
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = err.details ?? {};
      const typed = Object.fromEntries(PLATFORMS.map((p) => [ID_FIELD[p], input[p].id]));
      return render(
        req,
        reply,
        campaign,
        {
          conversions: { ...(await conversionsData(ctx, campaign.id)), errors, typed },
          message: `Conversion tracking was not saved: ${Object.keys(errors).length === 1 ? 'one field needs' : `${Object.keys(errors).length} fields need`} a change (marked below).`,
        },
        400,
      );
    }
    return reply.redirect(`/w/${workspace.slug}/campaigns/${campaign.slug}/edit?done=conversions-saved#conversions`, 303);
  });

  // "Send them again": failed events of the platforms the campaign sends to now, inside each one's window.
  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/conversions/retry', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const campaign = await changeableCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
    const { requeued: n } = await resendFailedConversions(ctx.db, campaign.id, ctx.now());
    if (n) await notifyWorkers(ctx);
    return reply.redirect(
      `/w/${workspace.slug}/campaigns/${campaign.slug}/edit?done=conversions-${n ? 'resent' : 'none'}#conversions`,
      303,
    );
  });
}
