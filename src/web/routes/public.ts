import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getCampaignById, type Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { findPresaveByPublicId, marketFromLocale, type PresaveRow } from '../../presaves/repo.js';
import { getGrant } from '../../grants/repo.js';
import { isLinkServiceId, isServiceId, type ServiceId } from '../../providers/services.js';
import { orderForVisitor, PREFERRED_SERVICE_COOKIE, redirectTarget } from '../../smartlink/links.js';
import { localeFromHeader } from '../request-info.js';
import { ALL_LANGUAGES, fanLang, langFor, queryLang, settleLang } from '../fan-lang.js';
import { cachedCampaignPage } from '../views/campaign-page.js';
import { PageCache, type CachedResponse, type PageCacheOptions, type PageEntry } from '../page-cache.js';
import type { PageAsk, PageFront } from '../page-front.js';
import { campaignIdKey, loadPublicPage, type PublicPageData } from '../public-page-data.js';
import { PUBLIC_PAGE_ROUTE } from '../request-log.js';
import { trackRequest } from '../../analytics/index.js';
import { matchLang } from '../../i18n/index.js';
import { csrfField } from '../csrf.js';
import { erasedPage, thanksPage } from '../views/thanks-page.js';
import { cancelPresave } from '../../presaves/lifecycle/cancel.js';
import { erasePresave } from '../../presaves/lifecycle/erase.js';
import { campaignViewEvents, rescueOptions } from '../inapp/page-variant.js';
import { escapeRoutes } from './escape.js';
import { calendarRoutes } from './calendar.js';
import { foreverRoutes } from './forever.js';
import { eraseForeverSavesOf } from '../../reach/forever/store.js';
import { foreverStateOf } from '../../reach/forever/state.js';
import { foreverSection } from '../views/forever-section.js';
import { calendarLinks } from '../views/calendar-links.js';
import { eraseContactsForPresave } from '../../reach/contacts/erase.js';
import { remindSection } from '../views/remind-form.js';
import { vapidKeys } from '../../reach/push/vapid.js';
import { erasePushForPresave } from '../../reach/push/stop.js';
import { pushOptIn } from '../views/push-opt-in.js';
import { receiptGrowth } from '../growth/receipt.js';
import { attributeReferral } from './growth-referrals.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The public campaign pages' cache (tests run its check by hand). */
    publicPages: PageCache<PublicPageData>;
  }
  interface FastifyContextConfig {
    /** A fan-facing page on the hot path: its request lines are logged at debug (web/request-log.ts). */
    publicPage?: boolean;
  }
}

/** Where a campaign is in its release: the page differs between these, and only these, moments. */
export function releaseState(c: Pick<Campaign, 'first_release_at' | 'last_release_at'>, now: number): 'before' | 'turn' | 'out' {
  return now >= c.last_release_at ? 'out' : now >= c.first_release_at ? 'turn' : 'before';
}

/** `?remind=` from the request's address (the page front passes the raw one): a service id or null. */
function remindParam(url: string): string | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  const v = new URLSearchParams(url.slice(q + 1)).get('remind');
  return v && /^[a-z-]{1,32}$/.test(v) ? v : null;
}

