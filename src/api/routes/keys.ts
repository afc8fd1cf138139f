import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { DropdayError, ValidationError } from '../../errors.js';
import { apiKeyOf } from '../auth.js';
import type { Api } from '../index.js';
import { checkNewKey, KEY_NAME_MAX } from '../keys/new-key.js';
import { createApiKey, findApiKey, pageApiKeys, revokeApiKey, type ApiKey } from '../keys/store.js';
import { decodeCursor, Page, PageQuery, pageOf } from '../pagination.js';
import { API_SCOPES, allows } from '../scopes.js';
import { errors, iso, NullableTimestamp, Timestamp } from '../schemas.js';

const Scope = Type.Enum([...API_SCOPES], { description: 'A scope: `<resource>:read` or `<resource>:write` (docs/api.md "Scopes").' });

const ApiKeySchema = Type.Object(
  {
    prefix: Type.String({ description: 'The public part of the key (`ddk_` and 8 characters): names it, never enough to use it.' }),
    name: Type.String(),
    scopes: Type.Array(Scope),
    created_at: Timestamp,
    expires_at: NullableTimestamp,
    last_used_at: Type.Union([Timestamp, Type.Null()], { description: 'To the minute.' }),
    revoked_at: NullableTimestamp,
    created_via: Type.Union([Type.Literal('settings'), Type.Literal('cli'), Type.Literal('api')]),
  },
  { $id: 'ApiKey', description: 'An API key, without its secret (the secret is shown only when the key is made).' },
);

const NewApiKeySchema = Type.Object(
  {
    ...ApiKeySchema.properties,
    key: Type.String({ description: 'The whole key. Shown this once: it is stored only as a hash.' }),
  },
  { $id: 'NewApiKey' },
);

/** A key as the API, `dropday apikey list --json` and the settings page describe it: never a secret or a hash. */
export function keyView(k: ApiKey) {
  return {
    prefix: k.prefix,
    name: k.name,
    scopes: k.scopes,
    created_at: iso(k.createdAt),
    expires_at: iso(k.expiresAt),
    last_used_at: iso(k.lastUsedAt),
    revoked_at: iso(k.revokedAt),
    created_via: k.createdVia as 'settings' | 'cli' | 'api',
  };
}

/** The workspace's API keys: list, make (the secret once), revoke. */
export function keyRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(ApiKeySchema);
  api.addSchema(NewApiKeySchema);

  api.get(
    '/keys',
    {
      config: { scope: 'keys:read' },
      schema: {
        operationId: 'listApiKeys',
        tags: ['keys'],
        summary: 'The workspace’s API keys, newest first',
        description: 'Revoked and expired keys are listed too (with `revoked_at`, `expires_at`). No secret or hash is ever shown.',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Type.Ref('ApiKey')), ...errors(400) },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      const cursor = decodeCursor(req.query.cursor);
      const after = cursor && typeof cursor.k === 'number' ? { createdAt: cursor.k, id: cursor.id } : null;
      const rows = await pageApiKeys(ctx.db, apiKeyOf(req).workspaceId, limit + 1, after);
      const page = pageOf(rows, limit, (k) => ({ k: k.createdAt, id: k.id }));
      return { data: page.rows.map(keyView), next_cursor: page.next_cursor };
    },
  );

  api.post(
    '/keys',
    {
      config: { scope: 'keys:write' },
      schema: {
        operationId: 'createApiKey',
        tags: ['keys'],
        summary: 'Make an API key (its secret is in this answer only)',
        description:
          'A key can only grant scopes it has itself (a write scope includes the read of its resource), and a key that expires can only make keys that expire no later. Send an `Idempotency-Key`: a retry then answers with the same key instead of making another.',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: KEY_NAME_MAX }),
            scopes: Type.Array(Scope, { minItems: 1, maxItems: API_SCOPES.length, uniqueItems: true }),
            expires_at: Type.Optional(
              Type.Union([Timestamp, Type.Null()], { description: 'When the key stops working; omit or null for never.' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('NewApiKey'), ...errors(400) },
      },
    },
    async (req, reply) => {
      const me = apiKeyOf(req);
      const expiresAt = req.body.expires_at ? Date.parse(req.body.expires_at) : null;
      const check = checkNewKey({ name: req.body.name, scopes: req.body.scopes, expiresAt }, ctx.now());
      if (!check.ok) throw new ValidationError(Object.fromEntries(Object.entries(check.problems).map(([f, p]) => [`body.${f}`, p])));
      const beyond = check.scopes.filter((s) => !allows(me.scopes, s));
      if (beyond.length) {
        throw new DropdayError('API_SCOPE_MISSING', `This API key cannot grant scopes it does not have: ${beyond.join(', ')}.`, {
          'body.scopes': `not held by this key: ${beyond.join(', ')}`,
        });
      }
      // Nor time it does not have: a key that expires tomorrow making one that never does would outlive
      // the limit its owner set.
      if (me.expiresAt !== null && (check.expiresAt === null || check.expiresAt > me.expiresAt)) {
        throw new DropdayError('API_SCOPE_MISSING', 'This API key cannot make a key that outlives it.', {
          'body.expires_at': `must be set, and no later than this key's own expiry (${iso(me.expiresAt)})`,
        });
      }
      const made = await createApiKey(
        ctx.db,
        {
          workspaceId: me.workspaceId,
          name: check.name,
          scopes: check.scopes,
          expiresAt: check.expiresAt,
          createdByUserId: null,
          createdVia: 'api',
        },
        ctx.now(),
      );
      return reply.code(201).send({ ...keyView(made.key), key: made.secret });
    },
  );

  api.delete(
    '/keys/:prefix',
    {
      config: { scope: 'keys:write' },
      schema: {
        operationId: 'revokeApiKey',
        tags: ['keys'],
        summary: 'Revoke an API key at once',
        description: 'Revoking twice keeps the first time. A key may revoke itself.',
        params: Type.Object({ prefix: Type.String({ maxLength: 40 }) }),
        response: { 200: Type.Ref('ApiKey'), ...errors(404) },
      },
    },
    async (req) => {
      const { workspaceId } = apiKeyOf(req);
      if (!(await findApiKey(ctx.db, workspaceId, req.params.prefix))) {
        throw new DropdayError('NOT_FOUND', `This workspace has no API key ${req.params.prefix}.`);
      }
      const key = await revokeApiKey(ctx.db, workspaceId, req.params.prefix, ctx.now());
      return keyView(key!);
    },
  );
}
