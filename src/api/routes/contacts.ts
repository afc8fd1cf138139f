import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { workspaceAudience } from '../../reach/audience.js';
import { newsContactsPage, type ExportTally } from '../../reach/export.js';
import { apiKeyOf } from '../auth.js';
import { campaignOfKey } from '../campaign-scope.js';
import type { Api } from '../index.js';
import type { ApiKey } from '../keys/store.js';
import { decodeCursor, encodeCursor, Page, PageQuery } from '../pagination.js';
import { SlugParams } from '../reports/params.js';
import { errors, iso, Timestamp } from '../schemas.js';

/**
 * Contacts who agreed to news: exactly the lines of the dashboard's CSV export (reach/export.ts,
 * one reader for both), as cursor pages. Only confirmed addresses with a standing news consent —
 * confirmed by the address's owner and not withdrawn — appear; erased, withdrawn, unconfirmed or
 * bounced contacts never do. Each page is logged as the CSV export is: which key, how many, never
 * an address.
 */
const ContactSchema = Type.Object(
  {
    email: Type.String(),
    language: Type.String(),
    consent_time: Timestamp,
    confirmation_time: Timestamp,
    consent_source: Type.String({ description: 'The campaign and page the consent was given on.' }),
    consent_text: Type.String({ description: 'The exact words the fan agreed to.' }),
    consent_version: Type.String(),
    tags: Type.Array(Type.String(), { description: '`dropday`, `news` and every campaign the fan agreed on.' }),
  },
  { $id: 'NewsContact' },
);

export function contactRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(ContactSchema);

  async function page(key: ApiKey, q: { limit?: number; cursor?: string }, campaignId?: number) {
    const limit = q.limit ?? 50;
    const after = decodeCursor(q.cursor)?.id ?? 0;
    const tally: ExportTally = { rows: 0, unreadable: 0 };
    const res = await newsContactsPage(ctx.db, ctx.cipher, workspaceAudience(key.workspaceId), { after, limit, campaignId }, tally);
    ctx.log.info(
      {
        event: 'contacts_export',
        via: 'api',
        workspace: key.workspaceId,
        key: key.prefix,
        campaign: campaignId ?? null,
        rows: tally.rows,
        unreadable: tally.unreadable,
        at: ctx.now(),
      },
      'contacts who agreed to news exported',
    );
    return {
      data: res.contacts.map((c) => ({
        email: c.email,
        language: c.language,
        consent_time: iso(c.consentTime),
        confirmation_time: iso(c.confirmationTime),
        consent_source: c.consentSource,
        consent_text: c.consentText,
        consent_version: c.consentVersion,
        tags: c.tags,
      })),
      next_cursor: res.scanned === limit && res.lastId !== null ? encodeCursor({ id: res.lastId }) : null,
    };
  }

  const common = {
    config: { scope: 'contacts:read' as const },
  };

  api.get(
    '/contacts',
    {
      ...common,
      schema: {
        operationId: 'listNewsContacts',
        tags: ['contacts'],
        summary: 'The workspace’s contacts who agreed to news',
        description:
          'The dashboard’s “Contacts who agreed to news” CSV, as pages. A page may hold fewer than `limit` contacts; `next_cursor` null is the end.',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(Type.Ref('NewsContact')), ...errors() },
      },
    },
    async (req) => page(apiKeyOf(req), req.query),
  );

  api.get(
    '/campaigns/:slug/contacts',
    {
      ...common,
      schema: {
        operationId: 'listCampaignNewsContacts',
        tags: ['contacts'],
        summary: 'Contacts who agreed to news on this campaign',
        description: 'Those whose standing news consent was given on this campaign; the consent fields are that consent.',
        params: SlugParams,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(Type.Ref('NewsContact')), ...errors(404) },
      },
    },
    async (req) => {
      const key = apiKeyOf(req);
      const campaign = await campaignOfKey(ctx, key, req.params.slug);
      return page(key, req.query, campaign.id);
    },
  );
}
