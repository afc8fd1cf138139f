import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { resendDelivery } from '../../webhooks/deliveries/index.js';
import { deleteEndpoint, findEndpoint, listEndpoints, parseEvents, rotateSecret, type EndpointRow } from '../../webhooks/endpoints.js';
import { EVENT_SCOPE, isWebhookEvent, WEBHOOK_EVENTS } from '../../webhooks/events.js';
import { deliveryLog, findDelivery, type DeliveryLogRow } from '../../webhooks/log.js';
import { addEndpoint, changeEndpoint } from '../../webhooks/manage.js';
import { apiKeyOf } from '../auth.js';
import type { ApiKey } from '../keys/store.js';
import { allows } from '../scopes.js';
import type { Api } from '../index.js';
import { decodeCursor, Page, PageQuery, pageOf } from '../pagination.js';
import { errors, iso, NullableTimestamp, Timestamp } from '../schemas.js';

const EventType = Type.Union(
  WEBHOOK_EVENTS.map((e) => Type.Literal(e)),
  { description: 'An event type (docs/webhooks.md).' },
);

const EndpointSchema = Type.Object(
  {
    id: Type.String({ description: 'The endpoint’s id (`we_…`).' }),
    url: Type.String(),
    description: Type.String(),
    events: Type.Array(EventType),
    enabled: Type.Boolean(),
    disabled_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why it is off, in words.' }),
    consecutive_failures: Type.Integer({
      description:
        'Failed attempts since the last success, at most one counted per WEBHOOK_FAILURE_WINDOW_MINUTES (docs/webhooks.md "Disabling").',
    }),
    failing_since: Type.Union([Timestamp, Type.Null()], { description: 'The first failed attempt since the last success (null: none).' }),
    previous_secret_until: Type.Union([Timestamp, Type.Null()], {
      description: 'Until when the secret before the last rotation still signs.',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'WebhookEndpoint' },
);

const DeliverySchema = Type.Object(
  {
    id: Type.String({ description: 'The delivery’s id (`wd_…`).' }),
    event_id: Type.String({ description: 'The event’s `webhook-id` (`msg_…`), the same on every attempt.' }),
    event_type: EventType,
    status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('cancelled')]),
    attempts: Type.Integer(),
    last_status_code: Type.Union([Type.Integer(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()], { description: 'The last failure in words.' }),
    response_excerpt: Type.Union([Type.String(), Type.Null()], { description: 'The start of the receiver’s last answer (≤ 4 KiB).' }),
    last_attempt_at: NullableTimestamp,
    next_attempt_at: NullableTimestamp,
    delivered_at: NullableTimestamp,
    created_at: Timestamp,
  },
  { $id: 'WebhookDelivery' },
);

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const DeliveryParams = Type.Object({ id: Type.String({ maxLength: 64 }), delivery_id: Type.String({ maxLength: 64 }) });

const CreateBody = Type.Object(
  {
    url: Type.String({ maxLength: 2000, description: 'An http(s) URL on a public address.' }),
    events: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: 2000 })),
    events: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 })),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    enabled: Type.Optional(Type.Boolean({ description: 'Turning an endpoint on starts its failure count afresh.' })),
  },
  { additionalProperties: false },
);

function endpointJson(e: EndpointRow) {
  return {
    id: e.public_id,
    url: e.url,
    description: e.description,
    events: parseEvents(e),
    enabled: e.enabled === 1,
    disabled_reason: e.disabled_reason,
    consecutive_failures: e.consecutive_failures,
    failing_since: iso(e.failing_since),
    previous_secret_until: iso(e.previous_secret_until),
    created_at: iso(e.created_at),
    updated_at: iso(e.updated_at),
  };
}

function deliveryJson(d: DeliveryLogRow) {
  return {
    id: d.public_id,
    event_id: d.msg_id,
    event_type: d.type,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    response_excerpt: d.response_excerpt,
    last_attempt_at: iso(d.last_attempt_at),
    next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at) : null,
    delivered_at: iso(d.delivered_at),
    created_at: iso(d.created_at),
  };
}

