import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertCampaignInWorkspace, campaignsOfWorkspace } from '../../accounts/campaigns.js';
import {
  ALL_TIME,
  csvContentDisposition,
  csvStream,
  deliveryReport,
  deliveryReportCsv,
  devices,
  fansCsv,
  funnel,
  geo,
  inAppReport,
  perService,
  referrers,
  seriesWindow,
  timeseries,
  utm,
  workspaceOverview,
} from '../../analytics/index.js';
import { resumeCampaign } from '../../campaigns/pauses.js';
import { canEdit, canManageMembers } from '../../accounts/roles.js';
import { conversionProblems } from '../../conversions/report.js';
import { troubledEndpoints } from '../../webhooks/endpoints.js';
import { newsContactsCsv } from '../../reach/export.js';
import { workspaceAudience } from '../../reach/audience.js';
import { reachReport } from '../../reach/report.js';
import type { Campaign } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { dashAssets } from '../../dashboard/assets.js';
import { preloadWorldMap } from '../../dashboard/world-map.js';
import { DropdayError } from '../../errors.js';
import { redriveFailed } from '../../fulfillment/admin.js';
import { notifyWorkers } from '../../fulfillment/wakeup.js';
import { isServiceId } from '../../providers/services.js';
import { requireRole, workspaceOf } from '../auth-hooks.js';
import { setFlash, takeFlash } from '../flash.js';
import { sendPage } from '../views/auth/shell.js';
import { campaignBase, campaignDashboardPage, type MapMetric } from '../views/dashboard/campaign.js';
import { statValues } from '../views/dashboard/format.js';
import { overviewPage } from '../views/dashboard/overview.js';
import { dashboardGrowth } from '../growth/artist.js';
import { growthInput } from './growth.js';

type WsParams = { Params: { workspace: string } };
type CampaignParams = { Params: { workspace: string; slug: string }; Querystring: { map?: string } };

/** Fans' addresses leave Dropday only with an editor (or higher) of the workspace, never through operator access. */
function mayExportContacts(req: FastifyRequest): boolean {
  return canEdit(req.role) && !req.operatorAccess;
}

/**
 * The dashboard: the workspace overview at /w/:workspace, each campaign's dashboard, its live
 * numbers (stats.json) and CSV exports. Every route needs the viewer role or higher in the
 * workspace (requireRole: 404 for non-members, /login for a signed-out page request), and a
 * campaign of another workspace answers 404. Reads only the analytics query API (rollups).
 */
