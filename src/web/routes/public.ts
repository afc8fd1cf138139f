import type { FastifyInstance } from 'fastify';
import { findCampaignBySlug, getCampaignById } from '../../campaigns/repo.js';
import { isValidSlug } from '../../campaigns/validate.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { findPresaveByPublicId } from '../../presaves/repo.js';
import { resolutionsFor } from '../../fulfillment/resolutions.js';
import type { ServiceId } from '../../providers/services.js';
import { langOf } from '../request-info.js';
import { campaignPage, type ListenLink } from '../views/campaign-page.js';
import { thanksPage } from '../views/thanks-page.js';

export function publicRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/', async (_req, reply) => reply.redirect('/admin'));

  app.get<{ Params: { slug: string } }>('/:slug', async (req, reply) => {
    const slug = req.params.slug.toLowerCase();
    const campaign = isValidSlug(slug) ? await findCampaignBySlug(ctx.db, slug) : null;
    if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (campaign.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED');
    const now = ctx.now();
    const enabled = new Set(ctx.providers.enabled());
    const offered = campaign.services.filter((s): s is ServiceId => enabled.has(s));
    let listen: ListenLink[] = [];
    if (now >= campaign.first_release_at) {
      const found = await resolutionsFor(ctx.db, campaign.id);
      listen = found.filter((r) => r.album_url).map((r) => ({ service: r.service, url: r.album_url! }));
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(campaignPage({ campaign, nonce: req.cspNonce, now, offered, listen, lang: langOf(req) }).value);
  });

  app.get<{ Params: { publicId: string } }>('/p/:publicId', async (req, reply) => {
    const presave = await findPresaveByPublicId(ctx.db, req.params.publicId);
    if (!presave) throw new DropdayError('NOT_FOUND', 'There is no pre-save at this address.');
    const campaign = await getCampaignById(ctx.db, presave.campaign_id);
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .send(thanksPage({ campaign, presave, nonce: req.cspNonce, now: ctx.now(), lang: langOf(req) }).value);
  });
}
