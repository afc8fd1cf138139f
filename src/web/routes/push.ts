import type { FastifyInstance } from 'fastify';
import { findCampaignBySlug, getCampaignById } from '../../campaigns/repo.js';
import { isValidTimeZone } from '../../campaigns/timing.js';
import { isValidSlug } from '../../campaigns/validate.js';
import type { AppContext } from '../../context.js';
import { reserve, throttleKey } from '../../accounts/throttle.js';
import { DropdayError, RetryLaterError } from '../../errors.js';
import { matchLang, type Lang } from '../../i18n/index.js';
import { findPresaveByPublicId } from '../../presaves/repo.js';
import { standingConsents } from '../../reach/consents.js';
import { optInPush, type PushPurpose } from '../../reach/push/opt-in.js';
import { SERVICE_WORKER } from '../../reach/push/service-worker.js';
import { stopPush } from '../../reach/push/stop.js';
import { checkSubscription } from '../../reach/push/subscription-input.js';
import { findByManageId } from '../../reach/push/subscriptions.js';
import { csrfField } from '../csrf.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import { pushPage, pushStoppedPage } from '../views/push-page.js';

/**
 * Web push on the public origin (docs/reach.md, "Web push"):
 * - `GET /sw.js`: the service worker (scope `/`);
 * - `POST /<slug>/push`: a browser's PushSubscription and the purposes ticked → stored with its
 *   consents (reach/push/opt-in.ts). JSON in, JSON out. The campaign page is cached (no per-visitor
 *   token), so the CSRF defence is the browser's own word that the request is same-origin
 *   (Sec-Fetch-Site / Origin: csrf.ts, `csrf: 'manual'`), plus a JSON body (a cross-site form
 *   cannot send one) and a limit per client IP;
 * - `GET /n/<manage id>`: what this browser is notified of, and `POST /n/<manage id>/stop`.
 */
const WORKER_HEADERS = {
  'content-type': 'text/javascript; charset=utf-8',
  'service-worker-allowed': '/',
  // A new version must reach browsers at once: they re-check the worker on navigation.
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'self'; img-src 'self' https: data:; object-src 'none'; base-uri 'none'",
};

const FAN_PAGE_REFERRER_POLICY = 'same-origin';

interface PushBody {
  subscription?: unknown;
  purposes?: unknown;
  tz?: unknown;
  lang?: unknown;
  presave?: unknown;
}

export function pushRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/sw.js', async (_req, reply) => reply.headers(WORKER_HEADERS).send(SERVICE_WORKER));

  app.post<{ Params: { slug: string }; Body: PushBody }>(
    '/:slug/push',
    { config: { csrf: 'manual', bodyTypes: ['application/json'] } },
    async (req, reply) => {
      const now = ctx.now();
      const body: PushBody = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : {};
      const asked = typeof body.lang === 'string' ? matchLang(body.lang) : undefined;
      // Errors from here on read in the page's language.
      settleLang(req, asked ?? fanLang(req, ALL_LANGUAGES));
      const limit = { windowMs: 3_600_000, max: ctx.config.reach.push.subscribesPerIpPerHour };
      const slot = await reserve(ctx.db, 'push-ip', throttleKey('push-ip', req.ip), now, limit);
      if (!slot.ok) {
        throw new RetryLaterError('RATE_LIMITED', slot.waitMs).say('push.rate', { minutes: Math.max(1, Math.ceil(slot.waitMs / 60_000)) });
      }
      const slug = req.params.slug.toLowerCase();
      const campaign = isValidSlug(slug) ? await findCampaignBySlug(ctx.db, slug) : null;
      if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
      if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');

      const problems: Record<string, string> = {};
      const sub = checkSubscription(body.subscription, ctx.config.env);
      if (!sub.ok) Object.assign(problems, sub.problems);
      const purposes = Array.isArray(body.purposes) ? body.purposes : null;
      if (!purposes || purposes.length === 0) problems.purposes = 'tick at least one of remind, news';
      else if (purposes.length > 2 || !purposes.every((p) => p === 'remind' || p === 'news'))
        problems.purposes = 'may only be remind and news';
      const tz = typeof body.tz === 'string' ? body.tz.trim() : body.tz === undefined || body.tz === null ? '' : null;
      if (tz === null || (tz && (tz.length > 64 || !isValidTimeZone(tz)))) problems.tz = 'is not an IANA time zone';
      if (body.lang !== undefined && !asked) problems.lang = `must be one of en, es, pt-BR, fr, de, hi, bn, ar`;
      let presaveId: number | null = null;
      if (body.presave !== undefined && body.presave !== null) {
        const presave = typeof body.presave === 'string' ? await findPresaveByPublicId(ctx.db, body.presave) : undefined;
        if (!presave || presave.campaign_id !== campaign.id) problems.presave = 'is not a pre-save of this campaign';
        else presaveId = presave.id;
      }
      if (Object.keys(problems).length || !sub.ok) {
        const err = new DropdayError('VALIDATION', `The push subscription was not accepted: ${Object.keys(problems).join(', ')}`, problems);
        if (problems.purposes) err.say('push.bad_purpose');
        else if (Object.keys(problems).some((k) => k.startsWith('subscription'))) err.say('push.bad_subscription');
        throw err;
      }
      const lang: Lang = asked ?? fanLang(req, ALL_LANGUAGES);
      const done = await optInPush(
        ctx,
        {
          campaign,
          subscription: sub.subscription,
          host: sub.host,
          purposes: [...new Set(purposes as PushPurpose[])],
          lang,
          timezone: tz || null,
          presaveId,
        },
        now,
      );
      return reply
        .code(done.added ? 201 : 200)
        .header('cache-control', 'no-store')
        .send({ ok: true, manage: done.manage, purposes: [...new Set(purposes as PushPurpose[])] });
    },
  );

  app.get<{ Params: { manage: string } }>('/n/:manage', async (req, reply) => {
    const row = await findByManageId(ctx.db, req.params.manage);
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, row?.lang));
    if (!row) throw new DropdayError('NOT_FOUND').say('push.not_found');
    const campaign = await getCampaignById(ctx.db, row.campaign_id);
    const consents = await standingConsents(ctx.db, { pushId: row.id });
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', FAN_PAGE_REFERRER_POLICY)
      .send(
        pushPage({
          campaign,
          manageId: row.manage_id,
          purposes: [...new Set(consents.map((c) => c.purpose))],
          since: row.created_at,
          timezone: consents.find((c) => c.timezone)?.timezone ?? null,
          lang,
          nonce: req.cspNonce,
          csrf: csrfField(req),
        }).value,
      );
  });

  app.post<{ Params: { manage: string } }>('/n/:manage/stop', async (req, reply) => {
    const row = await findByManageId(ctx.db, req.params.manage);
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, row?.lang));
    if (!row) throw new DropdayError('NOT_FOUND').say('push.not_found');
    const campaign = await getCampaignById(ctx.db, row.campaign_id);
    await stopPush(ctx.db, row.id, 'preferences', ctx.now());
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', FAN_PAGE_REFERRER_POLICY)
      .send(pushStoppedPage({ slug: campaign.slug, lang, nonce: req.cspNonce }).value);
  });
}