export function dashboardRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;
  const assets = dashAssets();
  preloadWorldMap();

  app.get<{ Params: { file: string } }>('/assets/dash/:file', { logLevel: 'warn' }, async (req, reply) => {
    const a = assets.byFile.get(req.params.file);
    if (!a) throw new DropdayError('NOT_FOUND');
    return reply.type(a.type).header('Cache-Control', 'public, max-age=31536000, immutable').send(a.body);
  });

  app.get<WsParams>('/w/:workspace', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const { workspace, role } = workspaceOf(req);
    const campaigns = await campaignsOfWorkspace(db, workspace.id);
    const overview = await workspaceOverview(
      db,
      campaigns.map((c) => c.id),
      ALL_TIME,
    );
    // Problems are shown to those who can fix them (an operator's read-only visit sees them too).
    const attention = {
      // A failure or two mends itself (retried); from the owners' mail notice on, it needs someone.
      webhooks:
        canManageMembers(role) || req.operatorAccess
          ? (await troubledEndpoints(db, workspace.id)).filter(
              (e) => !e.enabled || e.failures_in_a_row >= ctx.config.webhooks.failuresBeforeNotice,
            )
          : null,
      // An archived campaign's settings cannot be changed: nothing there to act on.
      conversions:
        canEdit(role) || req.operatorAccess
          ? await conversionProblems(
              db,
              campaigns.filter((c) => c.status !== 'archived').map((c) => c.id),
              ctx.now(),
            )
          : null,
    };
    return sendPage(req, reply, {
      title: workspace.name,
      body: overviewPage(req, { workspace, role, operator: req.operatorAccess, campaigns, overview, now: ctx.now(), attention }),
    });
  });

  /** Actions on an archived campaign would only queue pre-saves the engine then cancels: refused. */
  function activeCampaign(c: Campaign): Campaign {
    if (c.status === 'archived')
      throw new DropdayError('CAMPAIGN_ARCHIVED', 'This campaign is archived: restore it in the editor before retrying or resuming.');
    return c;
  }

  async function campaignOf(req: FastifyRequest<CampaignParams>): Promise<Campaign> {
    const { workspace } = workspaceOf(req);
    return assertCampaignInWorkspace(db, workspace.id, { slug: req.params.slug });
  }

  app.get<CampaignParams>('/w/:workspace/campaigns/:slug', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const { workspace, role } = workspaceOf(req);
    const campaign = await campaignOf(req);
    const now = ctx.now();
    const id = campaign.id;
    const win = seriesWindow(campaign, now);
    const mapMetric: MapMetric = req.query.map === 'views' ? 'views' : 'presaves';
    const funnelP = funnel(db, id, ALL_TIME);
    // The reach panel's opt-in rate divides by the funnel's visitors: it starts as soon as they are known.
    const reachP = funnelP.then((f) => reachReport(db, { id, artist_name: campaign.artist_name, workspaceId: workspace.id }, now, f));
    const [f, series, services, places, refs, utms, devs, delivery, inapp, reach] = await Promise.all([
      funnelP,
      timeseries(db, id, win.range, win.bucket),
      perService(db, id, ALL_TIME),
      geo(db, id, ALL_TIME, { topCities: 25, sortBy: mapMetric }),
      referrers(db, id, ALL_TIME, { limit: 15 }),
      utm(db, id, ALL_TIME, { limit: 15 }),
      devices(db, id, ALL_TIME),
      deliveryReport(db, id, now),
      inAppReport(db, id, ALL_TIME),
      reachP,
    ]);
    const growth = await dashboardGrowth({ ...growthInput(ctx, req, campaign), now });
    return sendPage(req, reply, {
      title: `${campaign.title} — dashboard`,
      body: campaignDashboardPage(req, {
        workspace,
        role,
        operator: req.operatorAccess,
        campaign,
        now,
        funnel: f,
        series,
        services,
        geo: places,
        referrers: refs,
        utm: utms,
        devices: devs,
        inapp,
        reach: {
          report: reach,
          artistName: campaign.artist_name,
          exportUrl: mayExportContacts(req) ? `/w/${workspace.slug}/contacts.csv` : null,
        },
        delivery,
        growth,
        mapMetric,
        flash: takeFlash(req, reply, campaignBase(workspace.slug, campaign.slug)),
      }),
    });
  });

  /**
   * Retry failed pre-saves (editor+): every failed pre-save whose fan's permission still holds
   * goes back in the queue, due now. Then back to the dashboard, which says how many.
   */
  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/retry', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const campaign = activeCampaign(await campaignOf(req));
    const now = ctx.now();
    const retried = await redriveFailed(db, campaign.id, {}, now);
    const left = await db
      .selectFrom('presaves')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('campaign_id', '=', campaign.id)
      .where('status', '=', 'failed')
      .executeTakeFirstOrThrow();
    if (retried > 0) await notifyWorkers(ctx);
    const base = campaignBase(workspace.slug, campaign.slug);
    setFlash(req, reply, base, ['retried', retried, Number(left.n)]);
    return reply.redirect(`${base}#delivery`, 303);
  });

  /**
   * Resume a campaign paused on a service (editor+), after the artist fixed what the service
   * refused: the parked pre-saves become due now. `service` names one service; without it, all.
   */
  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/resume', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace } = workspaceOf(req);
    const campaign = activeCampaign(await campaignOf(req));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const service = body.service === undefined || body.service === '' ? undefined : body.service;
    if (service !== undefined && !(typeof service === 'string' && isServiceId(service)))
      throw new DropdayError('VALIDATION', 'The service to resume is not one Dropday knows.');
    const res = await resumeCampaign(db, campaign.id, ctx.now(), service);
    // Held-back follows count too: wake the workers whenever something was resumed.
    if (res.services.length) await notifyWorkers(ctx);
    const base = campaignBase(workspace.slug, campaign.slug);
    setFlash(req, reply, base, res.services.length ? ['resumed', res.redriven, res.follows, ...res.services.slice(0, 2)] : ['not_paused']);
    return reply.redirect(base, 303);
  });

  app.get<CampaignParams>('/w/:workspace/campaigns/:slug/stats.json', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const campaign = await campaignOf(req);
    const now = ctx.now();
    const [f, delivery] = await Promise.all([funnel(db, campaign.id, ALL_TIME), deliveryReport(db, campaign.id, now)]);
    const released = now >= campaign.first_release_at;
    return reply.header('Cache-Control', 'no-store').send({
      at: now,
      live: released && delivery.live.active,
      progress: delivery.progress.fraction,
      values: statValues(f, delivery, now),
      funnel: f,
      delivery,
    });
  });

  function sendCsv(reply: FastifyReply, name: string, lines: AsyncIterable<string> | Iterable<string>): FastifyReply {
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', csvContentDisposition(name))
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(csvStream(lines));
  }

  app.get<CampaignParams>('/w/:workspace/campaigns/:slug/fans.csv', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const campaign = await campaignOf(req);
    return sendCsv(reply, `${campaign.slug}-fans`, fansCsv(db, campaign.id));
  });

  /**
   * Contacts who agreed to news, for Mailchimp or Klaviyo (reach/export.ts): fans' addresses, so
   * editors and up only (viewers and operators see the counts, not the addresses). The export is
   * logged — who, which workspace, how many — never the addresses.
   */
  app.get<WsParams>('/w/:workspace/contacts.csv', { preHandler: requireRole('editor') }, async (req, reply) => {
    const { workspace, user } = workspaceOf(req);
    const lines = newsContactsCsv(db, ctx.cipher, workspaceAudience(workspace.id), {
      onDone: (t) =>
        ctx.log.info(
          { event: 'contacts_export', workspace: workspace.id, user: user.id, rows: t.rows, unreadable: t.unreadable, at: ctx.now() },
          'contacts who agreed to news exported',
        ),
    });
    return sendCsv(reply, `${workspace.slug}-news-contacts`, lines);
  });

  app.get<CampaignParams>('/w/:workspace/campaigns/:slug/delivery.csv', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const campaign = await campaignOf(req);
    const report = await deliveryReport(db, campaign.id, ctx.now());
    return sendCsv(reply, `${campaign.slug}-delivery`, deliveryReportCsv(report));
  });
}
