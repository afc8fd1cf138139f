import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findCampaignBySlug, getCampaignById, type Campaign } from '../../campaigns/repo.js';
import { isValidSlug } from '../../campaigns/validate.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { findPresaveByPublicId, marketFromLocale, type PresaveRow } from '../../presaves/repo.js';
import { getGrant } from '../../grants/repo.js';
import { isLinkServiceId, isServiceId, type ServiceId } from '../../providers/services.js';
import { listenLinks, orderForVisitor, PREFERRED_SERVICE_COOKIE, redirectTarget } from '../../smartlink/links.js';
import { langOf, localeOf } from '../request-info.js';
import { campaignPage } from '../views/campaign-page.js';
import { trackRequest } from '../../analytics/index.js';
import { csrfField } from '../csrf.js';
import { erasedPage, thanksPage } from '../views/thanks-page.js';
import { cancelPresave } from '../../presaves/lifecycle/cancel.js';
import { erasePresave } from '../../presaves/lifecycle/erase.js';
import { editorSettings } from '../../editor/service.js';

/**
 * The page's language: the visitor's, when the campaign is offered in it; otherwise the
 * campaign's first language (English when it names none). It sets `lang` and how dates read.
 */
export function pageLanguage(visitor: string, campaignLanguages: string[]): string {
  const offered = campaignLanguages.map((l) => l.split('-')[0]!.toLowerCase());
  if (!offered.length || offered.includes(visitor)) return visitor;
  return offered[0]!;
}

export function publicRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/', async (_req, reply) => reply.redirect('/workspaces'));

  async function activeCampaign(slugParam: string): Promise<Campaign> {
    const slug = slugParam.toLowerCase();
    const campaign = isValidSlug(slug) ? await findCampaignBySlug(ctx.db, slug) : null;
    if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (campaign.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED');
    return campaign;
  }

  function visitorOf(req: FastifyRequest) {
    const preferred = req.cookies[PREFERRED_SERVICE_COOKIE];
    return {
      preferred: isLinkServiceId(preferred) || isServiceId(preferred) ? preferred : null,
      country: marketFromLocale(localeOf(req)),
      apple: /iPhone|iPad|Macintosh/.test(req.headers['user-agent'] ?? ''),
    };
  }

  app.get<{ Params: { slug: string } }>('/:slug', async (req, reply) => {
    const campaign = await activeCampaign(req.params.slug);
    const now = ctx.now();
    const enabled = new Set(ctx.providers.enabled());
    const offered = campaign.services.filter((s): s is ServiceId => enabled.has(s));
    const visitor = visitorOf(req);
    trackRequest(req, { event: 'page_view', campaignId: campaign.id });
    const listen = now >= campaign.first_release_at ? orderForVisitor(await listenLinks(ctx.db, campaign.id, offered), visitor) : [];
    const settings = await editorSettings(ctx, campaign.id);
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(
        campaignPage({
          campaign,
          nonce: req.cspNonce,
          now,
          offered: orderForVisitor(
            offered.map((service) => ({ service })),
            visitor,
          ).map((o) => o.service),
          listen,
          lang: pageLanguage(langOf(req), settings.languages),
          theme: { accent: settings.themeAccent, background: settings.themeBackground },
          publicUrl: ctx.config.publicUrl,
        }).value,
      );
  });

  /** A listen button: goes to the release on that service, and remembers the choice. */
  app.get<{ Params: { slug: string; service: string } }>('/:slug/listen/:service', async (req, reply) => {
    const campaign = await activeCampaign(req.params.slug);
    const enabled = new Set(ctx.providers.enabled());
    const links = await listenLinks(
      ctx.db,
      campaign.id,
      campaign.services.filter((s) => enabled.has(s)),
    );
    // Only a URL stored for this campaign can be the target: no open redirect.
    const link = links.find((l) => l.service === req.params.service);
    const target = link ? redirectTarget(link.url) : null;
    if (!link || !target) throw new DropdayError('NOT_FOUND', 'This release has no link for that service yet.');
    trackRequest(req, { event: 'listen_click', campaignId: campaign.id, service: link.service });
    reply.setCookie(PREFERRED_SERVICE_COOKIE, link.service, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86_400 });
    return reply.redirect(target, 302);
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
    return reply.redirect(`/p/${presave.public_id}`, 303);
  });

  app.post<{ Params: { publicId: string } }>('/p/:publicId/erase', async (req, reply) => {
    const presave = await presaveAt(req.params.publicId);
    const campaign = await getCampaignById(ctx.db, presave.campaign_id);
    const scrubbed = await erasePresave(ctx, presave);
    if (!scrubbed) req.log.warn('erase: the SQLite write-ahead log could not be truncated now; later writes overwrite it');
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', FAN_PAGE_REFERRER_POLICY)
      .send(erasedPage({ nonce: req.cspNonce, slug: campaign.slug }).value);
  });

  app.get<{ Params: { publicId: string } }>('/p/:publicId', async (req, reply) => {
    const presave = await presaveAt(req.params.publicId);
    const campaign = await getCampaignById(ctx.db, presave.campaign_id);
    const grant = await getGrant(ctx.db, presave.grant_id);
    const lifetimeMs = ctx.providers.enabled().includes(presave.service as ServiceId)
      ? ctx.providers.get(presave.service).grantLifetimeMs
      : null;
    const reauthorizeAfter =
      grant && lifetimeMs && presave.due_at > grant.authorized_at + lifetimeMs ? presave.due_at - lifetimeMs + 86_400_000 : null;
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', FAN_PAGE_REFERRER_POLICY)
      .send(
        thanksPage({ campaign, presave, nonce: req.cspNonce, now: ctx.now(), lang: langOf(req), reauthorizeAfter, csrf: csrfField(req) })
          .value,
      );
  });
}
