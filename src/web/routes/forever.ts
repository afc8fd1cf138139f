import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getCampaignById } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { matchLang, type Lang } from '../../i18n/index.js';
import { findPresaveByPublicId } from '../../presaves/repo.js';
import { artistKey } from '../../reach/audience.js';
import { foreverConsent, foreverConsentText, foreverStateOf } from '../../reach/forever/state.js';
import { startForeverSave, stopForeverSave, type ForeverSaveRow } from '../../reach/forever/store.js';
import { csrfField } from '../csrf.js';
import { sendError } from '../errors.js';
import { ALL_LANGUAGES, fanLang, queryLang, settleLang } from '../fan-lang.js';
import { formFields } from '../form-fields.js';
import { foreverPage } from '../views/forever-page.js';

/**
 * Forever save's routes (reach/forever; docs/reach.md "Forever save"):
 * - POST /p/{publicId}/forever — the receipt page's consent ("also save <artist>'s future
 *   releases"): the box must be ticked (400 naming it otherwise);
 * - GET /f/{manage} — the fan's page for it (linked from every notice and the receipt);
 * - POST /f/{manage}/stop — stops it.
 * The addresses are the fan's capabilities (random ids), like the receipt's; the forms carry
 * the CSRF token like the receipt's cancel and erase.
 */
const MANAGE_SHAPE = /^[A-Za-z0-9_-]{16,64}$/;
const REFERRER_POLICY = 'same-origin';

/** `?lang=` kept on a form's action and redirect, when it names one of ours. */
function keptLang(req: FastifyRequest): string {
  const asked = matchLang(queryLang(req));
  return asked ? `?lang=${asked}` : '';
}

export function foreverRoutes(app: FastifyInstance, ctx: AppContext): void {
  async function byManage(manage: string): Promise<ForeverSaveRow> {
    const row = MANAGE_SHAPE.test(manage)
      ? await ctx.db.selectFrom('forever_saves').selectAll().where('manage_id', '=', manage).executeTakeFirst()
      : undefined;
    if (!row) throw new DropdayError('NOT_FOUND').say('forever.erased');
    return row;
  }

  app.post<{ Params: { publicId: string } }>('/p/:publicId/forever', async (req, reply) => {
    const presave = await findPresaveByPublicId(ctx.db, req.params.publicId);
    if (!presave) throw new DropdayError('PRESAVE_NOT_FOUND');
    const campaign = await getCampaignById(ctx.db, presave.campaign_id);
    const lang: Lang = settleLang(req, fanLang(req, ALL_LANGUAGES, presave.lang));
    const back = `/p/${presave.public_id}${keptLang(req)}`;
    const fields = formFields(req.body);
    if (fields.forever !== 'yes') {
      const consent = foreverConsentText(lang, campaign.artist_name, presave.service);
      const err = new DropdayError('VALIDATION', undefined, { forever: 'must be ticked to turn forever save on' }).say(
        'forever.must_tick',
        {
          consent,
        },
      );
      return sendError(req, reply, err, back);
    }
    const state = await foreverStateOf(ctx.db, presave, campaign);
    if (!state) throw new DropdayError('VALIDATION', undefined, { forever: 'is not available for this pre-save' }).say('forever.erased');
    if (state.kind !== 'on') {
      await startForeverSave(
        ctx.db,
        {
          audience: state.audience,
          artistKey: artistKey(campaign.artist_name),
          grantId: presave.grant_id,
          service: presave.service,
          presaveId: presave.id,
          contactId: null,
          lang,
          timezone: presave.timezone,
          locale: presave.locale,
        },
        foreverConsent(lang, campaign, presave),
        ctx.now(),
      );
    }
    return reply.redirect(`${back}#forever`, 303);
  });

  app.get<{ Params: { manage: string } }>('/f/:manage', async (req, reply) => {
    const row = await byManage(req.params.manage);
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, row.lang));
    // The artist's name as the campaign it was asked on spells it; the fan's pre-saves on this
    // grant for the same artist, each with its receipt (where it can be cancelled).
    const made = await ctx.db
      .selectFrom('presaves')
      .innerJoin('campaigns', 'campaigns.id', 'presaves.campaign_id')
      .select(['presaves.id', 'presaves.public_id', 'campaigns.title', 'campaigns.artist_name'])
      .where('presaves.grant_id', '=', row.grant_id)
      .orderBy('presaves.id')
      .execute();
    const mine = made.filter((p) => artistKey(p.artist_name) === row.artist_key);
    const first = mine.find((p) => p.id === row.presave_id) ?? mine[0];
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', REFERRER_POLICY)
      .send(
        foreverPage({
          nonce: req.cspNonce,
          lang,
          row,
          artist: first?.artist_name ?? row.artist_key,
          csrf: csrfField(req),
          keepLang: keptLang(req),
          receipts: mine.map((p) => ({ publicId: p.public_id, title: p.title })),
        }).value,
      );
  });

  app.post<{ Params: { manage: string } }>('/f/:manage/stop', async (req, reply) => {
    const row = await byManage(req.params.manage);
    settleLang(req, fanLang(req, ALL_LANGUAGES, row.lang));
    await stopForeverSave(ctx.db, row, 'preferences', ctx.now());
    return reply.redirect(`/f/${row.manage_id}${keptLang(req)}`, 303);
  });
}
