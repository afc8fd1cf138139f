import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { apiKeyOf } from '../auth.js';
import type { Api } from '../index.js';
import { errors, iso, Timestamp } from '../schemas.js';

const WorkspaceSchema = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('artist'), Type.Literal('label')]),
    created_at: Timestamp,
  },
  { $id: 'Workspace' },
);

/** The key's own workspace: a key sees exactly one. */
export function workspaceRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(WorkspaceSchema);
  const read = async (workspaceId: number) => {
    const row = await ctx.db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();
    if (!row) throw new DropdayError('NOT_FOUND', 'This key’s workspace no longer exists.');
    return { slug: row.slug, name: row.name, kind: row.kind as 'artist' | 'label', created_at: iso(Number(row.created_at)) };
  };
  api.get(
    '/workspace',
    {
      config: { scope: 'workspace:read' },
      schema: {
        operationId: 'getWorkspace',
        tags: ['workspace'],
        summary: 'The workspace this key belongs to',
        response: { 200: Type.Ref('Workspace'), ...errors(404) },
      },
    },
    async (req) => read(apiKeyOf(req).workspaceId),
  );
}
