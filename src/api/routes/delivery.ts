import { Type } from 'typebox';
import { deliveryReport } from '../../analytics/delivery.js';
import { resumeCampaign } from '../../campaigns/pauses.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { redriveFailed } from '../../fulfillment/admin.js';
import { notifyWorkers } from '../../fulfillment/wakeup.js';
import { serviceName } from '../../providers/services.js';
import { apiKeyOf } from '../auth.js';
import { campaignOfKey } from '../campaign-scope.js';
import type { Api } from '../index.js';
import { deliveryReportBody, DeliveryReportSchema } from '../reports/delivery-report.js';
import { ServiceId, SlugParams } from '../reports/params.js';
import { errors } from '../schemas.js';

/** The input guard takes form bodies unless a route says otherwise (web/input-guard.ts): these take JSON. */
const JSON_WRITE = { scope: 'delivery:write' as const, bodyTypes: ['application/json'] };

/**
 * The delivery report, re-drive and resume: the same functions as the dashboard's delivery panel
 * and its "Retry failed pre-saves" and "Resume" buttons (web/routes/dashboard.ts) and as
 * `dropday status` / `dropday fulfillment retry`, so the numbers and the effects are theirs.
 */
export function deliveryRoutes(api: Api, ctx: AppContext): void {
  api.addSchema(DeliveryReportSchema);

  api.get(
    '/campaigns/:slug/delivery',
    {
      config: { scope: 'delivery:read' },
      schema: {
        operationId: 'getDeliveryReport',
        tags: ['delivery'],
        summary: 'The delivery report of a campaign',
        description:
          'Counts per state and service, pauses and why, failure reasons in words, follows, and the live rate during fan-out: ' +
          'the report the dashboard and `dropday status` show, at this moment.',
        params: SlugParams,
        response: { 200: Type.Ref('DeliveryReport'), ...errors(404) },
      },
    },
    async (req, reply) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      reply.header('Cache-Control', 'no-store');
      return deliveryReportBody(campaign.slug, await deliveryReport(ctx.db, campaign.id, ctx.now()));
    },
  );

  api.post(
    '/campaigns/:slug/redrive',
    {
      config: JSON_WRITE,
      schema: {
        operationId: 'redriveFailedPresaves',
        tags: ['delivery'],
        summary: 'Re-drive failed pre-saves',
        description:
          'Puts the failed pre-saves (and failed follows) back in the queue, due now — only those on `service` when given. ' +
          'Pre-saves whose fan withdrew the permission stay failed: the fan has to pre-save again. Running it twice re-drives nothing more.',
        params: SlugParams,
        body: Type.Object({ service: Type.Optional(ServiceId) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            redriven: Type.Integer({ minimum: 0, description: 'Pre-saves and follows put back in the queue.' }),
            still_failed: Type.Integer({ minimum: 0, description: 'Failed pre-saves left (their fan’s permission ended).' }),
          }),
          ...errors(404, 410),
        },
      },
    },
    async (req) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug, { archived: false });
      const service = req.body?.service;
      const redriven = await redriveFailed(ctx.db, campaign.id, service ? { service } : {}, ctx.now());
      if (redriven > 0) await notifyWorkers(ctx);
      let left = ctx.db
        .selectFrom('presaves')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('campaign_id', '=', campaign.id)
        .where('status', '=', 'failed');
      if (service) left = left.where('service', '=', service);
      return { redriven, still_failed: Number((await left.executeTakeFirstOrThrow()).n) };
    },
  );

  api.post(
    '/campaigns/:slug/resume',
    {
      config: JSON_WRITE,
      schema: {
        operationId: 'resumeCampaignService',
        tags: ['delivery'],
        summary: 'Resume a campaign paused on a service',
        description:
          'After fixing what the service refused (in the editor): lifts the pause, makes the held pre-saves due now and queues the held follows again. ' +
          '409 when the campaign is not paused on that service.',
        params: SlugParams,
        body: Type.Object({ service: ServiceId }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            service: Type.String(),
            redriven: Type.Integer({ minimum: 0, description: 'Pre-saves made due now.' }),
            follows: Type.Integer({ minimum: 0, description: 'Follows queued again.' }),
          }),
          ...errors(404, 409, 410),
        },
      },
    },
    async (req) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug, { archived: false });
      const { service } = req.body;
      const res = await resumeCampaign(ctx.db, campaign.id, ctx.now(), service);
      if (!res.services.length)
        throw new DropdayError('CONFLICT', `This campaign is not paused on ${serviceName(service)}: there is nothing to resume.`, {
          'body.service': 'is not paused for this campaign',
        });
      await notifyWorkers(ctx);
      return { service, redriven: res.redriven, follows: res.follows };
    },
  );
}
