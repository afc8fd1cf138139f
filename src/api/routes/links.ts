import { changeableCampaignInWorkspace } from '../../accounts/campaigns.js';
import { Type } from 'typebox';
import { clearReleaseMatch, removeLinkOut, setReleaseOverride } from '../../campaigns/overrides.js';
import type { Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { listMatches } from '../../releases/matches.js';
import { campaignLinksWithSource, setCampaignLink } from '../../smartlink/links.js';
import { apiKeyOf } from '../auth.js';
import { campaignOfKey } from '../campaign-scope.js';
import { asApiFields } from '../campaigns/wire.js';
import { LinkSchema, linkWire, MatchSchema, matchWire } from '../campaigns/links-wire.js';
import type { Api } from '../index.js';
import { errors } from '../schemas.js';
import type { FastifyRequest } from 'fastify';

const ServiceParams = Type.Object({ slug: Type.String({ maxLength: 200 }), service: Type.String({ maxLength: 40 }) });
const SlugOnly = Type.Object({ slug: Type.String({ maxLength: 200 }) });
const NAMES = { service: 'params.service', release: 'body.release', artists: 'body.artist_uris' };

/**
 * A campaign's link-outs ("listen on" services without a pre-save API) and its release matches
 * (what each pre-save service saves; the artist may set one by hand). The same modules as the
 * editor and `dropday campaign link|match` (campaigns/overrides.ts, smartlink/links.ts).
 */
export function linkRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(LinkSchema);
  api.addSchema(MatchSchema);
  const Link = Type.Ref('CampaignLink');
  const Match = Type.Ref('ReleaseMatch');
  const read = { scope: 'campaigns:read' } as const;
  const write = { scope: 'campaigns:write', bodyTypes: ['application/json'] } as const;
  const slugOf = (req: FastifyRequest) => (req.params as { slug: string }).slug;
  const campaignOf = (req: FastifyRequest) => campaignOfKey(ctx, apiKeyOf(req), slugOf(req));
  const changeable = (req: FastifyRequest) => changeableCampaignInWorkspace(ctx.db, apiKeyOf(req).workspaceId, { slug: slugOf(req) });
  const linksOf = async (c: Campaign) => (await campaignLinksWithSource(ctx.db, c.id)).map(linkWire);

  api.get(
    '/campaigns/:slug/links',
    {
      config: read,
      schema: {
        operationId: 'listCampaignLinks',
        tags: ['links'],
        summary: 'The campaign’s link-outs (the artist’s own and those found by look-ups)',
        params: SlugOnly,
        response: { 200: Type.Object({ data: Type.Array(Link), next_cursor: Type.Null() }), ...errors(404) },
      },
    },
    async (req) => ({ data: await linksOf(await campaignOf(req)), next_cursor: null }),
  );

  api.get(
    '/campaigns/:slug/links/:service',
    {
      config: read,
      schema: {
        operationId: 'getCampaignLink',
        tags: ['links'],
        summary: 'One link-out',
        params: ServiceParams,
        response: { 200: Link, ...errors(404) },
      },
    },
    async (req) => {
      const link = (await linksOf(await campaignOf(req))).find((l) => l.service === req.params.service);
      if (!link) throw new DropdayError('NOT_FOUND', `This campaign has no ${req.params.service} link.`);
      return link;
    },
  );

  api.put(
    '/campaigns/:slug/links/:service',
    {
      config: write,
      schema: {
        operationId: 'setCampaignLink',
        tags: ['links'],
        summary: 'Add or replace a link-out',
        description: 'The URL must be https on the service’s own site. It replaces a link a look-up found.',
        params: ServiceParams,
        body: Type.Object({ url: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Link, ...errors(400, 404, 410) },
      },
    },
    async (req) => {
      const c = await changeable(req);
      await asApiFields(() => setCampaignLink(ctx.db, c.id, req.params.service, req.body.url, ctx.now()));
      return (await linksOf(c)).find((l) => l.service === req.params.service)!;
    },
  );

  api.delete(
    '/campaigns/:slug/links/:service',
    {
      config: write,
      schema: {
        operationId: 'removeCampaignLink',
        tags: ['links'],
        summary: 'Remove a link-out',
        description: 'A found link removed is never found again; removing the artist’s own lets look-ups fill the service.',
        params: ServiceParams,
        response: { 204: Type.Null(), ...errors(404, 410) },
      },
    },
    async (req, reply) => {
      await removeLinkOut(ctx, await changeable(req), req.params.service);
      return reply.code(204).send(null);
    },
  );

  api.get(
    '/campaigns/:slug/matches',
    {
      config: read,
      schema: {
        operationId: 'listReleaseMatches',
        tags: ['matches'],
        summary: 'What the release was matched to on each service, per market, and how',
        params: SlugOnly,
        response: { 200: Type.Object({ data: Type.Array(Match), next_cursor: Type.Null() }), ...errors(404) },
      },
    },
    async (req) => ({ data: (await listMatches(ctx.db, (await campaignOf(req)).id)).map(matchWire), next_cursor: null }),
  );

  api.put(
    '/campaigns/:slug/matches/:service',
    {
      config: write,
      schema: {
        operationId: 'setReleaseMatch',
        tags: ['matches'],
        summary: 'Say which release a service saves',
        description:
          'A store URL or URI of the service; used in every market from now on. The ids are checked with the service first: one it does not know is a 400; one that cannot be checked now is saved, with a warning.',
        params: ServiceParams,
        body: Type.Object(
          {
            release: Type.String({ maxLength: 2000, description: 'e.g. https://open.spotify.com/album/… or spotify:album:…' }),
            artist_uris: Type.Optional(
              Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20, description: 'Artists to follow with it.' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ match: Match, warnings: Type.Array(Type.String()) }), ...errors(400, 404, 410) },
      },
    },
    async (req) => {
      const c = await changeable(req);
      const { service } = req.params;
      const { warnings } = await setReleaseOverride(ctx, c, service, req.body.release, req.body.artist_uris ?? [], NAMES);
      const match = (await listMatches(ctx.db, c.id)).find((m) => m.service === service && m.overridden)!;
      return { match: matchWire(match), warnings: warnings.map((w) => w.text) };
    },
  );

  api.delete(
    '/campaigns/:slug/matches/:service',
    {
      config: write,
      schema: {
        operationId: 'clearReleaseMatch',
        tags: ['matches'],
        summary: 'Clear the service’s match (the artist’s pick included): the next attempt looks the release up again',
        params: ServiceParams,
        response: { 204: Type.Null(), ...errors(400, 404, 410) },
      },
    },
    async (req, reply) => {
      await clearReleaseMatch(ctx, await changeable(req), req.params.service, NAMES);
      return reply.code(204).send(null);
    },
  );
}
