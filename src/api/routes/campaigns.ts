import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { apiKeyOf } from '../auth.js';
import { campaignOfKey } from '../campaign-scope.js';
import { createApiCampaign, duplicateApiCampaign, setArchived, updateApiCampaign } from '../campaigns/actions.js';
import { campaignPage } from '../campaigns/list.js';
import {
  asApiFields,
  CampaignCreateBody,
  CampaignPatchBody,
  CampaignSchema,
  campaignWire,
  DuplicateBody,
  inputOf,
} from '../campaigns/wire.js';
import type { Api } from '../index.js';
import { Page, PageQuery } from '../pagination.js';
import { errors } from '../schemas.js';

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200, description: 'The campaign’s slug (its page is /<slug>).' }) });

/**
 * Campaigns of the key's workspace (docs/api.md). Writes go through the editor's service
 * (api/campaigns/actions.ts); a campaign of another workspace is 404, never 403.
 */
export function campaignRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(CampaignSchema);
  const wire = (c: Parameters<typeof campaignWire>[1]) => campaignWire(ctx.config.publicUrl, c);
  const Campaign = Type.Ref('Campaign');
  const tags = ['campaigns'];
  const read = { scope: 'campaigns:read' } as const;
  const write = { scope: 'campaigns:write', bodyTypes: ['application/json'] } as const;

  api.get(
    '/campaigns',
    {
      config: read,
      schema: {
        operationId: 'listCampaigns',
        tags,
        summary: 'The workspace’s campaigns, latest release first',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
          q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the title or the artist’s name (any case).' })),
        }),
        response: { 200: Page(Campaign), ...errors(400) },
      },
    },
    async (req) => {
      const page = await campaignPage(ctx.db, apiKeyOf(req).workspaceId, { ...req.query, limit: req.query.limit ?? 50 });
      return { data: page.rows.map(wire), next_cursor: page.next_cursor };
    },
  );

  api.get(
    '/campaigns/:slug',
    {
      config: read,
      schema: {
        operationId: 'getCampaign',
        tags,
        summary: 'One campaign',
        params: SlugParams,
        response: { 200: Campaign, ...errors(404) },
      },
    },
    async (req) => wire(await campaignOfKey(ctx, apiKeyOf(req), req.params.slug)),
  );

  api.post(
    '/campaigns',
    {
      config: write,
      schema: {
        operationId: 'createCampaign',
        tags,
        summary: 'Create a campaign',
        description:
          'Checked as the editor checks it; every invalid field is named in `errors`. Send an `Idempotency-Key` to retry safely.',
        body: CampaignCreateBody,
        response: { 201: Campaign, ...errors(400, 409, 422) },
      },
    },
    async (req, reply) => {
      const c = await asApiFields(() => createApiCampaign(ctx, apiKeyOf(req).workspaceId, inputOf(req.body)));
      const body = wire(c);
      return reply.code(201).header('Location', body.urls.api).send(body);
    },
  );

  api.patch(
    '/campaigns/:slug',
    {
      config: write,
      schema: {
        operationId: 'updateCampaign',
        tags,
        summary: 'Change a campaign',
        description:
          'Only the fields given change. A new release time moves every pending pre-save with it. An archived campaign cannot be changed (410).',
        params: SlugParams,
        body: CampaignPatchBody,
        response: { 200: Campaign, ...errors(400, 404, 409, 410) },
      },
    },
    async (req) => {
      const current = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      return wire(await asApiFields(() => updateApiCampaign(ctx, current, inputOf(req.body))));
    },
  );

  for (const [action, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    api.post(
      `/campaigns/:slug/${action}`,
      {
        config: write,
        schema: {
          operationId: `${action}Campaign`,
          tags,
          summary: archived ? 'Archive a campaign' : 'Restore an archived campaign',
          description: archived
            ? 'Its public page answers 410; pending pre-saves are cancelled when they come up. Archiving an archived campaign changes nothing.'
            : 'Its page is back; pre-saves not yet cancelled are delivered as planned.',
          params: SlugParams,
          body: Type.Optional(Type.Object({}, { additionalProperties: false })),
          response: { 200: Campaign, ...errors(404) },
        },
      },
      async (req) => {
        const key = apiKeyOf(req);
        const c = await campaignOfKey(ctx, key, req.params.slug);
        return wire(await setArchived(ctx, key.workspaceId, c, archived, key.createdByUserId));
      },
    );
  }

  api.post(
    '/campaigns/:slug/duplicate',
    {
      config: write,
      schema: {
        operationId: 'duplicateCampaign',
        tags,
        summary: 'Copy a campaign',
        description:
          'A new campaign with every field, artist ids, link-outs, theme and artwork of this one, its own slug and release time, and optionally a new title. Pre-saves, matches and numbers are not copied.',
        params: SlugParams,
        body: DuplicateBody,
        response: { 201: Campaign, ...errors(400, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const key = apiKeyOf(req);
      const source = await campaignOfKey(ctx, key, req.params.slug);
      const body = wire(await asApiFields(() => duplicateApiCampaign(ctx, key.workspaceId, source, req.body)));
      return reply.code(201).header('Location', body.urls.api).send(body);
    },
  );
}
