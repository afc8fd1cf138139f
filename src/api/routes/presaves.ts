import type { Selectable } from 'kysely';
import { Type } from 'typebox';
import { explainFailure } from '../../analytics/delivery-words.js';
import type { AppContext } from '../../context.js';
import type { PresaveTable } from '../../db/schema.js';
import { DropdayError } from '../../errors.js';
import { apiKeyOf } from '../auth.js';
import { campaignOfKey } from '../campaign-scope.js';
import type { Api } from '../index.js';
import { decodeCursor, Page, pageOf, PageQuery } from '../pagination.js';
import { presaveApiId, presaveRowId } from '../reports/presave-id.js';
import { ServiceId, SlugParams } from '../reports/params.js';
import { errors, iso, NullableTimestamp, Timestamp } from '../schemas.js';

const STATUSES = ['pending', 'saved', 'failed', 'cancelled'] as const;
const FOLLOW_STATUSES = ['done', 'queued', 'waiting', 'failed'] as const;

/**
 * What a pre-save shows through the API. Never the fan's token, streaming account id, address, IP
 * or the receipt's public id (the fan's own capability): the schema is the whitelist, and the
 * serializer drops anything not in it.
 */
const PresaveSchema = Type.Object(
  {
    id: Type.String({ description: 'The pre-save’s API id (`ps_…`); not the fan’s receipt address.' }),
    service: Type.String(),
    status: Type.Union(STATUSES.map((s) => Type.Literal(s))),
    verifying: Type.Boolean({ description: 'Pending, but the service accepted the save: counted saved once verified in the library.' }),
    follow_status: Type.Union([...FOLLOW_STATUSES.map((s) => Type.Literal(s)), Type.Null()], {
      description: 'The follow of the artist, its own outcome (null: no follow asked, or not saved yet).',
    }),
    country: Type.Union([Type.String(), Type.Null()], { description: 'ISO 3166-1 alpha-2 from the fan’s locale; null when unknown.' }),
    created_at: Timestamp,
    due_at: Timestamp,
    saved_at: NullableTimestamp,
    failure: Type.Union(
      [
        Type.Object({
          kind: Type.String(),
          what: Type.String({ description: 'Why it failed, in plain words.' }),
          next: Type.String({ description: 'What the artist can do.' }),
          retry_helps: Type.Boolean(),
        }),
        Type.Null(),
      ],
      { description: 'Set when failed.' },
    ),
  },
  { $id: 'Presave' },
);

type Row = Pick<
  Selectable<PresaveTable>,
  'id' | 'service' | 'status' | 'save_accepted_at' | 'follow_status' | 'market' | 'created_at' | 'due_at' | 'saved_at' | 'failure_reason'
>;
const COLUMNS = [
  'id',
  'service',
  'status',
  'save_accepted_at',
  'follow_status',
  'market',
  'created_at',
  'due_at',
  'saved_at',
  'failure_reason',
] as const;

function presaveBody(ctx: AppContext, r: Row) {
  const failure = r.status === 'failed' ? explainFailure(r.failure_reason ?? '') : null;
  return {
    id: presaveApiId(ctx, Number(r.id)),
    service: r.service,
    status: r.status as (typeof STATUSES)[number],
    verifying: r.status === 'pending' && r.save_accepted_at !== null,
    follow_status: r.status === 'saved' ? ((r.follow_status as (typeof FOLLOW_STATUSES)[number] | null) ?? null) : null,
    country: r.market,
    created_at: iso(Number(r.created_at)),
    due_at: iso(Number(r.due_at)),
    saved_at: iso(r.saved_at === null ? null : Number(r.saved_at)),
    failure: failure && { kind: failure.kind, what: failure.what, next: failure.next, retry_helps: failure.retryHelps },
  };
}

/** Pre-saves of a campaign, newest first, with filters (docs/api-reports.md "Pre-saves"). */
export function presaveRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(PresaveSchema);

  api.get(
    '/campaigns/:slug/presaves',
    {
      config: { scope: 'presaves:read' },
      schema: {
        operationId: 'listPresaves',
        tags: ['presaves'],
        summary: 'Pre-saves of a campaign',
        description: 'Newest first. Never a token, account id, address or IP.',
        params: SlugParams,
        querystring: Type.Object(
          {
            ...PageQuery,
            status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
            service: Type.Optional(ServiceId),
            created_after: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (ISO 8601).' })),
            created_before: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (ISO 8601).' })),
            verified: Type.Optional(Type.Boolean({ description: 'true: saved and verified in the fan’s library; false: every other.' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(Type.Ref('Presave')), ...errors(404) },
      },
    },
    async (req) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      const q = req.query;
      const limit = q.limit ?? 50;
      const cursor = decodeCursor(q.cursor);
      let sel = ctx.db.selectFrom('presaves').select(COLUMNS).where('campaign_id', '=', campaign.id);
      if (q.status) sel = sel.where('status', '=', q.status);
      if (q.service) sel = sel.where('service', '=', q.service);
      if (q.created_after) sel = sel.where('created_at', '>=', Date.parse(q.created_after));
      if (q.created_before) sel = sel.where('created_at', '<', Date.parse(q.created_before));
      if (q.verified !== undefined) sel = sel.where('status', q.verified ? '=' : '<>', 'saved');
      if (cursor) {
        if (typeof cursor.k !== 'number')
          throw new DropdayError('VALIDATION', 'The cursor is not one this list gave out.', {
            'querystring.cursor': 'is not a cursor of this list',
          });
        const k = cursor.k;
        sel = sel.where((eb) => eb.or([eb('created_at', '<', k), eb.and([eb('created_at', '=', k), eb('id', '<', cursor.id)])]));
      }
      const rows = await sel
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit, (r) => ({ k: Number(r.created_at), id: Number(r.id) }));
      return { data: page.rows.map((r) => presaveBody(ctx, r)), next_cursor: page.next_cursor };
    },
  );

  api.get(
    '/campaigns/:slug/presaves/:id',
    {
      config: { scope: 'presaves:read' },
      schema: {
        operationId: 'getPresave',
        tags: ['presaves'],
        summary: 'One pre-save',
        params: Type.Object({
          slug: SlugParams.properties.slug,
          id: Type.String({ maxLength: 64, description: 'The pre-save’s API id (`ps_…`).' }),
        }),
        response: { 200: Type.Ref('Presave'), ...errors(404) },
      },
    },
    async (req) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      const rowId = presaveRowId(ctx, req.params.id);
      const row =
        rowId === null
          ? undefined
          : await ctx.db
              .selectFrom('presaves')
              .select(COLUMNS)
              .where('id', '=', rowId)
              .where('campaign_id', '=', campaign.id)
              .executeTakeFirst();
      if (!row) throw new DropdayError('PRESAVE_NOT_FOUND', 'No pre-save with this id in this campaign.');
      return presaveBody(ctx, row);
    },
  );
}
