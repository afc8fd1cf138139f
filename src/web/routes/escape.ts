import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { matchLang } from '../../i18n/index.js';
import { trackRequest } from '../../analytics/index.js';
import type { PageEntry } from '../page-cache.js';
import type { PublicPageData } from '../public-page-data.js';
import { PUBLIC_PAGE_ROUTE } from '../request-log.js';
import { fanLang, queryLang, settleLang } from '../fan-lang.js';
import { detectInApp } from '../inapp/detect.js';
import { escapeIds, escapeLinks, escapePath, landingPath, needsRealBrowser } from '../inapp/escape.js';
import { escapeStepPage } from '../views/escape-step.js';

/**
 * GET /{slug}/escape/{service}: the "Open in your browser" step and the hop that ends it.
 *
 * - In an app's browser, without an escape id: one is issued (`escape_shown`) and the fan is
 *   sent to this same address with it, so whatever the fan opens in their browser — the app's
 *   menu opens the current address, the copied link, the intent:// hop — carries it.
 * - In an app's browser, with an id: the step (per fan, never cached).
 * - In a real browser: the hop worked (`escape_taken` when the id is ours) → the campaign page
 *   with the service selected and the id, which its connect forms carry to the pre-save.
 *
 * Every redirect goes to this campaign's own pages; the step's links are built from PUBLIC_URL.
 */
export function escapeRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  activeCampaign: (slug: string) => Promise<PageEntry<PublicPageData>>,
): void {
  const ids = escapeIds(ctx);
  app.get<{ Params: { slug: string; service: string }; Querystring: { esc?: string } }>(
    '/:slug/escape/:service',
    PUBLIC_PAGE_ROUTE,
    async (req, reply) => {
      const { campaign, offered, languages } = (await activeCampaign(req.params.slug)).data;
      const lang = settleLang(req, fanLang(req, languages));
      // The campaign page's forms name their language: it goes along with every hop.
      const carried = matchLang(queryLang(req)) ?? undefined;
      const service = offered.find((s) => s === req.params.service);
      if (!service) throw new DropdayError('SERVICE_NOT_OFFERED').say('errors.service_not_offered_named', { title: campaign.title });
      const esc = ids.verify(campaign.id, req.query.esc, ctx.now());
      const verdict = detectInApp(req.headers['user-agent']);
      reply.header('Cache-Control', 'no-store');
      if (!verdict || !needsRealBrowser(service)) {
        if (esc && !verdict) trackRequest(req, { event: 'escape_taken', campaignId: campaign.id, service });
        return reply.redirect(landingPath(campaign.slug, service, verdict ? null : esc, carried), 303);
      }
      if (!esc) {
        trackRequest(req, { event: 'escape_shown', campaignId: campaign.id, service });
        return reply.redirect(escapePath(campaign.slug, service, ids.issue(campaign.id, ctx.now()), carried), 303);
      }
      return reply.type('text/html; charset=utf-8').send(
        escapeStepPage({
          campaign,
          service,
          lang,
          verdict,
          links: escapeLinks(ctx.config.publicUrl, campaign.slug, service, esc, carried),
          nonce: req.cspNonce,
        }).value,
      );
    },
  );
}
