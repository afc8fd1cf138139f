import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { resendDelivery } from '../../webhooks/deliveries/index.js';
import { deleteEndpoint, findEndpoint, listEndpoints, rotateSecret, updateEndpoint } from '../../webhooks/endpoints.js';
import { deliveryLog, findDelivery } from '../../webhooks/log.js';
import { addEndpoint } from '../../webhooks/manage.js';
import { requireRole, workspaceOf } from '../auth-hooks.js';
import { formFields } from '../form-fields.js';
import { sendPage } from '../views/auth/shell.js';
import { deleteEndpointPage, deliveryLogPage, webhooksPage, type WebhooksPageData } from '../views/webhooks.js';

type WsParams = { Params: { workspace: string } };
type EndpointParams = { Params: { workspace: string; id: string } };
type DeliveryParams = { Params: { workspace: string; id: string; delivery: string } };

/** What a finished action says on the next page (fixed texts: nothing from the request is reflected). */
const DONE: Record<string, string> = {
  enabled: 'Endpoint turned on.',
  disabled: 'Endpoint turned off.',
  deleted: 'Endpoint deleted.',
  resent: 'Queued to be sent again, under the same id.',
  busy: 'That delivery is being sent right now.',
};

const PAGE = 50;

/**
 * The workspace's webhooks (owners and admins; docs/webhooks.md): add an endpoint (the secret is
 * shown once, in the answer to the form — never in a URL), rotate its secret, turn it on or off,
 * delete it, and each endpoint's delivery log with "Send again". Forms carry the CSRF token.
 */
export function webhookPageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const admin = { preHandler: requireRole('admin') };
  const done = (req: FastifyRequest) => {
    const v = (req.query as Record<string, unknown> | undefined)?.done;
    return typeof v === 'string' ? (DONE[v] ?? null) : null;
  };

  async function render(req: FastifyRequest, reply: FastifyReply, extra: Partial<WebhooksPageData> = {}, status = 200) {
    const { workspace } = workspaceOf(req);
    return sendPage(
      req,
      reply,
      {
        title: `${workspace.name} — webhooks`,
        body: webhooksPage(req, {
          workspace,
          endpoints: await listEndpoints(ctx.db, workspace.id),
          notice: done(req),
          allowPrivate: ctx.config.webhooks.allowPrivateTargets,
          ...extra,
        }),
      },
      status,
    );
  }

  async function endpointOf(req: FastifyRequest<EndpointParams>) {
    const e = await findEndpoint(ctx.db, workspaceOf(req).workspace.id, req.params.id.slice(0, 64));
    if (!e) throw new DropdayError('NOT_FOUND', 'No such webhook endpoint in this workspace.');
    return e;
  }
  const back = (req: FastifyRequest<WsParams>, reply: FastifyReply, what: string) =>
    reply.redirect(`/w/${workspaceOf(req).workspace.slug}/webhooks?done=${what}`, 303);

  app.get<WsParams>('/w/:workspace/webhooks', admin, async (req, reply) => render(req, reply));

  app.post<WsParams>('/w/:workspace/webhooks', admin, async (req, reply) => {
    const f = formFields(req.body, ['events']);
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const events = Array.isArray(f.events) ? f.events.map(str) : f.events === undefined ? [] : [str(f.events)];
    const values = { url: str(f.url).slice(0, 2000), description: str(f.description).slice(0, 300), events };
    try {
      const { endpoint, secret } = await addEndpoint(ctx, workspaceOf(req).workspace.id, values, (name) => name);
      return render(req, reply, { secret: { endpointId: endpoint.public_id, value: secret, rotated: false } });
    } catch (err) {
      if (err instanceof DropdayError && (err.code === 'VALIDATION' || err.code === 'WEBHOOK_TARGET_REFUSED')) {
        return render(
          req,
          reply,
          { errors: err.details ?? {}, message: 'The endpoint was not added: see the marked fields below.', values },
          400,
        );
      }
      throw err;
    }
  });

  app.post<EndpointParams>('/w/:workspace/webhooks/:id/rotate', admin, async (req, reply) => {
    const e = await endpointOf(req);
    const secret = await rotateSecret(ctx, e, ctx.now());
    return render(req, reply, { secret: { endpointId: e.public_id, value: secret, rotated: true } });
  });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<EndpointParams>(`/w/:workspace/webhooks/:id/${action}`, admin, async (req, reply) => {
      await updateEndpoint(ctx.db, (await endpointOf(req)).id, { enabled }, ctx.now());
      return back(req, reply, enabled ? 'enabled' : 'disabled');
    });
  }

  app.get<EndpointParams>('/w/:workspace/webhooks/:id/delete', admin, async (req, reply) => {
    const e = await endpointOf(req);
    return sendPage(req, reply, { title: 'Delete endpoint', body: deleteEndpointPage(req, workspaceOf(req).workspace, e) });
  });

  app.post<EndpointParams>('/w/:workspace/webhooks/:id/delete', admin, async (req, reply) => {
    await deleteEndpoint(ctx.db, (await endpointOf(req)).id);
    return back(req, reply, 'deleted');
  });

  app.get<EndpointParams>('/w/:workspace/webhooks/:id', admin, async (req, reply) => {
    const e = await endpointOf(req);
    const q = req.query as Record<string, unknown> | undefined;
    const before = typeof q?.before === 'string' && /^\d{1,15}$/.test(q.before) ? Number(q.before) : null;
    const rows = await deliveryLog(ctx.db, e.id, { beforeId: before, limit: PAGE + 1 });
    const page = rows.slice(0, PAGE);
    const { workspace } = workspaceOf(req);
    const olderHref = rows.length > PAGE ? `/w/${workspace.slug}/webhooks/${e.public_id}?before=${page[page.length - 1]!.id}` : null;
    return sendPage(req, reply, {
      title: `${workspace.name} — delivery log`,
      body: deliveryLogPage(req, { workspace, endpoint: e, rows: page, notice: done(req), olderHref }),
    });
  });

  app.post<DeliveryParams>('/w/:workspace/webhooks/:id/deliveries/:delivery/resend', admin, async (req, reply) => {
    const e = await endpointOf(req);
    const d = await findDelivery(ctx.db, e.id, req.params.delivery.slice(0, 64));
    if (!d) throw new DropdayError('NOT_FOUND', 'No such delivery for this endpoint.');
    const queued = await resendDelivery(ctx.db, d.id, ctx.now());
    return reply.redirect(`/w/${workspaceOf(req).workspace.slug}/webhooks/${e.public_id}?done=${queued ? 'resent' : 'busy'}`, 303);
  });
}
