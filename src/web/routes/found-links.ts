import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changeableCampaignInWorkspace } from '../../accounts/campaigns.js';
import type { AppContext } from '../../context.js';
import { one } from '../../editor/form.js';
import { DropdayError, ValidationError } from '../../errors.js';
import { lookupStatuses } from '../../links/lookup/state.js';
import { isLinkServiceId, serviceName } from '../../providers/services.js';
import { acceptFoundLink, dismissedServices } from '../../smartlink/found-links.js';
import { campaignLinksWithSource, removeCampaignLink, setCampaignLink } from '../../smartlink/links.js';
import { requireRole, workspaceOf } from '../auth-hooks.js';
import { formFields } from '../form-fields.js';
import type { EditorRender } from '../views/editor/pages.js';
import { replaceField, type FoundLinksData } from '../views/editor/found-links.js';

type FoundParams = { Params: { workspace: string; slug: string; service: string } };
/** The editor's panel data: found links and what each look-up said. */
export async function foundLinksData(ctx: AppContext, campaignId: number): Promise<FoundLinksData> {
  return {
    links: (await campaignLinksWithSource(ctx.db, campaignId)).filter((l) => l.source !== null),
    statuses: await lookupStatuses(ctx.db, campaignId),
  };
}

/**
 * Accept, replace or remove a found link (docs/store-links.md). Editors only, CSRF-checked like
 * every form; a replacement URL is checked like a link-out typed in the form, and a refused one
 * comes back on the page next to its field with what was typed.
 */
export function foundLinkRoutes(app: FastifyInstance, ctx: AppContext, render: EditorRender): void {
  const load = async (req: FastifyRequest<FoundParams>) => {
    const campaign = await changeableCampaignInWorkspace(ctx.db, workspaceOf(req).workspace.id, { slug: req.params.slug });
    const { service } = req.params;
    if (!isLinkServiceId(service)) throw new DropdayError('NOT_FOUND', 'There is no such service.');
    return { campaign, service };
  };
  const done = (req: FastifyRequest<FoundParams>, reply: FastifyReply, what: string) =>
    reply.redirect(`/w/${workspaceOf(req).workspace.slug}/campaigns/${req.params.slug}/edit?done=${what}#found-links`, 303);
  const opts = { preHandler: requireRole('editor') };

  app.post<FoundParams>('/w/:workspace/campaigns/:slug/found-links/:service/accept', opts, async (req, reply) => {
    const { campaign, service } = await load(req);
    await acceptFoundLink(ctx.db, campaign.id, service, ctx.now());
    return done(req, reply, 'link-accepted');
  });

  app.post<FoundParams>('/w/:workspace/campaigns/:slug/found-links/:service/replace', opts, async (req, reply) => {
    const { campaign, service } = await load(req);
    const url = one(formFields(req.body, []).url).trim();
    const field = replaceField(service);
    try {
      if (!url) throw new ValidationError({ url: 'is empty: paste the address of the release on the service' });
      if (url.length > 2000) throw new ValidationError({ url: 'is too long' });
      await setCampaignLink(ctx.db, campaign.id, service, url, ctx.now());
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const problem = err.details?.url ?? 'is not a valid address';
      const found = await foundLinksData(ctx, campaign.id);
      const errors = { [field]: `Your own ${serviceName(service)} URL ${problem}.` };
      return render(
        req,
        reply,
        campaign,
        {
          found: { ...found, errors, typed: { [field]: url } },
          message: `The ${serviceName(service)} link was not replaced: your own ${serviceName(service)} URL ${problem}.`,
        },
        400,
      );
    }
    return done(req, reply, 'link-replaced');
  });

  app.post<FoundParams>('/w/:workspace/campaigns/:slug/found-links/:service/remove', opts, async (req, reply) => {
    const { campaign, service } = await load(req);
    try {
      await removeCampaignLink(ctx.db, campaign.id, service, ctx.now());
    } catch (err) {
      // Already removed (a second click, or a page left open): what the artist asked for is done.
      const gone =
        err instanceof DropdayError && err.code === 'NOT_FOUND' && (await dismissedServices(ctx.db, campaign.id)).includes(service);
      if (!gone) throw err;
    }
    return done(req, reply, 'link-removed');
  });
}
