import type { FastifyInstance } from 'fastify';
import { csvContentDisposition, csvStream } from '../../analytics/csv.js';
import type { AppContext } from '../../context.js';
import { DropdayError, ValidationError } from '../../errors.js';
import { referrerLines, referrersCsv } from '../../growth/referrals/export.js';
import { answerHeldReferral, setNameHidden } from '../../growth/referrals/review.js';
import { setLeaderboardPublic } from '../../growth/settings.js';
import { requireRole } from '../auth-hooks.js';
import { formFields } from '../form-fields.js';
import type { ArtistInput } from '../growth/types.js';
import type { GrowthScope } from './growth.js';

type CampaignParams = { Params: { workspace: string; slug: string } };
type ReferralParams = { Params: { workspace: string; slug: string; id: string; answer: string } };

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

function editable(i: ArtistInput): void {
  if (!i.mayEdit) throw new DropdayError('FORBIDDEN', 'This campaign cannot be changed (archived, or you are looking in as the operator).');
}

/**
 * The artist's referral routes (docs/referrals-artist.md): answer a held referral, hide or show a
 * referrer's name (back to the dashboard's Referrals panel), the leaderboard switch (back to the
 * Growth page), and the referrers' CSV.
 */
export function referralsArtistRoutes(app: FastifyInstance, ctx: AppContext, scope: GrowthScope): void {
  app.post<ReferralParams>(
    '/w/:workspace/campaigns/:slug/referrals/:id/:answer',
    { preHandler: requireRole('editor') },
    async (req, reply) => {
      const input = await scope.artistInput(req);
      editable(input);
      const { id, answer } = req.params;
      if (answer !== 'approve' && answer !== 'reject') throw new DropdayError('NOT_FOUND');
      if (!/^\d{1,15}$/.test(id)) throw new ValidationError({ id: 'must be a referral number' });
      const ok = await answerHeldReferral(ctx.db, input.campaign.id, Number(id), answer === 'approve' ? 'approved' : 'rejected', input.now);
      const done = ok ? (answer === 'approve' ? 'referral-approved' : 'referral-rejected') : 'referral-not-held';
      return reply.redirect(`${input.base}?done=${done}#referrals`, 303);
    },
  );

  for (const [path, hidden] of [
    ['hide-name', true],
    ['show-name', false],
  ] as const) {
    app.post<CampaignParams>(
      `/w/:workspace/campaigns/:slug/referrals/${path}`,
      { preHandler: requireRole('editor') },
      async (req, reply) => {
        const input = await scope.artistInput(req);
        editable(input);
        const code = formFields(req.body).code;
        if (typeof code !== 'string' || !CODE.test(code)) throw new ValidationError({ code: 'must be a referral code of this campaign' });
        if (!(await setNameHidden(ctx.db, input.campaign.id, code, hidden)))
          throw new ValidationError({ code: 'is not a referral code of this campaign' });
        return reply.redirect(`${input.base}?done=${hidden ? 'name-hidden' : 'name-shown'}#referrals`, 303);
      },
    );
  }

  app.post<CampaignParams>('/w/:workspace/campaigns/:slug/leaderboard', { preHandler: requireRole('editor') }, async (req, reply) => {
    const input = await scope.artistInput(req);
    editable(input);
    const v = formFields(req.body).public;
    if (v !== 'on' && v !== 'off') throw new ValidationError({ public: 'must be "on" or "off"' });
    await setLeaderboardPublic(ctx.db, input.campaign.id, v === 'on', input.now);
    return reply.redirect(`${input.base}/growth?done=leaderboard-${v}#referral-settings`, 303);
  });

  app.get<CampaignParams>('/w/:workspace/campaigns/:slug/referrals.csv', { preHandler: requireRole('viewer') }, async (req, reply) => {
    const input = await scope.artistInput(req);
    const lines = await referrerLines(ctx.db, input.campaign.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', csvContentDisposition(`${input.campaign.slug}-referrers`))
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send(csvStream(referrersCsv(lines)));
  });
}
