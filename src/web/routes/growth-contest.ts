import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { findCampaignBySlug } from '../../campaigns/repo.js';
import { reserve } from '../../accounts/throttle.js';
import { reachKeys } from '../../reach/keys.js';
import { editorSettings } from '../../editor/service.js';
import { DropdayError, RetryLaterError } from '../../errors.js';
import { contestOf, frozenEntries, storedWinners } from '../../growth/contests/read.js';
import { drawContest } from '../../growth/contests/run.js';
import { saveContest } from '../../growth/contests/store.js';
import { validateContest, type ContestInput } from '../../growth/contests/validate.js';
import { tally, winnerLines, winnersCsv } from '../../growth/contests/winners-export.js';
import { csvContentDisposition, csvStream } from '../../analytics/csv.js';
import { workspaceOf, requireRole } from '../auth-hooks.js';
import { fanLang, settleLang } from '../fan-lang.js';
import { formFields } from '../form-fields.js';
import { showContestForm } from '../growth/contest-artist.js';
import { contestRulesPage } from '../growth/contest-page.js';
import type { ArtistInput } from '../growth/types.js';
import { PUBLIC_PAGE_ROUTE } from '../request-log.js';
import type { GrowthScope } from './growth.js';

type CampaignParams = { Params: { workspace: string; slug: string } };

const CONTEST_FIELDS = [
  'prize',
  'rules',
  'startsAt',
  'endsAt',
  'pointsPresave',
  'pointsReferral',
  'pointsContact',
  'method',
  'winners',
] as const;

/** Rules-page views per IP and minute: far above a person reading, low enough to stop a scraper. */
const RULES_PAGE_LIMIT = { windowMs: 60_000, max: 120 };

function editable(i: ArtistInput): void {
  if (!i.mayEdit) throw new DropdayError('FORBIDDEN', 'This campaign cannot be changed (archived, or you are looking in as the operator).');
}

/**
 * The contest routes (docs/contests.md): the artist's form, draw and winners' CSV (editors, CSRF
 * forms that POST-redirect-GET back to the Growth page), and the public rules page `/{slug}/contest`.
 */
export function contestRoutes(app: FastifyInstance, ctx: AppContext, scope: GrowthScope): void {
  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/contest', { preHandler: requireRole('editor') }, async (req, reply) => {
    const input = await scope.artistInput(req);
    editable(input);
    const form = formFields(req.body);
    const values: ContestInput = {};
    for (const f of CONTEST_FIELDS) {
      const v = form[f];
      if (typeof v === 'string') values[f] = v;
    }
    const current = await contestOf(ctx.db, input.campaign.id);
    const r = validateContest(values, { zone: input.campaign.release_timezone, now: input.now, current });
    if (!r.ok) {
      showContestForm(req, values, r.errors);
      return scope.page(req, reply, input, 400);
    }
    await saveContest(ctx.db, input.campaign.id, r.fields, input.now);
    return reply.redirect(`${input.base}/growth?done=contest-saved#contest-settings`, 303);
  });

  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/contest/draw', { preHandler: requireRole('editor') }, async (req, reply) => {
    const input = await scope.artistInput(req);
    editable(input);
    const contest = await contestOf(ctx.db, input.campaign.id);
    if (!contest) throw new DropdayError('NOT_FOUND', 'This campaign has no contest.');
    // A second draw only from the CLI, on purpose (`dropday contest draw --redraw`).
    await drawContest(ctx.db, contest, { now: input.now, zone: input.campaign.release_timezone });
    const { user } = workspaceOf(req);
    ctx.log.info({ event: 'contest_drawn', campaign: input.campaign.id, user: user.id, via: 'web' }, 'contest winners drawn');
    return reply.redirect(`${input.base}/growth?done=contest-drawn#contest-settings`, 303);
  });

  /** Winners with an address only where the winner agreed to be contacted; logged without addresses. */
  app.get<CampaignParams>(
    '/w/:workspace/campaigns/:slug/contest/winners.csv',
    { preHandler: requireRole('editor') },
    async (req, reply) => {
      const input = await scope.artistInput(req);
      const { user } = workspaceOf(req);
      const lines = await winnerLines(ctx.db, ctx.cipher, input.campaign.id);
      const t = tally(lines);
      ctx.log.info(
        { event: 'contest_winners_export', campaign: input.campaign.id, user: user.id, winners: t.winners, withAddress: t.withAddress },
        'contest winners exported',
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', csvContentDisposition(`${input.campaign.slug}-contest-winners`))
        .header('Cache-Control', 'no-store')
        .header('X-Content-Type-Options', 'nosniff')
        .send(csvStream(winnersCsv(lines)));
    },
  );

  app.get<{ Params: { slug: string } }>('/:slug/contest', PUBLIC_PAGE_ROUTE, async (req, reply) => {
    const slot = await reserve(ctx.db, 'contest-page-ip', reachKeys(ctx).hash('network', req.ip), ctx.now(), RULES_PAGE_LIMIT);
    if (!slot.ok) throw new RetryLaterError('RATE_LIMITED', slot.waitMs);
    const campaign = await findCampaignBySlug(ctx.db, req.params.slug);
    if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (campaign.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED');
    const contest = await contestOf(ctx.db, campaign.id);
    if (!contest) throw new DropdayError('NOT_FOUND');
    const settings = await editorSettings(ctx, campaign.id);
    const lang = settleLang(req, fanLang(req, settings.languages));
    const winners = contest.drawn_at === null ? [] : await storedWinners(ctx.db, campaign.id);
    const entries = frozenEntries(contest);
    const codes = [...new Set([...winners.map((w) => w.code), ...(entries ?? []).map((e) => e.code)])];
    const names = new Map<string, string>();
    if (codes.length) {
      const rows = await ctx.db
        .selectFrom('referral_codes')
        .select(['code', 'display_name'])
        .where('campaign_id', '=', campaign.id)
        .where('name_hidden', '=', 0)
        .where('display_name', 'is not', null)
        .execute();
      for (const r of rows) if (r.display_name) names.set(r.code, r.display_name);
    }
    const page = contestRulesPage({
      campaign,
      contest,
      lang,
      nonce: req.cspNonce,
      theme: { accent: settings.themeAccent, background: settings.themeBackground },
      names,
      winners,
      entries,
    });
    return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').header('Vary', 'Accept-Language').send(page.value);
  });
}