/** The web input guard refuses body types a route does not name (web/input-guard.ts). */
const JSON_BODY = ['application/json'];

const bodyField = (name: string) => `body.${name}`;

/**
 * An endpoint a key makes or changes (its address included) may only receive events whose data the
 * key could read itself (events.ts EVENT_SCOPE): 403 naming the scopes it lacks, nothing stored.
 */
function assertMayReceive(key: Pick<ApiKey, 'scopes'>, events: readonly string[]): void {
  const missing = [...new Set(events.filter(isWebhookEvent).map((e) => EVENT_SCOPE[e]))].filter((s) => !allows(key.scopes, s));
  if (!missing.length) return;
  const refused = events.filter((e) => isWebhookEvent(e) && missing.includes(EVENT_SCOPE[e]));
  throw new DropdayError(
    'API_SCOPE_MISSING',
    `This API key cannot have ${refused.join(', ')} sent to an endpoint: that needs ${missing.join(', ')}, which it does not have.`,
    { 'body.events': `needs ${missing.join(', ')}: ${refused.join(', ')}` },
  );
}

/** /api/v1/webhooks: endpoints (secret shown once), their delivery log, "send again" (docs/webhooks.md). */
export function webhookRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(EndpointSchema);
  api.addSchema(DeliverySchema);
  const endpointOf = async (workspaceId: number, id: string) => {
    const e = await findEndpoint(ctx.db, workspaceId, id);
    if (!e) throw new DropdayError('NOT_FOUND', 'No webhook endpoint with this id in this workspace.');
    return e;
  };
  const tags = ['webhooks'];

  api.get(
    '/webhooks',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        operationId: 'listWebhooks',
        tags,
        summary: 'The workspace’s webhook endpoints',
        response: { 200: Type.Object({ data: Type.Array(Type.Ref('WebhookEndpoint')), next_cursor: Type.Null() }), ...errors() },
      },
    },
    async (req) => ({ data: (await listEndpoints(ctx.db, apiKeyOf(req).workspaceId)).map(endpointJson), next_cursor: null }),
  );

  api.post(
    '/webhooks',
    {
      config: { scope: 'webhooks:write', bodyTypes: JSON_BODY },
      schema: {
        operationId: 'createWebhook',
        tags,
        summary: 'Add an endpoint',
        description:
          'The answer carries the signing secret (`whsec_…`): it is shown this once. The key needs the read scope of each event’s data too: `presaves:read` for `presave.*` and `referral.counted`, `campaigns:read` for `campaign.*`, `contacts:read` for `contact.confirmed`.',
        body: CreateBody,
        response: { 201: Type.Intersect([Type.Ref('WebhookEndpoint'), Type.Object({ secret: Type.String() })]), ...errors(400) },
      },
    },
    async (req, reply) => {
      assertMayReceive(apiKeyOf(req), req.body.events);
      const { endpoint, secret } = await addEndpoint(ctx, apiKeyOf(req).workspaceId, req.body, bodyField);
      return reply.code(201).send({ ...endpointJson(endpoint), secret });
    },
  );

  api.get(
    '/webhooks/:id',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        operationId: 'getWebhook',
        tags,
        summary: 'One endpoint',
        params: IdParams,
        response: { 200: Type.Ref('WebhookEndpoint'), ...errors(404) },
      },
    },
    async (req) => endpointJson(await endpointOf(apiKeyOf(req).workspaceId, req.params.id)),
  );

  api.patch(
    '/webhooks/:id',
    {
      config: { scope: 'webhooks:write', bodyTypes: JSON_BODY },
      schema: {
        operationId: 'updateWebhook',
        tags,
        summary: 'Change an endpoint, or turn it on or off',
        description:
          'Only the fields given change. Turning an endpoint on again starts its failure count afresh; its waiting deliveries go out. The key needs the read scope of each event the endpoint receives (as when adding one).',
        params: IdParams,
        body: UpdateBody,
        response: { 200: Type.Ref('WebhookEndpoint'), ...errors(400, 404) },
      },
    },
    async (req) => {
      const e = await endpointOf(apiKeyOf(req).workspaceId, req.params.id);
      assertMayReceive(apiKeyOf(req), req.body.events ?? parseEvents(e));
      return endpointJson(await changeEndpoint(ctx, e, req.body, bodyField));
    },
  );

  api.delete(
    '/webhooks/:id',
    {
      config: { scope: 'webhooks:write', bodyTypes: JSON_BODY },
      schema: {
        operationId: 'deleteWebhook',
        tags,
        summary: 'Delete an endpoint and its delivery log',
        description:
          'Deliveries not yet sent are dropped with it. To stop deliveries for a while, turn it off instead (PATCH `enabled: false`).',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404) },
      },
    },
    async (req, reply) => {
      const e = await endpointOf(apiKeyOf(req).workspaceId, req.params.id);
      await deleteEndpoint(ctx.db, e.id);
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { scope: 'webhooks:write', bodyTypes: JSON_BODY },
      schema: {
        operationId: 'rotateWebhookSecret',
        tags,
        summary: 'A new signing secret',
        description: 'Shown this once. The previous secret keeps signing (a second signature) for 24 hours.',
        params: IdParams,
        response: { 200: Type.Object({ secret: Type.String(), previous_secret_until: Timestamp }), ...errors(404) },
      },
    },
    async (req) => {
      const e = await endpointOf(apiKeyOf(req).workspaceId, req.params.id);
      const secret = await rotateSecret(ctx, e, ctx.now());
      const after = await endpointOf(apiKeyOf(req).workspaceId, req.params.id);
      return { secret, previous_secret_until: iso(after.previous_secret_until!) };
    },
  );

  api.get(
    '/webhooks/:id/deliveries',
    {
      config: { scope: 'webhooks:read' },
      schema: {
        operationId: 'listWebhookDeliveries',
        tags,
        summary: 'The endpoint’s delivery log, newest first',
        description:
          'Each delivery: event, status, attempts, the last status code, the last error in words and the start of the answer (docs/webhooks.md).',
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Type.Ref('WebhookDelivery')), ...errors(400, 404) },
      },
    },
    async (req) => {
      const e = await endpointOf(apiKeyOf(req).workspaceId, req.params.id);
      const limit = req.query.limit ?? 50;
      const cursor = decodeCursor(req.query.cursor);
      const rows = await deliveryLog(ctx.db, e.id, { beforeId: cursor?.id ?? null, limit: limit + 1 });
      const page = pageOf(rows, limit, (last) => ({ id: last.id }));
      return { data: page.rows.map(deliveryJson), next_cursor: page.next_cursor };
    },
  );

  api.post(
    '/webhooks/:id/deliveries/:delivery_id/resend',
    {
      config: { scope: 'webhooks:write', bodyTypes: JSON_BODY },
      schema: {
        operationId: 'resendWebhookDelivery',
        tags,
        summary: 'Send a delivery again',
        description: 'A new attempt of the same event, under the same `webhook-id`. 409 while it is being sent.',
        params: DeliveryParams,
        response: { 202: Type.Ref('WebhookDelivery'), ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      const e = await endpointOf(apiKeyOf(req).workspaceId, req.params.id);
      const d = await findDelivery(ctx.db, e.id, req.params.delivery_id);
      if (!d) throw new DropdayError('NOT_FOUND', 'No delivery with this id for this endpoint.');
      if (!(await resendDelivery(ctx.db, d.id, ctx.now()))) throw new DropdayError('CONFLICT', 'This delivery is being sent right now.');
      return reply.code(202).send(deliveryJson((await findDelivery(ctx.db, e.id, req.params.delivery_id))!));
    },
  );
}
