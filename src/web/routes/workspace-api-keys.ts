import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkNewKey, parseExpiry } from '../../api/keys/new-key.js';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../../api/keys/store.js';
import { DropdayError } from '../../errors.js';
import { requireRole, userOf, workspaceOf, type AuthRuntime } from '../auth-hooks.js';
import { formFields } from '../form-fields.js';
import { apiKeysPage, revokeKeyPage, type ApiKeysPageData } from '../views/auth/api-keys.js';
import { sendPage } from '../views/auth/shell.js';

type KeyParams = { Params: { workspace: string; prefix: string } };
type WsParams = { Params: { workspace: string } };

const str = (v: unknown, max: number): string => (typeof v === 'string' ? v.slice(0, max) : '');

/**
 * The workspace's API keys in its settings (admins and owners only: requireRole('admin'), which
 * also keeps operators, read-only viewers, out). CSRF is checked on every POST by the auth hooks.
 */
export function workspaceApiKeyRoutes(app: FastifyInstance, rt: AuthRuntime): void {
  const { db, ctx } = rt;
  const admin = { preHandler: requireRole('admin') };

  async function render(req: FastifyRequest, reply: FastifyReply, extra: Partial<ApiKeysPageData> = {}, status = 200) {
    const { workspace } = workspaceOf(req);
    const notice = (req.query as Record<string, unknown> | undefined)?.done === 'revoked' ? 'API key revoked.' : null;
    return sendPage(
      req,
      reply,
      {
        title: `${workspace.name} — API keys`,
        body: apiKeysPage(req, { workspace, keys: await listApiKeys(db, workspace.id), now: ctx.now(), notice, ...extra }),
      },
      status,
    );
  }

  async function keyOf(req: FastifyRequest<KeyParams>): Promise<ApiKey> {
    const key = /^ddk_[0-9A-Za-z]{8}$/.test(req.params.prefix)
      ? await findApiKey(db, workspaceOf(req).workspace.id, req.params.prefix)
      : null;
    if (!key) throw new DropdayError('NOT_FOUND', 'This workspace has no such API key.');
    return key;
  }

  app.get<WsParams>('/w/:workspace/api-keys', admin, async (req, reply) => render(req, reply));

  app.post<WsParams>('/w/:workspace/api-keys', admin, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const b = formFields(req.body, ['scope']);
    const scopes = [b.scope ?? []].flat().map((s) => s.slice(0, 40));
    const values = { name: str(b.name, 200), scopes, expires: str(b.expires, 40) };
    const now = ctx.now();
    const check = checkNewKey({ name: values.name, scopes, expiresAt: parseExpiry(values.expires, now) }, now);
    if (!check.ok) {
      return render(req, reply, { errors: check.problems, message: 'The key was not created: see below.', values }, 400);
    }
    const made = await createApiKey(
      db,
      {
        workspaceId: workspace.id,
        name: check.name,
        scopes: check.scopes,
        expiresAt: check.expiresAt,
        createdByUserId: userOf(req).id,
        createdVia: 'settings',
      },
      now,
    );
    // Answered here, not redirected: the secret is in this one answer (no-store) and nowhere else.
    return render(req, reply, { made }, 201);
  });

  app.get<KeyParams>('/w/:workspace/api-keys/:prefix/revoke', admin, async (req, reply) => {
    const key = await keyOf(req);
    if (key.revokedAt !== null) return reply.redirect(`/w/${req.params.workspace}/api-keys`, 303);
    return sendPage(req, reply, { title: `Revoke ${key.prefix}`, body: revokeKeyPage(req, workspaceOf(req).workspace, key) });
  });

  app.post<KeyParams>('/w/:workspace/api-keys/:prefix/revoke', admin, async (req, reply) => {
    const key = await keyOf(req);
    await revokeApiKey(db, key.workspaceId, key.prefix, ctx.now());
    return reply.redirect(`/w/${workspaceOf(req).workspace.slug}/api-keys?done=revoked`, 303);
  });
}