/** A redirect has no content: nothing may load or run, whatever the browser makes of it. */
const REDIRECT_CSP = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function publicRoutes(app: FastifyInstance, ctx: AppContext, opts: { pageCache?: PageCacheOptions; front?: PageFront } = {}): void {
  app.get('/', async (_req, reply) => reply.redirect('/workspaces'));

  const pages = new PageCache<PublicPageData>(ctx.db, (slug) => loadPublicPage(ctx, slug), opts.pageCache);
  app.decorate('publicPages', pages);

  async function activeCampaign(slug: string): Promise<PageEntry<PublicPageData>> {
    const entry = await pages.get(slug.toLowerCase());
    if (!entry) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (entry.data.campaign.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED');
    return entry;
  }

  /** The campaign page for this ask: one rendering per variant, made once (web/page-cache.ts). */
  function campaignPageFor(entry: PageEntry<PublicPageData>, ask: PageAsk): CachedResponse {
    const { campaign, offered, listen, languages, theme } = entry.data;
    const now = ctx.now();
    const state = releaseState(campaign, now);
    const locale = localeFromHeader(ask.acceptLanguage);
    const visitor = {
      preferred: isLinkServiceId(ask.preferred) || isServiceId(ask.preferred) ? ask.preferred : null,
      country: marketFromLocale(locale),
      apple: /iPhone|iPad|Macintosh/.test(ask.userAgent ?? ''),
    };
    const services =
      state === 'out'
        ? []
        : orderForVisitor(
            offered.map((service) => ({ service })),
            visitor,
          ).map((o) => o.service);
    const links = state === 'before' ? [] : orderForVisitor(listen, visitor);
    // `?lang=`, Accept-Language, the campaign's first: from the request alone (no database).
    const lang = langFor(ask.lang, ask.acceptLanguage, languages);
    // In-app browser rescue (web/inapp/): adds nothing to the key for ordinary visitors.
    const rescue = rescueOptions(ctx, ask, campaign.id, services);
    // The reminder (reach/contacts): every service with a release link and no pre-save here gets
    // "Remind me on …"; `?remind=<service>` renders the form with it chosen (one variant each).
    const remindOn = entry.data.listen.map((l) => l.service).filter((s) => !(offered as string[]).includes(s));
    const remindServices = [...offered, ...remindOn];
    const asked = state === 'out' ? null : remindParam(ask.url);
    const remind =
      state === 'out' ? undefined : { services: remindServices, remindOn, chosen: asked && remindServices.includes(asked) ? asked : null };
    const variant = `${lang} ${state} ${services.join(',')} ${links.map((l) => l.service).join(',')}${rescue.key}${remind?.chosen ? ` r:${remind.chosen}` : ''}`;
    const render = (): CachedResponse => {
      const { html, csp } = cachedCampaignPage({
        campaign,
        now,
        offered: services,
        listen: links,
        lang,
        theme,
        publicUrl: ctx.config.publicUrl,
        inapp: rescue.inapp,
        chosen: rescue.chosen,
        esc: rescue.esc,
        remind,
        pushKey: vapidKeys(ctx).publicKey,
        leaderboard: entry.data.leaderboardPublic,
        contest: entry.data.contest,
        pixels: entry.data.pixels,
      });
      return {
        body: Buffer.from(html),
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': csp },
      };
    };
    // A page carrying a fan's escape id is theirs alone: rendered, not kept.
    return rescue.esc ? render() : pages.variant(entry, variant, render);
  }

  function sendCampaignPage(req: FastifyRequest, reply: FastifyReply, entry: PageEntry<PublicPageData>): void {
    for (const ev of campaignViewEvents(req.headers['user-agent'], entry.campaignId)) trackRequest(req, ev);
    const page = campaignPageFor(entry, {
      preferred: req.cookies[PREFERRED_SERVICE_COOKIE],
      lang: queryLang(req),
      acceptLanguage: req.headers['accept-language'],
      userAgent: req.headers['user-agent'],
      url: req.url,
    });
    reply.headers(page.headers).send(page.body);
  }

  // Fresh cached pages are answered before Fastify (web/page-front.ts), from the same renderings.
  opts.front?.install({ pages, render: campaignPageFor });

  /*
   * The campaign page, before release (pre-save) and after (smart link), from memory: the cache
   * holds one rendering per language, release state and order of services for the visitor.
   *
   * These two handlers are not async functions on purpose: an async handler that sends must
   * resolve to `reply`, which Fastify then awaits as a thenable (a stream-finished listener per
   * request). Here the promise is ours and the reply is sent from it.
   */
  app.get<{ Params: { slug: string } }>('/:slug', PUBLIC_PAGE_ROUTE, (req, reply) => {
    activeCampaign(req.params.slug)
      // `?r=<code>`: a referral link sets the first-touch attribution cookie (growth-referrals.ts), same page.
      .then(async (entry) => {
        if ((req.query as { r?: unknown }).r !== undefined) await attributeReferral(ctx, req, reply, entry.campaignId);
        sendCampaignPage(req, reply, entry);
      })
      .catch((err: unknown) => reply.send(err));
  });

  escapeRoutes(app, ctx, activeCampaign);
  calendarRoutes(app, ctx, activeCampaign);
  foreverRoutes(app, ctx);

  /** A listen button: goes to the release on that service, and remembers the choice. */
  app.get<{ Params: { slug: string; service: string } }>('/:slug/listen/:service', PUBLIC_PAGE_ROUTE, (req, reply) => {
    activeCampaign(req.params.slug)
      .then((entry) => {
        // Only a URL stored for this campaign can be the target: no open redirect.
        const link = entry.data.listen.find((l) => l.service === req.params.service);
        const target = link ? redirectTarget(link.url) : null;
        if (!link || !target) throw new DropdayError('NOT_FOUND').say('errors.no_listen_link');
        trackRequest(req, { event: 'listen_click', campaignId: entry.campaignId, service: link.service });
        reply.setCookie(PREFERRED_SERVICE_COOKIE, link.service, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86_400 });
        reply.header('content-security-policy', REDIRECT_CSP).redirect(target, 302);
      })
      .catch((err: unknown) => reply.send(err));
  });

  /*
   * The thank-you page's address is the fan's capability (cancel, erase), so it must not reach
   * other sites: `same-origin` sends no Referer to anyone else (artwork hosts, streaming services).
   * Not `no-referrer`: that also makes the browser send `Origin: null` on the page's own form posts,
   * which browsers without Sec-Fetch-Site then cannot prove same-origin. Not `strict-origin`: that
   * still tells third parties which Dropday server the fan came from. The forms themselves are
   * checked like every form of the app (csrf.ts: Sec-Fetch-Site / Origin, and the signed token).
   */
  const FAN_PAGE_REFERRER_POLICY = 'same-origin';

  async function presaveAt(publicId: string): Promise<PresaveRow> {
    const presave = await findPresaveByPublicId(ctx.db, publicId);
    if (!presave) throw new DropdayError('PRESAVE_NOT_FOUND');
    return presave;
  }

  app.post<{ Params: { publicId: string } }>('/p/:publicId/cancel', async (req, reply) => {
    const presave = await presaveAt(req.params.publicId);
    if (await cancelPresave(ctx.db, presave, ctx.now())) {
      req.server.analytics?.trackServer({ event: 'cancellation', campaignId: presave.campaign_id, service: presave.service });
    }
    // Back to the receipt in the language it was read in (the form keeps a `?lang=` the fan chose).
    const asked = matchLang(queryLang(req));
    return reply.redirect(`/p/${presave.public_id}${asked ? `?lang=${asked}` : ''}`, 303);
  });

  app.post<{ Params: { publicId: string } }>('/p/:publicId/erase', async (req, reply) => {
    const presave = await presaveAt(req.params.publicId);
    const campaign = await getCampaignById(ctx.db, presave.campaign_id);
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, presave.lang));
    // A forever save asked on this pre-save (or living on its grant) goes with it (reach/forever).
    await eraseForeverSavesOf(ctx.db, presave, ctx.now());
    // The addresses left on this receipt first: the pre-save's WAL truncation then covers them too.
    const contacts = await eraseContactsForPresave(ctx, presave, ctx.now());
    // What this browser was asked to be notified of on the receipt goes too (reach/push/stop.ts).
    await erasePushForPresave(ctx.db, presave, ctx.now());
    const scrubbed = await erasePresave(ctx, presave);
    if (!scrubbed) req.log.warn('erase: the SQLite write-ahead log could not be truncated now; later writes overwrite it');
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', FAN_PAGE_REFERRER_POLICY)
      .send(
        erasedPage({ nonce: req.cspNonce, slug: campaign.slug, lang, contact: contacts.erased ? 'erased' : contacts.kept ? 'kept' : null })
          .value,
      );
  });

  app.get<{ Params: { publicId: string } }>('/p/:publicId', PUBLIC_PAGE_ROUTE, async (req, reply) => {
    // The pre-save is read every time (its status is what the page is for); the campaign comes
    // from the page cache, and the grant only for services whose authorizations expire.
    const presave = await presaveAt(req.params.publicId);
    const entry = await pages.get(campaignIdKey(presave.campaign_id));
    if (!entry) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    const campaign = entry.data.campaign;
    // The language the fan pre-saved in, unless `?lang=` asks for another of the campaign's.
    const lang = fanLang(req, entry.data.languages, presave.lang);
    const asked = queryLang(req) !== undefined && matchLang(queryLang(req)) === lang ? lang : undefined;
    const lifetimeMs = ctx.providers.enabled().includes(presave.service as ServiceId)
      ? ctx.providers.get(presave.service).grantLifetimeMs
      : null;
    const grant = lifetimeMs ? await getGrant(ctx.db, presave.grant_id) : undefined;
    const reauthorizeAfter =
      grant && lifetimeMs && presave.due_at > grant.authorized_at + lifetimeMs ? presave.due_at - lifetimeMs + 86_400_000 : null;
    const csrf = csrfField(req);
    const forever = foreverSection({
      state: await foreverStateOf(ctx.db, presave, campaign),
      campaign,
      presave,
      lang,
      csrf,
      keepLang: asked ? `?lang=${asked}` : '',
    });
    // Before release, the release as a calendar entry in the fan's own zone (reach/calendar).
    const calendar =
      presave.status === 'pending' && ctx.now() < campaign.last_release_at
        ? calendarLinks({ campaign, lang, publicUrl: ctx.config.publicUrl, zone: presave.timezone })
        : '';
    // Referral link, contest, vault and early access (web/growth/).
    const growth = await receiptGrowth({
      ctx,
      req,
      campaign,
      presave,
      lang,
      csrf,
      nonce: req.cspNonce,
      keepLang: asked ? `?lang=${asked}` : '',
      now: ctx.now(),
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', FAN_PAGE_REFERRER_POLICY)
      .send(
        thanksPage({
          campaign,
          presave,
          nonce: req.cspNonce,
          now: ctx.now(),
          lang,
          reauthorizeAfter,
          csrf,
          publicUrl: ctx.config.publicUrl,
          askedLang: asked,
          forever,
          calendar,
          growth,
          // Leave an address for a release-day receipt: while the pre-save waits for its release.
          remind:
            presave.status === 'pending' && ctx.now() < presave.due_at
              ? remindSection({
                  campaign,
                  lang,
                  action: `/p/${presave.public_id}/remind`,
                  page: 'receipt',
                  services: [],
                  values: { tz: presave.timezone },
                  csrf,
                  // Or this browser: its release-day push is the receipt too.
                  push: pushOptIn({
                    slug: campaign.slug,
                    title: campaign.title,
                    artist: campaign.artist_name,
                    lang,
                    vapidKey: vapidKeys(ctx).publicKey,
                    presave: presave.public_id,
                    nonce: req.cspNonce,
                  }),
                })
              : undefined,
        }).value,
      );
  });
}
